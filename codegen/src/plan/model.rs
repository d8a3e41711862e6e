//! Plan stage, the data: what the planners decide and the emitters print, and nothing else.
//!
//! Plain owned data, no logic beyond reading it: one [`GroupPlan`] per doc group, with its
//! structs, enums, parameter structs, aliases and endpoints, and the every-endpoint test's
//! cases. Every identifier the emitter prints is a string here, chosen by the planners in
//! [`crate::plan`]; names depend only on the group's own file, so adding or removing another
//! doc never renames anything. Serialisable, so a snapshot shows every naming decision
//! (`tests/codegen.rs`, one per fixture).

use serde::{Serialize, Serializer};

use crate::ir::{BodyEncoding, JsonKind, Method, Span};

/// The whole client: one plan per doc group, in file order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub groups: Vec<GroupPlan>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupPlan {
    /// The doc file, relative to the docs directory.
    pub file: String,
    /// The H1 title, as rustdoc-safe Markdown on one line.
    pub title: String,
    /// Module name (`audit_logs`).
    pub module: String,
    /// Cargo feature gating this module (`audit-logs`).
    pub feature: String,
    /// The method on `Client` returning the handle: the module name, unless `Client`
    /// already has a method of that name.
    pub accessor: String,
    /// The per-group handle type (`AuditLogs`).
    pub handle: String,
    /// Structs in order of first use.
    pub structs: Vec<StructDef>,
    /// Enums (response values: open; request parameters: closed) in order of first use.
    pub enums: Vec<EnumDef>,
    /// Query-parameter structs in order of first use.
    pub params: Vec<ParamsPlan>,
    /// Request-body structs (each endpoint's body, then its nested objects), in order of
    /// first use.
    pub bodies: Vec<BodyStructDef>,
    /// Request bodies that are one of several objects, in order of first use.
    pub body_unions: Vec<BodyUnionDef>,
    /// Response values that are one of several objects, told apart by a tag, in order of
    /// first use.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unions: Vec<UnionDef>,
    /// Names by role for structs that an earlier role's shape already produced.
    pub aliases: Vec<AliasDef>,
    pub endpoints: Vec<EndpointPlan>,
    /// Result structs of paginated endpoints that hold their items in an array field, each
    /// once, in order of first use: each implements `runtime::ListResult`.
    pub list_results: Vec<ListResultPlan>,
}

/// A result object whose one array field holds a listing's items (`{"images": [...]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListResultPlan {
    /// The result struct.
    pub name: String,
    /// The array field: its Rust name and JSON key.
    pub field: String,
    pub wire: String,
    /// The element type: the listing's item.
    pub item: TypeRef,
}

/// A type named by its role (`ListUserAuditLogsParams`, `…ItemZone`) that is the same as a
/// type an earlier role produced (`ListAccountAuditLogsParams`, `…ItemAccount`): a
/// `pub type` alias, so every endpoint's types read as its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AliasDef {
    pub name: String,
    pub target: String,
    pub role: AliasRole,
}

/// What an alias names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AliasRole {
    /// The query parameters of this endpoint function.
    Params { fn_name: String },
    /// The request body of this endpoint function, or an object inside it.
    Body { fn_name: String, json_path: String },
    /// The object at `json_path` of the response documented at `span`.
    Object {
        json_path: String,
        #[serde(serialize_with = "at_line")]
        span: Span,
    },
}

/// An enum over documented string values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumDef {
    pub name: String,
    /// Open enums (response values) decode unknown values into a catch-all variant; closed
    /// enums (request parameters) only ever hold the documented values.
    pub open: bool,
    /// (wire value, variant name), in documented order.
    pub variants: Vec<(String, String)>,
    /// Where the values were first documented.
    #[serde(serialize_with = "at_line")]
    pub span: Span,
    /// The query parameters taking these values, as (parameter struct, wire name), in order
    /// of first use; empty for response values.
    pub params: Vec<(String, String)>,
    /// The request-body fields taking these values, as (body struct, wire name), in order of
    /// first use.
    pub body_fields: Vec<(String, String)>,
}

