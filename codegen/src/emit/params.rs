//! Emit stage, query and header parameters: prints a parameter struct of the plan, with its
//! fields, setters and the check of its required parameters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::print::{code, doc_attrs, wire_pairs};
use crate::plan::model::{ParamField, ParamTy, ParamsPlan};

fn param_type_tokens(ty: &ParamTy) -> TokenStream {
    match ty {
        ParamTy::String => quote! { String },
        ParamTy::DateTime => quote! { runtime::Timestamp },
        ParamTy::I64 => quote! { i64 },
        ParamTy::F64 => quote! { f64 },
        ParamTy::Bool => quote! { bool },
        ParamTy::Secret => quote! { runtime::Secret },
        ParamTy::Enum(name) => {
            let name = format_ident!("{}", name);
            quote! { #name }
        }
        ParamTy::List(element) => {
            let element = param_type_tokens(element);
            quote! { Vec<#element> }
        }
        ParamTy::Joined(element) => {
            let element = param_type_tokens(element);
            quote! { runtime::CommaList<#element> }
        }
    }
}

/// The parameter struct: public fields, a setter per field, `new()`. Required parameters
/// are set by name like the others (two positional dates are easy to swap) and checked when
/// a request is built: one left unset fails the call, naming it, before anything is sent.
pub(crate) fn params_def(params: &ParamsPlan, handle: &str) -> TokenStream {
    let name = format_ident!("{}", params.name);
    let users: Vec<String> = params
        .users
        .iter()
        .map(|f| format!("[`{handle}::{f}`]"))
        .collect();
    let required: Vec<&ParamField> = params.fields.iter().filter(|f| f.required).collect();
    let what = if params.fields.iter().any(|f| f.header) {
        "Query parameters and headers"
    } else {
        "Query parameters"
    };
    let mut text = format!(
        "{what} of {}: build with `new()`, then chain setters.",
        users.join(", ")
    );
    if !required.is_empty() {
        let names: Vec<String> = required
            .iter()
            .map(|f| code(&format!(".{}(..)", f.rust)))
            .collect();
        text.push_str(&format!(
            "\n\nRequired: {}. A call made without them fails with `Error::InvalidRequest` before anything is sent.",
            names.join(", ")
        ));
    }
    let doc = doc_attrs(&text);
    let fields = params.fields.iter().map(|f| {
        let rust = format_ident!("{}", f.rust);
        let ty = param_type_tokens(&f.ty);
        let place = if f.header { "Header" } else { "Query parameter" };
        let mut text = if f.doc.is_empty() {
            format!("{place} {}.", code(&f.wire))
        } else if f.header {
            // Where it goes is not in the schema's description of a header.
            format!("{}\n\nSent as the header {}.", f.doc, code(&f.wire))
        } else {
            f.doc.clone()
        };
        if f.required {
            text.push_str("\n\nRequired.");
        }
        if f.ty == ParamTy::Secret {
            text.push_str("\n\nA [`Secret`](runtime::Secret): `Debug` prints `[redacted]`.");
        }
        if f.ty == ParamTy::DateTime {
            text.push_str(
                "\n\nA date (`2024-10-30`, UTC) or an RFC 3339 timestamp: text sent exactly as given, or a `time` / `chrono` value (see [`Timestamp`](runtime::Timestamp)).",
            );
        }
        let field_doc = doc_attrs(&text);
        match &f.ty {
            ParamTy::List(_) | ParamTy::Joined(_) => quote! {
                #field_doc
                pub #rust: #ty,
            },
            _ => quote! {
                #field_doc
                pub #rust: Option<#ty>,
            },
        }
    });
    // `Serialize` (unset values and empty lists left out) from the runtime's
    // `object_serialize!`, as for bodies and responses.
    let keys = wire_pairs(
        params
            .fields
            .iter()
            .filter(|f| !f.header)
            .map(|f| (f.rust.as_str(), f.wire.as_str())),
    );
    let missing = (!required.is_empty()).then(|| {
        let checks = required.iter().map(|f| {
            let rust = format_ident!("{}", f.rust);
            let place = if f.header {
                "header"
            } else {
                "query parameter"
            };
            let setter = format!("{place} {} (set it with `.{}(..)`)", f.wire, f.rust);
            let unset = match f.ty {
                ParamTy::List(_) | ParamTy::Joined(_) => quote! { self.#rust.is_empty() },
                _ => quote! { self.#rust.is_none() },
            };
            quote! {
                if #unset {
                    return Some(#setter);
                }
            }
        });
        quote! {
            /// The first required parameter left unset, as an error names it.
            fn missing_required(&self) -> Option<&'static str> {
                #(#checks)*
                None
            }
        }
    });
    // One `runtime::setter!` line per field: see the macro for what each kind takes.
    let setters = params.fields.iter().map(|f| {
        let rust = format_ident!("{}", f.rust);
        let doc = format!(
            "Sets {}{}.",
            code(&f.wire),
            if f.required { " (required)" } else { "" }
        );
        let how = setter_kind(&f.ty);
        quote! { runtime::setter!(#doc, #rust, #how); }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name {
            #(#fields)*
        }
        runtime::object_serialize!(#name { #(#keys),* });

        impl #name {
            /// No parameters set.
            pub fn new() -> Self {
                Self::default()
            }
            #(#setters)*
            #missing
        }
    }
}

fn is_into(ty: &ParamTy) -> bool {
    matches!(ty, ParamTy::String | ParamTy::DateTime | ParamTy::Secret)
}

/// The `runtime::setter!` kind and value type of a parameter of type `ty`: `impl Into<_>`
/// where a conversion reads naturally (`&str` for a string), iterators for lists.
fn setter_kind(ty: &ParamTy) -> TokenStream {
    match ty {
        ParamTy::List(element) | ParamTy::Joined(element) => {
            let element_ty = param_type_tokens(element);
            if is_into(element) {
                quote! { list_into #element_ty }
            } else {
                quote! { list #element_ty }
            }
        }
        ty if is_into(ty) => {
            let ty = param_type_tokens(ty);
            quote! { into #ty }
        }
        other => {
            let ty = param_type_tokens(other);
            quote! { value #ty }
        }
    }
}
