//! Typed JSON request bodies (`bodies.md`, whose overlay's `### Body` tables describe them),
//! against a wiremock server on 127.0.0.1: what each call puts on the wire, byte for byte —
//! method, path, `Content-Type` and body, fields in declaration order — for nested objects,
//! arrays of objects, maps, `null` as distinct from a field left out, open enums, and keys the
//! types do not cover; and a required field left unset failing the call before anything is sent.

use fixture_client::Error;
use fixture_client::bodies::{
    CreateRecordBody, CreateRecordBodyData, CreateRecordBodyRulesItem,
    CreateRecordBodyRulesItemAction, CreateRecordBodyType, PatchRecordSettingsBody,
    PatchRecordSettingsBodyOriginsValue, PatchRecordSettingsBodyZonesItem,
};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const OK: &str = r#"{"success":true,"errors":[],"messages":[],"result":{"id":"r1"}}"#;

fn client(server: &MockServer) -> fixture_client::Client {
    fixture_client::Client::builder()
        .base_url(server.uri())
        .api_token("token")
        .max_retries(0)
        .build()
        .unwrap()
}

/// Answers `verb path` with [`OK`] only when the body is exactly `body` (and JSON).
async fn expect(server: &MockServer, verb: &str, route: &str, body: &str) {
    Mock::given(method(verb))
        .and(path(route))
        .and(header("content-type", "application/json"))
        .and(body_string(body))
        .respond_with(ResponseTemplate::new(200).set_body_string(OK))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_body_is_sent_in_field_order_with_nested_objects_lists_and_maps() {
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        "/zones/z1/records",
        r#"{"type":"CNAME","name":"www","ttl":3600,"tags":["a","b"],"data":{"flags":0.0,"tag":"issue"},"labels":{"env":"prod","team":"dns"},"rules":[{"action":"block","expression":"x"},{"action":"allow"}]}"#,
    )
    .await;
    let body = CreateRecordBody::new()
        // Setters may come in any order: the wire follows the documented order.
        .rules([
            CreateRecordBodyRulesItem::new()
                .action(CreateRecordBodyRulesItemAction::Block)
                .expression("x"),
            CreateRecordBodyRulesItem::new().action("allow"),
        ])
        .name("www")
        .type_(CreateRecordBodyType::Cname)
        .ttl(3600)
        .tags(["a", "b"])
        .labels([("team", "dns"), ("env", "prod")])
        .data(CreateRecordBodyData::new().flags(0.0).tag("issue"));
    let response = client(&server)
        .bodies()
        .create_record("z1", &body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.data.id.as_deref(), Some("r1"));
}

