//! The mock Cloudflare API (`runtime::mock`, feature `mock`) against the runtime's own client
//! over real HTTP on 127.0.0.1: routing, the checks of each request, the envelope, faults and
//! the record of requests.

use std::time::{Duration, Instant};

use cloudflare_client_runtime::mock::{
    Body, CODE_FAULT, CODE_INVALID, CODE_NO_ROUTE, Endpoint, Fault, Field, MOCK_TOKEN, MockServer,
    Param, ParamKind, Shape, Times,
};
use cloudflare_client_runtime::{Client, Error, Method, Pagination};
use futures::TryStreamExt;
use serde_json::{Value, json};

static LIST_RECORDS: Endpoint = Endpoint {
    name: "dns_records::list",
    method: "GET",
    template: "/zones/{zone_id}/dns_records",
    query: &[
        Param {
            name: "page",
            kind: ParamKind::Integer,
            required: false,
        },
        Param {
            name: "order",
            kind: ParamKind::OneOf(&["type", "name", "content"]),
            required: false,
        },
        Param {
            name: "proxied",
            kind: ParamKind::Boolean,
            required: false,
        },
    ],
    headers: &[],
    body: Body::None,
    status: 200,
    data: r#"[{"id": "r1", "type": "A", "name": "example.com"}]"#,
    data_at: &["result"],
    paging: None,
    items: "",
};

static EXPORT_RECORDS: Endpoint = Endpoint {
    name: "dns_records::export",
    method: "GET",
    template: "/zones/{zone_id}/dns_records/export",
    query: &[],
    headers: &[],
    body: Body::None,
    status: 200,
    data: r#""example.com. 300 IN A 192.0.2.1""#,
    data_at: &[],
    paging: None,
    items: "",
};

static GET_RECORD: Endpoint = Endpoint {
    name: "dns_records::get",
    method: "GET",
    template: "/zones/{zone_id}/dns_records/{dns_record_id}",
    query: &[],
    headers: &[],
    body: Body::None,
    status: 200,
    data: r#"{"id": "r1"}"#,
    data_at: &["result"],
    paging: None,
    items: "",
};

// Not a collection: nothing is documented below its path.
static CREATE_RECORD: Endpoint = Endpoint {
    name: "dns_records::create",
    method: "POST",
    template: "/zones/{zone_id}/records",
    query: &[],
    headers: &[],
    body: Body::Json(Shape::Object(&[
        Field {
            name: "name",
            shape: Shape::Text,
            required: true,
            nullable: false,
        },
        Field {
            name: "type",
            shape: Shape::OneOf(&["A", "AAAA"]),
            required: true,
            nullable: false,
        },
        Field {
            name: "tags",
            shape: Shape::Array(&Shape::Text),
            required: false,
            nullable: false,
        },
    ])),
    status: 200,
    data: r#"{"id": "r2"}"#,
    data_at: &["result"],
    paging: None,
    items: "",
};

static SEARCH: Endpoint = Endpoint {
    name: "search::run",
    method: "GET",
    template: "/accounts/{account_id}/search",
    query: &[Param {
        name: "query",
        kind: ParamKind::Text,
        required: true,
    }],
    headers: &[],
    body: Body::None,
    status: 200,
    data: "",
    data_at: &["result", "matches"],
    paging: None,
    items: "",
};

// A documented header parameter, required.
static MAGIC_ROUTES: Endpoint = Endpoint {
    name: "magic::list_routes",
    method: "GET",
    template: "/accounts/{account_id}/magic/routes",
    query: &[],
    headers: &[Param {
        name: "x-magic-new-hc-target",
        kind: ParamKind::Boolean,
        required: true,
    }],
    body: Body::None,
    status: 200,
    data: "",
    data_at: &["result"],
    paging: None,
    items: "",
};

static PAGED: Endpoint = Endpoint {
    name: "paged::by_page",
    method: "GET",
    template: "/paged/pages",
    query: &[],
    headers: &[],
    body: Body::None,
    status: 200,
    data: "",
    data_at: &["result"],
    paging: Some(Pagination::Page {
        page: "page",
        per_page: "per_page",
    }),
    items: "",
};

