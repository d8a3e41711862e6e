//! Results that are one of several objects and objects of any keys (`unions_and_maps.md`,
//! whose overlay says `{"*one of*": [...]}` and `{"*map*": ...}`), decoded exactly from a
//! wiremock server on 127.0.0.1: each DNS record as its own variant, a record type the docs
//! do not list kept whole and reported (never read as another type), an error in strict mode,
//! maps as `BTreeMap`s, a union without a tag told apart by the key each variant alone has,
//! and what was read written back as it came.

use std::collections::BTreeMap;

use fixture_client::unions_and_maps::{
    DnsRecordDetailsResponse, ListAccessRulesItemInclude, ListDnsRecordsItem,
    ZoneUsageResponseByColoValue,
};
use fixture_client::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(route: &str, result: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "errors": [], "messages": [], "result": result,
        })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_token("token")
        .max_retries(0)
        .build()
        .unwrap();
    (server, client)
}

fn records() -> Value {
    json!([
        {"id": "1", "name": "a.example.com", "type": "A", "content": "192.0.2.1", "proxied": true,
         "tags": {"owner": "ops"}},
        {"id": "2", "name": "example.com", "type": "MX", "content": "mx.example.com", "priority": 10},
        {"id": "3", "name": "www.example.com", "type": "ALIAS", "content": "example.com",
         "settings": {"flatten_cname": false}, "ttl": 300},
        {"id": "4", "name": "c.example.com", "type": "CNAME", "content": "example.com"},
    ])
}

#[tokio::test]
async fn each_record_decodes_to_the_variant_its_type_names() {
    let (_server, client) = serve("/zones/z/dns_records", records()).await;
    let page = client
        .unions_and_maps()
        .list_dns_records("z")
        .send()
        .await
        .unwrap();
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    let [a, mx, alias, cname] = page.data.as_slice() else {
        panic!("four records: {:?}", page.data)
    };
    let ListDnsRecordsItem::A(a) = a else {
        panic!("an A record: {a:?}")
    };
    assert_eq!(a.content.as_deref(), Some("192.0.2.1"));
    assert_eq!(a.proxied, Some(true));
    let tags = BTreeMap::from([("owner".to_owned(), "ops".to_owned())]);
    assert_eq!(a.tags.as_ref(), Some(&tags));
    let ListDnsRecordsItem::Mx(mx) = mx else {
        panic!("an MX record: {mx:?}")
    };
    assert_eq!(mx.priority, Some(10));
    // Two tag values, one variant.
    let ListDnsRecordsItem::Cname(alias) = alias else {
        panic!("ALIAS is a CNAME-like record: {alias:?}")
    };
    assert_eq!(
        alias.settings.as_ref().and_then(|s| s.flatten_cname),
        Some(false)
    );
    assert_eq!(
        alias.extra.get("ttl"),
        Some(&json!(300)),
        "an undocumented key is kept"
    );
    assert!(
        matches!(cname, ListDnsRecordsItem::Cname(c) if c.name.as_deref() == Some("c.example.com"))
    );
    // What was read is written back as it came, key for key.
    assert_eq!(serde_json::to_value(&page.data).unwrap(), records());
}

#[tokio::test]
async fn a_record_type_the_docs_do_not_list_is_kept_whole_and_reported() {
    let mut list = records();
    let https =
        json!({"id": "5", "name": "h.example.com", "type": "HTTPS", "data": {"priority": 1}});
    let untyped = json!({"id": "6", "name": "n.example.com"});
    // Without a `type`, a record is the one type whose own keys it has (MX: `priority`).
    let no_type = json!({"id": "7", "content": "mx.example.com", "priority": 5});
    list.as_array_mut()
        .unwrap()
        .extend([https.clone(), untyped.clone(), no_type]);
    let (_server, client) = serve("/zones/z/dns_records", list.clone()).await;
    let page = client
        .unions_and_maps()
        .list_dns_records("z")
        .send()
        .await
        .unwrap();
    assert_eq!(page.data.len(), 7, "no record lost");
    assert!(matches!(&page.data[6], ListDnsRecordsItem::Mx(mx) if mx.priority == Some(5)));
    assert_eq!(page.data[4], ListDnsRecordsItem::Unknown(https.clone()));
    assert_eq!(page.data[5], ListDnsRecordsItem::Unknown(untyped.clone()));
    let found: Vec<_> = page
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), w.found, w.raw.clone(), w.message()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "result[4]",
                "object",
                https,
                "unknown variant: `type` \"HTTPS\"".to_owned()
            ),
            (
                "result[5]",
                "object",
                untyped,
                "unknown variant: no `type`".to_owned()
            ),
        ]
    );
    assert!(
        page.warnings[0]
            .expected
            .contains("one of A, MX, CNAME, ALIAS"),
        "{}",
        page.warnings[0].expected
    );
    assert_eq!(
        serde_json::to_value(&page.data).unwrap(),
        list,
        "written back as read"
    );

    // Strict mode: the same answer is an error that names the record.
    let strict = client
        .unions_and_maps()
        .list_dns_records("z")
        .strict(true)
        .send()
        .await;
    let Err(Error::Decode { path, message, .. }) = strict else {
        panic!("strict mode fails: {strict:?}")
    };
    assert_eq!(path, "result[4]");
    assert!(
        message.contains("unknown variant: `type` \"HTTPS\""),
        "{message}"
    );
}

