//! The mock, checking: which documented endpoint a request is for, and whether it is what
//! that endpoint's documentation asks for.

use super::shape;
use super::spec::{Body, CODE_INVALID, CODE_NO_ROUTE, Endpoint, Param, ParamKind};

/// Why a request is refused: its status, and a message naming what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Refusal {
    pub status: u16,
    pub code: i64,
    pub message: String,
    /// A JSON pointer into the body, or a parameter's name, for the error's `source`.
    pub source: Option<Source>,
}

/// What part of the request a refusal is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Source {
    Pointer(String),
    Parameter(String),
}

/// The endpoints among `endpoints` that `method` and `path` (below the base path, still
/// percent-encoded) call: of those whose template matches, the most literal, segment by
/// segment (`/dns_records/export` over `/dns_records/{id}`, `/scans/{id}.png` over
/// `/scans/{id}`); more than one, in order, only where two docs document the same route. A
/// path no template matches is a 404; one that matches only for other methods, a 405.
pub(super) fn route<'e>(
    endpoints: &[&'e Endpoint],
    method: &str,
    path: &str,
) -> Result<Vec<&'e Endpoint>, Refusal> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut best: Option<(Vec<Literal>, Vec<&'e Endpoint>)> = None;
    let mut other_method = false;
    for endpoint in endpoints {
        let Some(literal) = matches(endpoint.template, &segments) else {
            continue;
        };
        if !endpoint.method.eq_ignore_ascii_case(method) {
            other_method = true;
            continue;
        }
        match &mut best {
            Some((rank, tied)) if literal == *rank => tied.push(endpoint),
            Some((rank, _)) if literal < *rank => {}
            _ => best = Some((literal, vec![endpoint])),
        }
    }
    match best {
        Some((_, endpoints)) => Ok(endpoints),
        None if other_method => Err(Refusal {
            status: 405,
            code: CODE_NO_ROUTE,
            message: format!("Method {method} is not documented for {path}"),
            source: None,
        }),
        None => Err(Refusal {
            status: 404,
            code: CODE_NO_ROUTE,
            message: format!("No route for the URI: {method} {path}"),
            source: None,
        }),
    }
}

/// How literal a template segment is, the ranking key: a parameter, parameters with literal
/// text around or between them (`{id}.png`, `{name}.{ext}`, ranked by that text's length), or
/// literal text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Literal {
    Param,
    Affixed(usize),
    Text,
}

/// For a template matching `segments`, how literal each of its segments is; `None` if it
/// does not match. Each parameter matches a non-empty value; the literal text of its segment
/// must be there too.
fn matches(template: &str, segments: &[&str]) -> Option<Vec<Literal>> {
    let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut literal = Vec::with_capacity(parts.len());
    for (part, segment) in parts.iter().zip(segments) {
        let pieces = pieces(part);
        if !fits(&pieces, segment) {
            return None;
        }
        let text: usize = pieces.iter().map(|p| p.map_or(0, str::len)).sum();
        literal.push(match (pieces.iter().any(Option::is_none), text) {
            (false, _) => Literal::Text,
            (true, 0) => Literal::Param,
            (true, text) => Literal::Affixed(text),
        });
    }
    Some(literal)
}

/// A template segment as literal text (`Some`) and parameters (`None`), in order.
fn pieces(part: &str) -> Vec<Option<&str>> {
    let mut pieces = Vec::new();
    let mut rest = part;
    while let Some((before, after)) = rest.split_once('{') {
        let Some((_, after)) = after.split_once('}') else {
            break;
        };
        if !before.is_empty() {
            pieces.push(Some(before));
        }
        pieces.push(None);
        rest = after;
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(Some(rest));
    }
    pieces
}

/// Whether `segment` reads as `pieces`: each literal where it stands, each parameter
/// non-empty (the shortest value that lets the rest fit, as the docs' `{name}.{ext}` reads).
fn fits(pieces: &[Option<&str>], segment: &str) -> bool {
    match pieces.split_first() {
        None => segment.is_empty(),
        Some((Some(text), rest)) => segment
            .strip_prefix(text)
            .is_some_and(|after| fits(rest, after)),
        Some((None, [])) => !segment.is_empty(),
        Some((None, rest)) => segment
            .char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .any(|i| fits(rest, &segment[i..])),
    }
}

