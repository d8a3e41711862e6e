//! The Cloudflare response envelope: `success`, `errors`, `messages`,
//! `result`, `result_info`.
//!
//! Everything here decodes leniently: a message that is a bare string, a
//! count sent as `"20"`, an unknown key, all decode, and nothing the server
//! sent is dropped (values that do not fit a typed field are kept in `extra`).

use std::fmt;

use serde::Serialize;
use serde::de::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// One entry of an envelope's `errors` (or `messages`):
/// `{code, message, documentation_url, source: {pointer}}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ApiError {
    /// The Cloudflare error code (0 when the server sent none).
    pub code: i64,
    /// The human-readable message.
    pub message: String,
    /// A link to documentation about this error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// Which part of the request the error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ErrorSource>,
    /// Any other keys of the entry (such as `error_chain`), and known keys
    /// whose value had an unexpected type, verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An entry of an envelope's `messages`; same shape as [`ApiError`].
pub type ApiMessage = ApiError;

/// The `source` of an [`ApiError`].
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ErrorSource {
    /// A JSON pointer into the request body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Any other keys, verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)?;
        if let Some(pointer) = self.source.as_ref().and_then(|s| s.pointer.as_deref()) {
            write!(f, " at {pointer}")?;
        }
        Ok(())
    }
}

impl ApiError {
    /// Converts any JSON value; never fails. A string becomes the message.
    pub fn from_value(value: Value) -> Self {
        let mut map = match value {
            Value::Object(map) => map,
            Value::String(message) => {
                return ApiError {
                    message,
                    ..ApiError::default()
                };
            }
            Value::Null => return ApiError::default(),
            other => {
                return ApiError {
                    message: other.to_string(),
                    ..ApiError::default()
                };
            }
        };
        let mut out = ApiError::default();
        if let Some(code) = map.remove("code") {
            match lenient_i64(&code) {
                Some(c) => out.code = c,
                None => {
                    map.insert("code".into(), code);
                }
            }
        }
        match map.remove("message") {
            Some(Value::String(s)) => out.message = s,
            Some(Value::Null) | None => {}
            Some(other) => {
                map.insert("message".into(), other);
            }
        }
        match map.remove("documentation_url") {
            Some(Value::String(s)) => out.documentation_url = Some(s),
            Some(Value::Null) | None => {}
            Some(other) => {
                map.insert("documentation_url".into(), other);
            }
        }
        match map.remove("source") {
            Some(Value::Object(mut source)) => {
                let pointer = match source.remove("pointer") {
                    Some(Value::String(p)) => Some(p),
                    Some(Value::Null) | None => None,
                    Some(other) => {
                        source.insert("pointer".into(), other);
                        None
                    }
                };
                out.source = Some(ErrorSource {
                    pointer,
                    extra: source,
                });
            }
            Some(Value::Null) | None => {}
            Some(other) => {
                map.insert("source".into(), other);
            }
        }
        out.extra = map;
        out
    }

    /// Converts the value of an envelope's `errors` or `messages`: an array
    /// of entries, a single entry, or `null`.
    pub fn list_from_value(value: Value) -> Vec<ApiError> {
        match value {
            Value::Array(items) => items.into_iter().map(ApiError::from_value).collect(),
            Value::Null => Vec::new(),
            other => vec![ApiError::from_value(other)],
        }
    }
}

impl<'de> Deserialize<'de> for ApiError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(ApiError::from_value)
    }
}

/// The `result_info` of a list response: pagination state.
///
/// Counts arrive as numbers or as numeric strings; both are accepted. Keys
/// not listed here, and listed keys whose value does not fit, are kept in
/// [`extra`](Self::extra).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ResultInfo {
    /// The current page (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// The page size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
    /// The number of items on this page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// The number of items on all pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// The number of pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<u64>,
    /// An opaque cursor for the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Cursors before and after this page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursors: Option<Cursors>,
    /// Any other keys, verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `cursors` of a [`ResultInfo`].
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Cursors {
    /// Cursor of the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Cursor of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Any other keys, verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ResultInfo {
    /// Converts any JSON value; `None` for `null` and non-objects.
    pub fn from_value(value: Value) -> Option<Self> {
        let Value::Object(mut map) = value else {
            return None;
        };
        let mut out = ResultInfo::default();
        for (key, slot) in [
            ("page", &mut out.page),
            ("per_page", &mut out.per_page),
            ("count", &mut out.count),
            ("total_count", &mut out.total_count),
            ("total_pages", &mut out.total_pages),
        ] {
            take_with(&mut map, key, slot, lenient_u64);
        }
        take_with(&mut map, "cursor", &mut out.cursor, lenient_string);
        if let Some(cursors) = map.remove("cursors") {
            match cursors {
                Value::Object(mut c) => {
                    let mut cursors = Cursors::default();
                    take_with(&mut c, "after", &mut cursors.after, lenient_string);
                    take_with(&mut c, "before", &mut cursors.before, lenient_string);
                    cursors.extra = c;
                    out.cursors = Some(cursors);
                }
                Value::Null => {}
                other => {
                    map.insert("cursors".into(), other);
                }
            }
        }
        out.extra = map;
        Some(out)
    }

    /// The cursor of the next page: the first non-empty of `cursors.after`
    /// (what the official SDKs read) and `cursor` (as documented).
    pub fn next_cursor(&self) -> Option<&str> {
        let after = self.cursors.as_ref().and_then(|c| c.after.as_deref());
        [after, self.cursor.as_deref()]
            .into_iter()
            .flatten()
            .find(|c| !c.is_empty())
    }
}

impl<'de> Deserialize<'de> for ResultInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(|v| ResultInfo::from_value(v).unwrap_or_default())
    }
}

/// Moves `map[key]` into `slot` when `convert` accepts it; a value it does
/// not accept stays in `map` (so it ends up in `extra`), `null` is dropped.
fn take_with<T>(
    map: &mut Map<String, Value>,
    key: &str,
    slot: &mut Option<T>,
    convert: fn(&Value) -> Option<T>,
) {
    if let Some(value) = map.get(key) {
        if value.is_null() {
            map.remove(key);
        } else if let Some(v) = convert(value) {
            *slot = Some(v);
            map.remove(key);
        }
    }
}

fn lenient_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1.8e19)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
}

fn lenient_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

fn lenient_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
