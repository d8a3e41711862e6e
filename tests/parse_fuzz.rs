//! The parser never panics, whatever the input, and every diagnostic points inside the source
//! (line, column and byte range agree with each other). Bounded: a fixed number of cases per
//! strategy, so this runs in the normal test suite.

use codegen::diag::{self, Diagnostic};
use codegen::{overlay, parse};
use proptest::prelude::*;

/// Pieces of the docs format, broken variants of them, and hostile text.
const FRAGMENTS: &[&str] = &[
    "# Title\n",
    "## Summary\n",
    "##\n",
    "### Responses\n",
    "#### 200 OK\n",
    "#### 4XX Failure\n",
    "#### 4xx\n",
    "#### default\n",
    "#### 999 nope\n",
    "#### Clean up\n",
    "##### deep\n",
    "Setext\n===\n",
    "---\n",
    "**GET** `/accounts/{account_id}/things`\n",
    "**POST** `/{a}.{b}`\n",
    "**get** `/x`\n",
    "**FETCH** `/{a}/{a}`\n",
    "**PUT** `/{unclosed`\n",
    "**DELETE** `x}`\n",
    "**PATCH**`/{}`\n",
    "**GET** `/é/{ü}` trailing\n",
    "> Data is at `body[\"result\"]`\n",
    "> Data is at\n",
    "> ## quoted heading\n",
    "```json\n",
    "```\n",
    "~~~json\n",
    "~~~\n",
    "    indented code\n",
    "{\n",
    "}\n",
    "[\n",
    "]\n",
    "\"key\": \"*string*\",\n",
    "\"*integer*\"\n",
    "\"*nope*\"\n",
    "null\n",
    "{}\n",
    "[\"*string*\", \"*number*\"]\n",
    "{\"a\": 1, \"a\": true}\n",
    "{\"\\u00e9\\\"\": [[[[[[[[\"*boolean*\"]]]]]]]]}\n",
    "# inside a fence\n",
    "<br /> <ul><li>html</li></ul>\n",
    "<div>\n",
    "- list item\n",
    "1. ordered\n",
    "| a | b |\n|---|---|\n",
    "### Parameters\n",
    "### Variants\n",
    "| Name | In | Type | Required | Values | Description |\n|---|---|---|---|---|---|\n",
    "| `a.b` | query | string[] | no | `x`, `y` | d \\| e |\n",
    "| `b` | path | integer | yes | | |\n",
    "| `c` | path | boolean[] | no | `1`, | |\n",
    "|x|query|datetime|maybe|`` `a` ``|*d*|\n",
    "| Name | Query | Accept | Description |\n|-|-|-|-|\n",
    "| `csv` | `export=true`, `a=` | `text/csv` | CSV |\n",
    "\"*enum: a | b*\"\n",
    "\"*enum: a || a*\"\n",
    "{\"k\": \"*enum:*\", \"e\": \"*enum: x*\"}\n",
    "\n",
    "\r\n",
    "\t",
    "\u{feff}",
    "é✓𝄞",
    "\u{0}",
    "\\",
    "`",
    "*",
    "[link](x)",
];

fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(FRAGMENTS).prop_map(str::to_owned),
            1 => "[ -~]{0,12}",
            1 => any::<String>().prop_map(|s| s.chars().take(8).collect()),
        ],
        0..48,
    )
    .prop_map(|parts| parts.concat())
}

