//! The generator never panics and always produces valid Rust: arbitrary JSON keys, summaries
//! and path parameters go through parse → types → emit, bounded runs.

use std::collections::BTreeSet;

use proptest::prelude::*;

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("type".to_owned()),
        Just("Self".to_owned()),
        Just("_".to_owned()),
        "[0-9]{1,4}",
        "[a-zA-Z_$ .-]{1,12}",
        any::<String>().prop_map(|s| s.chars().take(40).collect()),
        "[a-z]{200}",
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

fn shape() -> impl Strategy<Value = String> {
    leaf().prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            inner.clone().prop_map(|s| format!("[{s}]")),
            prop::collection::vec((key(), inner), 1..6).prop_map(|fields| {
                // Keys must be distinct for the doc to be valid.
                let mut seen = BTreeSet::new();
                let body: Vec<String> = fields
                    .into_iter()
                    .filter(|(k, _)| seen.insert(k.clone()))
                    .map(|(k, v)| format!("{}: {v}", serde_json::to_string(&k).unwrap()))
                    .collect();
                format!("{{{}}}", body.join(", "))
            }),
        ]
    })
}

fn doc() -> impl Strategy<Value = String> {
    let endpoint = (any::<String>(), "[a-z_]{1,8}", shape()).prop_map(|(summary, param, shape)| {
        let summary: String = summary.chars().filter(|c| !c.is_control() && *c != '#').take(30).collect();
        format!(
            "## {summary}x\n\n**GET** `/a/{{{param}}}/b`\n\n### Responses\n\n#### 200 OK\n\n> Data is at `body[\"result\"]`\n\n```json\n{shape}\n```\n\n"
        )
    });
    prop::collection::vec(endpoint, 1..4).prop_map(|endpoints| format!("# Fuzz\n\n{}", endpoints.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_doc_generates_valid_rust(text in doc()) {
        let (api, diagnostics) = codegen::parse::parse_api(&[("fuzz.md".to_owned(), text.clone())]);
        prop_assert!(!codegen::diag::has_errors(&diagnostics), "{text}\n{diagnostics:?}");
        let plan = codegen::types::plan(&api).expect("plans");
        for group in &plan.groups {
            let mut types = BTreeSet::new();
            for s in &group.structs {
                prop_assert!(types.insert(s.name.clone()), "duplicate type {}", s.name);
                let mut fields = BTreeSet::new();
                for f in &s.fields {
                    prop_assert!(fields.insert(f.rust.clone()), "duplicate field {} in {}", f.rust, s.name);
                    prop_assert!(syn::parse_str::<syn::Ident>(&f.rust).is_ok(), "{}", f.rust);
                }
            }
            for e in &group.enums {
                prop_assert!(types.insert(e.name.clone()), "duplicate type {}", e.name);
            }
        }
        // `generate` gates every file through syn::parse2; an Err would be invalid Rust.
        let files = codegen::emit::generate(&api, &codegen::emit::Options::default());
        prop_assert!(files.is_ok(), "{text}\n{:?}", files.err());
    }

    #[test]
    fn arbitrary_text_never_panics_the_generator(text in any::<String>()) {
        let (api, _) = codegen::parse::parse_api(&[("any.md".to_owned(), text)]);
        let _ = codegen::emit::generate(&api, &codegen::emit::Options::default());
    }
}
