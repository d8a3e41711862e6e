//! The importer's request bodies (`codegen::import`) on a small schema: each body's fields
//! as overlay table rows (nested objects, arrays, maps, nullable fields, enums, unions as
//! variants), what the table cannot say and why, and the overlay applying and generating.

use codegen::import::import;

const BODY_DOC: &str = "# Things

## Create thing

**POST** `/things`

### Responses

#### 200 OK

## Upload thing

**PUT** `/things/{id}`

### Responses

#### 200 OK

## Replace things

**PATCH** `/things`

### Responses

#### 200 OK

## Remove things

**DELETE** `/things`

### Responses

#### 200 OK

## Insert lines

**POST** `/things/lines`

### Responses

#### 200 OK

## Post form

**POST** `/things/form`

### Responses

#### 200 OK

## Create user

**POST** `/things/users`

### Responses

#### 200 OK

## Deploy

**POST** `/things/deploy`

### Responses

#### 200 OK

## Set status

**PUT** `/things/status`

### Responses

#### 200 OK

## Set mode

**PUT** `/things/mode`

### Responses

#### 200 OK

## Bulk write

**PUT** `/things/bulk`

### Responses

#### 200 OK

## Bulk delete

**POST** `/things/bulk/delete`

### Responses

#### 200 OK

## Set ops

**PATCH** `/things/ops`

### Responses

#### 200 OK

## Add items

**POST** `/things/items`

### Responses

#### 200 OK
";

