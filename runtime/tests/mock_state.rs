//! The mock Cloudflare API's state (`runtime::mock`, feature `mock`) against the runtime's own
//! client over real HTTP on 127.0.0.1: a collection found by the REST pattern keeps what a test
//! creates, lists it (paged, filtered by the documented parameters), changes and deletes it.
//! (Routing, checks, faults and records: `mock.rs`.)

use cloudflare_client_runtime::mock::{
    Body, CODE_NO_ROUTE, Endpoint, MockServer, Param, ParamKind,
};
use cloudflare_client_runtime::{Client, Method, Pagination};
use futures::TryStreamExt;
use serde_json::{Value, json};

/// A collection by the REST pattern: a POST to a path and endpoints one `{id}` below it.
macro_rules! widget_endpoint {
    ($name:ident, $method:literal, $template:literal, $data:literal, $paging:expr) => {
        static $name: Endpoint = Endpoint {
            name: concat!("widgets::", stringify!($name)),
            method: $method,
            template: $template,
            query: &[],
            headers: &[],
            body: Body::None,
            status: 200,
            data: $data,
            data_at: &["result"],
            paging: $paging,
            items: "",
        };
    };
}
widget_endpoint!(
    CREATE_WIDGET,
    "POST",
    "/accounts/{account_id}/widgets",
    r#"{"id": "string", "name": "string", "size": 1}"#,
    None
);
// Its list filters by the documented parameters named like the items' keys (`name`, `size`),
// not by the others (`order`) nor by those that page it.
static LIST_WIDGETS: Endpoint = Endpoint {
    name: "widgets::LIST_WIDGETS",
    method: "GET",
    template: "/accounts/{account_id}/widgets",
    query: &[
        Param {
            name: "name",
            kind: ParamKind::Text,
            required: false,
        },
        Param {
            name: "size",
            kind: ParamKind::Integer,
            required: false,
        },
        Param {
            name: "order",
            kind: ParamKind::OneOf(&["name", "size"]),
            required: false,
        },
    ],
    headers: &[],
    body: Body::None,
    status: 200,
    data: r#"[{"id": "string"}]"#,
    data_at: &["result"],
    paging: Some(Pagination::Page {
        page: "page",
        per_page: "per_page",
    }),
    items: "",
};
widget_endpoint!(
    GET_WIDGET,
    "GET",
    "/accounts/{account_id}/widgets/{widget_id}",
    "",
    None
);
widget_endpoint!(
    PUT_WIDGET,
    "PUT",
    "/accounts/{account_id}/widgets/{widget_id}",
    "",
    None
);
widget_endpoint!(
    PATCH_WIDGET,
    "PATCH",
    "/accounts/{account_id}/widgets/{widget_id}",
    "",
    None
);
widget_endpoint!(
    DELETE_WIDGET,
    "DELETE",
    "/accounts/{account_id}/widgets/{widget_id}",
    "",
    None
);

#[tokio::test]
async fn a_collection_keeps_what_a_test_creates_lists_changes_and_deletes() {
    let server = MockServer::start([
        &CREATE_WIDGET,
        &LIST_WIDGETS,
        &GET_WIDGET,
        &PUT_WIDGET,
        &PATCH_WIDGET,
        &DELETE_WIDGET,
    ])
    .await
    .expect("starts");
    let client: Client = server
        .client_builder::<Client>()
        .max_retries(0)
        .build()
        .expect("builds");
    let call = |method: Method, account: &str, id: Option<&str>| {
        let (template, params) = match id {
            Some(id) => (
                "/accounts/{account_id}/widgets/{widget_id}",
                vec![
                    ("account_id", account.to_owned()),
                    ("widget_id", id.to_owned()),
                ],
            ),
            None => (
                "/accounts/{account_id}/widgets",
                vec![("account_id", account.to_owned())],
            ),
        };
        let params: Vec<(&str, &str)> = params.iter().map(|(n, v)| (*n, v.as_str())).collect();
        client.request::<Value>(method, template, &params)
    };
    let list = |account: &str| {
        client
            .request::<Vec<Value>>(
                Method::GET,
                "/accounts/{account_id}/widgets",
                &[("account_id", account)],
            )
            .paginate(Pagination::Page {
                page: "page",
                per_page: "per_page",
            })
    };

    // A collection starts empty.
    let none: Vec<Value> = list("a").items().try_collect().await.expect("lists");
    assert!(none.is_empty());
    // Created items take the documented shape, the keys sent and a new id.
    let first = call(Method::POST, "a", None)
        .json_body(&json!({"name": "one"}))
        .send()
        .await
        .expect("creates")
        .data;
    assert_eq!(
        first,
        json!({"id": format!("{:032x}", 1), "name": "one", "size": 1})
    );
    let id = first["id"].as_str().expect("an id").to_owned();
    for n in 2..=25 {
        call(Method::POST, "a", None)
            .json_body(&json!({"name": format!("w{n}")}))
            .send()
            .await
            .expect("creates");
    }
    // Another account's collection is another collection.
    call(Method::POST, "b", None)
        .json_body(&json!({}))
        .send()
        .await
        .expect("creates");
    let listed: Vec<Value> = list("a").items().try_collect().await.expect("lists");
    assert_eq!(listed.len(), 25);
    assert_eq!(listed[0], first);
    assert_eq!(
        list("b")
            .items()
            .try_collect::<Vec<Value>>()
            .await
            .expect("lists")
            .len(),
        1
    );

    // Filtered by name, by size (a number read from the query's text), not by `order`.
    let filtered = |query: &'static [(&'static str, &'static str)]| {
        let mut request = list("a");
        for (name, value) in query {
            request = request.query_pair(*name, *value);
        }
        request.items().try_collect::<Vec<Value>>()
    };
    let named = filtered(&[("name", "w7"), ("order", "name")])
        .await
        .expect("lists");
    assert_eq!(named.len(), 1);
    assert_eq!(named[0]["name"], "w7");
    assert_eq!(filtered(&[("size", "1")]).await.expect("lists").len(), 25);
    assert!(filtered(&[("size", "2")]).await.expect("lists").is_empty());

    let got = call(Method::GET, "a", Some(&id))
        .send()
        .await
        .expect("gets")
        .data;
    assert_eq!(got, first);
    let patched = call(Method::PATCH, "a", Some(&id))
        .json_body(&json!({"size": 3}))
        .send()
        .await
        .expect("patches")
        .data;
    assert_eq!(patched, json!({"id": id, "name": "one", "size": 3}));
    let replaced = call(Method::PUT, "a", Some(&id))
        .json_body(&json!({"name": "uno"}))
        .send()
        .await
        .expect("replaces")
        .data;
    assert_eq!(replaced, json!({"id": id, "name": "uno"}));
    let deleted = call(Method::DELETE, "a", Some(&id))
        .send()
        .await
        .expect("deletes")
        .data;
    assert_eq!(deleted, json!({ "id": id }));
    let error = call(Method::GET, "a", Some(&id))
        .send()
        .await
        .expect_err("gone");
    assert_eq!(
        (error.status().map(|s| s.as_u16()), error.codes()),
        (Some(404), vec![CODE_NO_ROUTE])
    );
    let listed: Vec<Value> = list("a").items().try_collect().await.expect("lists");
    assert_eq!(listed.len(), 24);
    assert!(listed.iter().all(|item| item["id"] != json!(id)));
}
