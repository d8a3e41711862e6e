//! Decoding: turning HTTP responses into [`Response`]s and [`Error`]s.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::decode::envelope::{ApiError, ResultInfo};
use crate::decode::lenient::capture;
use crate::decode::lenient::{
    self, Caught, DecodeWarning, InPlace, Member, json_type, last, members, open_scope,
};
use crate::decode::response::{DataAt, EXCERPT_LEN, RawBody, Response, excerpt};
use crate::error::Error;

/// A response as read from the wire.
///
/// `pub` in this private module only because [`ResponseData`]'s hidden method names it:
/// nothing outside the crate can reach it.
pub struct Received {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
    pub(crate) strict: bool,
    /// How many decode warnings to build in full (see [`Decoded::counted`]).
    pub(crate) keep: usize,
}

/// A decoded response and the raw JSON text its data was decoded from (`pub` for the same
/// reason as [`Received`]).
pub struct Decoded<T> {
    /// The response.
    pub(crate) response: Response<T>,
    /// The data's JSON text as received: the envelope's `result` (or the
    /// documented key path), or the whole body; a slice of the body, not a
    /// copy. Empty for an empty body, `null` when the key path is absent.
    pub(crate) raw_data: Bytes,
    /// The drifted values past the first [`Received::keep`] (whose warnings are in the
    /// response), only counted: for each kind (path but for its indices, expected, found)
    /// the first one's warning, without its raw value, and how many.
    pub(crate) counted: Counted,
}

/// See [`Decoded::counted`].
pub(crate) type Counted = Vec<(DecodeWarning, u64)>;

impl Received {
    fn header(&self, name: impl reqwest::header::AsHeaderName) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    fn respond<T>(
        self,
        (data, warnings, counted): (T, Vec<DecodeWarning>, Counted),
        result_info: Option<ResultInfo>,
        messages: Vec<ApiError>,
        raw_data: Bytes,
    ) -> Decoded<T> {
        let response = Response {
            data,
            result_info,
            messages,
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            warnings,
        };
        Decoded {
            response,
            raw_data,
            counted,
        }
    }

    /// The error for a 2xx JSON body that is not the documented envelope.
    fn not_envelope(&self) -> Error {
        Error::NotEnvelope {
            status: self.status,
            content_type: self.header(CONTENT_TYPE),
            excerpt: excerpt(&self.body),
            ray_id: self.header("cf-ray"),
        }
    }

    fn non_json(&self, retry_after: Option<Duration>) -> Error {
        Error::NonJson {
            retry_after,
            status: self.status,
            content_type: self.header(CONTENT_TYPE),
            excerpt: excerpt(&self.body),
            ray_id: self.header("cf-ray"),
        }
    }
}

/// About [`EXCERPT_LEN`] bytes of `text` around byte `at`.
fn excerpt_around(text: &str, at: usize) -> String {
    let half = EXCERPT_LEN / 2;
    let mut start = at.saturating_sub(half).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + EXCERPT_LEN).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = if start > 0 { "…" } else { "" };
    let after = if end < text.len() { "…" } else { "" };
    format!("{before}{}{after}", &text[start..end])
}

/// The byte offset of serde_json's (1-based) line and column in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let line_start = if line == 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// `prefix` + serde_path_to_error's path: `result` + `[1].id` = `result[1].id`.
fn join_path(prefix: &str, inner: &serde_path_to_error::Path) -> String {
    let inner = inner.to_string();
    if prefix.is_empty() {
        inner
    } else if inner == "." {
        prefix.to_owned()
    } else if inner.starts_with('[') {
        format!("{prefix}{inner}")
    } else {
        format!("{prefix}.{inner}")
    }
}

