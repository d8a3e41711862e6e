//! Parse stage, path-template grammar: `/zones/{zone_id}/dns_records` → literal parts and
//! `{parameters}`, with every problem collected.

use std::ops::Range;

use crate::diag::Severity;
use crate::ir::PathPart;

pub(super) struct ParsedPath {
    pub(super) parts: Vec<PathPart>,
    pub(super) params: Vec<String>,
    /// The text after `#` (`/oauth2/token#refresh`): not sent, it tells apart operations that
    /// share a method and path.
    pub(super) fragment: Option<String>,
    pub(super) problems: Vec<Problem>,
}

/// A problem at a byte range relative to what was parsed.
pub(super) struct Problem {
    pub(super) severity: Severity,
    pub(super) range: Range<usize>,
    pub(super) message: String,
    pub(super) help: Option<String>,
}

/// Splits a path template into literals and `{param}`s, which may sit mid-segment
/// (`/{scan_id}.png`, `/{a}.{b}`), and a `#fragment`. Collects every problem.
pub(super) fn parse_path(written: &str) -> ParsedPath {
    let (path, fragment) = match written.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (written, None),
    };
    let mut parsed = parse_template(path);
    if fragment == Some("") {
        parsed.problems.push(Problem {
            severity: Severity::Error,
            range: path.len()..written.len(),
            message: "an empty `#` fragment after the path".into(),
            help: Some(
                "name the operation after `#` (`/oauth2/token#refresh`) or remove the `#`".into(),
            ),
        });
    }
    if let Some(fragment) = fragment {
        let base = path.len() + 1;
        parsed
            .problems
            .extend(fragment_problems(fragment).into_iter().map(|p| Problem {
                range: base + p.range.start..base + p.range.end,
                ..p
            }));
        parsed.fragment = Some(fragment.to_owned());
    }
    parsed
}

/// What may follow `#`: text that names the operation, with no parameters.
fn fragment_problems(fragment: &str) -> Vec<Problem> {
    fragment
        .char_indices()
        .filter(|&(i, c)| {
            c == '{'
                || c == '}'
                || !(allowed_in_literal(c) || c == '?')
                || (c == '%' && !is_percent_escape(&fragment[i..]))
        })
        .map(|(i, c)| Problem {
            severity: Severity::Error,
            range: i..i + c.len_utf8(),
            message: format!("{} in the path's `#` fragment", describe_char(c)),
            help: Some(
                "a fragment names the operation (`#refresh`): letters, digits and URL punctuation, no `{parameters}`"
                    .into(),
            ),
        })
        .collect()
}

fn parse_template(path: &str) -> ParsedPath {
    let mut parts = Vec::new();
    let mut params: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    if !path.starts_with('/') {
        problems.push(Problem {
            severity: Severity::Error,
            range: 0..path.chars().next().map_or(0, char::len_utf8),
            message: format!("path `{path}` does not start with `/`"),
            help: Some("write the path from the API root, e.g. `/zones/{zone_id}`".into()),
        });
    }
    let mut literal_start = 0;
    let mut i = 0;
    while let Some(c) = path.get(i..).and_then(|s| s.chars().next()) {
        match c {
            '{' => {
                let after = i + 1;
                let rest = path.get(after..).unwrap_or("");
                let close = rest.find('}');
                let open = rest.find('{');
                match close {
                    Some(len) if !matches!(open, Some(o) if o < len) => {
                        if literal_start < i {
                            parts.push(PathPart::Literal(
                                path.get(literal_start..i).unwrap_or("").to_owned(),
                            ));
                        }
                        let name = rest.get(..len).unwrap_or("");
                        let range = i..after + len + 1;
                        if name.is_empty() {
                            problems.push(Problem {
                                severity: Severity::Error,
                                range: range.clone(),
                                message: "empty path parameter `{}`".into(),
                                help: Some("name the parameter: `{zone_id}`".into()),
                            });
                        } else if name.contains(|c: char| c == '/' || c.is_whitespace()) {
                            problems.push(Problem {
                                severity: Severity::Error,
                                range: range.clone(),
                                message: format!("invalid path parameter name `{name}`"),
                                help: Some("a parameter name has no `/` and no whitespace".into()),
                            });
                        } else if params.iter().any(|p| p == name) {
                            problems.push(Problem {
        severity: Severity::Warning,
                                range: range.clone(),
                                message: format!(
                                    "path parameter `{{{name}}}` appears more than once; every occurrence takes the same value"
                                ),
                                help: Some("use distinct names if the values can differ".into()),
                            });
                        } else {
                            params.push(name.to_owned());
                        }
                        parts.push(PathPart::Param(name.to_owned()));
                        i = range.end;
                        literal_start = i;
                        continue;
                    }
                    _ => problems.push(Problem {
                        severity: Severity::Error,
                        range: i..after,
                        message: "unbalanced `{` in path: no matching `}`".into(),
                        help: Some("close the parameter: `{name}`".into()),
                    }),
                }
            }
            '}' => problems.push(Problem {
                severity: Severity::Error,
                range: i..i + 1,
                message: "unbalanced `}` in path: no matching `{`".into(),
                help: Some("open the parameter: `{name}`".into()),
            }),
            '%' if !is_percent_escape(path.get(i..).unwrap_or("")) => problems.push(Problem {
                severity: Severity::Error,
                range: i..i + 1,
                message: "`%` in a path literal that does not start an escape like `%20`".into(),
                help: Some("write the character itself; the client percent-encodes paths".into()),
            }),
            _ if !allowed_in_literal(c) => problems.push(Problem {
                severity: Severity::Error,
                range: i..i + c.len_utf8(),
                message: format!("{} in the path template: a URL path cannot hold it", describe_char(c)),
                help: Some(match c {
                    '?' => "query parameters are not part of the path; an overlay's `### Parameters` table adds them".into(),
                    _ => "a path holds literal segments and `{parameters}` only".into(),
                }),
            }),
            _ => {}
        }
        i += c.len_utf8();
    }
    // `.` and `..` segments would be removed (or climb) when the URL is resolved, so the
    // request would not go where the docs say.
    let mut offset = 0;
    for segment in path.split('/') {
        if segment == "." || segment == ".." {
            problems.push(Problem {
                severity: Severity::Error,
                range: offset..offset + segment.len(),
                message: format!("a `{segment}` segment in the path template"),
                help: Some(
                    "URL resolution removes `.` and `..` segments: write the path they lead to"
                        .into(),
                ),
            });
        }
        offset += segment.len() + 1;
    }
    problems.sort_by_key(|p| p.range.start);
    if literal_start < path.len() {
        parts.push(PathPart::Literal(
            path.get(literal_start..).unwrap_or("").to_owned(),
        ));
    }
    ParsedPath {
        parts,
        params,
        fragment: None,
        problems,
    }
}