static CURSORED: Endpoint = Endpoint {
    name: "paged::by_cursor",
    method: "GET",
    template: "/paged/cursors",
    query: &[],
    headers: &[],
    body: Body::None,
    status: 200,
    data: "",
    data_at: &["result"],
    paging: Some(Pagination::Cursor {
        cursor: "cursor",
        limit: Some("limit"),
    }),
    // The items sit in an array field of the data.
    items: "images",
};

static OFFSET: Endpoint = Endpoint {
    name: "paged::by_offset",
    method: "GET",
    template: "/paged/offsets",
    query: &[],
    headers: &[],
    body: Body::None,
    status: 200,
    data: "",
    data_at: &["result"],
    paging: Some(Pagination::Offset {
        offset: "offset",
        limit: Some("limit"),
    }),
    items: "",
};

async fn server() -> MockServer {
    MockServer::start([
        &LIST_RECORDS,
        &EXPORT_RECORDS,
        &GET_RECORD,
        &CREATE_RECORD,
        &SEARCH,
        &MAGIC_ROUTES,
        &PAGED,
        &CURSORED,
        &OFFSET,
    ])
    .await
    .expect("the mock starts")
}

fn list(client: &Client) -> cloudflare_client_runtime::Request<Value> {
    client.request::<Value>(
        Method::GET,
        "/zones/{zone_id}/dns_records",
        &[("zone_id", "z 1")],
    )
}

/// The API error of a failed call: status, codes and the first error's message and source.
fn api_error(error: &Error) -> (u16, Vec<i64>, String, Value) {
    let first = error.api_errors().first().expect("an API error");
    (
        error.status().map_or(0, |s| s.as_u16()),
        error.codes(),
        first.message.clone(),
        serde_json::to_value(&first.source).expect("serializes"),
    )
}

#[tokio::test]
async fn answers_documented_data_in_the_envelope_or_where_the_docs_put_it() {
    let server = server().await;
    let client: Client = server.client();
    let response = list(&client).send().await.expect("lists");
    assert_eq!(
        response.data,
        json!([{"id": "r1", "type": "A", "name": "example.com"}])
    );
    // No envelope: the data is the whole body.
    let export = client
        .request::<String>(
            Method::GET,
            "/zones/{zone_id}/dns_records/export",
            &[("zone_id", "z")],
        )
        .data_at(cloudflare_client_runtime::DataAt::Body)
        .send()
        .await
        .expect("exports");
    assert_eq!(export.data, "example.com. 300 IN A 192.0.2.1");
    // Data below two keys; none documented decodes as null.
    let search = client
        .request::<Value>(
            Method::GET,
            "/accounts/{account_id}/search",
            &[("account_id", "a")],
        )
        .data_at(cloudflare_client_runtime::DataAt::Envelope(&[
            "result", "matches",
        ]))
        .query_pair("query", "x")
        .send()
        .await
        .expect("searches");
    assert_eq!(search.data, Value::Null);
}

#[tokio::test]
async fn answers_what_the_test_set() {
    let server = server().await;
    server.respond(&LIST_RECORDS, json!([{"id": "mine"}]));
    let client: Client = server.client();
    let response = list(&client).send().await.expect("lists");
    assert_eq!(response.data, json!([{"id": "mine"}]));
}

#[tokio::test]
async fn routes_the_most_literal_template_and_refuses_unknown_paths_and_methods() {
    let server = server().await;
    let client: Client = server.client();
    client
        .request::<Value>(
            Method::GET,
            "/zones/{zone_id}/dns_records/{id}",
            &[("zone_id", "z"), ("id", "r1")],
        )
        .send()
        .await
        .expect("gets");
    let error = client
        .request::<Value>(Method::GET, "/zones/{zone_id}/nothing", &[("zone_id", "z")])
        .send()
        .await
        .expect_err("no such path");
    let (status, codes, message, _) = api_error(&error);
    assert_eq!((status, codes), (404, vec![CODE_NO_ROUTE]));
    assert_eq!(message, "No route for the URI: GET /zones/z/nothing");
    let error = client
        .request::<Value>(
            Method::PUT,
            "/zones/{zone_id}/dns_records/export",
            &[("zone_id", "z")],
        )
        .send()
        .await
        .expect_err("no such method");
    assert_eq!(api_error(&error).0, 405);
    let endpoints: Vec<Option<&str>> = server.requests().iter().map(|r| r.endpoint).collect();
    assert_eq!(endpoints, [Some("dns_records::get"), None, None]);
}