/// A response value that is one of several objects, told apart by the value of its `tag`
/// key, or without one by the keys each variant alone has: an enum with a variant per object,
/// and `Unknown` for an object no variant's selectors pick (kept as received and reported as
/// drift).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionDef {
    pub name: String,
    /// Where the union was documented, and the JSON path to it.
    #[serde(serialize_with = "at_line")]
    pub span: Span,
    pub json_path: String,
    /// The JSON key whose value selects the variant; `None`: the key present does.
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    /// The enum variant's name.
    pub name: String,
    /// The JSON type it is, which picks it first.
    pub kind: JsonKind,
    /// For one of several objects: the tag values that select it, or (without a tag) the
    /// keys only it has. Empty for the others, which their kind alone picks.
    pub selectors: Vec<String>,
    /// The keys only it has: what picks it for an object without the tag.
    pub own_keys: Vec<String>,
    /// What it holds: a struct of this group for an object.
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructDef {
    pub name: String,
    /// Where the shape that first produced this struct is documented, and the JSON path to it.
    #[serde(serialize_with = "at_line")]
    pub span: Span,
    pub json_path: String,
    pub fields: Vec<FieldDef>,
    /// The field that keeps unknown and drifted values (`runtime::Extra`); documented keys
    /// never take its name.
    pub extra: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDef {
    /// The JSON key, exactly as documented.
    pub wire: String,
    /// The Rust field name.
    pub rust: String,
    pub ty: TypeRef,
}

/// A Rust type built from a documented shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TypeRef {
    String,
    I64,
    F64,
    Bool,
    /// `serde_json::Value`: shape unknown, or `{}`, which the docs' OpenAPI source writes for
    /// an object whose properties are not listed (the official SDKs type it as unknown too:
    /// TypeScript `unknown`, Python `object`, Go `unknown`), and which the live API fills with
    /// strings as well as objects.
    Value,
    Vec(Box<TypeRef>),
    /// A `BTreeMap<String, _>`: an object of any keys, each holding the type.
    Map(Box<TypeRef>),
    /// An `Option<_>`: a value that may be `null` (a nullable shape), as an element of an
    /// array or a map, or as the data. A field is an `Option` already, `null` or absent.
    Option(Box<TypeRef>),
    /// A struct of this group, by name.
    Struct(String),
    /// A response union of this group, by name.
    Union(String),
    /// An enum of this group, by name.
    Enum(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndpointPlan {
    #[serde(serialize_with = "at_line")]
    pub span: Span,
    pub fn_name: String,
    pub method: Method,
    /// The path as the method line writes it, `#fragment` included (shown in docs; the URL is
    /// made from `path_parts`).
    pub path: String,
    pub path_parts: Vec<PathPiece>,
    /// The path parameters as arguments, each once, in order of first use.
    pub path_args: Vec<PathArg>,
    /// The name of the argument taking the query-parameter struct (when there is one); doc
    /// examples name their variable alike.
    pub params_arg: String,
    pub result: ResultPlan,
    /// The query-parameter struct, when the endpoint documents query parameters.
    pub params: Option<ParamsPlan>,
    /// How the endpoint pages, inferred from its parameters (only for list results: an array,
    /// or an object with exactly one array field, see `list_result`).
    pub pagination: Option<PaginationPlan>,
    /// Raw-body variants (`<fn>_csv`).
    pub variants: Vec<VariantPlan>,
    /// Whether the request usually carries a body (POST, PUT, PATCH), which the docs do not
    /// describe: the method's docs then say how to send one.
    pub takes_body: bool,
    /// The typed body the method takes, when an overlay describes it.
    pub body: Option<BodyPlan>,
    /// The bytes the method takes, when an overlay says the body is of a media type that
    /// has no fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_body: Option<RawBodyPlan>,
    /// Rustdoc-safe Markdown: summary, description.
    pub doc: String,
    /// The summary alone, rustdoc-safe on one line (for the endpoint index).
    pub summary: String,
    /// The documented responses, in written order, for the method's docs.
    pub responses: Vec<ResponseDoc>,
}

/// A documented response, as the endpoint's docs list it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseDoc {
    /// `200`, `4XX`, `default`.
    pub status: String,
    /// Its whole description, rustdoc-safe Markdown; may be empty.
    pub doc: String,
}

/// A struct holding an endpoint's query parameters, serialised into the query string.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamsPlan {
    pub name: String,
    pub fields: Vec<ParamField>,
    /// The endpoint functions taking this struct, in order (the first named it). Complete
    /// only in [`GroupPlan::params`].
    pub users: Vec<String>,
    /// What a doc example sets: (setter, value) for each required field, in order.
    pub example: Vec<(String, ExampleValue)>,
}

/// An endpoint's JSON request body: the struct the method takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyPlan {
    /// The struct, as this endpoint names it (an alias when an earlier endpoint made it).
    pub name: String,
    /// The argument's name.
    pub arg: String,
    /// What a doc example passes: the struct with every required field set.
    pub example: ExampleValue,
    /// How the struct is sent: JSON, multipart parts or form pairs.
    pub encoding: BodyEncoding,
    /// The `Content-Type` of a JSON body when it is not `application/json`
    /// (`application/scim+json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// A body that is an array or a map (`Vec(Struct(…BodyItem))`, `Vec(String)`): the method
    /// takes a slice or a map of its elements, `name` being the element struct (empty for
    /// scalars). `None`: the body is the struct `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrap: Option<BodyTy>,
}

