//! Emit stage, request bodies: prints a body struct of the plan — its fields, a setter per
//! field (and one sending `null` for a nullable field), the extra keys, and the check of its
//! required fields (`runtime::RequiredFields`).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::print::{code, doc_attrs, wire_pairs};
use crate::ir::BodyEncoding;
use crate::plan::model::{BodyFieldDef, BodyStructDef, BodyTy, BodyUnionDef};

fn value_tokens(ty: &BodyTy) -> TokenStream {
    match ty {
        BodyTy::String => quote! { String },
        BodyTy::I64 => quote! { i64 },
        BodyTy::F64 => quote! { f64 },
        BodyTy::Bool => quote! { bool },
        BodyTy::DateTime => quote! { runtime::Timestamp },
        BodyTy::Value => quote! { serde_json::Value },
        BodyTy::File => quote! { runtime::FilePart },
        BodyTy::Enum(name) | BodyTy::Struct(name) => {
            let name = format_ident!("{}", name);
            quote! { #name }
        }
        BodyTy::Vec(element) => {
            let element = value_tokens(element);
            quote! { Vec<#element> }
        }
        BodyTy::Map(element) => {
            let element = value_tokens(element);
            quote! { ::std::collections::BTreeMap<String, #element> }
        }
    }
}

/// The type a method takes a body that is an array or a map as, behind its `&`: a slice of
/// the elements, or the map.
pub(super) fn arg_tokens(wrap: &BodyTy) -> TokenStream {
    match wrap {
        BodyTy::Vec(element) => {
            let element = value_tokens(element);
            quote! { [#element] }
        }
        other => value_tokens(other),
    }
}

/// How the docs name a scalar element of a body that is an array or a map.
pub(super) fn scalar_words(ty: &BodyTy) -> &'static str {
    match ty {
        BodyTy::String => "strings",
        BodyTy::I64 => "integers",
        BodyTy::F64 => "numbers",
        BodyTy::Bool => "booleans",
        BodyTy::DateTime => "timestamps (`runtime::Timestamp`)",
        BodyTy::Value => "JSON values",
        BodyTy::Enum(_) => "documented values",
        BodyTy::File => "files",
        BodyTy::Struct(_) => "objects",
        BodyTy::Vec(_) => "arrays",
        BodyTy::Map(_) => "maps",
    }
}

/// The `runtime::setter!` kind and value type of a field of type `ty`: `impl Into<_>` where a
/// conversion reads naturally (`&str` for a string, an enum from its wire text), iterators
/// for lists and maps.
fn setter_kind(ty: &BodyTy) -> TokenStream {
    match ty {
        BodyTy::Vec(element) => {
            let element = value_tokens(element);
            quote! { items #element }
        }
        BodyTy::Map(element) => {
            let element = value_tokens(element);
            quote! { pairs #element }
        }
        BodyTy::Struct(_) | BodyTy::File | BodyTy::I64 | BodyTy::F64 | BodyTy::Bool => {
            let ty = value_tokens(ty);
            quote! { value #ty }
        }
        _ => {
            let ty = value_tokens(ty);
            quote! { into #ty }
        }
    }
}

/// The body struct: public fields (each optional on the wire until set), a setter per field,
/// `new()`, and `RequiredFields`, which the request checks before anything is sent.
pub(crate) fn body_def(def: &BodyStructDef, handle: &str) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let owner = format!("[`{handle}::{}`]", def.fn_name);
    let required: Vec<&BodyFieldDef> = def.fields.iter().filter(|f| f.required).collect();
    let what = match def.encoding {
        BodyEncoding::Json => "JSON request body",
        BodyEncoding::Multipart => "`multipart/form-data` request body",
        BodyEncoding::Form => "`application/x-www-form-urlencoded` request body",
        // Bytes have no struct.
        BodyEncoding::Raw => "request body",
    };
    let mut text = if let Some(variant) = &def.variant {
        format!(
            "The variant {} of the JSON request body of {owner}: build it with `new()`, then chain setters.",
            code(variant)
        )
    } else if def.json_path == "$" {
        format!("The {what} of {owner}: build it with `new()`, then chain setters.")
    } else {
        format!(
            "The object at {} of the JSON request body of {owner}: build it with `new()`, then chain setters.",
            code(&def.json_path)
        )
    };
    if def.encoding == BodyEncoding::Multipart {
        text.push_str("\n\nEach set field is a part of its name: a file with its file name and media type, a string, number or boolean as text (a list of them a part each), anything else as JSON (`application/json`).");
    }
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
    let one_of: Vec<&BodyFieldDef> = def.fields.iter().filter(|f| f.one_of).collect();
    if !one_of.is_empty() {
        text.push_str(&format!(
            "\n\nOne of {} is required: a call made without any fails with `Error::InvalidRequest` before anything is sent.",
            or_list(&one_of, |f| code(&format!(".{}(..)", f.rust)))
        ));
    }
    let doc = doc_attrs(&text);
    let extra = format_ident!("{}", def.extra);
    let extra_setter = format_ident!("{}", def.extra_setter);
    let fields = def.fields.iter().map(|f| {
        let rust = format_ident!("{}", f.rust);
        let value = value_tokens(&f.ty);
        let mut text = if f.doc.is_empty() {
            format!("Field {}.", code(&f.wire))
        } else {
            f.doc.clone()
        };
        if f.required {
            text.push_str("\n\nRequired.");
        }
        if f.one_of {
            text.push_str(&format!(
                "\n\nOne of {} is required.",
                or_list(&one_of, |f| code(&f.wire))
            ));
        }
        let ty = match &f.null_setter {
            Some(null) => {
                text.push_str(&format!(
                    "\n\nNullable: `Some(None)` (set with `.{null}()`) sends `null`; `None` leaves the field out."
                ));
                quote! { Option<Option<#value>> }
            }
            None => quote! { Option<#value> },
        };
        let field_doc = doc_attrs(&text);
        quote! {
            #field_doc
            pub #rust: #ty,
        }
    });
    let keys = wire_pairs(
        def.fields
            .iter()
            .map(|f| (f.rust.as_str(), f.wire.as_str())),
    );
    // One `runtime::setter!` line per field (and its null setter): see the macro.
    let setters = def.fields.iter().map(|f| {
        let rust = format_ident!("{}", f.rust);
        let how = setter_kind(&f.ty);
        let doc = format!(
            "Sets {}{}.",
            code(&f.wire),
            if f.required { " (required)" } else { "" }
        );
        let null = f.null_setter.as_ref().map(|null| {
            let null = format_ident!("{}", null);
            let doc = format!("Sends {} as `null`.", code(&f.wire));
            quote! { , null #null #doc }
        });
        quote! { runtime::setter!(#doc, #rust, #how #null); }
    });
    let checks = def.fields.iter().filter_map(|f| {
        let rust = format_ident!("{}", f.rust);
        let path = Literal::string(&format!(".{}", f.wire));
        let unset = f.required.then(|| {
            quote! {
                if self.#rust.is_none() {
                    return runtime::missing(#path);
                }
            }
        });
        let inner = f.ty.has_struct().then(|| {
            quote! {
                if let Some(missing) = runtime::RequiredFields::missing_required(&self.#rust) {
                    return runtime::missing_in(#path, missing);
                }
            }
        });
        (unset.is_some() || inner.is_some()).then(|| quote! { #unset #inner })
    });
    let mut checks: Vec<TokenStream> = checks.collect();
    if !one_of.is_empty() {
        let path = Literal::string(&format!(".({})", or_list(&one_of, |f| f.wire.clone())));
        let unset = one_of.iter().map(|f| {
            let rust = format_ident!("{}", f.rust);
            quote! { self.#rust.is_none() }
        });
        checks.push(quote! {
            if #(#unset)&&* {
                return runtime::missing(#path);
            }
        });
    }
    // Nothing to check anywhere inside: the trait's default (`None`) says so.
    let required_fields = if checks.is_empty() {
        quote! { impl runtime::RequiredFields for #name {} }
    } else {
        quote! {
            impl runtime::RequiredFields for #name {
                fn missing_required(&self) -> Option<String> {
                    #(#checks)*
                    None
                }
            }
        }
    };
    let encode = match def.encoding {
        BodyEncoding::Multipart => {
            let parts = def.fields.iter().map(|f| {
                let rust = format_ident!("{}", f.rust);
                let wire = &f.wire;
                match &f.ty {
                    BodyTy::File => quote! { form.files(#wire, &self.#rust); },
                    BodyTy::Vec(e) if **e == BodyTy::File => {
                        quote! { form.files(#wire, &self.#rust); }
                    }
                    _ => quote! { form.field(#wire, &self.#rust)?; },
                }
            });
            quote! {
                impl runtime::MultipartBody for #name {
                    fn write_parts(&self, form: &mut runtime::Multipart) -> ::std::result::Result<(), ::serde_json::Error> {
                        #(#parts)*
                        for (key, value) in &self.#extra {
                            form.field(key, &Some(value))?;
                        }
                        Ok(())
                    }
                }
            }
        }
        _ => quote! { runtime::object_serialize!(#name, #extra { #(#keys),* }); },
    };
    let presets: Vec<&BodyFieldDef> = def.fields.iter().filter(|f| f.preset.is_some()).collect();
    let (new_doc, new_body) = if presets.is_empty() {
        (
            doc_attrs("Nothing set: `{}` on the wire."),
            quote! { Self::default() },
        )
    } else {
        let said: Vec<String> = presets
            .iter()
            .map(|f| {
                format!(
                    "{} set to {}",
                    code(&f.wire),
                    code(f.preset.as_deref().unwrap_or_default())
                )
            })
            .collect();
        let sets = presets.iter().map(|f| {
            let rust = format_ident!("{}", f.rust);
            let value = f.preset.as_deref().unwrap_or_default();
            quote! { #rust: Some(::std::convert::From::from(#value)), }
        });
        (
            doc_attrs(&format!(
                "{}, the only value documented; nothing else set.",
                capitalize(&said.join(", "))
            )),
            quote! { Self { #(#sets)* ..Self::default() } },
        )
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name {
            #(#fields)*
            /// Keys the fields above do not cover, sent as given after them (set with
            /// `.extra_field(..)`); a key that a field also sets would be sent twice.
            pub #extra: ::serde_json::Map<String, ::serde_json::Value>,
        }
        #encode

        impl #name {
            #new_doc
            pub fn new() -> Self {
                #new_body
            }
            #(#setters)*
            runtime::setter!("Sets a key the fields above do not cover: sent as given.", #extra_setter, insert #extra);
        }

        #required_fields
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A body that is one of several objects: an enum over their structs, serialised as the one
/// chosen (no tag of its own: each object carries its own, `"type": "A"`), with `From` for each
/// struct and the check of the chosen one's required fields.
pub(crate) fn union_def(def: &BodyUnionDef, handle: &str) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = doc_attrs(&format!(
        "The JSON request body of [`{handle}::{}`]: one of these objects, sent as the one chosen.",
        def.fn_name
    ));
    let variants = def.variants.iter().map(|(variant, ty, label)| {
        let variant = format_ident!("{}", variant);
        let ty = format_ident!("{}", ty);
        let doc = doc_attrs(&code(label));
        quote! { #doc #variant(#ty), }
    });
    let froms = def.variants.iter().map(|(variant, ty, _)| {
        let variant = format_ident!("{}", variant);
        let ty = format_ident!("{}", ty);
        quote! {
            impl ::std::convert::From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    #name::#variant(value)
                }
            }
        }
    });
    let checks = def.variants.iter().map(|(variant, _, _)| {
        let variant = format_ident!("{}", variant);
        quote! { #name::#variant(value) => runtime::RequiredFields::missing_required(value), }
    });
    // A body is built once and serialised: the size of its largest variant costs nothing,
    // while boxing them would make `Enum::Variant(Struct::new())` read worse.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        #(#froms)*

        impl runtime::RequiredFields for #name {
            fn missing_required(&self) -> Option<String> {
                match self {
                    #(#checks)*
                }
            }
        }
    }
}

/// `a`, `a or b`, `a, b or c`: the fields `fields` as `name` writes each.
fn or_list(fields: &[&BodyFieldDef], name: impl Fn(&BodyFieldDef) -> String) -> String {
    let names: Vec<String> = fields.iter().map(|f| name(f)).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}