#[tokio::test]
async fn refuses_a_missing_parameter_and_a_value_of_the_wrong_type_naming_it() {
    let server = server().await;
    let client: Client = server.client();
    let error = client
        .request::<Value>(
            Method::GET,
            "/accounts/{account_id}/search",
            &[("account_id", "a")],
        )
        .send()
        .await
        .expect_err("query is required");
    assert_eq!(
        api_error(&error),
        (
            400,
            vec![CODE_INVALID],
            "the required query parameter `query` is missing".to_owned(),
            json!({"parameter": "query"})
        )
    );
    for (name, value, expected) in [
        ("page", "two", "an integer"),
        ("proxied", "yes", "`true` or `false`"),
        ("order", "ttl", "one of `type`, `name`, `content`"),
    ] {
        let error = list(&client)
            .query_pair(name, value)
            .send()
            .await
            .expect_err("a value of the wrong type");
        assert_eq!(
            api_error(&error),
            (
                400,
                vec![CODE_INVALID],
                format!("the query parameter `{name}` must be {expected}, not `{value}`"),
                json!({"parameter": name})
            )
        );
    }
    // Headers the docs list are checked as the query's parameters are, names in any case.
    let routes = || {
        client.request::<Value>(
            Method::GET,
            "/accounts/{account_id}/magic/routes",
            &[("account_id", "a")],
        )
    };
    let error = routes().send().await.expect_err("the header is required");
    assert_eq!(
        api_error(&error),
        (
            400,
            vec![CODE_INVALID],
            "the required header `x-magic-new-hc-target` is missing".to_owned(),
            json!({"parameter": "x-magic-new-hc-target"})
        )
    );
    let error = routes()
        .header("X-Magic-New-Hc-Target", "maybe")
        .send()
        .await
        .expect_err("a boolean");
    assert_eq!(
        api_error(&error).2,
        "the header `x-magic-new-hc-target` must be `true` or `false`, not `maybe`"
    );
    routes()
        .header("X-Magic-New-Hc-Target", "true")
        .send()
        .await
        .expect("sent as documented");
    // Parameters the docs do not list are accepted, as Cloudflare does, and recorded.
    list(&client)
        .query_pair("page", "2")
        .query_pair("undocumented", "kept")
        .send()
        .await
        .expect("lists");
    let last = server.requests().pop().expect("recorded");
    assert_eq!(
        last.query,
        [
            ("page".to_owned(), "2".to_owned()),
            ("undocumented".to_owned(), "kept".to_owned())
        ]
    );
}

#[tokio::test]
async fn checks_a_json_body_and_records_it_without_credentials() {
    let server = server().await;
    let client: Client = server.client();
    let create = |body: Value| {
        client
            .request::<Value>(
                Method::POST,
                "/zones/{zone_id}/records",
                &[("zone_id", "z")],
            )
            .json_body(&body)
    };
    let error = create(json!({"type": "A"}))
        .send()
        .await
        .expect_err("name is required");
    assert_eq!(
        api_error(&error),
        (
            400,
            vec![CODE_INVALID],
            "the required body field `/name` is missing".to_owned(),
            json!({"pointer": "/name"})
        )
    );
    // A value of another type, deep inside: named by its JSON pointer.
    let error = create(json!({"type": "A", "name": "a", "tags": ["x", 7]}))
        .send()
        .await
        .expect_err("tags are strings");
    assert_eq!(
        api_error(&error),
        (
            400,
            vec![CODE_INVALID],
            "the body field `/tags/1` must be a string, not the number `7`".to_owned(),
            json!({"pointer": "/tags/1"})
        )
    );
    let created = create(json!({"type": "A", "name": "example.com", "content": "192.0.2.1"}))
        .send()
        .await
        .expect("creates");
    assert_eq!(created.data, json!({"id": "r2"}));

    let requests = server.requests_to(&CREATE_RECORD);
    assert_eq!(requests.len(), 3);
    let last = &requests[2];
    assert_eq!(last.method, "POST");
    assert_eq!(last.path, "/zones/z/records");
    assert_eq!(last.status, 200);
    assert_eq!(
        last.json(),
        Some(json!({"type": "A", "name": "example.com", "content": "192.0.2.1"}))
    );
    // Or as a type of the test's own.
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Sent {
        name: String,
        content: String,
    }
    assert_eq!(
        last.body_as::<Sent>().expect("decodes"),
        Sent {
            name: "example.com".to_owned(),
            content: "192.0.2.1".to_owned()
        }
    );
    assert_eq!(last.header("authorization"), Some("<redacted>"));
    let recorded = format!("{:?}", server.requests());
    assert!(!recorded.contains(MOCK_TOKEN), "{recorded}");
}

