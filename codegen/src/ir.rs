//! Foundation, the IR: the endpoints as the docs describe them, which every stage after
//! parsing reads.
//!
//! Plain owned data, serialisable so `cargo xtask ir` can print it and insta can snapshot it.
//! Everything here is what the docs *say*; nothing is Rust-specific yet (Rust names are
//! chosen by the `plan` stage). Every endpoint and response records where it came from, so
//! later stages can point diagnostics and doc comments back at the Markdown.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

/// Where something was written: a doc file (as given to the parser), the byte range in it,
/// and the 1-based line and column of the range's start. Every IR item that comes from the
/// text carries one, shape nodes and keys included, so later stages point diagnostics at the
/// exact source without scanning it again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// The file name relative to the docs directory, e.g. `audit_logs.md`. Shared: every
    /// node of a file points at the same name.
    pub file: Arc<str>,
    /// 1-based line number of `range.start`.
    pub line: u32,
    /// 1-based column of `range.start`, in characters.
    pub column: u32,
    /// Byte range in the file, on character boundaries.
    pub range: Range<usize>,
}

/// Every endpoint of every doc file in a docs directory, files sorted by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    pub docs: Vec<Doc>,
}

/// One Markdown file: one API group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doc {
    /// File name relative to the docs directory (`audit_logs.md`).
    pub file: String,
    /// The group's stable key: the file stem (`audit_logs`). Names derived from it never
    /// depend on any other file, which keeps generated names stable when files come and go.
    pub group: String,
    /// The H1 title (`Audit Logs`).
    pub title: String,
    /// How the group's API answers; an overlay's `### Settings` table says when it is not
    /// Cloudflare's envelope.
    #[serde(skip_serializing_if = "Envelope::is_cloudflare")]
    pub envelope: Envelope,
    pub endpoints: Vec<Endpoint>,
}

/// How an API wraps what it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Envelope {
    /// Cloudflare's envelope (`success`, `errors`, `messages`, `result`): a 2xx's data is where
    /// its `> Data is at` note says.
    #[default]
    Cloudflare,
    /// None: a 2xx body is the data, whatever the docs' notes say (the upstream renderer
    /// writes `body["result"]` for every API); an error is its status and its body.
    None,
}

impl Envelope {
    pub fn is_cloudflare(&self) -> bool {
        *self == Envelope::Cloudflare
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Head,
    Options,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub const ALL: [Method; 7] = [
        Method::Get,
        Method::Head,
        Method::Options,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];

    /// The method as written in the docs and sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Endpoint {
    /// Where the `##` heading is.
    pub span: Span,
    /// Where the method line (`**GET** `/path``) is: what an overlay endpoint is matched by.
    pub route: Span,
    /// The `##` heading text (`Get account audit logs`).
    pub summary: String,
    pub method: Method,
    /// The path template as written (`/accounts/{account_id}/audit_logs`), without a
    /// `#fragment`: what the URL's path is made from.
    pub path: String,
    /// The text after `#` on the method line (`/oauth2/token#refresh`), which some APIs use to
    /// tell apart operations sharing a method and path. Never sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragment: Option<String>,
    /// The template split into literal text and parameters, in order.
    pub path_parts: Vec<PathPart>,
    /// Path parameter names in order of appearance (wire names, as written in braces).
    pub path_params: Vec<String>,
    /// The description as Markdown source text, without leading blank lines or trailing
    /// whitespace (the first line keeps its indentation: an indented code block stays one);
    /// may be empty.
    pub description: String,
    /// Documented request parameters. The upstream docs carry none; overlays add them.
    pub params: Vec<Param>,
    /// Alternative forms of the call that return a raw body (e.g. a CSV export); from overlays.
    pub variants: Vec<Variant>,
    pub responses: Vec<Response>,
    /// The Rust method's name, when an overlay's `### Names` table gives one (the summary
    /// names it otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method_name: Option<Named>,
    /// The result object's field holding a listing's items, when an overlay's `### Names`
    /// table says which (the one array field of the result otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items_field: Option<Named>,
    /// The JSON request body, when an overlay's `### Body` table describes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

impl Endpoint {
    /// The 2xx response whose body the client decodes: the first that documents anything, else
    /// the first 2xx. A response given by reference to a shared one renders with neither a
    /// description nor a shape (`#### 200 ` and an empty block): it says nothing, so it does not
    /// hide a later 2xx that does. A 2xx with a description and no shape (a PNG, say) is kept:
    /// its body is raw.
    pub fn success(&self) -> Option<&Response> {
        let mut success = self.responses.iter().filter(|r| r.status.is_success());
        let first = success.clone().next();
        success.find(|r| r.documents_anything()).or(first)
    }

    /// Whether `other` is the same route: method, path and fragment, as written. What an
    /// overlay endpoint is matched by, and what a doc must not give twice.
    pub fn same_route(&self, other: &Endpoint) -> bool {
        self.method == other.method && self.path == other.path && self.fragment == other.fragment
    }

    /// The path as the method line writes it, fragment included: what tells endpoints apart
    /// and what docs and diagnostics show.
    pub fn written_path(&self) -> String {
        match &self.fragment {
            Some(fragment) => format!("{}#{fragment}", self.path),
            None => self.path.clone(),
        }
    }
}

impl Response {
    /// False for a response given by reference to a shared one, which the renderer writes as
    /// a bare status and an empty block: no description, no shape.
    pub fn documents_anything(&self) -> bool {
        !self.description.trim().is_empty() || self.shape.kind != ShapeKind::NoBody
    }
}

/// A name an overlay gives, and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Named {
    pub name: String,
    pub span: Span,
}

/// A variant of an endpoint (from an overlay's `### Variants` table): the same call with
/// fixed extra query pairs, returning the raw body (e.g. `export=true` → CSV).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub span: Span,
    /// The variant's name (`csv`); the method is named `<endpoint>_<name>`.
    pub name: String,
    /// Query pairs the variant always sends, in order (`[("export", "true")]`).
    pub query: Vec<(String, String)>,
    /// The media type to ask for with `Accept`, if any (`text/csv`).
    pub accept: Option<String>,
    pub description: String,
}

