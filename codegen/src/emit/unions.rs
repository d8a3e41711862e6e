//! Emit stage, response unions: the enum of a response value that is one of several objects,
//! a variant per object and `Unknown` for a tag value the docs do not list, decoded and
//! written back by the runtime's `response_union!`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::print::{Options, code, doc_attrs};
use crate::names::reserved;
use crate::plan::model::UnionDef;

pub(super) fn union_def(def: &UnionDef, options: &Options) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let told = match &def.tag {
        Some(tag) => format!("their {} key", code(tag)),
        None => "the keys each alone has".to_owned(),
    };
    let doc = doc_attrs(&format!(
        "The object at {} of the response documented at {}: one of {} objects, told apart by {told}.",
        code(&def.json_path),
        code(&format!(
            "{}{}:{}",
            options.source_prefix, def.span.file, def.span.line
        )),
        def.variants.len(),
    ));
    let variants = def.variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.name);
        let ty = format_ident!("{}", variant.ty);
        let values = variant
            .selectors
            .iter()
            .map(|v| code(v))
            .collect::<Vec<_>>()
            .join(", ");
        let doc = doc_attrs(&match &def.tag {
            Some(tag) => format!("{} {values}.", code(tag)),
            None => format!("The object with {values}."),
        });
        quote! {
            #doc
            #ident(#ty),
        }
    });
    let unknown = format_ident!("{}", reserved::UNKNOWN_VARIANT);
    let unknown_doc = doc_attrs(&match &def.tag {
        Some(tag) => format!(
            "An object whose {} the docs do not list, or without one and without the keys of exactly one variant, as received: reported as drift, never read as another variant.",
            code(tag)
        ),
        None => "An object with none of the variants' keys, or keys of several, as received: reported as drift, never read as another variant.".to_owned(),
    });
    let arms = def.variants.iter().enumerate().map(|(index, variant)| {
        let index = Literal::usize_unsuffixed(index);
        let ident = format_ident!("{}", variant.name);
        let values = &variant.selectors;
        let own = &variant.own_keys;
        quote! { #index => #ident: [#(#values),*] [#(#own),*] }
    });
    let tag = match &def.tag {
        Some(tag) => quote! { ::std::option::Option::Some(#tag) },
        None => quote! { ::std::option::Option::None },
    };
    // Variants hold their structs inline, as serde's own enums do: boxing the larger ones
    // would save memory per value at the cost of an allocation per decoded value and a `*`
    // in every match a user writes.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #unknown(serde_json::Value),
        }
        runtime::response_union!(#name, #tag, { #(#arms),* });
    }
}