/// Every diagnostic's position is inside `src` and consistent with its byte range.
fn check(file: &str, src: &str, diags: &[Diagnostic]) -> Result<(), TestCaseError> {
    for d in diags {
        prop_assert_eq!(&d.file, file);
        prop_assert!(
            d.range.start <= d.range.end && d.range.end <= src.len(),
            "{:?}",
            d
        );
        prop_assert!(
            src.is_char_boundary(d.range.start) && src.is_char_boundary(d.range.end),
            "{:?}",
            d
        );
        let before = &src[..d.range.start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        prop_assert_eq!(
            (d.line as usize, d.column as usize),
            (line, column),
            "{:?}",
            d
        );
        prop_assert!(line <= src.matches('\n').count() + 1);
    }
    let mut sorted = diags.to_vec();
    sorted.sort_by_key(|d| (d.line, d.column));
    prop_assert_eq!(
        diags.iter().map(|d| (d.line, d.column)).collect::<Vec<_>>(),
        sorted
            .iter()
            .map(|d| (d.line, d.column))
            .collect::<Vec<_>>()
    );
    Ok(())
}

/// The doc fuzzed overlays are applied to.
const BASE_DOC: &str = "# T\n\n## S\n\n**GET** `/a/{b}`\n\n### Responses\n\n#### 200 OK\n\n```json\n{\"k\": \"*string*\", \"o\": {}, \"n\": null}\n```\n\n#### 4XX\n\n## U\n\n**POST** `/x`\n\n### Responses\n\n#### 204\n";

/// The same input as an overlay: parsed on its own, then applied to [`BASE_DOC`].
fn overlay_and_check(src: &str) -> Result<(), TestCaseError> {
    let (doc, diags) = parse::parse_overlay("fuzz.md", src);
    check("fuzz.md", src, &diags)?;
    if let Some(doc) = &doc {
        for ep in &doc.endpoints {
            for p in &ep.params {
                prop_assert!(!p.name.is_empty());
                prop_assert!(p.span.line >= 1);
            }
        }
    }
    let (mut api, base_diags) = parse::parse_api(&[("fuzz.md".to_owned(), BASE_DOC.to_owned())]);
    prop_assert!(base_diags.is_empty(), "{:?}", base_diags);
    let overlays = [("fuzz.md".to_owned(), src.to_owned())];
    let merged = overlay::apply(&mut api, &overlays);
    // The parse diagnostics come first in file order, merge diagnostics are sorted among
    // them: check the positions only.
    check("fuzz.md", src, &merged)?;
    prop_assert!(merged.len() >= diags.len());
    let rendered = diag::render(&merged, &overlays);
    prop_assert_eq!(rendered.is_empty(), merged.is_empty());
    Ok(())
}

fn parse_and_check(src: &str) -> Result<(), TestCaseError> {
    overlay_and_check(src)?;
    let (doc, diags) = parse::parse_doc("fuzz.md", src);
    check("fuzz.md", src, &diags)?;
    if let Some(doc) = &doc {
        prop_assert_eq!(&doc.group, "fuzz");
        for ep in &doc.endpoints {
            prop_assert!(ep.path.starts_with('/'));
            prop_assert!(ep.span.line >= 1);
        }
    }
    // Rendering quotes source lines: it must cope with every range the parser produced.
    let sources = [("fuzz.md".to_owned(), src.to_owned())];
    let rendered = diag::render(&diags, &sources);
    prop_assert_eq!(rendered.is_empty(), diags.is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(src in any::<String>()) {
        parse_and_check(&src)?;
    }

    #[test]
    fn markdownish_text_never_panics(src in markdownish()) {
        parse_and_check(&src)?;
    }

    #[test]
    fn an_overlay_for_the_base_doc_with_noise_appended_never_panics(noise in markdownish()) {
        let src = format!("# T\n\n## S\n\n**GET** `/a/{{b}}`\n\n### Parameters\n\n| Name | In | Type | Required | Values | Description |\n|-|-|-|-|-|-|\n| `b` | path | string | yes | | |\n\n### Responses\n\n#### 200 OK\n\n```json\n{{\"k\": \"*enum: a*\", \"o\": {{\"x\": \"*string*\"}}}}\n```\n\n{noise}");
        overlay_and_check(&src)?;
        let (doc, _) = parse::parse_overlay("fuzz.md", &src);
        let Some(doc) = doc else { return Err(TestCaseError::fail("no doc")) };
        let first = doc.endpoints.first().map(|e| e.params.len());
        prop_assert_eq!(first, Some(1));
    }

    #[test]
    fn a_valid_doc_with_noise_appended_keeps_its_first_endpoint(noise in markdownish()) {
        let src = format!("# T\n\n## S\n\n**GET** `/a/{{b}}`\n\n### Responses\n\n#### 200 OK\n\n```json\nnull\n```\n\n{noise}");
        let (doc, diags) = parse::parse_doc("fuzz.md", &src);
        check("fuzz.md", &src, &diags)?;
        let Some(doc) = doc else { return Err(TestCaseError::fail("no doc")) };
        prop_assert_eq!(doc.title.as_str(), "T");
        let first = doc.endpoints.first().map(|e| (e.path.as_str(), e.span.line));
        prop_assert_eq!(first, Some(("/a/{b}", 3)));
    }
}