/// What a literal part may hold: RFC 3986 path characters (unreserved, sub-delims, `:`,
/// `@`, `/`, `%` escapes) and non-ASCII text, which the client percent-encodes.
fn allowed_in_literal(c: char) -> bool {
    !c.is_ascii() && !c.is_control() && !is_bidi_control(c)
        || c.is_ascii_alphanumeric()
        || "-._~!$&'()*+,;=:@/%".contains(c)
}

/// Characters that reorder text when displayed (e.g. U+202E): never silently in a path.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn is_percent_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[1].is_ascii_hexdigit() && b[2].is_ascii_hexdigit()
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        c if c.is_whitespace() || c.is_control() || is_bidi_control(c) => {
            format!("the character U+{:04X}", c as u32)
        }
        c => format!("`{c}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(s: &str) -> PathPart {
        PathPart::Literal(s.to_owned())
    }

    fn param(s: &str) -> PathPart {
        PathPart::Param(s.to_owned())
    }

    #[test]
    fn paths_split_mid_segment() {
        let p = parse_path("/x/{event_t}.{event_n}");
        assert!(p.problems.is_empty());
        assert_eq!(
            p.parts,
            vec![
                literal("/x/"),
                param("event_t"),
                literal("."),
                param("event_n")
            ]
        );
        assert_eq!(p.params, vec!["event_t", "event_n"]);
        let p = parse_path("/{scan_id}.png");
        assert_eq!(
            p.parts,
            vec![literal("/"), param("scan_id"), literal(".png")]
        );
    }

    #[test]
    fn literals_hold_url_path_characters_only() {
        let messages = |path: &str| -> Vec<String> {
            parse_path(path)
                .problems
                .into_iter()
                .map(|p| p.message)
                .collect()
        };
        assert_eq!(
            messages("/a-b_c.d~e/!$&'()*+,;=:@/%20/é"),
            Vec::<String>::new()
        );
        assert_eq!(
            messages("/a b?x/../c/./%zz"),
            [
                "a space in the path template: a URL path cannot hold it",
                "`?` in the path template: a URL path cannot hold it",
                "a `..` segment in the path template",
                "a `.` segment in the path template",
                "`%` in a path literal that does not start an escape like `%20`",
            ]
        );
        assert_eq!(
            messages("/x\u{202E}y"),
            ["the character U+202E in the path template: a URL path cannot hold it"]
        );
        assert_eq!(parse_path("/a/../b").problems[0].range, 3..5);
    }

    #[test]
    fn a_fragment_is_kept_apart_from_the_url_path() {
        let p = parse_path("/oauth2/{client}/token#refresh");
        assert!(p.problems.is_empty());
        assert_eq!(
            p.parts,
            vec![literal("/oauth2/"), param("client"), literal("/token")]
        );
        assert_eq!(p.fragment.as_deref(), Some("refresh"));
        assert_eq!(
            parse_path("/x#a/b?c=%20").fragment.as_deref(),
            Some("a/b?c=%20")
        );
        let problems = |path: &str| -> Vec<(String, std::ops::Range<usize>)> {
            parse_path(path)
                .problems
                .into_iter()
                .map(|p| (p.message, p.range))
                .collect()
        };
        assert_eq!(
            problems("/x#"),
            [("an empty `#` fragment after the path".to_owned(), 2..3)]
        );
        assert_eq!(
            problems("/x#a{b} c#"),
            [
                ("`{` in the path's `#` fragment".to_owned(), 4..5),
                ("`}` in the path's `#` fragment".to_owned(), 6..7),
                ("a space in the path's `#` fragment".to_owned(), 7..8),
                ("`#` in the path's `#` fragment".to_owned(), 9..10),
            ]
        );
    }

    #[test]
    fn path_problems_are_all_collected() {
        let p = parse_path("a/{x}/{x}/{}/{y/}z}");
        let messages: Vec<_> = p.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "path `a/{x}/{x}/{}/{y/}z}` does not start with `/`",
                "path parameter `{x}` appears more than once; every occurrence takes the same value",
                "empty path parameter `{}`",
                "invalid path parameter name `y/`",
                "unbalanced `}` in path: no matching `{`",
            ]
        );
        assert_eq!(parse_path("/{a").problems.len(), 1);
        assert_eq!(parse_path("/{a{b}").problems.len(), 1);
    }
}