/// A hostile schema: recursion through `$ref` and `allOf`, a missing reference, keys a path
/// cannot hold, unions, absurd nesting, non-ASCII keys, a huge enum, bodies that are not JSON
/// objects.
fn body_schema() -> String {
    let huge = (0..3000)
        .map(|i| format!("\"v{i}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut deep = String::from(r#"{"type": "string"}"#);
    for _ in 0..20 {
        deep = format!(r#"{{"type": "object", "properties": {{"n": {deep}}}}}"#);
    }
    format!(
        r##"{{
  "paths": {{
    "/things": {{
      "post": {{"requestBody": {{"required": true, "content": {{"application/json": {{"schema": {{
        "type": "object",
        "required": ["name", "rules"],
        "properties": {{
          "name": {{"type": "string", "description": "The | name."}},
          "id": {{"type": "string", "readOnly": true}},
          "kind": {{"type": "string", "enum": ["a", "b"]}},
          "commas": {{"type": "string", "enum": ["a,b", "c"]}},
          "huge": {{"type": "string", "enum": [{huge}]}},
          "when": {{"type": "string", "format": "date-time"}},
          "comment": {{"anyOf": [{{"type": "string"}}, {{"type": "null"}}]}},
          "ttl": {{"type": ["integer", "null"]}},
          "either": {{"oneOf": [{{"type": "string"}}, {{"type": "integer"}}]}},
          "auto": {{"anyOf": [{{"type": "number"}}, {{"type": "number", "enum": [1]}}, {{"type": "null"}}]}},
          "mode": {{"oneOf": [{{"type": "string", "enum": ["on"]}}, {{"type": "string", "enum": ["off", "on"]}}]}},
          "tree": {{"$ref": "#/components/schemas/tree"}},
          "loop": {{"$ref": "#/components/schemas/loop"}},
          "gone": {{"$ref": "#/components/schemas/missing"}},
          "dotted": {{"type": "object", "properties": {{"a.b": {{"type": "string"}}}}}},
          "größe": {{"type": "object", "properties": {{"straße": {{"type": "integer"}}}}}},
          "labels": {{"type": "object", "additionalProperties": {{"type": "string"}}}},
          "any": {{"type": "object"}},
          "rules": {{"type": "array", "items": {{"allOf": [
            {{"$ref": "#/components/schemas/base"}},
            {{"type": "object", "required": ["action"], "properties": {{"action": {{"type": "string"}}}}}}
          ]}}}},
          "deep": {deep}
        }}
      }}}}}}}}}},
      "patch": {{"requestBody": {{"content": {{"application/json": {{"schema": {{"anyOf": [
        {{"$ref": "#/components/schemas/ip"}},
        {{"discriminator": {{"propertyName": "kind"}}, "anyOf": [
          {{"type": "object", "required": ["kind"], "properties": {{"kind": {{"type": "string", "enum": ["host"]}}, "host": {{"type": "string"}}}}}},
          {{"title": "IP route", "type": "object", "properties": {{"kind": {{"type": "string", "enum": ["ip6"]}}}}}}
        ]}}
      ]}}}}}}}}}},
      "delete": {{"requestBody": {{"content": {{"application/json": {{"schema": {{"oneOf": [
        {{"type": "object", "required": ["url"], "properties": {{"url": {{"type": "string", "description": "A page."}}, "wait": {{"type": "integer"}}}}}},
        {{"type": "object", "required": ["html"], "properties": {{"html": {{"type": "string"}}, "wait": {{"type": "integer"}}}}}}
      ]}}}}}}}}}}
    }},
    "/things/{{id}}": {{
      "put": {{"requestBody": {{"content": {{
        "application/javascript": {{"schema": {{"type": "string"}}}},
        "multipart/form-data": {{"schema": {{"type": "object", "required": ["metadata"], "properties": {{
          "metadata": {{"type": "object", "properties": {{"main_module": {{"type": "string"}}, "blob": {{"type": "string", "format": "binary"}}}}}},
          "files": {{"type": ["array", "null"], "items": {{"type": "string", "format": "binary"}}}},
          "one": {{"type": "string", "format": "binary", "nullable": true}},
          "grid": {{"type": "array", "items": {{"type": "array", "items": {{"type": "string", "format": "binary"}}}}}},
          "note": {{"type": "string"}}
        }}}}}}
      }}}}}}
    }},
    "/things/lines": {{"post": {{"requestBody": {{"content": {{"application/x-ndjson": {{"schema": {{"type": "string"}}}}}}}}}}}},
    "/things/form": {{"post": {{"requestBody": {{"content": {{
      "application/octet-stream": {{}},
      "application/x-www-form-urlencoded": {{"schema": {{"type": "object", "properties": {{"image": {{"type": "string"}}}}}}}}
    }}}}}}}},
    "/things/users": {{"post": {{"requestBody": {{"content": {{"application/scim+json": {{"schema": {{"type": "object", "properties": {{"userName": {{"type": "string"}}}}}}}}}}}}}}}},
    "/things/status": {{"put": {{"requestBody": {{"content": {{"application/json": {{"schema": {{"anyOf": [
      {{"type": "object", "required": ["status"], "properties": {{"status": {{"type": "string", "enum": ["pause"]}}}}}},
      {{"type": "object", "required": ["status"], "properties": {{"status": {{"type": "string", "enum": ["terminate"]}}, "rollback": {{"type": "boolean"}}}}}},
      {{"type": "object", "required": ["status", "text"], "properties": {{"status": {{"type": "string", "enum": ["terminate"]}}, "text": {{"type": "string"}}}}}}
    ]}}}}}}}}}}}},
    "/things/mode": {{"put": {{"requestBody": {{"content": {{"application/json": {{"schema": {{"oneOf": [
      {{"type": "object", "required": ["mode"], "properties": {{"mode": {{"type": "string", "enum": ["pause"]}}}}}},
      {{"type": "object", "required": ["mode"], "properties": {{"mode": {{"type": "string", "enum": ["restart"]}}, "from": {{"type": "string"}}, "step": {{"type": "integer"}}, "count": {{"type": "integer"}}}}}}
    ]}}}}}}}}}}}},
    "/things/bulk": {{"put": {{"requestBody": {{"content": {{"application/json": {{"schema": {{"type": "array", "items": {{"type": "object", "required": ["key"], "properties": {{"key": {{"type": "string"}}, "ttl": {{"type": "number"}}}}}}}}}}}}}}}}}},
    "/things/bulk/delete": {{"post": {{"requestBody": {{"content": {{"application/json": {{"schema": {{"type": "array", "items": {{"type": "string"}}}}}}}}}}}}}},
    "/things/ops": {{"patch": {{"requestBody": {{"content": {{"application/json": {{"schema": {{"type": "object", "additionalProperties": {{"type": "object", "properties": {{"state": {{"type": "string", "enum": ["on", "off"]}}}}}}}}}}}}}}}}}},
    "/things/items": {{"post": {{"requestBody": {{"content": {{"application/json": {{"schema": {{"type": "array", "items": {{"oneOf": [
      {{"type": "object", "required": ["ip"], "properties": {{"ip": {{"type": "string"}}, "comment": {{"type": "string"}}}}}},
      {{"type": "object", "required": ["asn"], "properties": {{"asn": {{"type": "integer"}}, "comment": {{"type": "string"}}}}}}
    ]}}}}}}}}}}}}}},
    "/things/deploy": {{"post": {{"requestBody": {{"content": {{"multipart/form-data": {{"schema": {{"type": "object", "properties": {{"_worker.js": {{"type": "string", "format": "binary"}}}}}}}}}}}}}}}}
  }},
  "components": {{"schemas": {{
    "tree": {{"type": "object", "properties": {{"value": {{"type": "string"}}, "children": {{"type": "array", "items": {{"$ref": "#/components/schemas/tree"}}}}}}}},
    "loop": {{"allOf": [{{"$ref": "#/components/schemas/loop"}}]}},
    "base": {{"type": "object", "properties": {{"description": {{"type": "string"}}}}}},
    "ip": {{"title": "IP route", "type": "object", "required": ["kind"], "properties": {{"kind": {{"type": "string", "enum": ["ip"]}}, "address": {{"type": "string"}}}}}}
  }}}}
}}"##
    )
}

#[test]
fn bodies_are_imported_as_field_rows_and_the_rest_has_reasons() {
    let (api, diags) = codegen::parse::parse_api(&[("things.md".to_owned(), BODY_DOC.to_owned())]);
    assert!(diags.is_empty(), "{diags:?}");
    let imported = import(&body_schema(), &api).expect("imports");
    let [(_, text)] = imported.files.as_slice() else {
        panic!("one overlay: {:?}", imported.files)
    };
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "### Body")
        .take_while(|l| !l.starts_with("## "))
        .filter(|l| l.starts_with("| `"))
        .collect();
    let huge: Vec<String> = (0..3000).map(|i| format!("`v{i}`")).collect();
    let huge_row = format!("| `huge` | string | no | {} |  |", huge.join(", "));
    let mut deep_rows = vec!["| `deep` | object | no |  |  |".to_owned()];
    let mut path = "deep".to_owned();
    for depth in 1..=8 {
        path.push_str(".n");
        deep_rows.push(match depth {
            8 => format!("| `{path}` | json | no |  |  |"),
            _ => format!("| `{path}` | object | no |  |  |"),
        });
    }
    let mut expected: Vec<String> = [
        "| `name` | string | yes |  | The \\| name. |",
        "| `kind` | string | no | `a`, `b` |  |",
        "| `commas` | string | no |  |  |",
    ]
    .map(str::to_owned)
    .to_vec();
    expected.push(huge_row);
    expected.extend(
        [
            "| `when` | datetime | no |  |  |",
            "| `comment` | nullable string | no |  |  |",
            "| `ttl` | nullable integer | no |  |  |",
            "| `either` | json | no |  |  |",
            "| `auto` | nullable number | no |  |  |",
            "| `mode` | string | no | `on`, `off` |  |",
            "| `tree` | object | no |  |  |",
            "| `tree.value` | string | no |  |  |",
            "| `tree.children` | json[] | no |  |  |",
            "| `loop` | json | no |  |  |",
            "| `gone` | json | no |  |  |",
            "| `dotted` | json | no |  |  |",
            "| `größe` | object | no |  |  |",
            "| `größe.straße` | integer | no |  |  |",
            "| `labels` | string{} | no |  |  |",
            "| `any` | json | no |  |  |",
            "| `rules` | object[] | yes |  |  |",
            "| `rules[].description` | string | no |  |  |",
            "| `rules[].action` | string | yes |  |  |",
        ]
        .map(str::to_owned),
    );
    expected.extend(deep_rows);
    // Row by row, so a failure shows the row rather than 3,000 values.
    for (i, (row, want)) in table.iter().zip(&expected).enumerate() {
        assert_eq!(row, want, "row {i}");
    }
    assert_eq!(table.len(), expected.len(), "{table:#?}");

    // A union with a tag: its variants, nested unions flattened, named by title, else tag;
    // a repeated name made distinct.
    let patch = text
        .split("## Replace things")
        .nth(1)
        .expect("the PATCH endpoint's section");
    assert_eq!(
        patch
            .lines()
            .take_while(|l| !l.starts_with("## "))
            .filter(|l| l.starts_with("#### ") || l.starts_with("| `"))
            .collect::<Vec<_>>(),
        [
            "#### IP route",
            "| `kind` | string | yes | `ip` |  |",
            "| `address` | string | no |  |  |",
            "#### host",
            "| `kind` | string | yes | `host` |  |",
            "| `host` | string | no |  |  |",
            "#### IP route 2",
            "| `kind` | string | no | `ip6` |  |",
        ]
    );

    // A union whose variants differ in the one key each requires is one object that says so;
    // a union of distinct objects without a discriminator is variants, named by the value of
    // a key each requires with one value (a tag the schema does not declare), else by the key
    // the variant alone requires.
    let section_of = |heading: &str| -> Vec<&str> {
        text.split(heading)
            .nth(1)
            .unwrap_or_else(|| panic!("{heading}"))
            .lines()
            .take_while(|l| !l.starts_with("## "))
            .filter(|l| l.starts_with("#### ") || l.starts_with("| `"))
            .collect()
    };
    assert_eq!(
        section_of("## Remove things"),
        [
            "| `url` | string | one of |  | A page. |",
            "| `wait` | integer | no |  |  |",
            "| `html` | string | one of |  |  |",
        ]
    );
    assert_eq!(
        section_of("## Set status"),
        [
            "#### Variant 1",
            "| `status` | string | yes | `pause` |  |",
            "#### Variant 2",
            "| `status` | string | yes | `terminate` |  |",
            "| `rollback` | boolean | no |  |  |",
            "#### text",
            "| `status` | string | yes | `terminate` |  |",
            "| `text` | string | yes |  |  |",
        ]
    );

    assert_eq!(
        section_of("## Set mode"),
        [
            "#### pause",
            "| `mode` | string | yes | `pause` |  |",
            "#### restart",
            "| `mode` | string | yes | `restart` |  |",
            "| `from` | string | no |  |  |",
            "| `step` | integer | no |  |  |",
            "| `count` | integer | no |  |  |",
        ]
    );

    // A body that is an array or a map: its `Body type:` and its element's rows (an array of
    // a union whose variants differ in the key each requires: one object, as above).
    let typed_section = |heading: &str| -> Vec<&str> {
        text.split(heading)
            .nth(1)
            .unwrap_or_else(|| panic!("{heading}"))
            .lines()
            .take_while(|l| !l.starts_with("## "))
            .filter(|l| l.starts_with("Body type:") || l.starts_with("| `"))
            .collect()
    };
    assert_eq!(
        typed_section("## Bulk write"),
        [
            "Body type: `object[]`",
            "| `key` | string | yes |  |  |",
            "| `ttl` | number | no |  |  |",
        ]
    );
    assert_eq!(typed_section("## Bulk delete"), ["Body type: `string[]`"]);
    assert_eq!(
        typed_section("## Set ops"),
        [
            "Body type: `object{}`",
            "| `state` | string | no | `on`, `off` |  |",
        ]
    );
    assert_eq!(
        typed_section("## Add items"),
        [
            "Body type: `object[]`",
            "| `ip` | string | one of |  |  |",
            "| `comment` | string | no |  |  |",
            "| `asn` | integer | one of |  |  |",
        ]
    );

    // Bodies of other media types: their `Content type:` line, files where the schema has
    // binary strings at the top (one or an array, never `nullable`), a binary string deeper
    // down as a string; bytes with the line alone.
    let section = |heading: &str| -> Vec<&str> {
        text.split(heading)
            .nth(1)
            .unwrap_or_else(|| panic!("{heading}"))
            .lines()
            .take_while(|l| !l.starts_with("## "))
            .filter(|l| l.starts_with("Content type:") || l.starts_with("| `"))
            .collect()
    };
    assert_eq!(
        section("## Upload thing"),
        [
            "Content type: `multipart/form-data`",
            "| `metadata` | object | yes |  |  |",
            "| `metadata.main_module` | string | no |  |  |",
            "| `metadata.blob` | string | no |  |  |",
            "| `files` | file[] | no |  |  |",
            "| `one` | file | no |  |  |",
            "| `grid` | string[][] | no |  |  |",
            "| `note` | string | no |  |  |",
        ]
    );
    assert_eq!(
        section("## Insert lines"),
        ["Content type: `application/x-ndjson`"]
    );
    assert_eq!(
        section("## Post form"),
        [
            "Content type: `application/x-www-form-urlencoded`",
            "| `image` | string | no |  |  |"
        ]
    );
    assert_eq!(
        section("## Create user"),
        [
            "Content type: `application/scim+json`",
            "| `userName` | string | no |  |  |"
        ]
    );

    let report = &imported.report;
    assert_eq!(
        (report.bodies, report.body_unions, report.body_variants),
        (13, 3, 8)
    );
    assert_eq!(
        report
            .body_types
            .iter()
            .map(|(t, n)| (t.as_str(), *n))
            .collect::<Vec<_>>(),
        [
            ("application/json", 9),
            ("application/scim+json", 1),
            ("application/x-ndjson", 1),
            ("application/x-www-form-urlencoded", 1),
            ("multipart/form-data", 1),
        ]
    );
    // The POST's rows, the unions' 5, 5 and 5, the merged union's 3, the multipart body's 7,
    // the form's and the user's 1, the arrays' and the map's 2, 0, 1 and 3.
    assert_eq!(
        report.body_fields,
        expected.len() + 5 + 5 + 5 + 3 + 7 + 1 + 1 + 2 + 1 + 3
    );
    let untyped: Vec<(&str, &str)> = report
        .untyped_fields
        .iter()
        .map(|(_, field, reason)| (field.as_str(), reason.as_str()))
        .collect();
    assert_eq!(
        untyped,
        [
            ("either", "a union (`oneOf`)"),
            (
                "tree.children[]",
                "a recursive type (`#/components/schemas/tree`)"
            ),
            ("loop", "`allOf` parts nested deeper than 8 (a cycle?)"),
            (
                "gone",
                "a reference to nothing: `#/components/schemas/missing`"
            ),
            ("dotted", "a key the table cannot write (`a.b`)"),
            ("deep.n.n.n.n.n.n.n.n", "nested deeper than 8 objects"),
        ]
    );
    let skipped: Vec<(&str, &str)> = report
        .bodies_skipped
        .iter()
        .map(|(route, reason)| (route.as_str(), reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [(
            "POST /things/deploy",
            "a key the table cannot write (`_worker.js`)"
        ),]
    );
    // What it wrote reads back without a diagnostic, and the client plans and emits.
    let mut merged = api.clone();
    let diags = codegen::overlay::apply_imported(&mut merged, &imported.files);
    assert!(diags.is_empty(), "{diags:?}");
    let body = merged.docs[0].endpoints[0].body.as_ref().expect("a body");
    assert_eq!(
        body.fields.len(),
        19,
        "every property but the read-only `id`"
    );
    let union = merged.docs[0].endpoints[2]
        .body
        .as_ref()
        .expect("a union body");
    let names: Vec<&str> = union.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["IP route", "host", "IP route 2"]);
    codegen::emit::generate(&merged, &codegen::emit::Options::default())
        .expect("the client is generated");
}
