//! Emit stage, printing: what every emitter shares to print Rust and Markdown — the
//! [`GeneratedFile`] it returns and the header [`MARKER`] that makes a file the generator's,
//! the [`Options`] naming sources and the crate, [`render`] (tokens → checked, formatted file),
//! doc comments ([`doc_attrs`]), code spans ([`code`]) and doc-example values.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::diag::Diagnostic;
use crate::plan::model::{BodyTy, ExampleValue, PaginationPlan, TypeRef};
use crate::rustdoc;

/// The marker every generated file carries in its first line. The writer refuses to
/// overwrite or delete a file without it.
pub const MARKER: &str = "@generated";

/// The directory, relative to the crate root, that holds every generated module.
pub const GENERATED_DIR: &str = "src/generated";

/// One output file, relative to the generated crate's root (`src/generated/audit_logs.rs`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// How the generated code refers to its sources and to itself.
#[derive(Debug, Clone)]
pub struct Options {
    /// Prefix for source references in doc comments, e.g. `priv/docs/`.
    pub source_prefix: String,
    /// The library's crate name as doc examples `use` it (`cloudflare_client`).
    pub crate_name: String,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            source_prefix: "priv/docs/".to_owned(),
            crate_name: "cloudflare_client".to_owned(),
        }
    }
}

/// `tokens` as the text of a generated file: checked by `syn`, formatted by prettyplease, under
/// the header line naming `source` that makes the file the generator's.
pub fn render(source: &str, tokens: TokenStream) -> Result<String, Vec<Diagnostic>> {
    // Every token stream comes from quote! over identifiers the names stage validated, so a
    // parse failure here is a generator bug; it is still reported, never a panic.
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        vec![Diagnostic::error_at_line(
            source,
            1,
            format!("internal error: the generator produced invalid Rust: {e}"),
            Some("please report this with the doc that triggers it".to_owned()),
        )]
    })?;
    let body = prettyplease::unparse(&file);
    let mut out = String::with_capacity(body.len() + 128);
    out.push_str("// ");
    out.push_str(MARKER);
    out.push_str(" by `cargo xtask codegen` from ");
    // A file name is data: a line break in it must not end the header comment.
    out.push_str(&rustdoc::inline_literal(source));
    out.push_str(". Do not edit: edit the docs and regenerate.\n");
    out.push_str(&body);
    Ok(out)
}

