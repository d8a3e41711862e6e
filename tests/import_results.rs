//! The importer's result shapes (`codegen::import`) on a small schema: a documented shape
//! refined where the docs' rendering loses what the schema says, the field counts of the
//! report, and a hand-written overlay winning over the imported one.

use codegen::import::import;

/// Two endpoints whose docs lose what the schema says of their results, and one whose shape a
/// hand-written overlay already gives.
const RESULTS_DOC: &str = r#"# Things

## Get thing

**GET** `/things/{id}`

### Responses

#### 200 OK

> Data is at `body["result"]`

```json
{"id": "*integer*", "meta": {}, "state": "*string*"}
```

## List things

**GET** `/things`

### Responses

#### 200 OK

> Data is at `body["result"]`

```json
null
```

## Count things

**GET** `/things/count`

### Responses

#### 200 OK

> Data is at `body["result"]`

```json
null
```
"#;

const RESULTS_SCHEMA: &str = r##"{
  "openapi": "3.0.3",
  "paths": {
    "/things/{thing_id}": {"get": {"responses": {"200": {"content": {"application/json": {"schema":
      {"allOf": [{"$ref": "#/components/schemas/envelope"},
                 {"properties": {"result": {"$ref": "#/components/schemas/thing"}}}]}}}}}}},
    "/things": {"get": {"responses": {"200": {"content": {"application/json": {"schema":
      {"allOf": [{"$ref": "#/components/schemas/envelope"},
                 {"properties": {"result": {"type": "array", "items": {"$ref": "#/components/schemas/thing"}}}}]}}}}}}},
    "/things/count": {"get": {"responses": {"200": {"content": {"application/json": {"schema":
      {"allOf": [{"$ref": "#/components/schemas/envelope"},
                 {"properties": {"result": {"type": "object", "properties": {"count": {"type": "integer"}}}}}]}}}}}}}
  },
  "components": {"schemas": {
    "envelope": {"type": "object", "properties": {
      "success": {"type": "boolean"}, "errors": {"type": "array", "items": {}},
      "result": {"anyOf": [{"type": "object"}, {"type": "array", "items": {}}], "nullable": true}}},
    "thing": {"type": "object", "properties": {
      "id": {"type": "string"},
      "meta": {"type": "object", "properties": {"owner": {"type": "string"}, "size": {"type": "integer"}}},
      "state": {"type": "string", "enum": ["on", "off"]},
      "labels": {"type": "object", "additionalProperties": {"type": "string"}}}}
  }}
}"##;

#[test]
fn result_shapes_are_refined_where_the_docs_lose_them_and_a_hand_written_one_wins() {
    let (api, diags) =
        codegen::parse::parse_api(&[("things.md".to_owned(), RESULTS_DOC.to_owned())]);
    assert!(diags.is_empty(), "{diags:?}");
    let imported = import(RESULTS_SCHEMA, &api).expect("imports");
    let [(_, text)] = imported.files.as_slice() else {
        panic!("one overlay: {:?}", imported.files)
    };
    // The doc's `id` stays an integer though the schema says string: the docs win, and a
    // string that comes is drift the client reports. `meta` gains its keys, `state` its
    // values; `labels` is a map of strings.
    assert!(
        text.contains(
            r#"#### 200

The shape refined from the schema where the docs' rendering loses it.

```json
{
  "id": "*integer*",
  "meta": {
    "owner": "*string*",
    "size": "*integer*"
  },
  "state": "*enum: on | off*",
  "labels": {
    "*map*": "*string*"
  }
}
```"#
        ),
        "{text}"
    );
    let report = &imported.report;
    assert_eq!(report.results_refined, 3);
    // Per thing: id, meta, state, labels, meta.owner, meta.size; and the count's count.
    assert_eq!(
        report.result_fields,
        codegen::import::FieldCount {
            schema: 6 + 6 + 1,
            docs: 2,
            refined: 6 + 6 + 1
        }
    );
    let untyped: Vec<(&str, &str)> = report
        .results_untyped
        .iter()
        .map(|(_, path, reason)| (path.as_str(), reason.as_str()))
        .collect();
    assert_eq!(untyped, [], "nothing the shapes cannot say");

    // A hand-written overlay's shape for `/things/count` wins over the imported one, which
    // would not refine it (`total` is not the schema's key): neither is an error.
    let hand_written = "# Things\n\n## Count things\n\n**GET** `/things/count`\n\n### Responses\n\n#### 200\n\n```json\n{\"total\": \"*integer*\"}\n```\n";
    let mut merged = api.clone();
    let diags = codegen::overlay::apply(&mut merged, &[("things.md".into(), hand_written.into())]);
    assert!(diags.is_empty(), "{diags:?}");
    let diags = codegen::overlay::apply_imported(&mut merged, &imported.files);
    assert!(diags.is_empty(), "{diags:?}");
    let shape = |i: usize| {
        let shape = &merged.docs[0].endpoints[i].responses[0].shape;
        serde_json::to_value(shape).expect("shapes serialise")
    };
    assert_eq!(
        shape(2)["fields"][0]["name"],
        "total",
        "the hand-written shape stays"
    );
    assert_eq!(
        shape(1)["kind"],
        "array",
        "the listing's null is a list now"
    );
    let plan = codegen::plan::plan(&merged).expect("the client plans");
    let listing = plan.groups[0]
        .endpoints
        .iter()
        .find(|e| e.path == "/things")
        .expect("the listing");
    // Its items are structs now, no longer JSON values.
    assert!(
        matches!(
            &listing.result,
            codegen::plan::model::ResultPlan::Json {
                ty: codegen::plan::model::TypeRef::Vec(item), ..
            } if matches!(**item, codegen::plan::model::TypeRef::Struct(_))
        ),
        "{:?}",
        listing.result
    );
    codegen::emit::generate(&merged, &codegen::emit::Options::default())
        .expect("the client is generated");
}