impl BodyTy {
    /// The element inside every array and map: `Struct(X)` for `Vec(Map(Struct(X)))`.
    pub fn innermost(&self) -> &BodyTy {
        match self {
            BodyTy::Vec(e) | BodyTy::Map(e) => e.innermost(),
            other => other,
        }
    }
}

/// A body of bytes the caller gives (an overlay's `### Body` with a `Content type:` that is
/// not JSON, multipart or form).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawBodyPlan {
    /// The argument's name.
    pub arg: String,
    /// Its `Content-Type` (`application/x-ndjson`).
    pub media_type: String,
}

/// A request-body object: a struct serialised as JSON, with a setter per field and a check
/// of its required fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyStructDef {
    pub name: String,
    /// The endpoint function whose body first made it, and the JSON path inside that body
    /// (`$` for the body itself).
    pub fn_name: String,
    pub json_path: String,
    /// The variant of a body with several that this struct is (its heading text).
    pub variant: Option<String>,
    /// How a body itself is sent (a nested object is always JSON): a `multipart/form-data`
    /// body as a part per field, a form as pairs.
    #[serde(skip_serializing_if = "BodyEncoding::is_json")]
    pub encoding: BodyEncoding,
    pub fields: Vec<BodyFieldDef>,
    /// The field holding keys the fields do not cover (`serde_json::Map`), and its setter.
    pub extra: String,
    pub extra_setter: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyFieldDef {
    /// The JSON key.
    pub wire: String,
    /// The Rust field and setter name.
    pub rust: String,
    pub ty: BodyTy,
    pub required: bool,
    /// One of the struct's fields marked so must be set.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub one_of: bool,
    /// The setter sending `null`, for a nullable field.
    pub null_setter: Option<String>,
    /// The value `new()` sets: a required string field with one documented value (a union
    /// variant's tag, `"type": "A"`).
    pub preset: Option<String>,
    /// Rustdoc-safe description.
    pub doc: String,
}

/// A request body that is one of several objects: an enum with a variant per object, sent
/// as the object chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyUnionDef {
    pub name: String,
    /// The endpoint function whose body first made it.
    pub fn_name: String,
    /// (variant name, its struct, the heading it was documented under), in documented order.
    pub variants: Vec<(String, String, String)>,
}

/// The Rust type of a request-body value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum BodyTy {
    String,
    I64,
    F64,
    Bool,
    /// `runtime::Timestamp`.
    DateTime,
    /// `serde_json::Value`.
    Value,
    /// An open enum of this group.
    Enum(String),
    /// A body struct of this group.
    Struct(String),
    /// `runtime::FilePart`: a file of a multipart body.
    File,
    Vec(Box<BodyTy>),
    /// `BTreeMap<String, _>`.
    Map(Box<BodyTy>),
}

impl BodyTy {
    /// Whether a struct is inside, whose required fields must be checked too.
    pub fn has_struct(&self) -> bool {
        match self {
            BodyTy::Struct(_) => true,
            BodyTy::Vec(e) | BodyTy::Map(e) => e.has_struct(),
            _ => false,
        }
    }
}

/// A value in a doc example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExampleValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A variant of an enum of this group.
    Variant {
        ty: String,
        variant: String,
    },
    /// A list of one value.
    List(Box<ExampleValue>),
    /// A map of one entry, under the key `key`.
    Map(Box<ExampleValue>),
    /// A body struct of this group: `Type::new()` and these setters.
    Struct {
        ty: String,
        setters: Vec<(String, ExampleValue)>,
    },
    /// A file part: `FilePart::new(name, media type, bytes)`.
    File {
        name: String,
        media_type: String,
        content: String,
    },
    /// A variant of a body union of this group: `Type::Variant(value)`.
    Union {
        ty: String,
        variant: String,
        value: Box<ExampleValue>,
    },
    /// A value of exactly this type, spelled out (`String::from(..)`, `vec![..]`,
    /// `BTreeMap::from(..)`): a list or map inside a list or map, where no `Into` converts.
    Owned {
        ty: BodyTy,
        value: Box<ExampleValue>,
    },
}