/// A doc example's value as an expression of the crate `options` names (an enum variant is
/// `crate::module::Type::Variant`, `module` being the group's).
pub fn example_value(module: &str, options: &Options, value: &ExampleValue) -> TokenStream {
    match value {
        ExampleValue::Str(text) => quote! { #text },
        ExampleValue::Int(n) => {
            let n = Literal::i64_unsuffixed(*n);
            quote! { #n }
        }
        ExampleValue::Float(x) => {
            let x = Literal::f64_unsuffixed(*x);
            quote! { #x }
        }
        ExampleValue::Bool(b) => quote! { #b },
        ExampleValue::Variant { ty, variant } => {
            let krate = format_ident!("{}", options.crate_name);
            let module = format_ident!("{}", module);
            let ty = format_ident!("{}", ty);
            let variant = format_ident!("{}", variant);
            quote! { #krate::#module::#ty::#variant }
        }
        ExampleValue::List(element) => {
            let element = example_value(module, options, element);
            quote! { [#element] }
        }
        ExampleValue::Map(element) => {
            let element = example_value(module, options, element);
            quote! { [("key", #element)] }
        }
        ExampleValue::Struct { ty, setters } => {
            let krate = format_ident!("{}", options.crate_name);
            let module_ident = format_ident!("{}", module);
            let ty = format_ident!("{}", ty);
            let setters = setters.iter().map(|(setter, value)| {
                let setter = format_ident!("{}", setter);
                let value = example_value(module, options, value);
                quote! { .#setter(#value) }
            });
            quote! { #krate::#module_ident::#ty::new() #(#setters)* }
        }
        ExampleValue::Owned { ty, value } => owned_value(module, options, ty, value),
        ExampleValue::File {
            name,
            media_type,
            content,
        } => {
            let krate = format_ident!("{}", options.crate_name);
            quote! { #krate::runtime::FilePart::new(#name, #media_type, #content) }
        }
        ExampleValue::Union { ty, variant, value } => {
            let krate = format_ident!("{}", options.crate_name);
            let module_ident = format_ident!("{}", module);
            let ty = format_ident!("{}", ty);
            let variant = format_ident!("{}", variant);
            let value = example_value(module, options, value);
            quote! { #krate::#module_ident::#ty::#variant(#value) }
        }
    }
}

/// `value` as exactly the type `ty`, where no `Into` conversion can help.
fn owned_value(module: &str, options: &Options, ty: &BodyTy, value: &ExampleValue) -> TokenStream {
    match (ty, value) {
        (BodyTy::String, ExampleValue::Str(text)) => quote! { ::std::string::String::from(#text) },
        (BodyTy::Value, ExampleValue::Str(text)) => quote! { ::serde_json::Value::from(#text) },
        (BodyTy::DateTime, ExampleValue::Str(text)) => {
            let krate = format_ident!("{}", options.crate_name);
            quote! { #krate::runtime::Timestamp::from(#text) }
        }
        (BodyTy::Vec(element), ExampleValue::List(inner)) => {
            let inner = owned_value(module, options, element, inner);
            quote! { ::std::vec![#inner] }
        }
        (BodyTy::Map(element), ExampleValue::Map(inner)) => {
            let inner = owned_value(module, options, element, inner);
            quote! { ::std::collections::BTreeMap::from([(::std::string::String::from("key"), #inner)]) }
        }
        (_, ExampleValue::Owned { ty, value }) => owned_value(module, options, ty, value),
        (_, value) => example_value(module, options, value),
    }
}

/// Doc attributes for `text`, one per line with the leading space `///` comments have, so
/// prettyplease prints them as ordinary `/// line` comments.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = doc_line(line);
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// Inner doc attributes (`//!`) for `text`, like [`doc_attrs`].
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = doc_line(line);
        quote! { #![doc = #line] }
    });
    quote! { #(#lines)* }
}

/// One line of a doc comment as the string literal of its `doc` attribute. prettyplease
/// prints the string's value after `///`, so the literal's own spelling never reaches the
/// output: it is a raw string, which costs nothing to escape here or to unescape in syn
/// (a cooked one costs both, for each of the crate's 150,000 doc lines). [`comment_line`]
/// leaves no character a raw string cannot hold (a lone carriage return).
///
/// [`comment_line`]: rustdoc::comment_line
fn doc_line(line: &str) -> Literal {
    if line.is_empty() {
        return Literal::string("");
    }
    let line = rustdoc::comment_line(line);
    // As many `#` as it takes for no `"#…` inside to end the literal.
    let mut hashes = 1;
    while line.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let hashes = "#".repeat(hashes);
    format!("r{hashes}\" {line}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(&format!(" {line}")))
}

/// JSON text as a raw string literal, readable in the generated file where escaped JSON
/// (`\"`) would not be, with every character Rust would escape in a string literal
/// (controls, bidi overrides, which rustc refuses in a raw literal) written as JSON's
/// `\uXXXX`: the same data once parsed.
pub fn json_literal(json: &str) -> Literal {
    let json = json_escape_invisible(json);
    // As many `#` as it takes for no `"#…` inside to end the literal.
    let mut hashes = String::from("#");
    while json.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{json}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(&json))
}

/// `json` with every character Rust would escape in a string literal written as JSON's
/// `\uXXXX` (see [`json_literal`]).
fn json_escape_invisible(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // ASCII first: the bodies are mostly ASCII, and `escape_debug` is the slow path.
        let plain = if c.is_ascii() {
            c.is_ascii_graphic() || c == ' ' || c == '\n'
        } else {
            c.escape_debug().eq([c])
        };
        if plain {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// `plan` as a value of the runtime's `Pagination`, named by the path `ty`
/// (`runtime::Pagination`).
pub fn pagination(plan: &PaginationPlan, ty: &TokenStream) -> TokenStream {
    let option = |value: &Option<String>| match value {
        Some(name) => quote! { Some(#name) },
        None => quote! { None },
    };
    match plan {
        PaginationPlan::Page { page, per_page } => {
            quote! { #ty::Page { page: #page, per_page: #per_page } }
        }
        PaginationPlan::Cursor { cursor, limit } => {
            let limit = option(limit);
            quote! { #ty::Cursor { cursor: #cursor, limit: #limit } }
        }
        PaginationPlan::Offset { offset, limit } => {
            let limit = option(limit);
            quote! { #ty::Offset { offset: #offset, limit: #limit } }
        }
    }
}

/// `rust = "wire"` for each (Rust name, wire name): the pairs the runtime's
/// `object_serialize!`, `open_enum!` and `value_enum!` take, a field or variant with the
/// string it is sent as.
pub fn wire_pairs<'a>(names: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<TokenStream> {
    names
        .into_iter()
        .map(|(rust, wire)| {
            let rust = format_ident!("{}", rust);
            let wire = Literal::string(wire);
            quote! { #rust = #wire }
        })
        .collect()
}

/// `text` as a Markdown code span on one line, whatever backticks or line breaks it holds.
pub fn code(text: &str) -> String {
    let text = &rustdoc::inline_literal(text);
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The Rust type `ty` names in a generated module.
pub(super) fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote! { String },
        TypeRef::I64 => quote! { i64 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::Bool => quote! { bool },
        TypeRef::Value => quote! { serde_json::Value },
        TypeRef::Vec(element) => {
            let element = type_tokens(element);
            quote! { Vec<#element> }
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value);
            quote! { ::std::collections::BTreeMap<String, #value> }
        }
        TypeRef::Option(value) => {
            let value = type_tokens(value);
            quote! { Option<#value> }
        }
        TypeRef::Struct(name) | TypeRef::Enum(name) | TypeRef::Union(name) => {
            let name = format_ident!("{}", name);
            quote! { #name }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::code;

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
    }
}
