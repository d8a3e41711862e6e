//! The runtime against a real HTTP server on 127.0.0.1 (wiremock), through `Request`
//! directly: credentials and headers, paths, the envelope and its errors, decoding and drift,
//! raw bodies, query and body, paging. Retries, timeouts and bodies cut short: `retries.rs`;
//! base URLs, the environment and what is `Send`: `client_setup.rs`.

use cloudflare_client_runtime::retry;
use cloudflare_client_runtime::{Client, Error, RawBody, Request};
use cloudflare_client_runtime::{DataAt, PathPart};
use futures::{StreamExt, TryStreamExt};
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{any, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/logs.rs"]
mod logs;
use logs::*;

const RAY: &str = "8e9b1c60ef9e1c9a-SJC";

#[tokio::test]
async fn auth_headers_for_each_credential_kind() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok_envelope(json!([])))
        .mount(&server)
        .await;
    let base = base(&server);
    let token = Client::builder()
        .base_url(&base)
        .api_token(TOKEN)
        .build()
        .unwrap();
    let key = Client::builder()
        .base_url(&base)
        .api_key(KEY, EMAIL)
        .build()
        .unwrap();
    let service = Client::builder()
        .base_url(&base)
        .user_service_key(SERVICE_KEY)
        .build()
        .unwrap();
    for client in [&token, &key, &service] {
        get_logs::<Vec<Log>>(client, "acc").send().await.unwrap();
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let h = |i: usize, name: &str| {
        requests[i]
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };

    assert_eq!(
        h(0, "authorization").as_deref(),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert_eq!(h(0, "x-auth-key"), None);
    assert_eq!(h(1, "x-auth-key").as_deref(), Some(KEY));
    assert_eq!(h(1, "x-auth-email").as_deref(), Some(EMAIL));
    assert_eq!(h(1, "authorization"), None);
    assert_eq!(
        h(2, "x-auth-user-service-key").as_deref(),
        Some(SERVICE_KEY)
    );
    assert_eq!(h(2, "authorization"), None);
    for (i, request) in requests.iter().enumerate() {
        let ua = h(i, "user-agent").unwrap();
        assert_eq!(
            ua,
            format!("cloudflare-client-rust/{}", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(h(i, "accept").as_deref(), Some("application/json"));
        assert_eq!(request.url.path(), "/client/v4/accounts/acc/audit_logs");
    }
}

#[tokio::test]
async fn user_agent_suffix_and_extra_headers() {
    let server = MockServer::start().await;
    Mock::given(header("x-custom", "yes"))
        .respond_with(ok_envelope(json!(null)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .user_agent_suffix("my-app/1.2")
        .build()
        .unwrap();
    let response = get_logs::<Value>(&client, "acc")
        .header("X-Custom", "yes")
        .send()
        .await
        .unwrap();
    assert_eq!(response.data, Value::Null);
    let ua = received(&server).await[0].headers["user-agent"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        ua.starts_with("cloudflare-client-rust/") && ua.ends_with(" my-app/1.2"),
        "{ua}"
    );
}

#[tokio::test]
async fn hostile_path_params_stay_one_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok_envelope(json!([])))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let cases = [
        ("../x?y#z", "..%2Fx%3Fy%23z"),
        ("a/b", "a%2Fb"),
        ("ü 東", "%C3%BC%20%E6%9D%B1"),
        ("%2e%2e", "%252e%252e"),
        ("...", "..."),
        ("a.b-c_d~e", "a.b-c_d~e"),
        ("\\x;y=z&+", "%5Cx%3By%3Dz%26%2B"),
    ];
    for (value, _) in cases {
        get_logs::<Vec<Log>>(&client, value).send().await.unwrap();
    }
    let requests = received(&server).await;
    for ((value, encoded), request) in cases.iter().zip(&requests) {
        assert_eq!(
            request.url.path(),
            format!("/client/v4/accounts/{encoded}/audit_logs"),
            "value {value:?}"
        );
        assert_eq!(request.url.query(), None, "value {value:?}");
    }
    // Values that cannot be one literal segment never reach the server.
    for value in ["..", ".", ""] {
        let err = get_logs::<Vec<Log>>(&client, value)
            .send()
            .await
            .unwrap_err();
        match err {
            Error::InvalidPathParam { name, value: v, .. } => {
                assert_eq!(name, "account_id");
                assert_eq!(v, value);
            }
            other => panic!("{value:?}: {other:?}"),
        }
    }
    assert_eq!(received(&server).await.len(), cases.len());
}

#[tokio::test]
async fn envelope_with_result_info_and_messages() {
    let server = MockServer::start().await;
    let body = json!({
        "success": true,
        "errors": [],
        "messages": [{"code": 1000, "message": "note", "documentation_url": "https://d", "source": {"pointer": "/x"}}, "bare text"],
        "result": [
            {"id": "a", "action": {"result": true, "type": "change_setting"}, "unknown": 1},
            {"id": "b"}
        ],
        "result_info": {"page": 1, "per_page": "25", "count": "2", "total_count": 2, "total_pages": 1.0,
                        "cursors": {"after": "c-after", "before": null}, "shiny_new": {"x": 1}}
    });
    Mock::given(method("GET"))
        .and(path("/client/v4/accounts/acc/audit_logs"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(body)
                .insert_header("cf-ray", RAY),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let response = get_logs::<Vec<Log>>(&client, "acc").send().await.unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.attempts, 1);
    assert_eq!(response.ray_id(), Some(RAY));
    assert_eq!(response.data.len(), 2);
    assert_eq!(
        response.data[0].action,
        Some(Action {
            result: true,
            kind: "change_setting".into()
        })
    );
    let info = response.result_info.unwrap();
    assert_eq!(
        (
            info.page,
            info.per_page,
            info.count,
            info.total_count,
            info.total_pages
        ),
        (Some(1), Some(25), Some(2), Some(2), Some(1))
    );
    assert_eq!(info.next_cursor(), Some("c-after"));
    assert_eq!(info.extra["shiny_new"], json!({"x": 1}));
    assert_eq!(response.messages.len(), 2);
    assert_eq!(response.messages[0].code, 1000);
    assert_eq!(
        response.messages[0]
            .source
            .as_ref()
            .unwrap()
            .pointer
            .as_deref(),
        Some("/x")
    );
    assert_eq!(response.messages[1].message, "bare text");
}

#[tokio::test]
async fn nested_data_path() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok_envelope(json!({"items": [{"id": "x"}], "other": 1})))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let response = Request::<Vec<Log>>::json(
        &client,
        Method::GET,
        &[PathPart::Lit("/x")],
        DataAt::Envelope(&["result", "items"]),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(
        response.data,
        vec![Log {
            id: "x".into(),
            action: None
        }]
    );
    // A decode error inside a nested path names the whole path.
    let err = Request::<Vec<u8>>::json(
        &client,
        Method::GET,
        &[PathPart::Lit("/x")],
        DataAt::Envelope(&["result", "items"]),
    )
    .send()
    .await
    .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "result.items[0]"),
        "{err:?}"
    );
}

#[tokio::test]
async fn error_envelope_keeps_every_error_and_the_ray_id() {
    let server = MockServer::start().await;
    let body = json!({
        "success": false,
        "errors": [
            {"code": 10000, "message": "Authentication error"},
            {"code": "9109", "message": "Unauthorized", "documentation_url": "https://developers.cloudflare.com/x",
             "source": {"pointer": "/account_id"}, "error_chain": [{"code": 1}]}
        ],
        "messages": [],
        "result": null
    });
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(body)
                .insert_header("cf-ray", RAY),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let err = get_logs::<Vec<Log>>(&client, "acc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
    assert_eq!(err.codes(), vec![10000, 9109]);
    assert_eq!(err.ray_id(), Some(RAY));
    assert!(!err.is_retryable());
    match &err {
        Error::Api {
            errors,
            ray_id,
            excerpt,
            ..
        } => {
            assert_eq!(
                errors[1].documentation_url.as_deref(),
                Some("https://developers.cloudflare.com/x")
            );
            assert_eq!(
                errors[1].source.as_ref().unwrap().pointer.as_deref(),
                Some("/account_id")
            );
            assert_eq!(errors[1].extra["error_chain"], json!([{"code": 1}]));
            assert_eq!(ray_id.as_deref(), Some(RAY));
            assert_eq!(excerpt, &None);
        }
        other => panic!("{other:?}"),
    }
    let shown = err.to_string();
    for needle in [
        "403",
        "10000",
        "Authentication error",
        "9109",
        RAY,
        "/account_id",
    ] {
        assert!(shown.contains(needle), "{needle} missing from {shown}");
    }
    // 403 is not retried.
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn success_false_in_a_2xx_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": false, "errors": [{"code": 7003, "message": "bad"}], "messages": [], "result": null})))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let err = get_logs::<Vec<Log>>(&client, "acc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.codes(), vec![7003]);
}

#[tokio::test]
async fn html_502_from_the_edge_is_non_json_with_an_excerpt() {
    let server = MockServer::start().await;
    let html = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "x".repeat(5000)
    );
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw(html, "text/html")
                .insert_header("cf-ray", RAY),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let err = get_logs::<Vec<Log>>(&client, "acc")
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::NonJson {
            status,
            content_type,
            excerpt,
            ray_id,
            ..
        } => {
            assert_eq!(*status, StatusCode::BAD_GATEWAY);
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(excerpt.starts_with("<html><head><title>502 Bad Gateway"));
            assert!(
                excerpt.len() <= cloudflare_client_runtime::EXCERPT_LEN + 3,
                "bounded: {}",
                excerpt.len()
            );
            assert_eq!(ray_id.as_deref(), Some(RAY));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    assert!(err.to_string().contains("502"));
    // 502 is retried: 1 + DEFAULT_MAX_RETRIES attempts.
    assert_eq!(
        received(&server).await.len(),
        1 + retry::DEFAULT_MAX_RETRIES as usize
    );
}

#[tokio::test]
async fn decode_error_names_the_json_path() {
    let server = MockServer::start().await;
    let mut items: Vec<Value> = (0..50).map(|i| json!({"id": format!("id-{i}")})).collect();
    items[1] = json!({"id": 12345});
    Mock::given(any())
        .respond_with(ok_envelope(Value::Array(items)))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let err = get_logs::<Vec<Log>>(&client, "acc")
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            path,
            message,
            excerpt,
            status,
        } => {
            assert_eq!(path, "result[1].id");
            assert!(message.contains("expected a string"), "{message}");
            assert!(excerpt.contains("12345"), "{excerpt}");
            assert_eq!(*status, StatusCode::OK);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("result[1].id"));
}