/// A request parameter (from an overlay doc).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// Where the parameter was declared.
    pub span: Span,
    /// The name as sent on the wire, e.g. `actor.email` or `actor_email.not`.
    pub name: String,
    pub location: ParamLocation,
    pub ty: ParamType,
    pub required: bool,
    /// A closed set of allowed values, if the docs give one.
    pub values: Vec<String>,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    Path,
    Query,
    /// A request header; its name is matched without regard to case.
    Header,
}

/// Headers the client itself sets from its credentials, its body or its connection: no
/// parameter names them.
pub const CLIENT_HEADERS: [&str; 8] = [
    "authorization",
    "x-auth-email",
    "x-auth-key",
    "x-auth-user-service-key",
    "content-type",
    "content-length",
    "transfer-encoding",
    "host",
];

/// Whether `name` is an HTTP header name (an RFC 9110 `token`).
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "element", rename_all = "snake_case")]
pub enum ParamType {
    String,
    Integer,
    Number,
    Boolean,
    /// A date (`2019-04-30`) or an RFC 3339 timestamp, sent exactly as given.
    DateTime,
    /// Sent as repeated keys: `k=a&k=b`.
    Array(Box<ParamType>),
    /// Sent as one key, the elements joined by commas: `k=a,b` (OpenAPI `explode: false`).
    Joined(Box<ParamType>),
    /// Text that is never printed (a credential sent in a header): `runtime::Secret`.
    Secret,
}

impl ParamType {
    /// The element type of an array (either kind), else the type itself.
    pub fn element(&self) -> &ParamType {
        match self {
            ParamType::Array(e) | ParamType::Joined(e) => e,
            t => t,
        }
    }
}

/// A request body (from an overlay's `### Body` section): one object's fields, or, for a
/// body that is one of several objects, its variants; for a body of another media type than
/// JSON, how it is encoded ([`Body::encoding`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Body {
    /// Where the `### Body` heading is.
    pub span: Span,
    /// The media type it is sent as, when the overlay says one (`Content type:`); JSON
    /// (`application/json`) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The body's JSON type when it is not the object its table describes (a `Body type:`
    /// line): an array or a map, of that object (`object[]`, `object{}`) or of a scalar
    /// (`string[]`, which has no table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_type: Option<BodyType>,
    /// The fields of a body that is one object (or of the object its `json_type` holds);
    /// empty when it has variants or holds scalars.
    pub fields: Vec<BodyField>,
    /// The objects a body may be (a `####` heading and a table each), in written order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<BodyVariant>,
}

/// How a body's fields reach the wire, by its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    /// `application/json` or another `…+json` type: the object as JSON.
    Json,
    /// `multipart/form-data`: a part per top-level field (files, text, JSON parts).
    Multipart,
    /// `application/x-www-form-urlencoded`: the fields as form pairs, like a query string.
    Form,
    /// Any other type: bytes the caller gives, no fields.
    Raw,
}

impl BodyEncoding {
    pub fn is_json(&self) -> bool {
        *self == BodyEncoding::Json
    }

