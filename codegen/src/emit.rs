//! Stage 4 of 5 (parse → IR → names/types → **emit** → write): the plan as formatted Rust files.
//!
//! Rust is built with `quote!` only, checked by `syn::parse2` and formatted once by the
//! pinned prettyplease, so output is byte-for-byte deterministic. The library returns
//! [`GeneratedFile`]s; writing them (atomically, only when changed) is the xtask's job.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::diag::Diagnostic;
use crate::ir::{Api, Method};
use crate::types::{
    self, DataLocation, EndpointPlan, GroupPlan, PathPiece, Plan, ResultPlan, StructDef, TypeRef,
};

/// The marker every generated file carries in its first line. The writer refuses to
/// overwrite or delete a file without it.
pub const MARKER: &str = "@generated";

/// One output file, relative to the generated crate's root (`src/generated/audit_logs.rs`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// How the generated code refers back to its sources.
#[derive(Debug, Clone)]
pub struct Options {
    /// Prefix for source references in doc comments, e.g. `priv/docs/`.
    pub source_prefix: String,
}

impl Default for Options {
    fn default() -> Options {
        Options { source_prefix: "priv/docs/".to_owned() }
    }
}

/// The directory, relative to the crate root, that holds every generated module.
pub const GENERATED_DIR: &str = "src/generated";

/// Client methods the runtime defines by hand; a group accessor must not reuse them.
const CLIENT_METHODS: &[&str] = &["builder", "from_env", "base_url", "clone", "fmt"];

/// Generates every module of the client for `api`: `src/generated/mod.rs` and one file per
/// doc group, sorted by path.
pub fn generate(api: &Api, options: &Options) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    let plan = types::plan(api)?;
    let mut files = vec![GeneratedFile {
        path: format!("{GENERATED_DIR}/mod.rs"),
        contents: render(&options.source_prefix, module_index(&plan))?,
    }];
    for group in &plan.groups {
        let source = format!("{}{}", options.source_prefix, group.file);
        files.push(GeneratedFile {
            path: format!("{GENERATED_DIR}/{}.rs", group.module),
            contents: render(&source, group_module(group, options))?,
        });
    }
    files.sort();
    Ok(files)
}

/// The Cargo feature names, one per group, in module order (for a generated Cargo.toml).
pub fn features(plan: &Plan) -> Vec<String> {
    plan.groups.iter().map(|g| g.feature.clone()).collect()
}

pub(crate) fn render(source: &str, tokens: TokenStream) -> Result<String, Vec<Diagnostic>> {
    // Every token stream comes from quote! over identifiers the names stage validated, so a
    // parse failure here is a generator bug; it is still reported, never a panic.
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        vec![Diagnostic {
            severity: crate::diag::Severity::Error,
            file: source.to_owned(),
            line: 1,
            column: 1,
            range: 0..0,
            message: format!("internal error: the generator produced invalid Rust: {e}"),
            help: Some("please report this with the doc that triggers it".to_owned()),
        }]
    })?;
    let body = prettyplease::unparse(&file);
    let mut out = String::with_capacity(body.len() + 128);
    out.push_str("// ");
    out.push_str(MARKER);
    out.push_str(" by `cargo xtask codegen` from ");
    out.push_str(source);
    out.push_str(". Do not edit: edit the docs and regenerate.\n");
    out.push_str(&body);
    Ok(out)
}

fn module_index(plan: &Plan) -> TokenStream {
    let modules = plan.groups.iter().map(|group| {
        let module = format_ident!("{}", group.module);
        let feature = &group.feature;
        let doc = format!("{} ({}).", group.title, code(&group.file));
        let doc = doc_attrs(&doc);
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let doc = inner_doc_attrs("The API groups, one module per doc file, each behind its Cargo feature.");
    quote! {
        #doc
        #(#modules)*
    }
}

fn group_module(group: &GroupPlan, options: &Options) -> TokenStream {
    let handle = format_ident!("{}", group.handle);
    let accessor = if CLIENT_METHODS.contains(&group.module.as_str()) {
        format_ident!("{}_api", group.module)
    } else {
        format_ident!("{}", group.module)
    };
    let module_doc = format!(
        "{}: the endpoints documented in {}.",
        group.title,
        code(&format!("{}{}", options.source_prefix, group.file))
    );
    let handle_doc = format!(
        "The {} endpoints. Get one with [`Client::{accessor}`](crate::runtime::Client::{accessor}).",
        group.title
    );
    let accessor_doc = doc_attrs(&format!("The {} endpoints.", group.title));
    let handle_doc = doc_attrs(&handle_doc);
    let module_doc = inner_doc_attrs(&module_doc);
    let methods = group.endpoints.iter().map(|e| endpoint_method(e, options));
    let structs = group.structs.iter().map(|s| struct_def(s, options));
    quote! {
        #module_doc

        #handle_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a crate::runtime::Client,
        }

        impl crate::runtime::Client {
            #accessor_doc
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self }
            }
        }

        impl #handle<'_> {
            #(#methods)*
        }

        #(#structs)*
    }
}