/// The warnings of the first `keep` values `caught` under `prefix`, and the rest counted by
/// kind (see [`Decoded::counted`]): no path written nor value copied for those.
pub(crate) fn warnings_of(
    prefix: &str,
    caught: Vec<Caught>,
    keep: usize,
) -> (Vec<DecodeWarning>, Counted) {
    if caught.len() <= keep {
        // Collected in place: the warnings reuse the caught values' allocation, a thousand
        // entries on a drifted page.
        let warnings = caught
            .into_iter()
            .map(|c| DecodeWarning::from_caught(prefix, c))
            .collect();
        return (warnings, Vec::new());
    }
    let mut warnings = Vec::with_capacity(keep);
    let mut counted: Vec<(Caught, u64)> = Vec::new();
    for c in caught {
        if warnings.len() < keep {
            warnings.push(DecodeWarning::from_caught(prefix, c));
            continue;
        }
        let same = |(k, _): &&mut (Caught, u64)| {
            k.found == c.found
                && (Arc::ptr_eq(&k.expected, &c.expected) || k.expected == c.expected)
                && k.segs.same_shape(&c.segs)
        };
        match counted.iter_mut().rev().find(same) {
            Some((_, n)) => *n += 1,
            None => counted.push((c, 1)),
        }
    }
    let counted = counted
        .into_iter()
        .map(|(c, n)| (DecodeWarning::from_caught(prefix, c), n))
        .collect();
    (warnings, counted)
}

/// Decodes `text` (the data, found at `prefix`, the whole body when `whole`) into `T` in
/// one pass, drifted values read as absent and reported (see [`crate::lenient::capture`]);
/// `failed_in_place` when that pass already failed on this text, read in place.
/// When that pass fails: in strict mode, or when drift made it fail, the error with its JSON
/// path; otherwise the repairing decode of [`crate::lenient`].
fn parse<T: DeserializeOwned>(
    status: StatusCode,
    text: &str,
    prefix: &str,
    whole: bool,
    strict: bool,
    keep: usize,
    failed_in_place: bool,
) -> Result<(T, Vec<DecodeWarning>, Counted), Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    if !failed_in_place {
        if let Ok((data, caught)) = capture::decode_keeping::<T, _>(&mut de, strict, keep) {
            if !whole || de.end().is_ok() {
                let (warnings, counted) = warnings_of(prefix, caught, keep);
                return Ok((data, warnings, counted));
            }
        }
    }
    let error = match parse_strict::<T>(status, text, prefix, whole) {
        Ok(data) => return Ok((data, Vec::new(), Vec::new())),
        Err(error) => error,
    };
    if strict {
        return Err(error);
    }
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Err(error);
    };
    // Logged by the request, once per kind of drift (see `crate::decode::lenient::drift`).
    if let Some((data, warnings)) = lenient::decode_repairing::<T>(value, prefix) {
        return Ok((data, warnings, Vec::new()));
    }
    // The data as a whole is not what the docs say: `null` or absent (a `result` the schema
    // allows to be `null`), or another JSON type, where they show a list or an object. The
    // call still answers, as it does for a drifted field: with the documented empty value
    // (no items, no fields) and a warning that keeps what came. A list or an object that
    // failed inside stays an error, as above.
    let Error::Decode { message, .. } = &error else {
        return Err(error);
    };
    // Parsed again, only here: the repairing decode took the first parse apart.
    let raw = serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    let Some(empty) = documented_empty::<T>(json_type(&raw)) else {
        return Err(error);
    };
    let message = message.split(" at line ").next().unwrap_or(message);
    let path = if prefix.is_empty() { "." } else { prefix };
    let warning = DecodeWarning::of_whole(path, raw, message);
    Ok((empty, vec![warning], Vec::new()))
}

/// The empty value of data that may be `null` (an `Option`: `None`), of a list or of an
/// object type (`[]` or `{}` decoded) for data of JSON type `found`, which is another: `None`
/// for other types, and for a list or an object that came as one.
fn documented_empty<T: DeserializeOwned>(found: &str) -> Option<T> {
    let empty = |kind: &str, text: &str| {
        (found != kind)
            .then(|| serde_json::from_str(text).ok())
            .flatten()
    };
    empty("null", "null")
        .or_else(|| empty("array", "[]"))
        .or_else(|| empty("object", "{}"))
}