    /// The encoding of media type `content_type` (parameters such as `; charset=…` ignored).
    pub fn of(content_type: &str) -> BodyEncoding {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/json" => BodyEncoding::Json,
            "multipart/form-data" => BodyEncoding::Multipart,
            "application/x-www-form-urlencoded" => BodyEncoding::Form,
            e if e.ends_with("+json") => BodyEncoding::Json,
            _ => BodyEncoding::Raw,
        }
    }
}

impl Body {
    /// How the body is encoded: JSON unless its content type says otherwise.
    pub fn encoding(&self) -> BodyEncoding {
        self.content_type
            .as_deref()
            .map_or(BodyEncoding::Json, BodyEncoding::of)
    }

    /// The media type sent as `Content-Type`.
    pub fn media_type(&self) -> &str {
        self.content_type.as_deref().unwrap_or("application/json")
    }
}

/// One object a request body may be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyVariant {
    /// Where its `####` heading is.
    pub span: Span,
    /// The heading's text (`A Record`).
    pub name: String,
    pub fields: Vec<BodyField>,
}

/// One field of a request body, with the fields of its objects below it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyField {
    /// Where its row is.
    pub span: Span,
    /// The JSON key, exactly as sent.
    pub name: String,
    pub ty: BodyType,
    pub required: bool,
    /// One of its object's fields marked so must be set (`one of` in the `Required` column:
    /// the schema's "`url` or `html`").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub one_of: bool,
    /// `null` is a value of its own (sent as `null`), apart from leaving the field out.
    pub nullable: bool,
    /// Documented string values (of the innermost element); the field still takes others.
    pub values: Vec<String>,
    pub description: String,
    /// The fields of the object at the innermost element, when the type ends in `object`
    /// (`object`, `object[]`, `object{}`), in written order.
    pub fields: Vec<BodyField>,
}

/// The type of a request-body field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "element", rename_all = "snake_case")]
pub enum BodyType {
    String,
    Integer,
    Number,
    Boolean,
    /// A date or an RFC 3339 timestamp, sent as the string given.
    DateTime,
    /// Any JSON value.
    Json,
    /// An object whose fields are [`BodyField::fields`].
    Object,
    /// A file of a `multipart/form-data` body: its own part, with a file name and a media
    /// type (top-level fields only, alone or in an array).
    File,
    Array(Box<BodyType>),
    /// An object with any keys, each holding this.
    Map(Box<BodyType>),
}

impl BodyType {
    /// The innermost element type: `object` for `object[]{}`.
    pub fn innermost(&self) -> &BodyType {
        match self {
            BodyType::Array(e) | BodyType::Map(e) => e.innermost(),
            other => other,
        }
    }

