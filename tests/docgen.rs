//! Structure-aware doc generator for property tests: proptest strategies that produce docs
//! (and overlays) that follow `docs/FORMAT.md`, with hostile but valid content in every
//! place the format leaves free: titles, summaries, methods, path templates, Markdown
//! descriptions, statuses, data notes, shapes with unusual keys and depths, and overlay
//! tables. Every generated input must parse without errors; what the generator makes of it
//! is the property under test.

use std::collections::BTreeSet;

use proptest::prelude::*;

/// One generated API: docs and the overlays that refine them, as `(file name, text)`.
#[derive(Debug, Clone)]
pub struct GeneratedApi {
    pub docs: Vec<(String, String)>,
    pub overlays: Vec<(String, String)>,
}

/// Free text for titles, summaries and descriptions: words, punctuation and characters that
/// are special in Markdown, Rust doc comments or HTML.
fn prose() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[a-zA-Z]{1,10}",
        Just("[Foo]".to_owned()),
        Just("<div>".to_owned()),
        Just("`code`".to_owned()),
        Just("*emph*".to_owned()),
        Just("self".to_owned()),
        Just("é日本".to_owned()),
        Just("1.1.1.1".to_owned()),
        Just("a_b-c".to_owned()),
        Just("https://example.com/x".to_owned()),
        Just("{x}".to_owned()),
        Just("\\".to_owned()),
    ];
    prop::collection::vec(word, 1..6).prop_map(|words| words.join(" "))
}

/// Markdown blocks a description may hold.
fn description_block() -> impl Strategy<Value = String> {
    prop_oneof![
        prose(),
        prose().prop_map(|p| format!("- {p}\n- second item")),
        prose().prop_map(|p| format!("> {p}")),
        prose().prop_map(|p| format!("#### Notes on {p}")),
        prose().prop_map(|p| format!("<p>{p}</p>")),
        prose().prop_map(|p| format!("[{p}](https://example.com)")),
        (
            prop_oneof![
                Just(""),
                Just("json"),
                Just("text"),
                Just("rust"),
                Just("ignore-wasm32"),
                Just("sh")
            ],
            prose()
        )
            .prop_map(|(info, p)| format!("```{info}\nlet x = \"{p}\";\n```")),
        prose().prop_map(|p| format!("    indented {p}")),
    ]
}

/// JSON object keys: the empty key, keywords, digits, symbols, non-ASCII, long ones.
pub fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("type".to_owned()),
        Just("Self".to_owned()),
        Just("_".to_owned()),
        Just("$ref".to_owned()),
        Just("Into".to_owned()),
        Just("default".to_owned()),
        "[0-9]{1,4}",
        "[a-zA-Z_$ .-]{1,12}",
        any::<String>().prop_map(|s| s.chars().filter(|c| !c.is_control()).take(20).collect()),
        "[a-z]{60}",
    ]
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"*string*\"".to_owned()),
        Just("\"*integer*\"".to_owned()),
        Just("\"*number*\"".to_owned()),
        Just("\"*boolean*\"".to_owned()),
        Just("null".to_owned()),
        Just("{}".to_owned()),
        Just("\"*enum: a | B | 1 | self | a-b*\"".to_owned()),
    ]
}

/// A shape: leaves, one-element arrays and objects with distinct keys, a few levels deep.
pub fn shape() -> impl Strategy<Value = String> {
    leaf().prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            inner.clone().prop_map(|s| format!("[{s}]")),
            prop::collection::vec((key(), inner), 1..6).prop_map(|fields| {
                let mut seen = BTreeSet::new();
                let body: Vec<String> = fields
                    .into_iter()
                    .filter(|(k, _)| seen.insert(k.clone()))
                    .map(|(k, v)| format!("{}: {v}", serde_json::Value::String(k)))
                    .collect();
                format!("{{{}}}", body.join(", "))
            }),
        ]
    })
}

/// A path template after the route's unique first segment: literals and parameters, some
/// mid-segment (`{a}.{b}`); parameter names distinct.
fn path_tail() -> impl Strategy<Value = (String, Vec<String>)> {
    let segment = prop_oneof![
        "[a-z_]{1,8}".prop_map(|s| (s, 0usize)),
        Just(("{}".to_owned(), 1)),
        Just(("{}.{}".to_owned(), 2)),
        Just(("{}.png".to_owned(), 1)),
    ];
    (
        prop::collection::vec(segment, 0..4),
        prop::collection::vec("[a-z][a-z_]{0,7}", 4),
    )
        .prop_map(|(segments, names)| {
            let mut names = (0..).map(|i| format!("{}_{i}", names[i % names.len()]));
            let mut params = Vec::new();
            let mut path = String::new();
            for (template, count) in segments {
                let mut text = template;
                for _ in 0..count {
                    let name = names.next().unwrap_or_default();
                    text = text.replacen("{}", &format!("{{{name}}}"), 1);
                    params.push(name);
                }
                path.push('/');
                path.push_str(&text);
            }
            (path, params)
        })
}