/// What a request carries besides its path: its query pairs (decoded), its headers (names in
/// lower case), its `Content-Type` and its body.
pub(super) struct Sent<'r> {
    pub query: &'r [(String, String)],
    pub headers: &'r [(String, String)],
    pub content_type: Option<&'r str>,
    pub body: &'r [u8],
}

/// Checks the query pairs, the headers and the body of a request to `endpoint`.
pub(super) fn request(endpoint: &Endpoint, sent: &Sent<'_>) -> Result<(), Refusal> {
    parameters("query parameter", endpoint.query, sent.query, str::eq)?;
    parameters("header", endpoint.headers, sent.headers, |a, b| {
        a.eq_ignore_ascii_case(b)
    })?;
    let (content_type, body) = (sent.content_type, sent.body);
    let media_type = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase());
    match endpoint.body {
        Body::None | Body::Raw => Ok(()),
        Body::Multipart if media_type.as_deref() == Some("multipart/form-data") => Ok(()),
        Body::Multipart => Err(invalid_body(
            "",
            "the body must be multipart/form-data".to_owned(),
        )),
        Body::Json(shape) => {
            if media_type.as_deref() != Some("application/json") {
                return Err(invalid_body(
                    "",
                    format!(
                        "the body must be JSON (Content-Type: application/json), not {}",
                        content_type.unwrap_or("absent")
                    ),
                ));
            }
            let value: serde_json::Value = serde_json::from_slice(body)
                .map_err(|e| invalid_body("", format!("the body is not JSON: {e}")))?;
            match shape::mismatch(&shape, &value, "") {
                Some(found) => Err(invalid_body(&found.pointer, found.message)),
                None => Ok(()),
            }
        }
    }
}

