//! The importer (`codegen::import`): the committed `priv/overlays/imported/` is exactly what it
//! writes from the committed schema and docs (regenerated in memory), every imported overlay
//! applies without a diagnostic, and its parameter rules on a small schema: matching by method
//! and path (parameters by position, `{accounts_or_zones}`), what a table row can say, and the
//! reason for what it cannot. Bodies and result shapes: `import_bodies.rs`, `import_results.rs`.

use std::path::Path;

use codegen::import::import;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn committed_imported_overlays_are_fresh_and_apply_cleanly() {
    let schema = std::fs::read_to_string(root().join("priv/openapi/cloudflare-openapi.json"))
        .expect("the committed schema");
    let docs = codegen::Sources::docs(&root().join("priv/docs")).expect("priv/docs");
    let loaded = codegen::load_sources(&docs, None);
    assert_eq!(loaded.errors, 0, "{}", loaded.rendered);
    let imported = import(&schema, &loaded.api).expect("the schema imports");
    let dir = root().join("priv/overlays/imported");
    let committed = codegen::overlay::read_overlays_dir(&dir).expect("priv/overlays/imported");
    let names = |files: &[(String, String)]| -> Vec<String> {
        files.iter().map(|(n, _)| n.clone()).collect()
    };
    assert_eq!(
        names(&committed),
        names(&imported.files),
        "run `cargo xtask import-overlays`"
    );
    for ((name, text), (_, fresh)) in committed.iter().zip(&imported.files) {
        assert!(
            text == fresh,
            "{name} is stale: run `cargo xtask import-overlays`"
        );
    }
    // Applied with the hand-written overlays, as the generator applies them: no diagnostic.
    let overlays = codegen::Sources::overlays(&root().join("priv/overlays")).expect("overlays");
    let all = codegen::load_sources(&docs, Some(&overlays));
    assert_eq!(
        (all.errors, all.warnings),
        (loaded.errors, loaded.warnings),
        "{}",
        all.rendered
    );
}

const DOC: &str = "# Zones

## List zones

**GET** `/zones`

### Responses

#### 200 OK

## Zone rules

**GET** `/zones/{zone_id}/rules/{rule_id}`

### Responses

#### 200 OK

## Account rules

**GET** `/accounts/{account_id}/rules`

### Responses

#### 200 OK

## Not in the schema

**DELETE** `/zones`

### Responses

#### 204 Deleted
";

const SCHEMA: &str = r##"{
  "paths": {
    "/zones": {
      "parameters": [{"name": "page", "in": "query", "schema": {"type": "number"}}],
      "get": {
        "parameters": [
          {"$ref": "#/components/parameters/status"},
          {"name": "account.id", "in": "query", "schema": {"type": "string", "description": "An | account."}},
          {"name": "since", "in": "query", "required": true, "schema": {"type": "string", "format": "date-time"}},
          {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}},
          {"name": "kinds", "in": "query", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}},
          {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object"}},
          {"name": "either", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}},
          {"name": "when", "in": "query", "schema": {"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}},
          {"name": "vote", "in": "query", "schema": {"anyOf": [{"type": "number", "enum": [0]}, {"type": "number", "enum": [1]}]}},
          {"name": "one_or_many", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}},
          {"name": "X-Auth", "in": "header", "schema": {"type": "string"}},
          {"name": "X-Api-Secret", "in": "header", "required": true, "schema": {"type": "string"}},
          {"name": "x-pass", "in": "header", "schema": {"type": "string", "format": "password"}},
          {"name": "x-new", "in": "header", "schema": {"type": "boolean"}},
          {"name": "Prefer", "in": "header", "schema": {"type": "string", "enum": ["respond-async"]}},
          {"name": "Content-Type", "in": "header", "schema": {"type": "string"}},
          {"name": "x-auth", "in": "header", "schema": {"type": "string"}},
          {"name": "x-list", "in": "header", "schema": {"type": "array", "items": {"type": "string"}}},
          {"name": "loop", "in": "query", "schema": {"$ref": "#/components/schemas/loop"}},
          {"name": "gone", "in": "query", "schema": {"$ref": "#/components/schemas/missing"}}
        ]
      }
    },
    "/zones/{id}/rules/{rule}": {
      "get": {"parameters": [
        {"name": "id", "in": "path", "required": true, "description": "The zone.", "schema": {"type": "string"}},
        {"name": "rule", "in": "path", "required": true, "schema": {"type": "string"}}
      ]}
    },
    "/{accounts_or_zones}/{account_or_zone_id}/rules": {
      "get": {"parameters": [
        {"name": "accounts_or_zones", "in": "path", "required": true, "schema": {"type": "string"}},
        {"name": "account_or_zone_id", "in": "path", "required": true, "description": "The account or zone.", "schema": {"type": "string"}}
      ]}
    },
    "/only/in/schema": {"post": {}}
  },
  "components": {
    "parameters": {"status": {"name": "status", "in": "query", "description": "Zone status,\nas a word.", "schema": {"type": "string", "enum": ["active", "pending", "active"]}}},
    "schemas": {"loop": {"$ref": "#/components/schemas/loop"}}
  }
}"##;