fn status() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("200"),
        Just("201"),
        Just("204"),
        Just("2XX"),
        Just("4XX"),
        Just("4xx"),
        Just("500"),
        Just("default")
    ]
}

/// One response: (status, heading text, data note, shape block).
fn response() -> impl Strategy<Value = (&'static str, String, Option<&'static str>, Option<String>)>
{
    (
        status(),
        prose(),
        prop_oneof![
            Just(None),
            Just(Some("body[\"result\"]")),
            Just(Some("body")),
            Just(Some("body[\"data\"][\"items\"]"))
        ],
        prop::option::of(shape()),
    )
}

/// An overlay query parameter row's parts: (wire name, type, required, values).
fn query_param() -> impl Strategy<Value = (String, &'static str, bool, Vec<String>)> {
    let name = prop_oneof![
        "[a-z][a-z_]{0,8}",
        Just("actor.email".to_owned()),
        Just("zone_name.not".to_owned()),
        Just("default".to_owned()),
        Just("new".to_owned()),
        Just("type".to_owned()),
        Just("Into".to_owned()),
        Just("page".to_owned()),
        Just("per_page".to_owned()),
        Just("cursor".to_owned()),
    ];
    let ty = prop_oneof![
        Just("string"),
        Just("integer"),
        Just("number"),
        Just("boolean"),
        Just("datetime"),
        Just("string[]"),
        Just("integer[]"),
    ];
    (
        name,
        ty,
        any::<bool>(),
        prop::collection::btree_set("[a-z][a-z0-9_-]{0,6}", 0..4),
    )
        .prop_map(|(name, ty, required, values)| {
            // Only strings take arbitrary values; numbers get numbers, booleans none.
            let values = match ty.trim_end_matches("[]") {
                "string" => values.into_iter().collect(),
                "integer" => (1..=values.len()).map(|i| i.to_string()).collect(),
                _ => Vec::new(),
            };
            (name, ty, required, values)
        })
}

/// An overlay header parameter row's parts: (name, type, required, values).
fn header_param() -> impl Strategy<Value = (String, &'static str, bool, Vec<String>)> {
    let name = prop_oneof![
        "x-[a-z][a-z0-9-]{0,8}",
        Just("If-Match".to_owned()),
        Just("Prefer".to_owned()),
        Just("X-Auth-Token2".to_owned()),
    ];
    let ty = prop_oneof![
        Just("string"),
        Just("integer"),
        Just("boolean"),
        Just("secret")
    ];
    (
        name,
        ty,
        any::<bool>(),
        prop::collection::btree_set("[a-z][a-z0-9_-]{0,6}", 0..3),
    )
        .prop_map(|(name, ty, required, values)| {
            let values = match ty {
                "string" => values.into_iter().collect(),
                _ => Vec::new(),
            };
            (name, ty, required, values)
        })
}

/// One endpoint, with what its overlay adds: (doc section, overlay section if any).
fn endpoint(index: usize) -> impl Strategy<Value = (String, Option<String>)> {
    let method = prop_oneof![
        Just("GET"),
        Just("POST"),
        Just("PUT"),
        Just("PATCH"),
        Just("DELETE"),
        Just("HEAD"),
        Just("OPTIONS")
    ];
    (
        prose(),
        method,
        path_tail(),
        prop::collection::vec(description_block(), 0..4),
        prop::collection::vec(response(), 0..4),
        prop::option::of((
            prop::collection::vec(query_param(), 0..5),
            prop::collection::vec("[a-z][a-z0-9_]{0,6}", 0..3),
            prop::collection::vec(header_param(), 0..3),
        )),
    )
        .prop_map(
            move |(summary, method, (tail, path_params), description, responses, overlay)| {
                let path = format!("/e{index}{tail}");
                let mut doc = format!("## {summary}\n\n**{method}** `{path}`\n\n");
                for block in description {
                    doc.push_str(&block);
                    doc.push_str("\n\n");
                }
                doc.push_str("### Responses\n\n");
                let mut statuses = BTreeSet::new();
                for (status, text, note, shape) in responses {
                    // One response per status; `4XX` and `4xx` are the same class.
                    if !statuses.insert(status.to_ascii_uppercase()) {
                        continue;
                    }
                    doc.push_str(&format!("#### {status} {text}\n\n"));
                    if let Some(note) = note {
                        doc.push_str(&format!("> Data is at `{note}`\n\n"));
                    }
                    if let Some(shape) = shape {
                        doc.push_str(&format!("```json\n{shape}\n```\n\n"));
                    }
                }
                let overlay = overlay.map(|(params, variants, headers)| {
                    overlay_section(method, &path, &path_params, params, variants, headers)
                });
                (doc, overlay)
            },
        )
}