#[tokio::test]
async fn null_is_sent_only_when_asked_and_a_left_out_field_is_absent() {
    let server = MockServer::start().await;
    expect(
        &server,
        "PUT",
        "/zones/z1/records/r1",
        r#"{"type":"A","name":"a","comment":null}"#,
    )
    .await;
    expect(
        &server,
        "PUT",
        "/zones/z1/records/r2",
        r#"{"type":"A","name":"a","comment":"kept"}"#,
    )
    .await;
    let base = CreateRecordBody::new().type_("A").name("a");
    let client = client(&server);
    client
        .bodies()
        .update_record("z1", "r1", &base.clone().comment_null())
        .send()
        .await
        .unwrap();
    client
        .bodies()
        .update_record("z1", "r2", &base.comment("kept"))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn values_the_types_do_not_cover_are_sent_as_given() {
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        "/zones/z1/records",
        r#"{"type":"HTTPS","name":"a","meta":{"any":[1,"two"]},"priority":10}"#,
    )
    .await;
    // A record type the docs do not list yet, a free JSON value, and a key of its own.
    let body = CreateRecordBody::new()
        .type_("HTTPS")
        .name("a")
        .meta(serde_json::json!({"any": [1, "two"]}))
        .extra_field("priority", 10);
    assert_eq!(
        body.type_,
        Some(CreateRecordBodyType::Unknown("HTTPS".into()))
    );
    client(&server)
        .bodies()
        .create_record("z1", &body)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn maps_of_objects_nested_arrays_and_a_nullable_list() {
    let server = MockServer::start().await;
    expect(
        &server,
        "PATCH",
        "/zones/z1/records/r1/settings",
        r#"{"origins":{"eu":{"address":"10.0.0.1","weights":[[1.5,2.0]]}},"zones":null,"extra":"mine"}"#,
    )
    .await;
    let body = PatchRecordSettingsBody::new()
        .origins([(
            "eu",
            PatchRecordSettingsBodyOriginsValue::new()
                .address("10.0.0.1")
                .weights([vec![1.5, 2.0]]),
        )])
        .zones_null()
        // The field named `extra` is not the extra keys' map.
        .extra_2("mine");
    client(&server)
        .bodies()
        .patch_record_settings("z1", "r1", &body)
        .send()
        .await
        .unwrap();
    let listed = PatchRecordSettingsBody::new()
        .origins([("a", PatchRecordSettingsBodyOriginsValue::new().address("x"))])
        .zones([PatchRecordSettingsBodyZonesItem::new().id("z")]);
    assert_eq!(
        serde_json::to_string(&listed).unwrap(),
        r#"{"origins":{"a":{"address":"x"}},"zones":[{"id":"z"}]}"#
    );
}

#[tokio::test]
async fn a_required_field_left_unset_fails_before_anything_is_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    let cases = [
        (CreateRecordBody::new().name("a"), "type"),
        (CreateRecordBody::new().type_("A"), "name"),
        (
            CreateRecordBody::new()
                .type_("A")
                .name("a")
                .data(CreateRecordBodyData::new()),
            "data.flags",
        ),
        (
            CreateRecordBody::new().type_("A").name("a").rules([
                CreateRecordBodyRulesItem::new().action("allow"),
                CreateRecordBodyRulesItem::new().expression("x"),
            ]),
            "rules[1].action",
        ),
    ];
    for (body, field) in cases {
        let error = client
            .bodies()
            .create_record("z1", &body)
            .send()
            .await
            .unwrap_err();
        match error {
            Error::InvalidRequest { message } => {
                assert_eq!(message, format!("missing required body field {field}"));
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    let missing = PatchRecordSettingsBody::new().origins([(
        "eu",
        PatchRecordSettingsBodyOriginsValue::new().weights([vec![1.0]]),
    )]);
    let error = client
        .bodies()
        .patch_record_settings("z1", "r1", &missing)
        .send()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains(r#"origins["eu"].address"#),
        "{error}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_union_body_sends_the_variant_chosen_with_its_tag_set_by_new() {
    use fixture_client::bodies::{
        CreateRouteBody, CreateRouteBodyHostnameRoute, CreateRouteBodyHostnameRouteOriginsItem,
        CreateRouteBodyIpRoute,
    };
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        "/zones/z1/routes",
        r#"{"kind":"ip","address":"192.0.2.1","ttl":60}"#,
    )
    .await;
    expect(
        &server,
        "POST",
        "/zones/z2/routes",
        r#"{"kind":"hostname","hostname":"example.com","origins":[{"address":"a"}]}"#,
    )
    .await;
    let client = client(&server);
    let ip = CreateRouteBody::IpRoute(CreateRouteBodyIpRoute::new().ttl(60).address("192.0.2.1"));
    client
        .bodies()
        .create_route("z1", &ip)
        .send()
        .await
        .unwrap();
    let host: CreateRouteBody = CreateRouteBodyHostnameRoute::new()
        .hostname("example.com")
        .origins([CreateRouteBodyHostnameRouteOriginsItem::new().address("a")])
        .into();
    client
        .bodies()
        .create_route("z2", &host)
        .send()
        .await
        .unwrap();

    // The chosen variant's required fields are checked, nested ones too.
    let missing = CreateRouteBody::from(
        CreateRouteBodyHostnameRoute::new()
            .hostname("h")
            .origins([CreateRouteBodyHostnameRouteOriginsItem::new()]),
    );
    let error = client
        .bodies()
        .create_route("z3", &missing)
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("missing required body field origins[0].address"),
        "{error}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_body_that_is_an_array_or_a_map_is_sent_as_one_with_every_element_checked() {
    use fixture_client::bodies::{PatchOperationsBodyValue, WritePairsBodyItem};
    use std::collections::BTreeMap;

    let server = MockServer::start().await;
    let client = client(&server);
    // An array of objects, taken as a slice: each element in its fields' order.
    expect(
        &server,
        "PUT",
        "/zones/z1/pairs",
        r#"[{"key":"a","value":"1","expiration_ttl":60.0},{"key":"b","value":"2"}]"#,
    )
    .await;
    let pairs = vec![
        WritePairsBodyItem::new()
            .expiration_ttl(60.0)
            .value("1")
            .key("a"),
        WritePairsBodyItem::new().key("b").value("2"),
    ];
    client
        .bodies()
        .write_pairs("z1", &pairs)
        .send()
        .await
        .unwrap();
    // An array of strings, and an empty one (still a body: `[]`).
    expect(
        &server,
        "POST",
        "/zones/z1/pairs/delete",
        r#"["a","b \"q\""]"#,
    )
    .await;
    let keys = ["a".to_owned(), "b \"q\"".to_owned()];
    client
        .bodies()
        .delete_keys("z1", &keys)
        .send()
        .await
        .unwrap();
    expect(&server, "POST", "/zones/z2/pairs/delete", "[]").await;
    client.bodies().delete_keys("z2", &[]).send().await.unwrap();
    // A map of objects, by key in key order, open enum values as given.
    expect(
        &server,
        "PATCH",
        "/zones/z1/operations",
        r#"{"op1":{"state":"on"},"op2":{"state":"paused"}}"#,
    )
    .await;
    let operations = BTreeMap::from([
        (
            "op2".to_owned(),
            PatchOperationsBodyValue::new().state("paused"),
        ),
        (
            "op1".to_owned(),
            PatchOperationsBodyValue::new()
                .state(fixture_client::bodies::PatchOperationsBodyValueState::On),
        ),
    ]);
    client
        .bodies()
        .patch_operations("z1", &operations)
        .send()
        .await
        .unwrap();

    // A required field left unset in any element fails the call, naming the element, before
    // anything is sent; in a map, naming the key.
    let before = server.received_requests().await.unwrap().len();
    let missing = [
        WritePairsBodyItem::new().key("a").value("1"),
        WritePairsBodyItem::new().key("b"),
    ];
    let error = client
        .bodies()
        .write_pairs("z3", &missing)
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("missing required body field [1].value"),
        "{error}"
    );
    let missing = BTreeMap::from([("op".to_owned(), PatchOperationsBodyValue::new())]);
    let error = client
        .bodies()
        .patch_operations("z3", &missing)
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("missing required body field [\"op\"].state"),
        "{error}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), before);
}

#[tokio::test]
async fn one_of_a_group_of_fields_is_required_and_checked_before_sending() {
    use fixture_client::bodies::RenderPageBody;

    let server = MockServer::start().await;
    let client = client(&server);
    expect(
        &server,
        "POST",
        "/zones/z1/render",
        r#"{"html":"<p>hi</p>","wait":0.5}"#,
    )
    .await;
    let body = RenderPageBody::new().wait(0.5).html("<p>hi</p>");
    client
        .bodies()
        .render_page("z1", &body)
        .send()
        .await
        .unwrap();
    let error = client
        .bodies()
        .render_page("z2", &RenderPageBody::new().wait(1.0))
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("missing required body field (url or html)"),
        "{error}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