#[test]
fn parameters_are_imported_by_method_and_path_and_the_rest_has_reasons() {
    let (api, diags) = codegen::parse::parse_api(&[("zones.md".to_owned(), DOC.to_owned())]);
    assert!(diags.is_empty(), "{diags:?}");
    let imported = import(SCHEMA, &api).expect("imports");
    let [(name, text)] = imported.files.as_slice() else {
        panic!("one overlay: {:?}", imported.files)
    };
    assert_eq!(name, "zones.md");
    assert_eq!(
        text,
        &format!(
            "# Zones

{} Do not edit: a hand-written overlay of the same name in `priv/overlays/` wins wherever both speak.

## List zones

**GET** `/zones`

### Parameters

| Name | In | Type | Required | Values | Description |
|---|---|---|---|---|---|
| `page` | query | number | no |  |  |
| `status` | query | string | no | `active`, `pending` | Zone status, as a word. |
| `account.id` | query | string | no |  | An \\| account. |
| `since` | query | datetime | yes |  |  |
| `ids` | query | integer[] | no |  |  |
| `kinds` | query | string[,] | no |  |  |
| `either` | query | string | no |  |  |
| `when` | query | datetime | no |  |  |
| `vote` | query | number | no | `0`, `1` |  |
| `X-Auth` | header | string | no |  |  |
| `X-Api-Secret` | header | secret | yes |  |  |
| `x-pass` | header | secret | no |  |  |
| `x-new` | header | boolean | no |  |  |
| `Prefer` | header | string | no | `respond-async` |  |

## Zone rules

**GET** `/zones/{{zone_id}}/rules/{{rule_id}}`

### Parameters

| Name | In | Type | Required | Values | Description |
|---|---|---|---|---|---|
| `zone_id` | path | string | yes |  | The zone. |

## Account rules

**GET** `/accounts/{{account_id}}/rules`

### Parameters

| Name | In | Type | Required | Values | Description |
|---|---|---|---|---|---|
| `account_id` | path | string | yes |  | The account or zone. |
",
            codegen::import::GENERATED_MARK
        )
    );
    let report = &imported.report;
    assert_eq!((report.endpoints, report.matched), (4, 3));
    assert_eq!(report.unmatched.len(), 1);
    assert_eq!(report.undocumented, ["POST /only/in/schema"]);
    let reasons: Vec<(&str, &str)> = report
        .skipped
        .iter()
        .map(|(_, s)| (s.name.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("filter", "a `deepObject` parameter"),
            ("one_or_many", "a union type (`anyOf`, `oneOf` or `allOf`)"),
            (
                "Content-Type",
                "a header the client sets from the credentials or the body"
            ),
            ("x-auth", "declared twice"),
            ("x-list", "an array header"),
            ("loop", "more than 32 references in a row (a cycle?)"),
            (
                "gone",
                "a reference to nothing: `#/components/schemas/missing`"
            ),
        ]
    );
    // What it wrote is an overlay the generator reads without a diagnostic.
    let mut merged = api.clone();
    let diags = codegen::overlay::apply_imported(&mut merged, &imported.files);
    assert!(diags.is_empty(), "{diags:?}");
    let params = &merged.docs[0].endpoints[0].params;
    assert_eq!(params.len(), 14);
    let secret = params
        .iter()
        .find(|p| p.name == "X-Api-Secret")
        .expect("secret");
    assert_eq!(
        (secret.location, &secret.ty),
        (
            codegen::ir::ParamLocation::Header,
            &codegen::ir::ParamType::Secret
        )
    );
    // `explode: false`: the array is read back as comma-joined.
    let kinds = params.iter().find(|p| p.name == "kinds").expect("kinds");
    assert_eq!(
        kinds.ty,
        codegen::ir::ParamType::Joined(Box::new(codegen::ir::ParamType::String))
    );
}

#[test]
fn a_schema_that_is_not_openapi_is_an_error_not_a_panic() {
    let (api, _) = codegen::parse::parse_api(&[("zones.md".to_owned(), DOC.to_owned())]);
    assert!(import("{", &api).is_err());
    assert!(import("[]", &api).is_err());
    assert!(import(r#"{"paths": {"/zones": 5}}"#, &api).is_ok());
}
