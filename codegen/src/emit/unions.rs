//! Emit stage, response unions: the enum of a response value that is one of several objects,
//! a variant per object and `Unknown` for a tag value the docs do not list, decoded and
//! written back by the runtime's `response_union!`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::print::{Options, code, doc_attrs};
use crate::names::reserved;
use crate::plan::model::UnionDef;

pub(super) fn union_def(def: &UnionDef, options: &Options) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let tag = &def.tag;
    let doc = doc_attrs(&format!(
        "The object at {} of the response documented at {}: one of {} objects, told apart by their {} key.",
        code(&def.json_path),
        code(&format!(
            "{}{}:{}",
            options.source_prefix, def.span.file, def.span.line
        )),
        def.variants.len(),
        code(tag),
    ));
    let variants = def.variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.name);
        let ty = format_ident!("{}", variant.ty);
        let values = variant
            .tags
            .iter()
            .map(|v| code(v))
            .collect::<Vec<_>>()
            .join(", ");
        let doc = doc_attrs(&format!("{} {values}.", code(tag)));
        quote! {
            #doc
            #ident(#ty),
        }
    });
    let unknown = format_ident!("{}", reserved::UNKNOWN_VARIANT);
    let unknown_doc = doc_attrs(&format!(
        "An object whose {} the docs do not list (or that has none), as received: reported as drift, never read as another variant.",
        code(tag)
    ));
    let arms = def.variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.name);
        let values = &variant.tags;
        quote! { #ident: [#(#values),*] }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #unknown(serde_json::Value),
        }
        runtime::response_union!(#name, #tag { #(#arms),* });
    }
}