/// Checks the `documented` parameters (`what`: query parameters or headers) among the `sent`
/// pairs, names compared by `same`: each required one there, each value of its kind.
fn parameters(
    what: &str,
    documented: &[Param],
    sent: &[(String, String)],
    same: impl Fn(&str, &str) -> bool,
) -> Result<(), Refusal> {
    for param in documented {
        let values: Vec<&str> = sent
            .iter()
            .filter(|(name, _)| same(name, param.name))
            .map(|(_, value)| value.as_str())
            .collect();
        if values.is_empty() && param.required {
            return Err(invalid_parameter(
                param,
                format!("the required {what} `{}` is missing", param.name),
            ));
        }
        for value in values {
            if let Some(expected) = misread(param.kind, value) {
                return Err(invalid_parameter(
                    param,
                    format!(
                        "the {what} `{}` must be {expected}, not `{value}`",
                        param.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// What `value` should have read as, if it does not read as `kind`.
fn misread(kind: ParamKind, value: &str) -> Option<String> {
    let fits = match kind {
        ParamKind::Text | ParamKind::Any => true,
        ParamKind::Integer => value.parse::<i64>().is_ok(),
        ParamKind::Number => value.parse::<f64>().is_ok_and(f64::is_finite),
        ParamKind::Boolean => matches!(value, "true" | "false"),
        ParamKind::OneOf(values) => values.contains(&value),
    };
    if fits {
        return None;
    }
    Some(match kind {
        ParamKind::Integer => "an integer".to_owned(),
        ParamKind::Number => "a number".to_owned(),
        ParamKind::Boolean => "`true` or `false`".to_owned(),
        ParamKind::OneOf(values) => format!("one of `{}`", values.join("`, `")),
        ParamKind::Text | ParamKind::Any => "text".to_owned(),
    })
}

fn invalid_parameter(param: &Param, message: String) -> Refusal {
    Refusal {
        status: 400,
        code: CODE_INVALID,
        message,
        source: Some(Source::Parameter(param.name.to_owned())),
    }
}

fn invalid_body(pointer: &str, message: String) -> Refusal {
    Refusal {
        status: 400,
        code: CODE_INVALID,
        message,
        source: Some(Source::Pointer(pointer.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn endpoint(method: &'static str, template: &'static str) -> Endpoint {
        Endpoint::bare(template, method, template)
    }

    #[test]
    fn the_most_literal_template_wins_and_other_methods_are_405() {
        static EXPORT: Endpoint = endpoint("GET", "/zones/{zone_id}/dns_records/export");
        static ONE: Endpoint = endpoint("GET", "/zones/{zone_id}/dns_records/{id}");
        static DELETE: Endpoint = endpoint("DELETE", "/zones/{zone_id}/dns_records/{id}");
        let all = [&ONE, &EXPORT, &DELETE];
        let found = |method, path| route(&all, method, path).map(|e| (e[0].method, e[0].template));
        assert_eq!(
            found("GET", "/zones/z/dns_records/export"),
            Ok(("GET", EXPORT.template))
        );
        assert_eq!(
            found("GET", "/zones/z/dns_records/r1"),
            Ok(("GET", ONE.template))
        );
        assert_eq!(
            found("DELETE", "/zones/z/dns_records/export"),
            Ok(("DELETE", DELETE.template))
        );
        assert_eq!(
            found("POST", "/zones/z/dns_records/r1").map_err(|r| r.status),
            Err(405)
        );
        assert_eq!(
            found("GET", "/zones/z/dns_records").map_err(|r| r.status),
            Err(404)
        );
        // An empty segment is no parameter value.
        assert_eq!(
            found("GET", "/zones//dns_records/r1").map_err(|r| r.status),
            Err(404)
        );
    }

    #[test]
    fn a_route_two_docs_document_gives_both_in_order() {
        static FIRST: Endpoint = Endpoint::bare("a::put", "PUT", "/e0");
        static SECOND: Endpoint = Endpoint::bare("b::put", "PUT", "/e0");
        static ANY: Endpoint = endpoint("PUT", "/{name}");
        let names = |all: &[&'static Endpoint]| {
            route(all, "PUT", "/e0").map(|e| e.iter().map(|e| e.name).collect::<Vec<_>>())
        };
        assert_eq!(
            names(&[&ANY, &FIRST, &SECOND]),
            Ok(vec!["a::put", "b::put"])
        );
        assert_eq!(
            names(&[&SECOND, &ANY, &FIRST]),
            Ok(vec!["b::put", "a::put"])
        );
    }

    #[test]
    fn a_parameter_with_text_around_it_matches_that_text_and_ranks_above_a_bare_one() {
        static PNG: Endpoint = endpoint("GET", "/scans/{scan_id}.png");
        static ANY: Endpoint = endpoint("GET", "/scans/{scan_id}");
        let all = [&ANY, &PNG];
        let found = |path| route(&all, "GET", path).map(|e| e[0].template);
        assert_eq!(found("/scans/s1.png"), Ok(PNG.template));
        assert_eq!(found("/scans/s1.json"), Ok(ANY.template));
        // The parameter's value may not be empty.
        assert_eq!(found("/scans/.png"), Ok(ANY.template));
        // Two parameters in one segment, text between them.
        static PAIR: Endpoint = endpoint("GET", "/events/{kind}.{n}");
        let pair = [&PAIR];
        assert_eq!(
            route(&pair, "GET", "/events/login.2").map(|e| e[0].template),
            Ok(PAIR.template)
        );
        assert_eq!(
            route(&pair, "GET", "/events/a.b.c").map(|e| e[0].template),
            Ok(PAIR.template)
        );
        for missing in ["/events/login", "/events/.2", "/events/login."] {
            assert_eq!(
                route(&pair, "GET", missing).map_err(|r| r.status),
                Err(404),
                "{missing}"
            );
        }
        let only_png = [&PNG];
        assert_eq!(
            route(&only_png, "GET", "/scans/.png").map_err(|r| r.status),
            Err(404)
        );
    }

    #[test]
    fn values_are_read_as_their_kind() {
        assert_eq!(misread(ParamKind::Integer, "25"), None);
        assert_eq!(
            misread(ParamKind::Integer, "2.5").as_deref(),
            Some("an integer")
        );
        assert_eq!(misread(ParamKind::Number, "2.5"), None);
        assert_eq!(
            misread(ParamKind::Number, "NaN").as_deref(),
            Some("a number")
        );
        assert_eq!(
            misread(ParamKind::Boolean, "yes").as_deref(),
            Some("`true` or `false`")
        );
        assert_eq!(
            misread(ParamKind::OneOf(&["asc", "desc"]), "up").as_deref(),
            Some("one of `asc`, `desc`")
        );
        assert_eq!(misread(ParamKind::Text, "anything"), None);
    }
}