    /// The containers around the innermost element, as a path writes them (`[]{}`).
    pub fn suffixes(&self) -> String {
        match self {
            BodyType::Array(e) => format!("[]{}", e.suffixes()),
            BodyType::Map(e) => format!("{{}}{}", e.suffixes()),
            _ => String::new(),
        }
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum PathPart {
    /// Literal text, including slashes (`/accounts/`).
    Literal(String),
    /// A `{name}` parameter.
    Param(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// Where the `####` heading is.
    pub span: Span,
    pub status: Status,
    /// The text after the status; may be empty.
    pub description: String,
    /// The data-location note (`> Data is at `body["result"]``), if the response has one.
    pub data_at: Option<DataAt>,
    pub shape: Shape,
    /// Whether a hand-written overlay gave the shape: an imported overlay's then stays out
    /// (the hand-written one wins wherever both speak).
    #[serde(skip)]
    pub shape_overlaid: bool,
}

/// Where a response's data sits in its body, read from `> Data is at `...``: `body` followed
/// by zero or more `["key"]` steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataAt {
    /// The keys from the body to the data (`body["result"]` → `["result"]`); empty when the
    /// data is the whole body (`body`).
    pub keys: Vec<String>,
    /// The note's code span.
    pub span: Span,
}

impl DataAt {
    /// The note as the docs write it: `body["result"]`.
    pub fn written(&self) -> String {
        let mut out = String::from("body");
        for key in &self.keys {
            out.push('[');
            out.push_str(&serde_json::Value::String(key.clone()).to_string());
            out.push(']');
        }
        out
    }
}

/// A response status as written in a `####` heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Status {
    /// An exact code such as 200 or 404.
    Code(u16),
    /// A class such as `4XX` (any case), stored as its leading digit (4).
    Class(u8),
    /// `default`.
    Default,
}

impl fmt::Display for Status {
    /// As written in a heading: `200`, `4XX`, `default`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Code(c) => write!(f, "{c}"),
            Status::Class(c) => write!(f, "{c}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

impl Status {
    /// True for 2xx codes and the `2XX` class.
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(&c),
            Status::Class(c) => c == 2,
            Status::Default => false,
        }
    }
}

/// The documented shape of a response body (or of the part `data_at` points to): one node of
/// the JSON shape block, with where it was written.
///
/// Serialised without spans, so the JSON of a shape is its structure alone: two shapes with
/// the same JSON are the same type wherever they were written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shape {
    #[serde(flatten)]
    pub kind: ShapeKind,
    /// The node's JSON value in the block; for [`ShapeKind::NoBody`], the response heading.
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShapeKind {
    /// `"*string*"`
    String,
    /// `"*integer*"`
    Integer,
    /// `"*number*"`
    Number,
    /// `"*boolean*"`
    Boolean,
    /// `null`: the docs could not describe it.
    Unknown,
    /// `{}`: an object with arbitrary keys.
    FreeformObject,
    /// `"*enum: a | b*"`: a string from a known set (an extension overlays use). Decoded as
    /// an open enum: values not listed still decode.
    Enum { values: Vec<String> },
    /// An object with keys in written order. Keys are data, not identifiers.
    Object { fields: Vec<Field> },
    /// `[elem]`: an array of the one element shown.
    Array { element: Box<Shape> },
    /// `{"*map*": value}`: an object of any keys, each holding `value` (an extension overlays
    /// use, for what the docs render as `{}`).
    Map { value: Box<Shape> },
    /// `{"*nullable*": value}`: `value`, or `null` as a value of its own (an extension
    /// overlays use): an element of an array or a map that may be `null`, or data that may
    /// be. A field's `null` reads as absent either way.
    Nullable { value: Box<Shape> },
    /// `{"*one of*": [...]}`: one of several values (an extension overlays use): objects, and
    /// at most one string, integer, number, boolean and array, told apart first by their
    /// [`JsonKind`]. Several objects are told apart by `tag`, a key every object has as an
    /// enum with values no other lists (DNS records by `type`); without one (`None`), by the
    /// keys each object alone has (Access rules: `{"email": …}`, `{"group": …}`).
    OneOf {
        tag: Option<String>,
        variants: Vec<Shape>,
    },
    /// An empty code block, or no code block at all: no JSON body is documented.
    NoBody,
}

/// What JSON value a union's variant is, which is what picks it first: a union has at most one
/// variant of each kind but [`JsonKind::Object`], and an integral number is the integer
/// variant's where there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JsonKind {
    Object,
    /// A string or an enum.
    String,
    Integer,
    Number,
    Boolean,
    Array,
}

impl JsonKind {
    /// The kind of a union's variant; `None` for a shape that cannot be one (`null`, `{}`, a
    /// map, a nullable, a union, an object without keys).
    pub fn of_variant(shape: &ShapeKind) -> Option<JsonKind> {
        Some(match shape {
            ShapeKind::Object { fields } if !fields.is_empty() => JsonKind::Object,
            ShapeKind::String | ShapeKind::Enum { .. } => JsonKind::String,
            ShapeKind::Integer => JsonKind::Integer,
            ShapeKind::Number => JsonKind::Number,
            ShapeKind::Boolean => JsonKind::Boolean,
            ShapeKind::Array { .. } => JsonKind::Array,
            _ => return None,
        })
    }

    /// `a string`, `an object`: for messages and docs.
    pub fn described(self) -> &'static str {
        match self {
            JsonKind::Object => "an object",
            JsonKind::String => "a string",
            JsonKind::Integer => "an integer",
            JsonKind::Number => "a number",
            JsonKind::Boolean => "a boolean",
            JsonKind::Array => "an array",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The JSON key exactly as written (unescaped).
    pub name: String,
    /// The key as written in the block, quotes included.
    #[serde(skip)]
    pub span: Span,
    pub shape: Shape,
}

/// The IR as `cargo xtask ir` prints it: one flat record per endpoint, in file order, with the
/// group and source location inline so each record stands alone.
pub fn endpoints_json(api: &Api) -> serde_json::Value {
    let endpoints = api.docs.iter().flat_map(|doc| {
        doc.endpoints.iter().map(move |e| {
            serde_json::json!({
                "group": doc.group,
                "title": doc.title,
                "file": e.span.file,
                "line": e.span.line,
                "method": e.method,
                "path": e.written_path(),
                "path_params": e.path_params,
                "summary": e.summary,
                "description": e.description,
                "params": e.params,
                "variants": e.variants,
                "responses": e.responses.iter().map(|r| serde_json::json!({
                    "line": r.span.line,
                    "status": r.status,
                    "description": r.description,
                    "data_at": r.data_at.as_ref().map(DataAt::written),
                    "shape": r.shape,
                })).collect::<Vec<_>>(),
            })
        })
    });
    serde_json::Value::Array(endpoints.collect())
}
