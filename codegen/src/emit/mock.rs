//! Emit stage, the mock's endpoint tables: `src/generated/mock/mod.rs` (the crate's `mock`
//! module, behind the `mock` feature: the runtime's mock, every enabled group's endpoints,
//! and a server of them in one call) and one `src/generated/mock/<group>.rs` per group, from
//! the tables [`crate::plan::mock`] planned.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::print::{self, GENERATED_DIR, GeneratedFile, Options, code, doc_attrs, inner_doc_attrs};
use crate::diag::Diagnostic;
use crate::plan::mock::{MockBody, MockEndpoint, MockGroup, MockKind, MockParam, MockShape};

/// The Cargo feature that compiles the mock.
pub const FEATURE: &str = "mock";

/// The crate's `src/generated/mock/mod.rs`.
pub fn root_file(
    groups: &[MockGroup],
    options: &Options,
) -> Result<GeneratedFile, Vec<Diagnostic>> {
    let modules = groups.iter().map(|group| {
        let module = format_ident!("{}", group.module);
        let feature = &group.feature;
        let doc = doc_attrs(&format!(
            "The endpoints of [`crate::{}`] as the mock serves them.",
            group.module
        ));
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let extends = groups.iter().map(|group| {
        let module = format_ident!("{}", group.module);
        let feature = &group.feature;
        quote! {
            #[cfg(feature = #feature)]
            all.extend_from_slice(#module::endpoints());
        }
    });
    let krate = format_ident!("{}", options.crate_name);
    let doc = inner_doc_attrs(&format!(
        "A local Cloudflare API for tests (feature `{FEATURE}`): the runtime's mock (see \
         [`crate::runtime::mock`]) serving this crate's endpoints, from the same docs and \
         overlays as its methods.\n\n\
         ```no_run\n\
         # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let server = {krate}::mock::start().await?;\n\
         let client: {krate}::Client = server.client();\n\
         // ... call `client`; `server.requests()` holds what it sent.\n\
         # Ok(())\n\
         # }}\n\
         ```"
    ));
    let tokens = quote! {
        #doc
        pub use crate::runtime::mock::*;

        #(#modules)*

        /// Every endpoint of the groups this build enables, in group order.
        pub fn endpoints() -> Vec<&'static Endpoint> {
            #[allow(unused_mut)]
            let mut all: Vec<&'static Endpoint> = Vec::new();
            #(#extends)*
            all
        }

        /// A mock of [`endpoints`], started on a free port of 127.0.0.1.
        pub async fn start() -> std::io::Result<MockServer> {
            MockServer::start(endpoints()).await
        }
    };
    Ok(GeneratedFile {
        path: format!("{GENERATED_DIR}/{FEATURE}/mod.rs"),
        contents: print::render(&options.source_prefix, tokens)?,
    })
}

/// The table of one group: a constant per endpoint, and `endpoints()`.
pub fn group_file(group: &MockGroup, options: &Options) -> Result<GeneratedFile, Vec<Diagnostic>> {
    let consts = group
        .endpoints
        .iter()
        .map(|endpoint| endpoint_const(group, endpoint));
    let names = group
        .endpoints
        .iter()
        .map(|endpoint| format_ident!("{}", endpoint.const_name));
    let doc = inner_doc_attrs(&format!(
        "The endpoints of [`crate::{}`] as the mock serves them: what it checks a request \
         against, and what it answers by default.",
        group.module
    ));
    let objects = group.objects.iter().map(|object| {
        let name = format_ident!("{}", object.const_name);
        let fields = object.fields.iter().map(|field| {
            let wire = &field.wire;
            let shape = shape_tokens(&field.shape);
            let made = if field.required {
                quote! { Field::required(#wire, #shape) }
            } else {
                quote! { Field::optional(#wire, #shape) }
            };
            if field.nullable {
                quote! { #made.or_null() }
            } else {
                made
            }
        });
        quote! { const #name: &[Field] = &[#(#fields),*]; }
    });
    let variant_sets = group.variant_sets.iter().map(|set| {
        let name = format_ident!("{}", set.const_name);
        let variants = set.variants.iter().map(|(heading, fields)| {
            let fields = match fields {
                Some(fields) => {
                    let fields = format_ident!("{fields}");
                    quote! { #fields }
                }
                None => quote! { &[] },
            };
            quote! { Variant { name: #heading, fields: #fields } }
        });
        quote! { const #name: &[Variant] = &[#(#variants),*]; }
    });
    let tokens = quote! {
        #doc
        #[allow(unused_imports)]
        use crate::runtime::Pagination;
        #[allow(unused_imports)]
        use crate::runtime::mock::{Body, Endpoint, Field, Param, ParamKind, Shape, Variant};

        #(#consts)*

        #(#variant_sets)*

        #(#objects)*

        /// Every endpoint of the group, in documented order.
        pub fn endpoints() -> &'static [&'static Endpoint] {
            &[#(&#names),*]
        }
    };
    Ok(GeneratedFile {
        path: format!("{GENERATED_DIR}/{FEATURE}/{}.rs", group.module),
        contents: print::render(&format!("{}{}", options.source_prefix, group.file), tokens)?,
    })
}

fn endpoint_const(group: &MockGroup, endpoint: &MockEndpoint) -> TokenStream {
    let name = format_ident!("{}", endpoint.const_name);
    let doc = doc_attrs(&format!(
        "[`{}::{}`](crate::{}::{}::{}): {} {}.",
        group.handle,
        endpoint.fn_name,
        group.module,
        group.handle,
        endpoint.fn_name,
        code(endpoint.method.as_str()),
        code(&endpoint.template),
    ));
    let label = &endpoint.name;
    let method = endpoint.method.as_str();
    let template = &endpoint.template;
    let param = |param: &MockParam| {
        let wire = &param.wire;
        let kind = kind_tokens(&param.kind);
        let required = param.required;
        quote! { Param { name: #wire, kind: #kind, required: #required } }
    };
    let query = endpoint.query.iter().map(param);
    let headers = endpoint.headers.iter().map(param);
    let body = match &endpoint.body {
        MockBody::None => quote! { Body::None },
        MockBody::Json(shape) => {
            let shape = shape_tokens(shape);
            quote! { Body::Json(#shape) }
        }
        MockBody::Multipart => quote! { Body::Multipart },
        MockBody::Raw => quote! { Body::Raw },
    };
    let status = Literal::u16_unsuffixed(endpoint.status);
    let data = print::json_literal(&endpoint.data);
    let data_at = &endpoint.data_at;
    let paging = match &endpoint.paging {
        None => quote! { None },
        Some(how) => {
            let how = print::pagination(how, &quote! { Pagination });
            quote! { Some(#how) }
        }
    };
    let items = &endpoint.items;
    quote! {
        #doc
        pub const #name: Endpoint = Endpoint {
            name: #label,
            method: #method,
            template: #template,
            query: &[#(#query),*],
            headers: &[#(#headers),*],
            body: #body,
            status: #status,
            data: #data,
            data_at: &[#(#data_at),*],
            paging: #paging,
            items: #items,
        };
    }
}

fn kind_tokens(kind: &MockKind) -> TokenStream {
    match kind {
        MockKind::Text => quote! { ParamKind::Text },
        MockKind::Integer => quote! { ParamKind::Integer },
        MockKind::Number => quote! { ParamKind::Number },
        MockKind::Boolean => quote! { ParamKind::Boolean },
        MockKind::OneOf(values) => quote! { ParamKind::OneOf(&[#(#values),*]) },
        MockKind::Any => quote! { ParamKind::Any },
    }
}

fn shape_tokens(shape: &MockShape) -> TokenStream {
    match shape {
        MockShape::Any => quote! { Shape::Any },
        MockShape::Text => quote! { Shape::Text },
        MockShape::Integer => quote! { Shape::Integer },
        MockShape::Number => quote! { Shape::Number },
        MockShape::Boolean => quote! { Shape::Boolean },
        MockShape::OneOf(values) => quote! { Shape::OneOf(&[#(#values),*]) },
        MockShape::Array(item) => {
            let item = shape_tokens(item);
            quote! { Shape::Array(&#item) }
        }
        MockShape::Map(item) => {
            let item = shape_tokens(item);
            quote! { Shape::Map(&#item) }
        }
        MockShape::Object(fields) => {
            let fields = format_ident!("{fields}");
            quote! { Shape::Object(#fields) }
        }
        MockShape::Variants(variants) => {
            let variants = format_ident!("{variants}");
            quote! { Shape::Variants(#variants) }
        }
    }
}