impl ParamsPlan {
    /// Whether any parameter must be given (checked when a request is built).
    pub fn has_required(&self) -> bool {
        self.fields.iter().any(|f| f.required)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamField {
    /// The name on the wire (`actor.email`).
    pub wire: String,
    /// The Rust field and setter name (`actor_email`).
    pub rust: String,
    pub ty: ParamTy,
    pub required: bool,
    /// Sent as a request header, not in the query string.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub header: bool,
    /// Rustdoc-safe description.
    pub doc: String,
}

/// The Rust type of one query or header parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ParamTy {
    String,
    I64,
    F64,
    Bool,
    /// A date or RFC 3339 timestamp: `runtime::Timestamp`, text sent unchanged or a `time` /
    /// `chrono` value.
    DateTime,
    /// A closed enum of this group, by name.
    Enum(String),
    /// Repeated keys.
    List(Box<ParamTy>),
    /// One key, the elements joined by commas (`runtime::CommaList`).
    Joined(Box<ParamTy>),
    /// A credential sent in a header: `runtime::Secret`, never printed.
    Secret,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PaginationPlan {
    /// Page numbers: the wire names of the page and page-size parameters.
    Page { page: String, per_page: String },
    /// An opaque cursor, with the page-size parameter if there is one.
    Cursor {
        cursor: String,
        limit: Option<String>,
    },
    /// A 0-based item offset, with the page-size parameter if there is one.
    Offset {
        offset: String,
        limit: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantPlan {
    pub fn_name: String,
    pub query: Vec<(String, String)>,
    pub accept: Option<String>,
    /// Rustdoc-safe description.
    pub doc: String,
}

/// A path parameter as a function argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathArg {
    /// The name in the template's braces.
    pub wire: String,
    /// The argument's name.
    pub name: String,
    /// Rustdoc-safe description from an overlay's path-parameter row; may be empty.
    pub doc: String,
    /// The string a doc example passes.
    pub example: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathPiece {
    Literal(String),
    Param { wire: String, arg: String },
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ResultPlan {
    /// JSON data of this type, found at `at` (keys into the envelope), or the whole body.
    Json { ty: TypeRef, at: DataLocation },
    /// No documented body: raw bytes.
    Raw,
}

impl ResultPlan {
    /// The JSON data's type when it is not `null` (an `Option`'s inner type): paging reads the
    /// items of data that may be `null` as it reads the data's (`null` holds none). `None` for
    /// raw bytes.
    pub fn non_null_type(&self) -> Option<&TypeRef> {
        match self {
            ResultPlan::Json {
                ty: TypeRef::Option(ty),
                ..
            } => Some(ty),
            ResultPlan::Json { ty, .. } => Some(ty),
            ResultPlan::Raw => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum DataLocation {
    /// Inside the Cloudflare envelope, at these keys (`body["result"]` → `["result"]`).
    Envelope(Vec<String>),
    /// The body itself.
    Body,
}

/// The cases of one group, in endpoint order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupCases {
    pub module: String,
    pub feature: String,
    pub accessor: String,
    pub cases: Vec<Case>,
}

/// One generated method called once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// `module::method`, as failures name it.
    pub label: String,
    /// The method on the group handle.
    pub fn_name: String,
    pub method: Method,
    /// The documented path template.
    pub template: String,
    /// Each path argument's value, in argument order: (wire name, value).
    pub path_values: Vec<(String, String)>,
    /// The parameter struct and every setter with its value, when the method takes one
    /// (see `every_endpoint::param_value`).
    pub params: Option<(String, Vec<(String, ExampleValue)>)>,
    /// The query pairs those setters must send, in field order: (wire name, text).
    pub query: Vec<(String, String)>,
    /// The headers those setters must send: (name, value).
    pub headers: Vec<(String, String)>,
    /// The body argument, its value (every field set), and what it must send, byte for
    /// byte, when the method takes a body: JSON, form pairs, bytes, or multipart parts
    /// delimited by the boundary `BOUNDARY` (the server puts the one sent in its place).
    pub body: Option<(String, ExampleValue, String)>,
    /// The `Content-Type` the body must be sent with, up to any `;` (empty: no body).
    pub request_type: String,
    /// The body's fields typed `json` (any value: the schema's unions), as dotted paths with
    /// array indices left out (`rules.action`): the test fills them with a string, which a
    /// validating server may reject for the test's sake.
    pub json_fields: Vec<String>,
    /// The status the server answers with: the documented 2xx one.
    pub status: u16,
    pub reply: Reply,
    /// The keys of the documented `Data is at` note (none: the whole body), where the
    /// decoded data must have come from.
    pub data_at: Vec<String>,
}

/// What the server answers a case with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Reply {
    /// JSON the method decodes.
    Json(String),
    /// Bytes the method returns as they are (empty for a status that has no body).
    Raw(String),
}

/// A span in a snapshot of the plan: `file:line`, what the emitters print of it (the byte
/// range and column would only make the snapshot noisier).
fn at_line<S: Serializer>(span: &Span, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("{}:{}", span.file, span.line))
}