fn overlay_section(
    method: &str,
    path: &str,
    path_params: &[String],
    params: Vec<(String, &'static str, bool, Vec<String>)>,
    variants: Vec<String>,
    headers: Vec<(String, &'static str, bool, Vec<String>)>,
) -> String {
    let mut out = format!("## Refined\n\n**{method}** `{path}`\n\n");
    let mut names = BTreeSet::new();
    let mut rows = Vec::new();
    for p in path_params {
        names.insert(p.clone());
        rows.push(format!(
            "| `{p}` | path | string | yes | | The {p} \\| identifier. |"
        ));
    }
    for (name, ty, required, values) in params {
        if !names.insert(name.clone()) {
            continue;
        }
        let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        let required = if required { "yes" } else { "no" };
        rows.push(format!(
            "| `{name}` | query | {ty} | {required} | {} | Filter by *{name}*. |",
            values.join(", ")
        ));
    }
    // Header names are matched without regard to case.
    let mut header_names = BTreeSet::new();
    for (name, ty, required, values) in headers {
        if !header_names.insert(name.to_ascii_lowercase()) {
            continue;
        }
        let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        let required = if required { "yes" } else { "no" };
        rows.push(format!(
            "| `{name}` | header | {ty} | {required} | {} | Sent as *{name}*. |",
            values.join(", ")
        ));
    }
    if !rows.is_empty() {
        out.push_str("### Parameters\n\n| Name | In | Type | Required | Values | Description |\n|---|---|---|---|---|---|\n");
        for row in rows {
            out.push_str(&row);
            out.push('\n');
        }
        out.push('\n');
    }
    let variants: BTreeSet<String> = variants.into_iter().collect();
    if !variants.is_empty() {
        out.push_str(
            "### Variants\n\n| Name | Query | Accept | Description |\n|---|---|---|---|\n",
        );
        for v in variants {
            out.push_str(&format!(
                "| `{v}` | `export=true`, `format={v}` | `text/csv` | The {v} export. |\n"
            ));
        }
        out.push('\n');
    }
    out
}

/// One doc file (and its overlay, when any endpoint has one).
fn doc_file() -> impl Strategy<Value = (String, Option<String>)> {
    (
        prose(),
        prop::collection::vec(any::<prop::sample::Index>(), 1..5),
    )
        .prop_flat_map(|(title, endpoints)| {
            let endpoints: Vec<_> = (0..endpoints.len()).map(endpoint).collect();
            (Just(title), endpoints).prop_map(|(title, endpoints)| {
                let mut doc = format!("# {title}\n\n");
                let mut overlay = String::new();
                for (section, refinement) in endpoints {
                    doc.push_str(&section);
                    if let Some(r) = refinement {
                        overlay.push_str(&r);
                    }
                }
                let overlay = (!overlay.is_empty())
                    .then(|| format!("# Overlay\n\nWhere these facts come from.\n\n{overlay}"));
                (doc, overlay)
            })
        })
}

/// File stems, some of which collide once sanitised or name Rust items.
fn file_stem() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z_]{0,10}",
        Just("audit_logs".to_owned()),
        Just("audit-logs".to_owned()),
        Just("type".to_owned()),
        Just("Into".to_owned()),
        Just("runtime".to_owned()),
        Just("1password".to_owned()),
    ]
}

/// A whole API: one to three docs with distinct file names that map to distinct modules.
pub fn api() -> impl Strategy<Value = GeneratedApi> {
    prop::collection::vec((file_stem(), doc_file()), 1..4).prop_map(|files| {
        let mut api = GeneratedApi {
            docs: Vec::new(),
            overlays: Vec::new(),
        };
        let mut stems = BTreeSet::new();
        for (stem, (doc, overlay)) in files {
            // Two files whose names sanitise to one module are a documented error, not
            // what this generator is for.
            if !stems.insert(codegen::names::ident(&stem, codegen::names::Case::Snake)) {
                continue;
            }
            let file = format!("{stem}.md");
            if let Some(overlay) = overlay {
                api.overlays.push((file.clone(), overlay));
            }
            api.docs.push((file, doc));
        }
        api
    })
}
