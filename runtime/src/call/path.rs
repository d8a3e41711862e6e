//! Building request URLs from path templates, with every parameter encoded
//! as exactly one path segment.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use crate::error::Error;

/// A path, or one piece of it: generated code passes the whole template,
/// `[Template("/accounts/{account_id}/audit_logs", &[id])]`; the same path in pieces is
/// `[Lit("/accounts/"), Param("account_id", id), Lit("/audit_logs")]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPart<'a> {
    /// Literal text of the template, used verbatim.
    Lit(&'static str),
    /// A parameter: its wire name in the template and the caller's value.
    Param(&'static str, &'a str),
    /// A whole template: its literal text used verbatim, each `{name}` replaced, in order,
    /// by the next value (encoded as one segment, as a [`Param`](PathPart::Param) is). A
    /// value missing or left over is an [`Error::InvalidRequest`].
    Template(&'static str, &'a [&'a str]),
}

/// Everything except the RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, so `/`, `?`, `#`, `%`,
/// spaces and non-ASCII text can never change the route.
pub const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes `value` as exactly one path segment.
///
/// Fails for the values that no encoding can keep a single, literal segment:
/// the empty string and the dot segments `.` and `..` (URL parsers resolve
/// those, encoded or not, and so would change the route).
pub fn encode_segment(name: &str, value: &str) -> Result<String, Error> {
    let reason = match value {
        "" => "an empty value would not be a path segment",
        "." | ".." => "a dot segment would be resolved by URL parsers and change the route",
        _ => return Ok(utf8_percent_encode(value, SEGMENT).to_string()),
    };
    Err(Error::InvalidPathParam {
        name: name.to_owned(),
        value: value.to_owned(),
        reason,
    })
}

/// The path of a template with its parameters encoded, e.g.
/// `/accounts/abc%2Fdef/audit_logs`, or the first invalid parameter.
pub fn render(parts: &[PathPart<'_>]) -> Result<String, Error> {
    let mut out = String::new();
    for part in parts {
        match part {
            PathPart::Lit(text) => out.push_str(text),
            PathPart::Param(name, value) => out.push_str(&encode_segment(name, value)?),
            PathPart::Template(template, values) => fill(template, values, &mut out)?,
        }
    }
    Ok(out)
}

/// Appends `template` to `out` with each `{name}` replaced by the next of `values`.
fn fill(template: &str, values: &[&str], out: &mut String) -> Result<(), Error> {
    let mut values = values.iter();
    each_piece(template, |piece| {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Param(name) => {
                let Some(value) = values.next() else {
                    return Err(Error::InvalidRequest {
                        message: format!("no value for path parameter `{name}` of {template:?}"),
                    });
                };
                out.push_str(&encode_segment(name, value)?);
            }
        }
        Ok(())
    })?;
    match values.len() {
        0 => Ok(()),
        more => Err(Error::InvalidRequest {
            message: format!("{more} path value(s) more than the parameters of {template:?}"),
        }),
    }
}

/// A piece of a path template: literal text, or the name of a `{name}` parameter.
enum Piece<'t> {
    Text(&'t str),
    Param(&'t str),
}

/// Calls `each` with every piece of `template`, in order: the one reading of a template,
/// generated (`PathPart::Template`) or given at run time ([`render_template`]). A brace
/// without its pair, an empty name or a `{` inside one is an [`Error::InvalidRequest`].
fn each_piece<'t>(
    template: &'t str,
    mut each: impl FnMut(Piece<'t>) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut rest = template;
    while !rest.is_empty() {
        let literal_end = rest.find(['{', '}']).unwrap_or(rest.len());
        if literal_end > 0 {
            each(Piece::Text(&rest[..literal_end]))?;
        }
        rest = &rest[literal_end..];
        if rest.is_empty() {
            break;
        }
        let close = match (rest.starts_with('{'), rest.find('}')) {
            (true, Some(close)) if !rest[1..close].contains('{') && close > 1 => close,
            _ => {
                return Err(Error::InvalidRequest {
                    message: format!("path template {template:?} has an unmatched brace"),
                });
            }
        };
        each(Piece::Param(&rest[1..close]))?;
        rest = &rest[close + 1..];
    }
    Ok(())
}

/// The route template, e.g. `/accounts/{account_id}/audit_logs`: what the
/// client logs, as it carries no caller data.
pub fn template(parts: &[PathPart<'_>]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            PathPart::Lit(text) => out.push_str(text),
            PathPart::Param(name, _) => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
            PathPart::Template(template, _) => out.push_str(template),
        }
    }
    out
}

/// What may stay as it is in the literal text of a path template given at
/// run time: the unreserved characters, `/`, `%` (text already encoded) and
/// the sub-delimiters, `:` and `@` that RFC 3986 allows in a path; anything
/// else (spaces, non-ASCII text, quotes) is percent-encoded.
const LITERAL: &AsciiSet = &SEGMENT
    .remove(b'/')
    .remove(b'%')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Renders a path template given at run time, such as
/// `/zones/{zone_id}/dns_records`, with `params` (name, value): each
/// `{name}` becomes its value encoded as one path segment (see
/// [`encode_segment`]). Returns the path and the template (with a leading
/// `/`, what the client logs).
///
/// Fails, as [`Error::InvalidRequest`] or [`Error::InvalidPathParam`], for a
/// `{name}` without a value, a value whose name is not in the template, an
/// unclosed `{`, a `?` or `#` in the template (the query has builder methods
/// of its own), and a literal `.` or `..` segment.
pub fn render_template(template: &str, params: &[(&str, &str)]) -> Result<(String, String), Error> {
    let invalid = |message: String| Error::InvalidRequest { message };
    let route = if template.starts_with('/') {
        template.to_owned()
    } else {
        format!("/{template}")
    };
    if route.contains(['?', '#']) {
        return Err(invalid(format!(
            "path template {route:?} has a query or fragment: add the query with `.query(..)`"
        )));
    }
    let dot = |segment: &str| {
        matches!(
            segment.replace("%2e", ".").replace("%2E", ".").as_str(),
            "." | ".."
        )
    };
    if route.split('/').any(dot) {
        return Err(invalid(format!(
            "path template {route:?} has a dot segment, which URL parsers resolve"
        )));
    }
    let mut used = vec![false; params.len()];
    let mut path = String::with_capacity(route.len());
    each_piece(&route, |piece| {
        match piece {
            Piece::Text(text) => path.extend(utf8_percent_encode(text, LITERAL)),
            Piece::Param(name) => {
                let Some(i) = params.iter().position(|(n, _)| *n == name) else {
                    return Err(invalid(format!(
                        "no value for path parameter `{name}` of {route:?}"
                    )));
                };
                used[i] = true;
                path.push_str(&encode_segment(name, params[i].1)?);
            }
        }
        Ok(())
    })?;
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(invalid(format!(
            "path parameter `{}` is not in the template {route:?}",
            params[i].0
        )));
    }
    Ok((path, route))
}

/// Checks a base URL: absolute `http` or `https`, with a host, no
/// credentials, query or fragment. A trailing `/` is removed.
pub fn parse_base_url(raw: &str) -> Result<Url, Error> {
    let invalid = |reason: &str| Error::InvalidBaseUrl {
        url: raw.to_owned(),
        reason: reason.to_owned(),
    };
    let mut url = Url::parse(raw).map_err(|e| invalid(&e.to_string()))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(invalid("only http and https are supported"));
    }
    match url.host_str() {
        Some(host) if !host.is_empty() => {}
        _ => return Err(invalid("the URL has no host")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Reported without echoing the URL, which holds credentials.
        return Err(Error::InvalidBaseUrl {
            url: "[redacted]".to_owned(),
            reason: "credentials in the base URL are not supported".to_owned(),
        });
    }
    if url.query().is_some() {
        return Err(invalid("the base URL must not have a query"));
    }
    if url.fragment().is_some() {
        return Err(invalid("the base URL must not have a fragment"));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Ok(url)
}

/// Joins an encoded path (starting with `/`) onto the base URL's path.
pub fn join(base: &Url, encoded_path: &str) -> Url {
    let mut url = base.clone();
    let base_path = base.path().trim_end_matches('/');
    let rest = encoded_path.trim_start_matches('/');
    let mut path = String::with_capacity(base_path.len() + rest.len() + 1);
    path.push_str(base_path);
    path.push('/');
    path.push_str(rest);
    // Every byte outside the unreserved set is already percent-encoded, so
    // `set_path` keeps the segments exactly as rendered.
    url.set_path(&path);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_renders_as_its_pieces_do() {
        let pieces = [
            PathPart::Lit("/accounts/"),
            PathPart::Param("account_id", "a/b c"),
            PathPart::Lit("/images/"),
            PathPart::Param("image_id", "é"),
            PathPart::Lit(".png"),
        ];
        let whole = [PathPart::Template(
            "/accounts/{account_id}/images/{image_id}.png",
            &["a/b c", "é"],
        )];
        assert_eq!(render(&whole).unwrap(), render(&pieces).unwrap());
        assert_eq!(
            render(&whole).unwrap(),
            "/accounts/a%2Fb%20c/images/%C3%A9.png"
        );
        assert_eq!(template(&whole), template(&pieces));
    }

    #[test]
    fn a_template_refuses_values_that_do_not_fit() {
        let refused = |parts: &[PathPart<'_>]| match render(parts) {
            Err(Error::InvalidRequest { message }) => message,
            other => panic!("not refused as invalid: {other:?}"),
        };
        assert!(refused(&[PathPart::Template("/zones/{zone_id}/x/{id}", &["z"])]).contains("`id`"));
        assert!(
            refused(&[PathPart::Template("/zones/{zone_id}", &["z", "extra"])])
                .contains("1 path value")
        );
        assert!(refused(&[PathPart::Template("/zones/{zone_id", &["z"])]).contains("unmatched"));
        // A value is one segment, as a `Param` is: an empty one is refused.
        assert!(matches!(
            render(&[PathPart::Template("/zones/{zone_id}", &[""])]),
            Err(Error::InvalidPathParam { .. })
        ));
    }
}