/// Decodes `text` into `T`, naming the JSON path on failure.
fn parse_strict<T: DeserializeOwned>(
    status: StatusCode,
    text: &str,
    prefix: &str,
    whole: bool,
) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
    let result = capture::decode::<T, _>(tracked, true)
        .map(|(data, _)| data)
        .map_err(|e| serde_path_to_error::Error::new(track.path(), e));
    let result = match result {
        Ok(value) if whole => de.end().map(|()| value).map_err(|e| (String::new(), e)),
        Ok(value) => Ok(value),
        Err(e) => Err((join_path(prefix, e.path()), e.into_inner())),
    };
    result.map_err(|(path, e)| Error::Decode {
        status,
        path: if path.is_empty() {
            ".".to_owned()
        } else {
            path
        },
        message: e.to_string(),
        excerpt: excerpt_around(text, offset_of(text, e.line(), e.column())),
    })
}

fn raw_list(raw: Option<&str>) -> Vec<ApiError> {
    raw.and_then(|raw| serde_json::from_str::<Value>(raw).ok())
        .map(ApiError::list_from_value)
        .unwrap_or_default()
}

/// What a [`Request<T>`](crate::Request) decodes a 2xx response into: any
/// [`DeserializeOwned`] type (the data, found where the request's [`DataAt`] says, decoded
/// from JSON), or [`RawBody`] (the body as it came).
///
/// The decoding is chosen here, by the generic [`send`](crate::Request::send),
/// rather than stored by the endpoint method that builds the request: an endpoint method
/// is compiled in this crate whether or not anyone calls it, `send` only where it is
/// called. A crate with thousands of endpoints then compiles the decoding of only the
/// responses its user asks for. Sealed: implemented for the types above only.
pub trait ResponseData: sealed::Sealed + Sized + Send + 'static {
    /// Decodes a 2xx response.
    #[doc(hidden)]
    fn decode(data_at: &DataAt, received: Received) -> Result<Decoded<Self>, Error>;
}

mod sealed {
    /// Keeps [`ResponseData`](super::ResponseData) to this module's implementations.
    pub trait Sealed {}
    impl<T: serde::de::DeserializeOwned> Sealed for T {}
    impl Sealed for crate::decode::response::RawBody {}
}

impl<T: DeserializeOwned + Send + 'static> ResponseData for T {
    fn decode(data_at: &DataAt, received: Received) -> Result<Decoded<T>, Error> {
        decode_json(data_at, received)
    }
}

impl ResponseData for RawBody {
    fn decode(_: &DataAt, received: Received) -> Result<Decoded<RawBody>, Error> {
        decode_raw(received)
    }
}

/// Where a 2xx JSON response's data is, found without knowing its type, so that this part
/// is compiled once rather than once per response type.
struct Located<'a> {
    /// The data's JSON text.
    text: &'a str,
    /// Its place: `result`, or the documented key path; empty for the whole body.
    prefix: String,
    /// What [`Decoded::raw_data`] holds; [`RawAt::Body`] also means that nothing may follow
    /// the text.
    raw: RawAt,
    result_info: Option<ResultInfo>,
    messages: Vec<ApiError>,
    /// Whether the data was decoded in place, while the envelope was read.
    in_place: bool,
}

/// The bytes [`Decoded::raw_data`] keeps of a body.
enum RawAt {
    /// The whole body.
    Body,
    /// The data's text, a slice of the body.
    Text,
    /// The documented key path is absent: `null`.
    Null,
}

