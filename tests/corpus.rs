//! The parser over the whole Cloudflare corpus, `priv/docs`: no errors, and exactly one
//! endpoint per `**METHOD** `` line, counted independently of the parser.

use std::collections::BTreeMap;

use codegen::diag::{self, Severity};
use codegen::parse;

mod support;

use support::corpus;

/// Lines of the form `**METHOD** `...``, by a plain line scan: any run of upper-case ASCII
/// letters between the stars, so the count does not share the parser's list of methods.
fn count_method_lines(text: &str) -> usize {
    text.lines()
        .filter(|line| {
            let Some(rest) = line.strip_prefix("**") else {
                return false;
            };
            let letters = rest.bytes().take_while(u8::is_ascii_uppercase).count();
            letters > 0 && rest.get(letters..).is_some_and(|r| r.starts_with("** `"))
        })
        .count()
}

/// A warning's kind: its message with the variable parts (between backticks, numbers)
/// blanked out.
fn kind(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("`…`");
        } else {
            out.extend(
                part.chars()
                    .map(|c| if c.is_ascii_digit() { 'N' } else { c }),
            );
        }
    }
    out
}

#[test]
fn corpus_parses_without_errors_into_one_endpoint_per_method_line() {
    let sources = corpus();
    // The upstream commit priv/UPSTREAM.md names (a refresh prints the new count).
    assert_eq!(sources.len(), 426, "doc files in priv/docs");

    let (api, diags) = parse::parse_api(&sources);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        diag::render(&errors[..errors.len().min(20)], &sources)
    );

    assert_eq!(api.docs.len(), sources.len(), "every file yields a doc");
    let expected: usize = sources
        .iter()
        .map(|(_, text)| count_method_lines(text))
        .sum();
    let endpoints: usize = api.docs.iter().map(|d| d.endpoints.len()).sum();
    for ((file, text), doc) in sources.iter().zip(&api.docs) {
        assert_eq!(&doc.file, file);
        assert_eq!(
            doc.endpoints.len(),
            count_method_lines(text),
            "endpoints in {file}"
        );
    }
    assert_eq!(endpoints, expected);

    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    for d in diags.iter().filter(|d| d.severity == Severity::Warning) {
        *warnings.entry(kind(&d.message)).or_default() += 1;
    }
    let responses: usize = api
        .docs
        .iter()
        .flat_map(|d| &d.endpoints)
        .map(|e| e.responses.len())
        .sum();
    println!(
        "{} files, {endpoints} endpoints, {responses} responses, {} warnings",
        sources.len(),
        diags.len()
    );
    for (kind, n) in &warnings {
        println!("  {n:5} × {kind}");
    }
}

#[test]
fn method_line_count_is_a_plain_line_scan() {
    let text = "**GET** `/a`\n **GET** `/b`\n**get** `/c`\n**PURGE** `/d`\n**GET**`/e`\n```\n**PUT** `/f`\n```\n";
    // The indented, lower-case and unspaced lines do not count; fences are not understood.
    assert_eq!(count_method_lines(text), 3);
}