#[tokio::test]
async fn drifted_fields_read_as_absent_with_warnings_unless_strict() {
    #[derive(Debug, Deserialize, Default, PartialEq)]
    #[serde(default)]
    struct Item {
        id: Option<String>,
        count: Option<i64>,
        owner: Option<Owner>,
    }
    #[derive(Debug, Deserialize, Default, PartialEq)]
    #[serde(default)]
    struct Owner {
        id: Option<String>,
    }
    let server = MockServer::start().await;
    let items = json!([
        {"id": "a", "count": "5", "owner": {"id": "o"}},
        {"id": "b", "count": 6, "owner": null},
        {"id": "c", "owner": "someone", "brand_new_field": {"x": 1}}
    ]);
    Mock::given(any())
        .respond_with(ok_envelope(items))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let response = get_logs::<Vec<Item>>(&client, "acc").send().await.unwrap();
    assert_eq!(response.data.len(), 3);
    assert_eq!(
        response.data[0],
        Item {
            id: Some("a".into()),
            count: None,
            owner: Some(Owner {
                id: Some("o".into())
            })
        }
    );
    assert_eq!(response.data[1].count, Some(6));
    assert_eq!(response.data[2].owner, None);
    let w: Vec<(&str, &str, &str, Value)> = response
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), &*w.expected, w.found, w.raw.clone()))
        .collect();
    assert_eq!(
        w,
        vec![
            ("result[0].count", "i64", "string", json!("5")),
            (
                "result[2].owner",
                "struct Owner",
                "string",
                json!("someone")
            )
        ]
    );
    assert!(response.warnings[0].to_string().contains("result[0].count"));

    // Strict mode, per client or per request, turns the first mismatch into an error.
    let strict = builder(&server).strict(true).build().unwrap();
    for err in [
        get_logs::<Vec<Item>>(&strict, "acc")
            .send()
            .await
            .unwrap_err(),
        get_logs::<Vec<Item>>(&client, "acc")
            .strict(true)
            .send()
            .await
            .unwrap_err(),
    ] {
        assert!(
            matches!(&err, Error::Decode { path, .. } if path == "result[0].count"),
            "{err:?}"
        );
    }
    // Conforming data has no warnings.
    let ok = get_logs::<Vec<Value>>(&client, "acc").send().await.unwrap();
    assert!(ok.warnings.is_empty());
}

