//! Foundation, rustdoc: doc text made safe for rustdoc (the planners keep it, the emitters
//! print it).
//!
//! Descriptions are Markdown written for a website, not for rustdoc. Left alone they break
//! `cargo doc -D warnings` and even `cargo test`: an unlabelled or indented code block is a
//! doctest, `[foo]` is an intra-doc link, a bare URL and an unclosed `<ul>` are lints. This
//! module rewrites only those spots, found with pulldown-cmark's event offsets, and keeps the
//! rest of the author's Markdown byte for byte.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The doc comment of an endpoint: the summary as the first paragraph, then the description.
pub fn endpoint_doc(summary: &str, description: &str) -> String {
    let summary = sanitize(summary.trim());
    // The parser keeps the first line's indentation (an indented code block stays one).
    let description = sanitize(description.trim_end());
    if description.trim().is_empty() {
        summary
    } else {
        format!("{summary}\n\n{description}")
    }
}

/// Rustdoc-safe Markdown for `markdown`.
pub fn sanitize(markdown: &str) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut link_depth = 0usize;
    let mut in_code_block = false;
    // Open links: the link's range, and whether it is dropped for text (with where its text
    // ends so far).
    let mut links: Vec<(Range<usize>, Option<usize>)> = Vec::new();
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut events = parser.into_offset_iter();
    for (event, range) in events.by_ref() {
        if let Some((_, Some(text_end))) = links.last_mut()
            && !matches!(event, Event::End(TagEnd::Link))
        {
            *text_end = (*text_end).max(range.end);
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code_block = true;
                edits.push(code_block_edit(markdown, &range, &kind));
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Link { dest_url, .. }) if !is_web_link(&dest_url) => {
                // Not a web address (`ref:pagination`, `Foo`): rustdoc would resolve it as an
                // intra-doc link and fail. The link's text stays, as plain text.
                links.push((range.clone(), Some(range.start)));
            }
            Event::Start(Tag::Link { .. }) => {
                links.push((range.clone(), None));
                link_depth += 1;
            }
            Event::Start(Tag::Image { .. }) => link_depth += 1,
            Event::End(TagEnd::Link) => match links.pop() {
                Some((link, Some(text_end))) => edits.extend(unlink(markdown, &link, text_end)),
                _ => link_depth = link_depth.saturating_sub(1),
            },
            Event::End(TagEnd::Image) => link_depth = link_depth.saturating_sub(1),
            Event::Html(_) | Event::InlineHtml(_) if !in_code_block => {
                edits.push((range.clone(), html_as_text(&markdown[range])));
            }
            Event::Text(_) if !in_code_block => {
                let escaped = escape_text(&markdown[range.clone()], link_depth > 0);
                if escaped != markdown[range.clone()] {
                    edits.push((range, escaped));
                }
            }
            _ => {}
        }
    }
    // A definition (`[guide]: ref:guides`) whose links became text goes too: rustdoc resolves
    // its destination as an intra-doc link even when nothing uses it.
    for (_, def) in events.reference_definitions().iter() {
        if !is_web_link(&def.dest) {
            edits.push((def.span.clone(), String::new()));
        }
    }
    apply(markdown, edits)
}