#[tokio::test]
async fn a_rate_limit_is_retried_after_the_time_it_names() {
    let server = server().await;
    server.fail(
        &LIST_RECORDS,
        Fault::RateLimited {
            retry_after: Duration::from_millis(300),
        },
        Times::Once,
    );
    let client: Client = server.client();
    let started = Instant::now();
    let response = list(&client).send().await.expect("the retry succeeds");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(response.attempts, 2);
    let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 200]);
}

#[tokio::test]
async fn faults_strike_as_often_as_asked() {
    let server = server().await;
    let client: Client = server
        .client_builder::<Client>()
        .max_retries(0)
        .build()
        .expect("builds");
    server.fail(&LIST_RECORDS, Fault::Status(503), Times::N(2));
    server.fail(&GET_RECORD, Fault::Status(500), Times::EveryNth(2));
    for _ in 0..2 {
        let error = list(&client).send().await.expect_err("503");
        assert_eq!(api_error(&error).0, 503);
        assert_eq!(error.codes(), [CODE_FAULT]);
    }
    list(&client).send().await.expect("spent after two");
    let get = || {
        client.request::<Value>(
            Method::GET,
            "/zones/{zone_id}/dns_records/{id}",
            &[("zone_id", "z"), ("id", "r1")],
        )
    };
    let mut outcomes = Vec::new();
    for _ in 0..4 {
        outcomes.push(get().send().await.is_ok());
    }
    assert_eq!(outcomes, [true, false, true, false]);

    // An error of the real API, as the test spells it: status, code and message.
    server.fail(
        &LIST_RECORDS,
        Fault::Error {
            status: 400,
            code: 9005,
            message: "Content for A record is invalid.".to_owned(),
        },
        Times::Once,
    );
    let error = list(&client).send().await.expect_err("400");
    let (status, codes, message, _) = api_error(&error);
    assert_eq!(
        (status, codes, message.as_str()),
        (400, vec![9005], "Content for A record is invalid.")
    );
    // Every answer is named by a `cf-ray` header, as Cloudflare's are, and the error keeps it.
    let recorded = server.requests();
    let last = recorded.last().expect("recorded");
    assert_eq!(last.ray_id, format!("{:016x}-MCK", recorded.len()));
    assert_eq!(error.ray_id(), Some(last.ray_id.as_str()));
    list(&client).send().await.expect("once");
}

#[tokio::test]
async fn a_dropped_connection_a_slow_answer_a_bare_body_and_drift() {
    let server = server().await;
    let client: Client = server
        .client_builder::<Client>()
        .max_retries(0)
        .build()
        .expect("builds");

    server.fail_all(Fault::Disconnect, Times::Once);
    let error = list(&client).send().await.expect_err("dropped");
    assert!(error.status().is_none(), "{error:?}");
    assert_eq!(server.requests().last().map(|r| r.status), Some(0));

    server.fail(
        &LIST_RECORDS,
        Fault::Delay(Duration::from_millis(200)),
        Times::Once,
    );
    let started = Instant::now();
    list(&client).send().await.expect("slow, then answered");
    assert!(started.elapsed() >= Duration::from_millis(200));

    server.fail(
        &LIST_RECORDS,
        Fault::NotEnvelope(r#"{"matches": []}"#.to_owned()),
        Times::Once,
    );
    let error = list(&client).send().await.expect_err("not the envelope");
    assert!(matches!(error, Error::NotEnvelope { .. }), "{error:?}");

    server.fail(
        &LIST_RECORDS,
        Fault::Drift {
            pointer: "/0/name".to_owned(),
            value: json!(42),
        },
        Times::Once,
    );
    let drifted = list(&client).send().await.expect("answered");
    assert_eq!(drifted.data, json!([{"id": "r1", "type": "A", "name": 42}]));
    let again = list(&client).send().await.expect("answered");
    assert_eq!(again.data[0]["name"], "example.com");
}

#[tokio::test]
async fn requests_outside_the_api_path_are_404() {
    let server = server().await;
    let base = server.base_url();
    let root = base.trim_end_matches("/client/v4");
    let response = reqwest::get(format!("{root}/zones/z/dns_records"))
        .await
        .expect("answered");
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["errors"][0]["code"], CODE_NO_ROUTE);
    assert_eq!(body["success"], false);
}