/// A 2xx JSON body that is not the envelope an endpoint documents (a proxy's or a gateway's
/// JSON) is an error naming the status and what arrived; it used to decode whole as the data,
/// every field absent (issue 13). `DataAt::Body` still takes any JSON whole.
#[tokio::test]
async fn bare_json_is_an_error_where_the_envelope_is_documented() {
    let server = MockServer::start().await;
    Mock::given(path("/client/v4/obj"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "bare"})))
        .mount(&server)
        .await;
    Mock::given(path("/client/v4/arr"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([1, 2, 3])))
        .mount(&server)
        .await;
    Mock::given(path("/client/v4/num"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("42", "application/json"))
        .mount(&server)
        .await;
    Mock::given(path("/client/v4/empty"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let get = |p: &'static str, at: DataAt| {
        Request::<Value>::json(&client, Method::GET, &[PathPart::Lit(p)], at)
    };

    let err = Request::<Log>::json(&client, Method::GET, &[PathPart::Lit("/obj")], RESULT)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::NotEnvelope {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 200);
            assert_eq!(excerpt, r#"{"id":"bare"}"#);
        }
        other => panic!("expected NotEnvelope, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert!(!err.is_retryable());
    let shown = err.to_string();
    assert!(
        shown.contains("HTTP 200") && shown.contains(r#"{"id":"bare"}"#),
        "{shown}"
    );
    for p in ["/arr", "/num"] {
        let err = get(p, RESULT).send().await.unwrap_err();
        assert!(matches!(err, Error::NotEnvelope { .. }), "{p}: {err:?}");
    }
    assert_eq!(
        get("/arr", DataAt::Body).send().await.unwrap().data,
        json!([1, 2, 3])
    );
    assert_eq!(
        get("/num", DataAt::Body).send().await.unwrap().data,
        json!(42)
    );
    assert_eq!(
        get("/empty", RESULT).send().await.unwrap().data,
        Value::Null
    );
    let none =
        Request::<Option<Log>>::json(&client, Method::GET, &[PathPart::Lit("/empty")], RESULT)
            .send()
            .await
            .unwrap();
    assert_eq!(none.data, None);
    let err = Request::<Log>::json(&client, Method::GET, &[PathPart::Lit("/empty")], RESULT)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    // DataAt::Body keeps an envelope-looking body whole.
    Mock::given(path("/client/v4/env"))
        .respond_with(ok_envelope(json!(1)))
        .mount(&server)
        .await;
    assert_eq!(
        get("/env", DataAt::Body).send().await.unwrap().data["result"],
        json!(1)
    );
}

/// A listing whose second page is a gateway's JSON (a 200 without `success`) ends with
/// `NotEnvelope` after the first page's items, instead of yielding an empty page.
#[tokio::test]
async fn a_gateway_json_page_ends_a_listing_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/client/v4/logs"))
        .and(query_param("cursor", "c2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"message": "upstream timed out", "gateway": "corp-proxy"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/client/v4/logs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "result": [{"id": "a"}], "result_info": {"count": 1, "cursors": {"after": "c2"}}})))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let results: Vec<Result<Log, Error>> =
        Request::<Vec<Log>>::json(&client, Method::GET, &[PathPart::Lit("/logs")], RESULT)
            .items()
            .collect()
            .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, "a");
    match &results[1] {
        Err(Error::NotEnvelope {
            status, excerpt, ..
        }) => {
            assert_eq!(*status, 200);
            assert!(excerpt.contains("corp-proxy"), "{excerpt}");
        }
        other => panic!("expected NotEnvelope, got {other:?}"),
    }
}

#[tokio::test]
async fn raw_body_keeps_bytes_text_and_content_type() {
    let server = MockServer::start().await;
    Mock::given(path("/client/v4/export.csv"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("a,b\n1,2\n", "text/csv"))
        .mount(&server)
        .await;
    Mock::given(path("/client/v4/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"success": false, "errors": [{"code": 7003, "message": "Could not route"}], "messages": [], "result": null})))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let response = Request::raw(&client, Method::GET, &[PathPart::Lit("/export.csv")])
        .send()
        .await
        .unwrap();
    let raw: &RawBody = &response.data;
    assert_eq!(raw.text().unwrap(), "a,b\n1,2\n");
    assert_eq!(raw.content_type(), Some("text/csv"));
    assert_eq!(raw.bytes().as_ref(), b"a,b\n1,2\n");
    assert_eq!(response.data.clone().into_bytes().len(), 8);
    let err = Request::raw(&client, Method::GET, &[PathPart::Lit("/missing")])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.codes(), vec![7003]);
}

#[tokio::test]
async fn query_and_json_body_are_sent() {
    #[derive(Serialize)]
    struct Query {
        #[serde(rename = "actor.email")]
        actor_email: Option<String>,
        since: Option<String>,
        per_page: f64,
        direction: &'static str,
        ids: Vec<u32>,
        zone: Zone,
    }
    #[derive(Serialize)]
    struct Zone {
        name: &'static str,
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(query_param("per_page", "25"))
        .and(header("content-type", "application/json"))
        .respond_with(ok_envelope(json!({"id": "new"})))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let q = Query {
        actor_email: Some("a b+c@example.com".into()),
        since: None,
        per_page: 25.0,
        direction: "desc",
        ids: vec![1, 2],
        zone: Zone {
            name: "example.com",
        },
    };
    let response = Request::<Log>::json(&client, Method::POST, &[PathPart::Lit("/things")], RESULT)
        .query(&q)
        .query_pair("extra", "1&2")
        .json_body(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.data.id, "new");
    let request = &received(&server).await[0];
    let pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let expected = [
        ("actor.email", "a b+c@example.com"),
        ("per_page", "25"),
        ("direction", "desc"),
        ("ids", "1"),
        ("ids", "2"),
        ("zone.name", "example.com"),
        ("extra", "1&2"),
    ];
    assert_eq!(pairs, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
    assert_eq!(
        serde_json::from_slice::<Value>(&request.body).unwrap(),
        json!({"name": "x"})
    );

    // A query that does not serialize to pairs is reported by send(), before sending.
    let err = Request::<Value>::json(&client, Method::GET, &[PathPart::Lit("/x")], RESULT)
        .query(&42)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn pages_and_items_walk_every_page() {
    let server = MockServer::start().await;
    for page in 1..=3u32 {
        let items: Vec<Value> = (0..if page == 3 { 1 } else { 2 })
            .map(|i| json!({"id": format!("p{page}-{i}")}))
            .collect();
        let body = json!({"success": true, "errors": [], "messages": [], "result": items,
                          "result_info": {"page": page, "per_page": 2, "count": items.len(), "total_count": 5, "total_pages": 3}});
        let mut mock = Mock::given(path("/client/v4/accounts/acc/audit_logs"));
        if page > 1 {
            mock = mock.and(query_param("page", page.to_string()));
        }
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .with_priority(if page == 1 { 5 } else { 1 })
            .mount(&server)
            .await;
    }
    let client = builder(&server).build().unwrap();
    let ids: Vec<String> = get_logs::<Vec<Log>>(&client, "acc")
        .query_pair("per_page", "2")
        .items()
        .map_ok(|log| log.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["p1-0", "p1-1", "p2-0", "p2-1", "p3-0"]);
    assert_eq!(received(&server).await.len(), 3);

    // Cursor pagination: follow `cursors.after` until there is none.
    Mock::given(path("/client/v4/logs"))
        .and(query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "result": [{"id": "b"}], "result_info": {"count": 1, "cursors": {}}})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/client/v4/logs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "result": [{"id": "a"}], "result_info": {"count": 1, "cursors": {"after": "c2"}}})))
        .mount(&server)
        .await;
    let pages: Vec<_> =
        Request::<Vec<Log>>::json(&client, Method::GET, &[PathPart::Lit("/logs")], RESULT)
            .pages()
            .try_collect()
            .await
            .unwrap();
    let ids: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.data.iter().map(|l| l.id.as_str()))
        .collect();
    assert_eq!(ids, ["a", "b"]);
}