fn endpoint_method(endpoint: &EndpointPlan, options: &Options) -> TokenStream {
    let name = format_ident!("{}", endpoint.fn_name);
    let doc = doc_attrs(&format!(
        "{}\n\n{} {}\n\nDocumented at {}.",
        endpoint.doc,
        code(endpoint.method.as_str()),
        code(&endpoint.path),
        code(&format!("{}{}:{}", options.source_prefix, endpoint.span.file, endpoint.span.line)),
    ));
    let method = method_tokens(endpoint.method);
    let mut seen = std::collections::BTreeSet::new();
    let args = endpoint.path_parts.iter().filter_map(|part| match part {
        PathPiece::Param { arg, .. } if seen.insert(arg) => {
            let arg = format_ident!("{}", arg);
            Some(quote! { #arg: &str })
        }
        _ => None,
    });
    let parts = endpoint.path_parts.iter().map(|part| match part {
        PathPiece::Literal(text) => quote! { crate::runtime::PathPart::Lit(#text) },
        PathPiece::Param { wire, arg } => {
            let arg = format_ident!("{}", arg);
            quote! { crate::runtime::PathPart::Param(#wire, #arg) }
        }
    });
    let (output, constructor) = match &endpoint.result {
        ResultPlan::Raw => (
            quote! { crate::runtime::RawBody },
            quote! { crate::runtime::Request::raw(self.client, #method, &[#(#parts),*]) },
        ),
        ResultPlan::Json { ty, at } => {
            let data_at = match at {
                DataLocation::Body => quote! { crate::runtime::DataAt::Body },
                DataLocation::Envelope(keys) => quote! { crate::runtime::DataAt::Envelope(&[#(#keys),*]) },
            };
            (
                type_tokens(ty),
                quote! { crate::runtime::Request::json(self.client, #method, &[#(#parts),*], #data_at) },
            )
        }
    };
    quote! {
        #doc
        pub fn #name(&self, #(#args),*) -> crate::runtime::Request<#output> {
            #constructor
        }
    }
}

fn method_tokens(method: Method) -> TokenStream {
    let ident = format_ident!("{}", method.as_str());
    quote! { ::reqwest::Method::#ident }
}

fn struct_def(def: &StructDef, options: &Options) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = doc_attrs(&format!(
        "The object at {} of the response documented at {}.",
        code(&def.json_path),
        code(&format!("{}{}:{}", options.source_prefix, def.span.file, def.span.line)),
    ));
    let fields = def.fields.iter().map(|field| {
        let rust = format_ident!("{}", field.rust);
        let ty = type_tokens(&field.ty);
        let field_doc = doc_attrs(&format!("JSON key {}.", code(&field.wire)));
        let rename = (field.rust != field.wire).then(|| {
            let wire = Literal::string(&field.wire);
            quote! { rename = #wire, }
        });
        quote! {
            #field_doc
            #[serde(#rename default, skip_serializing_if = "Option::is_none")]
            pub #rust: Option<#ty>,
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote! { String },
        TypeRef::I64 => quote! { i64 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::Bool => quote! { bool },
        TypeRef::Value => quote! { serde_json::Value },
        TypeRef::Map => quote! { serde_json::Map<String, serde_json::Value> },
        TypeRef::Vec(element) => {
            let element = type_tokens(element);
            quote! { Vec<#element> }
        }
        TypeRef::Struct(name) => {
            let name = format_ident!("{}", name);
            quote! { #name }
        }
    }
}

/// Doc attributes for `text`, one per line with the leading space `///` comments have, so
/// prettyplease prints them as ordinary `/// line` comments.
fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// Inner doc attributes (`//!`) for `text`, like [`doc_attrs`].
fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote! { #![doc = #line] }
    });
    quote! { #(#lines)* }
}

/// `text` as a Markdown code span, whatever backticks it contains.
fn code(text: &str) -> String {
    let longest_run = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
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