/// Decodes a 2xx JSON response.
pub(crate) fn decode_json<T: DeserializeOwned>(
    data_at: &DataAt,
    received: Received,
) -> Result<Decoded<T>, Error> {
    // The data is decoded where it stands while the envelope is read, in the one pass over
    // the body; when that cannot be done, it is decoded from its text afterwards.
    let (mut in_place, mut tried) = (None, false);
    let opened = open_scope(received.strict, received.keep);
    let mut decode = |rest: &str| {
        tried = true;
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter();
        let capture::InScope(data) = stream.next()?.ok()?;
        in_place = Some(data);
        Some(stream.byte_offset())
    };
    let located = locate(data_at, &received, Some(&mut decode));
    let caught = opened.close();
    let Some(located) = located? else {
        // No body (e.g. 204): fine for `Option`, `()` or `Value`, an error otherwise.
        return match serde_json::from_str::<T>("null") {
            Ok(data) => Ok(received.respond(
                (data, Vec::new(), Vec::new()),
                None,
                Vec::new(),
                Bytes::new(),
            )),
            Err(e) => Err(Error::Decode {
                status: received.status,
                path: ".".to_owned(),
                message: format!("the response body is empty ({e})"),
                excerpt: String::new(),
            }),
        };
    };
    // Tried and nothing decoded: the data itself failed the one pass, which would fail again.
    let failed_in_place = tried && in_place.is_none();
    let data = match in_place.filter(|_| located.in_place) {
        Some(data) => {
            let (warnings, counted) = warnings_of(&located.prefix, caught, received.keep);
            (data, warnings, counted)
        }
        None => parse::<T>(
            received.status,
            located.text,
            &located.prefix,
            matches!(located.raw, RawAt::Body),
            received.strict,
            received.keep,
            failed_in_place,
        )?,
    };
    let raw_data = match located.raw {
        RawAt::Body => received.body.clone(),
        RawAt::Text => received.body.slice_ref(located.text.as_bytes()),
        RawAt::Null => Bytes::from_static(b"null"),
    };
    let Located {
        result_info,
        messages,
        ..
    } = located;
    Ok(received.respond(data, result_info, messages, raw_data))
}

/// Finds the data of a 2xx JSON response: `None` for an empty body; an error for a body
/// that is not JSON, not the documented envelope, or an envelope saying `success: false`.
/// Data under one key of the envelope is handed to `in_place` as it is read, if given; when
/// that decode fails, the envelope is read again without it.
fn locate<'a>(
    data_at: &DataAt,
    received: &'a Received,
    in_place: Option<InPlace<'_>>,
) -> Result<Option<Located<'a>>, Error> {
    let status = received.status;
    let Ok(text) = std::str::from_utf8(&received.body) else {
        return Err(received.non_json(None));
    };
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let looks_like_json = trimmed.starts_with(['{', '[']);
    let whole_body = || Located {
        text,
        prefix: String::new(),
        raw: RawAt::Body,
        result_info: None,
        messages: Vec::new(),
        in_place: false,
    };
    let keys = match data_at {
        DataAt::Envelope(keys) if trimmed.starts_with('{') => *keys,
        _ if !looks_like_json && serde_json::from_str::<&RawValue>(text).is_err() => {
            return Err(received.non_json(None));
        }
        // JSON, but not an object: not the documented envelope.
        DataAt::Envelope(_) => return Err(received.not_envelope()),
        DataAt::Body => return Ok(Some(whole_body())),
    };
    let mut read = None;
    if let ([key], Some(decode)) = (keys, in_place) {
        read = members(text, Some((key, decode)));
    }
    let decoded_in_place = read.is_some();
    let Some(top) = read.or_else(|| members(text, None)) else {
        // Broken JSON: report where it breaks.
        parse_strict::<Value>(status, text, "", true)?;
        return Err(received.non_json(None));
    };
    let get = |key: &str| last(&top, key);
    if get("success").is_none() {
        // A proxy's or a gateway's JSON, say: decoding it as the data would read every
        // field as absent.
        return Err(received.not_envelope());
    }
    let messages = raw_list(get("messages"));
    if get("success").is_some_and(|s| s.trim() == "false") {
        let errors = raw_list(get("errors"));
        return Err(Error::Api {
            status,
            excerpt: errors.is_empty().then(|| excerpt(&received.body)),
            errors,
            messages,
            ray_id: received.header("cf-ray"),
            retry_after: None,
        });
    }
    let result_info = get("result_info")
        .and_then(|raw| serde_json::from_str::<Value>(raw).ok())
        .and_then(ResultInfo::from_value);
    if keys.is_empty() {
        return Ok(Some(Located {
            result_info,
            messages,
            ..whole_body()
        }));
    }

    let mut prefix = String::new();
    let mut current: Option<&str> = None;
    for (i, key) in keys.iter().enumerate() {
        current = if i == 0 {
            get(key)
        } else {
            current
                .and_then(|raw| members(raw, None))
                .and_then(|m: Vec<Member<'_>>| last(&m, key))
        };
        if i > 0 {
            prefix.push('.');
        }
        prefix.push_str(key);
    }
    let (text, raw) = match current {
        Some(raw) => (raw, RawAt::Text),
        None => ("null", RawAt::Null),
    };
    Ok(Some(Located {
        text,
        prefix,
        raw,
        result_info,
        messages,
        in_place: decoded_in_place,
    }))
}

