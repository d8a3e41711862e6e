//! Parse stage, path-template grammar: `/zones/{zone_id}/dns_records` → literal parts and
//! `{parameters}`, with every problem collected.

use std::ops::Range;

use crate::diag::Severity;
use crate::ir::PathPart;

pub(super) struct ParsedPath {
    pub(super) parts: Vec<PathPart>,
    pub(super) params: Vec<String>,
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
/// (`/{scan_id}.png`, `/{a}.{b}`). Collects every problem.
pub(super) fn parse_path(path: &str) -> ParsedPath {
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
            _ => {}
        }
        i += c.len_utf8();
    }
    if literal_start < path.len() {
        parts.push(PathPart::Literal(
            path.get(literal_start..).unwrap_or("").to_owned(),
        ));
    }
    ParsedPath {
        parts,
        params,
        problems,
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