#[tokio::test]
async fn a_record_as_the_whole_result_and_a_drifted_field_inside_a_variant() {
    let record = json!({"id": "2", "type": "MX", "priority": "ten", "content": "mx.example.com"});
    let (_server, client) = serve("/zones/z/dns_records/2", record.clone()).await;
    let got = client
        .unions_and_maps()
        .dns_record_details("z", "2")
        .send()
        .await
        .unwrap();
    let DnsRecordDetailsResponse::Mx(mx) = &got.data else {
        panic!("{:?}", got.data)
    };
    assert_eq!(mx.priority, None, "a value of another type reads as absent");
    assert_eq!(mx.extra.get("priority"), Some(&json!("ten")), "and is kept");
    let paths: Vec<_> = got.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, ["result.priority"]);
    assert_eq!(serde_json::to_value(&got.data).unwrap(), record);
}

#[tokio::test]
async fn maps_decode_by_key_and_a_drifted_value_keeps_the_map_whole() {
    let usage = json!({
        "since": "2026-12-01",
        "by_colo": {"AMS": {"requests": 3, "bytes": 700}, "SJC": {"requests": 1, "bytes": 20}},
        "totals": {"requests": 4, "bytes": 720},
    });
    let (_server, client) = serve("/zones/z/usage", usage.clone()).await;
    let got = client
        .unions_and_maps()
        .zone_usage("z")
        .send()
        .await
        .unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    let by_colo = got.data.by_colo.as_ref().unwrap();
    assert_eq!(by_colo.keys().collect::<Vec<_>>(), ["AMS", "SJC"]);
    let ams: &ZoneUsageResponseByColoValue = &by_colo["AMS"];
    assert_eq!((ams.requests, ams.bytes), (Some(3), Some(700)));
    let totals = got.data.totals.as_ref().unwrap();
    assert_eq!(totals.get("bytes"), Some(&720));
    assert_eq!(serde_json::to_value(&got.data).unwrap(), usage);

    // A map value of another type cannot be absent inside the map: the map is read as absent,
    // kept whole and reported, and the rest of the result still decodes.
    let drifted = json!({
        "since": "2026-12-01",
        "by_colo": {"AMS": {"requests": "3"}},
        "totals": {"requests": 4, "bytes": "720"},
    });
    let (_server, client) = serve("/zones/z/usage", drifted.clone()).await;
    let got = client
        .unions_and_maps()
        .zone_usage("z")
        .send()
        .await
        .unwrap();
    assert_eq!(got.data.since.as_deref(), Some("2026-12-01"));
    assert_eq!(got.data.totals, None);
    assert_eq!(got.data.extra.get("totals"), Some(&drifted["totals"]));
    let by_colo = got.data.by_colo.as_ref().unwrap();
    assert_eq!(
        by_colo["AMS"].requests, None,
        "a drifted field of a map's object is absent"
    );
    let found: Vec<_> = got
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), w.raw.clone()))
        .collect();
    assert_eq!(
        found,
        [
            ("result.by_colo.AMS.requests", json!("3")),
            ("result.totals", drifted["totals"].clone()),
        ]
    );
    assert_eq!(
        serde_json::to_value(&got.data).unwrap(),
        drifted,
        "written back as read"
    );
}

#[tokio::test]
async fn a_union_without_a_tag_is_told_apart_by_the_key_each_variant_alone_has() {
    let include = json!([
        {"email": {"email": "a@example.com"}},
        {"group": {"id": "g1"}},
        {"everyone": {}},
        {"email": {"email": "b@example.com"}, "group": {"id": "g2"}},
        {"ip": {"ip": "192.0.2.0/24"}},
    ]);
    let rules = json!([{"id": "r1", "include": include}]);
    let (_server, client) = serve("/accounts/a/access/rules", rules.clone()).await;
    let page = client
        .unions_and_maps()
        .list_access_rules("a")
        .send()
        .await
        .unwrap();
    let got = page.data[0].include.as_deref().unwrap();
    let [
        ListAccessRulesItemInclude::Email(email),
        ListAccessRulesItemInclude::Group(group),
        ListAccessRulesItemInclude::Everyone(_),
        ListAccessRulesItemInclude::Unknown(both),
        ListAccessRulesItemInclude::Unknown(neither),
    ] = got
    else {
        panic!("three variants and two unknown objects: {got:?}")
    };
    let address = email.email.as_ref().and_then(|e| e.email.as_deref());
    assert_eq!(address, Some("a@example.com"));
    assert_eq!(
        group.group.as_ref().and_then(|g| g.id.as_deref()),
        Some("g1")
    );
    assert_eq!((both, neither), (&include[3], &include[4]));
    let found: Vec<_> = page
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), w.message()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "result[0].include[3]",
                "unknown variant: keys of several variants: email, group".to_owned()
            ),
            (
                "result[0].include[4]",
                "unknown variant: none of those keys".to_owned()
            ),
        ]
    );
    assert_eq!(
        serde_json::to_value(&page.data).unwrap(),
        rules,
        "written back as read"
    );
}