/// Returns a 2xx response's body as it is.
fn decode_raw(received: Received) -> Result<Decoded<RawBody>, Error> {
    let body = received.body.clone();
    let raw = RawBody::new(body.clone(), received.header(CONTENT_TYPE));
    Ok(received.respond((raw, Vec::new(), Vec::new()), None, Vec::new(), body))
}

/// The error for a non-2xx response.
pub(crate) fn error_from_response(received: Received, retry_after: Option<Duration>) -> Error {
    match serde_json::from_slice::<Value>(&received.body) {
        Ok(value) => {
            let (errors, messages) = match value {
                Value::Object(mut map) => (
                    ApiError::list_from_value(map.remove("errors").unwrap_or(Value::Null)),
                    ApiError::list_from_value(map.remove("messages").unwrap_or(Value::Null)),
                ),
                _ => (Vec::new(), Vec::new()),
            };
            Error::Api {
                status: received.status,
                excerpt: errors.is_empty().then(|| excerpt(&received.body)),
                errors,
                messages,
                ray_id: received.header("cf-ray"),
                retry_after,
            }
        }
        Err(_) => received.non_json(retry_after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::Extra;

    #[derive(Debug, Default)]
    struct Item {
        count: Option<i64>,
        owner: Option<Owner>,
        tags: Option<Vec<i64>>,
        extra: Extra,
    }
    crate::response_object!(Item, extra {
        0 => count = "count", 1 => owner = "owner", 2 => tags = "tags"
    });

    #[derive(Debug, Default)]
    struct Owner {
        id: Option<String>,
        extra: Extra,
    }
    crate::response_object!(Owner, extra { 0 => id = "id" });

    #[test]
    fn past_the_warnings_to_keep_drift_is_counted_by_kind_and_stays_on_the_items() {
        let items: Vec<Value> = (0..10)
            .map(|i| json!({"count": i.to_string(), "owner": {"id": i}}))
            .collect();
        let text = Value::Array(items).to_string();
        let mut de = serde_json::Deserializer::from_str(&text);
        let (data, caught) = capture::decode_keeping::<Vec<Item>, _>(&mut de, false, 3).unwrap();
        let (kept, counted) = warnings_of("result", caught, 3);
        let paths: Vec<_> = kept.iter().map(|w| (w.path.as_str(), &w.raw)).collect();
        assert_eq!(
            paths,
            [
                ("result[0].count", &json!("0")),
                ("result[0].owner.id", &json!(0)),
                ("result[1].count", &json!("1"))
            ]
        );
        let counted: Vec<_> = counted
            .iter()
            .map(|(w, n)| (w.path.as_str(), &*w.expected, *n, &w.raw))
            .collect();
        assert_eq!(
            counted,
            [
                ("result[1].owner.id", "a string", 9, &Value::Null),
                ("result[2].count", "i64", 8, &Value::Null)
            ]
        );
        assert_eq!(
            data[9].extra.drifted().collect::<Vec<_>>(),
            [("count", &json!("9"))],
            "the value is on its item however many were kept"
        );
    }

    fn received(body: &str) -> Received {
        Received {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
            attempts: 1,
            strict: false,
            keep: usize::MAX,
        }
    }

    fn decode_page(body: &str) -> Result<Decoded<Vec<Item>>, Error> {
        decode_json(&crate::RESULT, received(body))
    }

    fn counts(decoded: &Decoded<Vec<Item>>) -> Vec<Option<i64>> {
        decoded
            .response
            .data
            .iter()
            .map(|item| item.count)
            .collect()
    }

    /// `(path, expected, found, raw)` of each warning.
    fn whole_warnings<T>(decoded: &Decoded<T>) -> Vec<(&str, &str, &str, &Value)> {
        let warnings = decoded.response.warnings.iter();
        warnings
            .map(|w| (w.path.as_str(), &*w.expected, w.found, &w.raw))
            .collect()
    }

    #[test]
    fn a_list_result_that_is_null_absent_or_another_type_is_empty_with_a_warning() {
        for (result, found, raw) in [
            (r#""result": null, "#, "null", Value::Null),
            ("", "null", Value::Null),
            (r#""result": {"id": "a"}, "#, "object", json!({"id": "a"})),
        ] {
            let body = format!(r#"{{{result}"success": true, "errors": [], "messages": []}}"#);
            let decoded = decode_page(&body).unwrap();
            assert!(decoded.response.data.is_empty(), "{body}");
            let warnings = whole_warnings(&decoded);
            assert_eq!(warnings.len(), 1, "{body}");
            assert_eq!(
                (warnings[0].0, warnings[0].2, warnings[0].3),
                ("result", found, &raw)
            );
            let shown = decoded.response.warnings[0].to_string();
            assert!(!shown.contains(" at line "), "{shown}");
        }
        let decoded = decode_page(r#"{"result": null, "success": true}"#).unwrap();
        assert_eq!(
            whole_warnings(&decoded)[0].1,
            "a sequence",
            "serde's word for a list"
        );
    }

    #[test]
    fn an_object_result_that_is_null_is_the_object_without_fields_with_a_warning() {
        let body = r#"{"result": null, "success": true, "errors": [], "messages": []}"#;
        let decoded = decode_json::<Owner>(&crate::RESULT, received(body)).unwrap();
        assert_eq!(decoded.response.data.id, None);
        assert_eq!(
            whole_warnings(&decoded),
            [("result", "a JSON object", "null", &Value::Null)]
        );
        let body = r#"{"result": "gone", "success": true}"#;
        let decoded = decode_json::<Owner>(&crate::RESULT, received(body)).unwrap();
        assert_eq!(whole_warnings(&decoded)[0].3, &json!("gone"));
        assert_eq!(
            &decoded.raw_data[..],
            br#""gone""#,
            "the raw data is what came"
        );
    }

    #[test]
    fn data_that_may_be_null_is_none_when_null_and_when_of_another_type() {
        let body = r#"{"result": null, "success": true, "errors": [], "messages": []}"#;
        let decoded = decode_json::<Option<Owner>>(&crate::RESULT, received(body)).unwrap();
        assert!(decoded.response.data.is_none());
        assert!(decoded.response.warnings.is_empty());
        // Another type is drift, read as `None` (not as an object without fields) and kept.
        let body = r#"{"result": "gone", "success": true}"#;
        let decoded = decode_json::<Option<Owner>>(&crate::RESULT, received(body)).unwrap();
        assert!(decoded.response.data.is_none());
        assert_eq!(
            whole_warnings(&decoded),
            [("result", "a JSON object", "string", &json!("gone"))]
        );
        let decoded = decode_json::<Option<Vec<Item>>>(&crate::RESULT, received(body)).unwrap();
        assert!(decoded.response.data.is_none());
        assert_eq!(whole_warnings(&decoded)[0].2, "string");
    }

    #[test]
    fn a_whole_result_stays_an_error_in_strict_mode_inside_a_list_and_for_scalars() {
        let body = r#"{"result": null, "success": true}"#;
        let mut strict = received(body);
        strict.strict = true;
        let Err(error) = decode_json::<Vec<Item>>(&crate::RESULT, strict) else {
            panic!("strict mode decodes a null list");
        };
        assert!(
            matches!(&error, Error::Decode { path, .. } if path == "result"),
            "{error:?}"
        );
        // A list whose items do not fit is a list: what failed is inside it.
        let Err(error) = decode_page(r#"{"result": [1, 2], "success": true}"#) else {
            panic!("a list of numbers decodes as a list of objects");
        };
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        // A number has no empty value to stand for it.
        let Err(error) = decode_json::<i64>(&crate::RESULT, received(body)) else {
            panic!("a null number decodes");
        };
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    }

    #[test]
    fn the_data_decoded_in_place_or_from_its_text_is_the_same() {
        // Read in place, wherever the members stand.
        let body = r#" { "result" : [{"count": 1}, {"count": "2"}],
            "result_info": {"page": 3}, "messages": [], "success": true } "#;
        let decoded = decode_page(body).unwrap();
        assert_eq!(counts(&decoded), [Some(1), None]);
        assert_eq!(&decoded.raw_data[..], br#"[{"count": 1}, {"count": "2"}]"#);
        assert_eq!(decoded.response.result_info.and_then(|i| i.page), Some(3));
        let paths: Vec<_> = decoded.response.warnings.iter().map(|w| &w.path).collect();
        assert_eq!(paths, ["result[1].count"]);

        // A repeated key cannot be read in place: the last one counts, as in a map.
        let twice = decode_page(r#"{"success":true,"result":[{"count":1}],"result":[]}"#).unwrap();
        assert_eq!(counts(&twice), []);
        assert_eq!(&twice.raw_data[..], b"[]");

        // Drift the one pass cannot absorb (an element of the wrong type in a list) is
        // repaired from the text, and what the in-place attempt caught before it failed is
        // not reported twice.
        let body = r#"{"success":true,"result":[{"count":"1"},{"tags":[1,"x"]},{"count":3}]}"#;
        let repaired = decode_page(body).unwrap();
        assert_eq!(counts(&repaired), [None, None, Some(3)]);
        let mut paths: Vec<_> = repaired.response.warnings.iter().map(|w| &w.path).collect();
        paths.sort();
        assert_eq!(paths, ["result[0].count", "result[1].tags"]);

        // The envelope is judged as a whole, whatever the data decoded to.
        let failed =
            decode_page(r#"{"result":[],"errors":[{"code":7,"message":"no"}],"success":false}"#);
        assert!(matches!(failed, Err(Error::Api { errors, .. }) if errors[0].code == 7));
        let gateway = decode_page(r#"{"result":[{"count":1}]}"#);
        assert!(matches!(gateway, Err(Error::NotEnvelope { .. })));
        let broken = decode_page(r#"{"success":true,"result":[{"count":1}]"#);
        assert!(
            matches!(broken, Err(Error::Decode { .. })),
            "{:?}",
            broken.err()
        );
    }

    #[test]
    fn excerpts_are_bounded_and_cut_on_char_boundaries() {
        assert_eq!(excerpt(b"  short  "), "short");
        let long = "é".repeat(1000);
        let e = excerpt(long.as_bytes());
        assert!(
            e.ends_with('…') && e.len() <= EXCERPT_LEN + 3,
            "{}",
            e.len()
        );
        let around = excerpt_around(&long, 1001);
        assert!(around.starts_with('…') && around.ends_with('…'));
    }

    #[test]
    fn offsets() {
        let text = "ab\ncd\nef";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 2), 4);
        assert_eq!(offset_of(text, 3, 1), 6);
        assert_eq!(offset_of(text, 9, 9), text.len());
    }
}