/// Whether a link's destination is an address a reader can follow from the crate's docs, which
/// rustdoc leaves alone: a URL with a scheme and `//` (`https://…`) or a `mailto:`, or an
/// anchor (`#section`).
fn is_web_link(dest: &str) -> bool {
    let scheme_len = dest
        .find(':')
        .filter(|&i| {
            i > 0
                && dest[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
        .unwrap_or(0);
    (scheme_len > 0 && dest[scheme_len + 1..].starts_with("//"))
        || dest.starts_with("mailto:")
        || dest.starts_with('#')
}

/// The edits that turn the link at `link` into its text, which ends at `text_end`: the opening
/// `[` (or `<` of an autolink) and everything from the text's end to the link's end (`](dest)`,
/// `][label]`, `>`) go. The text itself is escaped by its own events, as text outside a link.
fn unlink(src: &str, link: &Range<usize>, text_end: usize) -> Vec<(Range<usize>, String)> {
    let open = match src[link.clone()].chars().next() {
        Some(c @ ('[' | '<')) => link.start..link.start + c.len_utf8(),
        _ => return Vec::new(),
    };
    let tail = text_end.max(open.end)..link.end;
    vec![(open, String::new()), (tail, String::new())]
}

/// Fenced blocks keep a non-Rust language tag and get `text` otherwise; indented blocks
/// (always Rust to rustdoc) become fenced `text` blocks.
fn code_block_edit(
    src: &str,
    range: &Range<usize>,
    kind: &CodeBlockKind<'_>,
) -> (Range<usize>, String) {
    let block = &src[range.clone()];
    match kind {
        CodeBlockKind::Fenced(info) => {
            let first_line_end = block.find('\n').unwrap_or(block.len());
            let first_line = &block[..first_line_end];
            let fence_len = first_line
                .trim_start()
                .chars()
                .take_while(|&c| c == '`' || c == '~')
                .count();
            let indent = first_line.len() - first_line.trim_start().len();
            let fence = &first_line[indent..indent + fence_len];
            let lang = info.split_whitespace().next().unwrap_or("");
            let keep = !lang.is_empty()
                && lang
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '+')
                && !is_rust_marker(lang);
            let new_info = if keep { lang } else { "text" };
            let start = range.start;
            (
                start..start + first_line_end,
                format!("{}{fence}{new_info}", &first_line[..indent]),
            )
        }
        CodeBlockKind::Indented => {
            // The reported range starts after the first line's indentation; take whole lines.
            let start = src[..range.start].rfind('\n').map_or(0, |i| i + 1);
            let block = &src[start..range.end];
            let body: String = block
                .lines()
                .map(|line| {
                    line.strip_prefix("    ")
                        .or_else(|| line.strip_prefix('\t'))
                        .unwrap_or(line)
                })
                .collect::<Vec<_>>()
                .join("\n");
            (
                start..range.end,
                format!("```text\n{}\n```\n", body.trim_end()),
            )
        }
    }
}

/// Info-string words that make rustdoc compile a block as Rust: its attributes
/// (`ignore-wasm32` and any other `ignore-<target>`, `edition2021`, error codes like `E0277`),
/// alone or in a comma-separated list.
fn is_rust_marker(lang: &str) -> bool {
    lang.split(',').map(str::trim).any(|word| {
        matches!(
            word,
            "rust"
                | "ignore"
                | "should_panic"
                | "no_run"
                | "compile_fail"
                | "test_harness"
                | "standalone_crate"
        ) || word.starts_with("ignore-")
            || word.starts_with("edition")
            || (word.len() == 5
                && word.starts_with('E')
                && word[1..].bytes().all(|b| b.is_ascii_digit()))
    })
}

/// `text` on one line with nothing rustc or rustdoc would trip on: line breaks, other control
/// characters and text-direction controls are written as visible escapes (`\n`, `\u{202E}`).
/// For values shown verbatim in docs (JSON keys, enum values, file names).
pub fn inline_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_direction_control(c) => {
                out.push_str(&format!("\\u{{{:04X}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// One line of a doc comment made safe to emit: tabs are expanded to spaces at Markdown's
/// tab stops (every 4 columns, so the text means the same to rustdoc; clippy denies
/// `tabs_in_doc_comments`); a lone carriage return (rustc rejects a bare CR in a doc
/// comment) becomes a space; other control characters and text-direction controls (denied
/// by rustc's `text_direction_codepoint_in_comment`) become visible escapes.
pub fn comment_line(line: &str) -> String {
    if !line
        .chars()
        .any(|c| c.is_control() || is_direction_control(c))
    {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut column = 0usize;
    for c in line.chars() {
        match c {
            '\t' => {
                let width = 4 - column % 4;
                out.extend(std::iter::repeat_n(' ', width));
                column += width;
                continue;
            }
            '\r' => out.push(' '),
            c if c.is_control() || is_direction_control(c) => {
                out.push_str(&format!("\\u{{{:04X}}}", c as u32))
            }
            c => out.push(c),
        }
        column += 1;
    }
    out
}

/// A title or other one-line text as rustdoc-safe Markdown on one line.
pub fn inline_text(text: &str) -> String {
    let one_line: String = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    sanitize(&one_line)
}

/// Characters that reorder displayed text (U+202A–U+202E, U+2066–U+2069, marks).
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Formatting tags (`<br />`, `<ul><li>`, `<b>`…) are dropped, leaving their text; any other
/// tag is shown, not interpreted: one unclosed or unknown tag would fail
/// `rustdoc::invalid_html_tags`, and `<account_id>` in prose is a placeholder, not markup.
fn html_as_text(html: &str) -> String {
    let compact: String = html
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let name = compact
        .trim_start_matches('<')
        .trim_start_matches('/')
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    let is_single_tag =
        compact.starts_with('<') && compact.ends_with('>') && compact.matches('<').count() == 1;
    if is_single_tag && FORMATTING_TAGS.contains(&name) {
        return " ".to_owned();
    }
    // Shown as text, so it is escaped as text is: angle brackets, brackets (`[Foo]` would be
    // an intra-doc link) and bare URLs (rustdoc::bare_urls).
    escape_text(&html.replace('&', "&amp;"), false)
}

const FORMATTING_TAGS: &[&str] = &[
    "a", "b", "br", "code", "div", "em", "i", "li", "ol", "p", "pre", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
];

/// Escapes brackets (not intra-doc links) and angle brackets, and wraps bare URLs in `<…>` (rustdoc::bare_urls).
fn escape_text(text: &str, inside_link: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while !rest.is_empty() {
        let url_at = if inside_link { None } else { find_url(rest) };
        let (plain, tail) = match url_at {
            Some(start) => rest.split_at(start),
            None => (rest, ""),
        };
        let mut prev = out.chars().last();
        for c in plain.chars() {
            match c {
                '[' | ']' if prev != Some('\\') => {
                    out.push('\\');
                    out.push(c);
                }
                // Text like `<zone_id>` is not HTML to CommonMark but looks like a tag to
                // rustdoc's HTML lint.
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
            prev = Some(c);
        }
        if tail.is_empty() {
            break;
        }
        let end = tail
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']' | '(' | ')')
            })
            .unwrap_or(tail.len());
        // A sentence's final punctuation is not part of the URL.
        let url = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &tail[url.len()..];
    }
    out
}

fn find_url(text: &str) -> Option<usize> {
    ["https://", "http://"]
        .iter()
        .filter_map(|p| text.find(p))
        .min()
}

fn apply(src: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(src.len() + 64);
    let mut at = 0;
    for (range, replacement) in edits {
        // Events never overlap except a block's fence line and its own content, which the
        // parser reports in order; skip anything already covered.
        if range.start < at {
            continue;
        }
        out.push_str(&src[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&src[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlabelled_fences_become_text_and_json_stays() {
        let doc = sanitize("Example:\n\n```\nfoo()\n```\n\n```json\n{\"a\": [1]}\n```\n");
        assert_eq!(
            doc,
            "Example:\n\n```text\nfoo()\n```\n\n```json\n{\"a\": [1]}\n```\n"
        );
    }

    #[test]
    fn indented_blocks_become_fenced_text() {
        let doc = sanitize("Run:\n\n    curl x\n    y\n\nDone.");
        assert_eq!(doc, "Run:\n\n```text\ncurl x\ny\n```\n\nDone.");
    }

    #[test]
    fn html_brackets_and_urls() {
        let doc = sanitize(
            "A <br /> B <ul><li>x</li></ul> <zone_id> see [docs] at https://example.com/a.",
        );
        assert_eq!(
            doc,
            "A   B   x   &lt;zone_id&gt; see \\[docs\\] at <https://example.com/a>."
        );
    }

    #[test]
    fn fences_rustdoc_would_compile_become_text() {
        for info in [
            "ignore-wasm32",
            "rust,ignore",
            "edition2021",
            "E0277",
            "no_run",
            "sh,should_panic",
        ] {
            let doc = sanitize(&format!("```{info}\nx\n```\n"));
            assert_eq!(doc, "```text\nx\n```\n", "{info}");
        }
        assert_eq!(sanitize("```sh\nx\n```\n"), "```sh\nx\n```\n");
    }

    #[test]
    fn brackets_in_html_shown_as_text_are_text() {
        assert_eq!(sanitize("<p>[Foo] x</p>"), "&lt;p&gt;\\[Foo\\] x&lt;/p&gt;");
        assert_eq!(sanitize("a <div> [Foo] <div> b"), "a   \\[Foo\\]   b");
        assert_eq!(
            sanitize("<p>see https://example.com/x</p>"),
            "&lt;p&gt;see <https://example.com/x>&lt;/p&gt;"
        );
    }

    #[test]
    fn literals_and_comment_lines_are_one_safe_line() {
        assert_eq!(inline_literal("a\n```\nb\u{202E}"), "a\\n```\\nb\\u{202E}");
        assert_eq!(comment_line("a\rb\u{2066}c"), "a b\\u{2066}c");
        assert_eq!(comment_line("plain"), "plain");
        // Tabs become spaces up to the next multiple of 4 columns, as Markdown reads them.
        assert_eq!(comment_line("\t- a"), "    - a");
        assert_eq!(comment_line("ab\tc\t\td"), "ab  c       d");
        assert_eq!(inline_text("[Foo] <div> x"), "\\[Foo\\]   x");
    }

    #[test]
    fn links_that_are_not_web_addresses_become_their_text() {
        // rustdoc would resolve these as intra-doc links: `ref:` is an unknown disambiguator.
        assert_eq!(
            sanitize(
                "See [pagination](ref:pagination) and [*the* `a[0]` guide][g].\n\n[g]: Guide\n"
            ),
            "See pagination and *the* `a[0]` guide.\n\n\n"
        );
        assert_eq!(sanitize("Mail <ref:x> or [](Foo)."), "Mail ref:x or .");
        // Text that was a link's is escaped as plain text: a URL in it is wrapped.
        assert_eq!(
            sanitize("[see https://example.com [1]](Foo)"),
            "see <https://example.com> \\[1\\]"
        );
    }

    #[test]
    fn real_links_are_kept() {
        for doc in [
            "[a](https://example.com/x) [b](mailto:x@example.com) [c](#section) <https://e.com>",
            "[a](HTTP://example.com)",
            "[a][w] and [w]\n\n[w]: https://example.com/x\n",
        ] {
            assert_eq!(sanitize(doc), doc);
        }
        let doc = sanitize("See [the docs](https://example.com) and `a[0]`.");
        assert_eq!(doc, "See [the docs](https://example.com) and `a[0]`.");
    }
}