/// `count` items `{"n": 0}`, `{"n": 1}`, …
fn numbered(count: usize) -> Vec<Value> {
    (0..count).map(|n| json!({ "n": n })).collect()
}

#[tokio::test]
async fn listings_page_by_each_rule_and_lose_nothing() {
    let server = server().await;
    let client: Client = server.client();
    server.respond(&PAGED, numbered(45));
    server.respond(&OFFSET, numbered(45));
    server.respond(&CURSORED, json!({ "images": numbered(45) }));

    let pages = client
        .request::<Vec<Value>>(Method::GET, "/paged/pages", &[])
        .paginate(Pagination::Page {
            page: "page",
            per_page: "per_page",
        });
    let items: Vec<Value> = pages.items().try_collect().await.expect("pages");
    assert_eq!(items, numbered(45));
    let asked: Vec<String> = server
        .requests_to(&PAGED)
        .iter()
        .map(|r| format!("{:?}", r.query))
        .collect();
    assert_eq!(asked.len(), 3, "{asked:?}");

    // A page size the request asks for; the last page is short, then the listing ends.
    let offsets = client
        .request::<Vec<Value>>(Method::GET, "/paged/offsets", &[])
        .query_pair("limit", "10")
        .paginate(Pagination::Offset {
            offset: "offset",
            limit: Some("limit"),
        });
    let items: Vec<Value> = offsets.items().try_collect().await.expect("offsets");
    assert_eq!(items, numbered(45));
    assert_eq!(server.requests_to(&OFFSET).len(), 5);

    // Cursors, the items in an array field of the data.
    #[derive(serde::Deserialize)]
    struct Images {
        images: Vec<Value>,
    }
    impl cloudflare_client_runtime::ListResult for Images {
        type Item = Value;
        fn items(&self) -> &[Value] {
            &self.images
        }
        fn items_mut(&mut self) -> Option<&mut Vec<Value>> {
            Some(&mut self.images)
        }
        fn into_items(self) -> Vec<Value> {
            self.images
        }
    }
    let cursors = client
        .request::<Images>(Method::GET, "/paged/cursors", &[])
        .paginate(Pagination::Cursor {
            cursor: "cursor",
            limit: Some("limit"),
        });
    let items: Vec<Value> = cursors.items().try_collect().await.expect("cursors");
    assert_eq!(items, numbered(45));
    let cursors_sent: Vec<Option<String>> = server
        .requests_to(&CURSORED)
        .iter()
        .map(|r| {
            r.query
                .iter()
                .find(|(n, _)| n == "cursor")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(
        cursors_sent,
        [None, Some("mock-20".to_owned()), Some("mock-40".to_owned())]
    );

    // A cursor the mock did not hand out.
    let error = client
        .request::<Value>(Method::GET, "/paged/cursors", &[])
        .query_pair("cursor", "forged")
        .send()
        .await
        .expect_err("refused");
    assert_eq!(
        api_error(&error),
        (
            400,
            vec![CODE_INVALID],
            "Invalid pagination cursor: `forged`".to_owned(),
            json!({"parameter": "cursor"})
        )
    );

    // An empty data set: one empty page.
    server.respond(&PAGED, Vec::<Value>::new());
    let none: Vec<Value> = client
        .request::<Vec<Value>>(Method::GET, "/paged/pages", &[])
        .paginate(Pagination::Page {
            page: "page",
            per_page: "per_page",
        })
        .items()
        .try_collect()
        .await
        .expect("empty");
    assert!(none.is_empty());
}
