//! Emit stage, response unions: the enum of a response value that is one of several values
//! (objects, a string, an array, ...), a variant each and `Unknown` for what none takes,
//! decoded and written back by the runtime's `response_union!`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::print::{Options, code, doc_attrs, type_tokens};
use crate::ir::JsonKind;
use crate::names::reserved;
use crate::plan::model::UnionDef;

pub(super) fn union_def(def: &UnionDef, options: &Options) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let objects = def
        .variants
        .iter()
        .filter(|v| v.kind == JsonKind::Object)
        .count();
    let objects_only = objects == def.variants.len();
    let told = match &def.tag {
        Some(tag) => format!("told apart by their {} key", code(tag)),
        None => "told apart by the keys each alone has".to_owned(),
    };
    let what = if objects_only {
        format!("one of {objects} objects, {told}")
    } else {
        let mut kinds: Vec<String> = def
            .variants
            .iter()
            .filter(|v| v.kind != JsonKind::Object)
            .map(|v| v.kind.described().to_owned())
            .collect();
        match objects {
            0 => {}
            1 => kinds.push("an object".to_owned()),
            n => kinds.push(format!("one of {n} objects ({told})")),
        }
        let last = kinds.pop().unwrap_or_default();
        match kinds.is_empty() {
            true => last,
            false => format!("{} or {last}, told apart by JSON type", kinds.join(", ")),
        }
    };
    let doc = doc_attrs(&format!(
        "The {} at {} of the response documented at {}: {what}.",
        if objects_only { "object" } else { "value" },
        code(&def.json_path),
        code(&format!(
            "{}{}:{}",
            options.source_prefix, def.span.file, def.span.line
        )),
    ));
    let integer = def.variants.iter().any(|v| v.kind == JsonKind::Integer);
    let variants = def.variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.name);
        let ty = type_tokens(&variant.ty);
        let values = variant
            .selectors
            .iter()
            .map(|v| code(v))
            .collect::<Vec<_>>()
            .join(", ");
        let doc = doc_attrs(&match (variant.kind, &def.tag) {
            (JsonKind::Object, _) if objects == 1 => "An object.".to_owned(),
            (JsonKind::Object, Some(tag)) => format!("{} {values}.", code(tag)),
            (JsonKind::Object, None) => format!("The object with {values}."),
            (JsonKind::Number, _) if integer => "A number that is not an integer.".to_owned(),
            (kind, _) => format!(
                "{}{}.",
                &kind.described()[..1].to_uppercase(),
                &kind.described()[1..]
            ),
        });
        quote! {
            #doc
            #ident(#ty),
        }
    });
    let unknown = format_ident!("{}", reserved::UNKNOWN_VARIANT);
    let unknown_doc = doc_attrs(&match (&def.tag, objects_only) {
        (Some(tag), true) => format!(
            "An object whose {} the docs do not list, or without one and without the keys of exactly one variant, as received: reported as drift, never read as another variant.",
            code(tag)
        ),
        (None, true) => "An object with none of the variants' keys, or keys of several, as received: reported as drift, never read as another variant.".to_owned(),
        (_, false) => "A value no variant takes (of another JSON type, or an object no variant's keys pick), as received: reported as drift, never read as another variant.".to_owned(),
    });
    let arms = def.variants.iter().enumerate().map(|(index, variant)| {
        let index = Literal::usize_unsuffixed(index);
        let ident = format_ident!("{}", variant.name);
        let kind = format_ident!("{}", kind_ident(variant.kind));
        let values = &variant.selectors;
        let own = &variant.own_keys;
        quote! { #index => #ident: #kind [#(#values),*] [#(#own),*] }
    });
    let tag = match &def.tag {
        Some(tag) => quote! { ::std::option::Option::Some(#tag) },
        None => quote! { ::std::option::Option::None },
    };
    // Variants hold their values inline, as serde's own enums do: boxing the larger ones
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

/// The runtime's `union::Kind` variant for `kind`.
fn kind_ident(kind: JsonKind) -> &'static str {
    match kind {
        JsonKind::Object => "Object",
        JsonKind::String => "String",
        JsonKind::Integer => "Integer",
        JsonKind::Number => "Number",
        JsonKind::Boolean => "Boolean",
        JsonKind::Array => "Array",
    }
}
