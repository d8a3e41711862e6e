//! Typed union request bodies of the real API, on the wire (issue "Every request typed"),
//! and the records that come back decoded to their own type's variant (issue 26):
//! DNS record create for several record types (a union tagged by `type`), a Zero Trust
//! gateway proxy endpoint (tagged by `kind`), and a required field left unset, which sends
//! nothing. Each request goes to the crate's local API on 127.0.0.1 (feature `mock`), which
//! also checks it against the documented variants, and its bytes are compared whole.

use cloudflare_client::dns_records_for_a_zone::{
    CreateDnsRecordBody, CreateDnsRecordBodyARecord, CreateDnsRecordBodyCnameRecord,
    CreateDnsRecordBodyMxRecord, CreateDnsRecordResponse,
};
use cloudflare_client::mock::{self, Endpoint, MockServer};
use cloudflare_client::zero_trust_gateway_proxy_endpoints::{
    CreateAProxyEndpointBody, CreateAProxyEndpointBodyIdentity,
};
use cloudflare_client::{Client, Error};

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const CREATE: &Endpoint = &mock::dns_records_for_a_zone::CREATE_DNS_RECORD;

/// The crate's local API: it checks each body against the documented variants, and keeps
/// each record created (what was sent, and an id) to answer with.
async fn server() -> (MockServer, Client) {
    let server = mock::start().await.expect("the mock starts");
    let client = server
        .client_builder::<Client>()
        .max_retries(0)
        .build()
        .expect("client builds");
    (server, client)
}

/// The body text and content type of every request to `endpoint`, in order.
fn sent(server: &MockServer, endpoint: &'static Endpoint) -> Vec<(String, String)> {
    server
        .requests_to(endpoint)
        .iter()
        .map(|r| {
            let body = String::from_utf8(r.body.to_vec()).expect("UTF-8");
            (
                body,
                r.header("content-type").unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn dns_records_of_three_types_go_out_as_their_own_objects() {
    let (server, client) = server().await;
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
    // Ids the mock handed out, one per record.
    assert_eq!(a.id.as_deref(), Some("00000000000000000000000000000001"));
    assert_eq!(a.proxied, Some(true));
    assert_eq!(cname.comment.as_deref(), Some("automatic TTL"));
    assert_eq!(mx.priority, Some(10.0));
    let json = "application/json".to_owned();
    assert_eq!(
        sent(&server, CREATE),
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
    let (server, client) = server().await;
    let body = CreateDnsRecordBody::ARecord(
        CreateDnsRecordBodyARecord::new()
            .name("www.example.com")
            .content("198.51.100.4"),
    );
    let err = client
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
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_proxy_endpoint_is_sent_as_the_kind_chosen() {
    let account = "699d98642c564d2e855e9661899b7252";
    let (server, client) = server().await;
    let body: CreateAProxyEndpointBody = CreateAProxyEndpointBodyIdentity::new()
        .name("Devops team")
        .into();
    client
        .zero_trust_gateway_proxy_endpoints()
        .create_a_proxy_endpoint(account, &body)
        .send()
        .await
        .expect("the endpoint is created");
    assert_eq!(
        sent(
            &server,
            &mock::zero_trust_gateway_proxy_endpoints::CREATE_A_PROXY_ENDPOINT
        ),
        [(
            r#"{"kind":"identity","name":"Devops team"}"#.to_owned(),
            "application/json".to_owned()
        )]
    );
}
