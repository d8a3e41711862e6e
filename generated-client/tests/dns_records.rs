//! Typed union request bodies of the real API, on the wire (issue "Every request typed"),
//! and the records that come back decoded to their own type's variant (issue 26):
//! DNS record create for several record types (a union tagged by `type`), a Zero Trust
//! gateway proxy endpoint (tagged by `kind`), and a required field left unset, which sends
//! nothing. Each request goes to a server on 127.0.0.1 and its bytes are compared whole.

use cloudflare_client::dns_records_for_a_zone::{
    CreateDnsRecordBody, CreateDnsRecordBodyARecord, CreateDnsRecordBodyCnameRecord,
    CreateDnsRecordBodyMxRecord, CreateDnsRecordResponse,
};
use cloudflare_client::zero_trust_gateway_proxy_endpoints::{
    CreateAProxyEndpointBody, CreateAProxyEndpointBodyIdentity,
};
use cloudflare_client::{Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/client/v4", server.uri()))
        .api_token("test-token-secret")
        .max_retries(0)
        .build()
        .expect("client builds")
}

async fn server(route: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        // The record as created: what was sent, with its id.
        .respond_with(|request: &wiremock::Request| {
            let mut record: serde_json::Value =
                serde_json::from_slice(&request.body).unwrap_or_default();
            record["id"] = json!("372e6795");
            ResponseTemplate::new(200).set_body_json(json!({
                "success": true, "errors": [], "messages": [], "result": record,
            }))
        })
        .mount(&server)
        .await;
    server
}

/// The body bytes and content type of every request the server received, in order.
async fn sent(server: &MockServer) -> Vec<(String, String)> {
    server
        .received_requests()
        .await
        .expect("requests are recorded")
        .iter()
        .map(|r| {
            let content_type = r
                .headers
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            (String::from_utf8(r.body.clone()).unwrap(), content_type)
        })
        .collect()
}

#[tokio::test]
async fn dns_records_of_three_types_go_out_as_their_own_objects() {
    let route = format!("/client/v4/zones/{ZONE}/dns_records");
    let server = server(&route).await;
    let client = client(&server);
    let bodies: [CreateDnsRecordBody; 3] = [
        CreateDnsRecordBody::ARecord(
            CreateDnsRecordBodyARecord::new()
                .name("www.example.com")
                .content("198.51.100.4")
                .ttl(3600.0)
                .proxied(true),
        ),
        CreateDnsRecordBodyCnameRecord::new()
            .name("blog.example.com")
            .content("www.example.com")
            .ttl(1.0)
            .comment("automatic TTL")
            .into(),
        CreateDnsRecordBodyMxRecord::new()
            .name("example.com")
            .content("mx1.example.net")
            .priority(10.0)
            .ttl(300.0)
            .tags(["env:prod"])
            .into(),
    ];
    let mut created = Vec::new();
    for body in &bodies {
        let response = client
            .dns_records_for_a_zone()
            .create_dns_record(ZONE, body)
            .send()
            .await
            .expect("the record is created");
        assert!(response.warnings.is_empty(), "{:?}", response.warnings);
        created.push(response.data);
    }
    // Each record comes back as its own type's variant (a union by `type`, issue 26).
    let [
        CreateDnsRecordResponse::A(a),
        CreateDnsRecordResponse::Cname(cname),
        CreateDnsRecordResponse::Mx(mx),
    ] = created.as_slice()
    else {
        panic!("an A, a CNAME and an MX record: {created:?}")
    };
    assert_eq!(a.id.as_deref(), Some("372e6795"));
    assert_eq!(a.proxied, Some(true));
    assert_eq!(cname.comment.as_deref(), Some("automatic TTL"));
    assert_eq!(mx.priority, Some(10.0));
    let json = "application/json".to_owned();
    assert_eq!(
        sent(&server).await,
        [
            (
                r#"{"name":"www.example.com","proxied":true,"ttl":3600.0,"content":"198.51.100.4","type":"A"}"#.to_owned(),
                json.clone()
            ),
            (
                r#"{"comment":"automatic TTL","name":"blog.example.com","ttl":1.0,"content":"www.example.com","type":"CNAME"}"#.to_owned(),
                json.clone()
            ),
            (
                r#"{"name":"example.com","tags":["env:prod"],"ttl":300.0,"content":"mx1.example.net","priority":10.0,"type":"MX"}"#.to_owned(),
                json
            ),
        ]
    );
}

#[tokio::test]
async fn a_record_without_its_required_ttl_sends_nothing() {
    let route = format!("/client/v4/zones/{ZONE}/dns_records");
    let server = server(&route).await;
    let body = CreateDnsRecordBody::ARecord(
        CreateDnsRecordBodyARecord::new()
            .name("www.example.com")
            .content("198.51.100.4"),
    );
    let err = client(&server)
        .dns_records_for_a_zone()
        .create_dns_record(ZONE, &body)
        .send()
        .await
        .expect_err("ttl is required");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "invalid request: missing required body field ttl"
    );
    assert!(sent(&server).await.is_empty());
}

#[tokio::test]
async fn a_proxy_endpoint_is_sent_as_the_kind_chosen() {
    let account = "699d98642c564d2e855e9661899b7252";
    let route = format!("/client/v4/accounts/{account}/gateway/proxy_endpoints");
    let server = server(&route).await;
    let body: CreateAProxyEndpointBody = CreateAProxyEndpointBodyIdentity::new()
        .name("Devops team")
        .into();
    client(&server)
        .zero_trust_gateway_proxy_endpoints()
        .create_a_proxy_endpoint(account, &body)
        .send()
        .await
        .expect("the endpoint is created");
    assert_eq!(
        sent(&server).await,
        [(
            r#"{"kind":"identity","name":"Devops team"}"#.to_owned(),
            "application/json".to_owned()
        )]
    );
}
