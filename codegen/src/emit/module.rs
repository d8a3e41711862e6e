//! Emit stage, the modules: `src/generated/mod.rs` (one `pub mod` per group, behind its
//! feature, and the endpoint index) and each group's module — its handle with one method per
//! endpoint and raw-body variant (docs and example included), its structs, unions (see
//! `unions`), enums, parameter structs, aliases and `ListResult` impls.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::print::{
    Options, code, doc_attrs, example_value, inner_doc_attrs, pagination, type_tokens, wire_pairs,
};
use super::{bodies, params, unions};
use crate::ir::{BodyEncoding, Method};
use crate::names::reserved;
use crate::plan::model::{
    AliasRole, BodyTy, DataLocation, EndpointPlan, EnumDef, ExampleValue, GroupPlan,
    ListResultPlan, ParamTy, PathPiece, ResultPlan, StructDef, TypeRef,
};

/// A group's module. `in_part`: the module is compiled in a part crate (see
/// [`crate::plan::parts`]), where the client's `Client` is not in scope for a doc link.
pub(super) fn group_module(group: &GroupPlan, options: &Options, in_part: bool) -> TokenStream {
    let handle = format_ident!("{}", group.handle);
    let accessor = &group.accessor;
    let module_doc = format!(
        "{}: the endpoints documented in {}.",
        group.title,
        code(&format!("{}{}", options.source_prefix, group.file))
    );
    let client = if in_part {
        format!("`{}::Client::{accessor}`", options.crate_name)
    } else {
        format!("[`Client::{accessor}`](crate::Client::{accessor})")
    };
    let handle_doc = doc_attrs(&format!(
        "The {} endpoints. Get one with {client}.",
        group.title
    ));
    let new_doc = doc_attrs(&format!(
        "The {} endpoints of `client`; {client} is the same.",
        group.title
    ));
    let module_doc = inner_doc_attrs(&module_doc);
    let methods = group
        .endpoints
        .iter()
        .map(|e| endpoint_methods(group, e, options));
    let structs = group.structs.iter().map(|s| struct_def(s, options));
    let unions = group.unions.iter().map(|u| unions::union_def(u, options));
    let list_results = group.list_results.iter().map(list_result_impl);
    let enums = group.enums.iter().map(|e| enum_def(e, options));
    let params = group
        .params
        .iter()
        .map(|p| params::params_def(p, &group.handle));
    let bodies = group
        .bodies
        .iter()
        .map(|b| bodies::body_def(b, &group.handle));
    let body_unions = group
        .body_unions
        .iter()
        .map(|u| bodies::union_def(u, &group.handle));
    let aliases = group.aliases.iter().map(|alias| {
        let name = format_ident!("{}", alias.name);
        let target = format_ident!("{}", alias.target);
        let role = match &alias.role {
            AliasRole::Params { fn_name } => {
                format!("The query parameters of [`{}::{fn_name}`]", group.handle)
            }
            AliasRole::Body { fn_name, json_path } if json_path == "$" => {
                format!("The JSON request body of [`{}::{fn_name}`]", group.handle)
            }
            AliasRole::Body { fn_name, json_path } => format!(
                "The object at {} of the JSON request body of [`{}::{fn_name}`]",
                code(json_path),
                group.handle
            ),
            AliasRole::Object { json_path, span } => format!(
                "The object at {} of the response documented at {}",
                code(json_path),
                code(&format!(
                    "{}{}:{}",
                    options.source_prefix, span.file, span.line
                ))
            ),
        };
        let doc = doc_attrs(&format!(
            "{role}: the same type as [`{}`], named for this use.",
            alias.target
        ));
        quote! {
            #doc
            pub type #name = #target;
        }
    });
    quote! {
        #module_doc

        // Every item below reaches the runtime through this one name.
        use crate::runtime;

        #handle_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a runtime::Client,
        }

        impl<'a> #handle<'a> {
            #new_doc
            pub fn new(client: &'a runtime::Client) -> Self {
                #handle { client }
            }
        }

        impl #handle<'_> {
            #(#methods)*
        }

        #(#params)*

        #(#body_unions)*

        #(#bodies)*

        #(#structs)*

        #(#unions)*

        #(#aliases)*

        #(#list_results)*

        #(#enums)*
    }
}

/// `runtime::ListResult` for a result object whose array field holds a listing's items, so
/// `.pages()` and `.items()` page through it while each page keeps the other fields.
fn list_result_impl(list: &ListResultPlan) -> TokenStream {
    let name = format_ident!("{}", list.name);
    let field = format_ident!("{}", list.field);
    let item = type_tokens(&list.item);
    let doc = doc_attrs(&format!(
        "A listing's items are the {} array of each page's result.",
        code(&list.wire)
    ));
    quote! {
        #doc
        impl runtime::ListResult for #name {
            type Item = #item;

            fn items(&self) -> &[#item] {
                self.#field.as_deref().unwrap_or_default()
            }

            fn items_mut(&mut self) -> Option<&mut Vec<#item>> {
                self.#field.as_mut()
            }

            fn into_items(self) -> Vec<#item> {
                self.#field.unwrap_or_default()
            }
        }
    }
}

/// The array field holding the items of `endpoint`'s pages, when they are inside a result
/// object rather than the result itself.
fn items_field<'a>(group: &'a GroupPlan, endpoint: &EndpointPlan) -> Option<&'a ListResultPlan> {
    let Some(TypeRef::Struct(name)) = endpoint.result.non_null_type() else {
        return None;
    };
    endpoint.pagination.as_ref()?;
    group.list_results.iter().find(|l| &l.name == name)
}

/// The endpoint's method, and one more per raw-body variant.
fn endpoint_methods(group: &GroupPlan, endpoint: &EndpointPlan, options: &Options) -> TokenStream {
    let name = format_ident!("{}", endpoint.fn_name);
    let source = code(&format!(
        "{}{}:{}",
        options.source_prefix, endpoint.span.file, endpoint.span.line
    ));
    let route = format!(
        "{} {}",
        code(endpoint.method.as_str()),
        code(&endpoint.path)
    );
    let mut doc_text = format!("{}\n\n{route}\n\n", endpoint.doc);
    if endpoint.pagination.is_some() {
        doc_text.push_str(
            "Paginated: `.send()` returns one page; `.pages()` and `.items()` stream every page or item and stop at the end.",
        );
        if let Some(list) = items_field(group, endpoint) {
            doc_text.push_str(&format!(
                " The items are the {} array of each page's result, whose other fields each page keeps.",
                code(&list.wire)
            ));
        }
        doc_text.push_str("\n\n");
    }
    if let Some(wrap) = endpoint.body.as_ref().and_then(|b| b.wrap.as_ref()) {
        let (what, check) = match wrap.innermost() {
            BodyTy::Struct(name) => (
                format!("[`{name}`] (each built with `new()` and its setters)"),
                " A required field left unset in any of them fails the call before anything is sent.",
            ),
            other => (bodies::scalar_words(other).to_owned(), ""),
        };
        let container = match wrap {
            BodyTy::Map(_) => "a map (by key) of",
            _ => "an array of",
        };
        doc_text.push_str(&format!(
            "The request body is {container} {what}, sent as JSON.{check}\n\n"
        ));
    } else if let Some(body) = &endpoint.body {
        let build = match &body.example {
            ExampleValue::Union { .. } => {
                "one of its variants, each a struct built with `new()` and its setters".to_owned()
            }
            _ => format!("`{}::new()` and its setters", body.name),
        };
        let sent = match (body.encoding, &body.media_type) {
            (BodyEncoding::Multipart, _) => {
                "sent as `multipart/form-data`, a part per field".to_owned()
            }
            (BodyEncoding::Form, _) => "sent as `application/x-www-form-urlencoded`".to_owned(),
            (_, Some(media)) => format!("sent as JSON (`{media}`)"),
            _ => "sent as JSON".to_owned(),
        };
        doc_text.push_str(&format!(
            "The request body is [`{}`], {sent}: build it with {build}. A required field left unset fails the call before anything is sent.\n\n",
            body.name
        ));
    } else if let Some(raw) = &endpoint.raw_body {
        doc_text.push_str(&format!(
            "The request body is bytes, sent as {}: a `Vec<u8>`, a `String`, a `&'static str` or [`Bytes`](runtime::Bytes).\n\n",
            code(&raw.media_type)
        ));
    } else if endpoint.takes_body {
        doc_text.push_str(
            "The docs do not describe the request body: pass it with [`json_body`](runtime::Request::json_body), or [`body`](runtime::Request::body) for another content type, before `.send()`.\n\n",
        );
    }
    if let ResultPlan::Json {
        at: DataLocation::Body,
        ..
    } = &endpoint.result
    {
        doc_text
            .push_str("The response's data is its whole 2xx body, not an envelope's `result`.\n\n");
    }
    doc_text.push_str(&format!("Documented at {source}.\n\n"));
    // Overlays describe path parameters; the template alone names them.
    let described: Vec<String> = endpoint
        .path_args
        .iter()
        .filter(|arg| !arg.doc.is_empty())
        .map(|arg| format!("- {}: {}\n", code(&arg.name), arg.doc))
        .collect();
    if !described.is_empty() {
        doc_text.push_str(&format!("# Arguments\n\n{}\n", described.concat()));
    }
    if !endpoint.responses.is_empty() {
        doc_text.push_str("# Responses\n\n");
        for response in &endpoint.responses {
            doc_text.push_str(&format!("- {}", code(&response.status)));
            // A description of several paragraphs stays inside its list item.
            for (i, line) in response.doc.lines().enumerate() {
                match (i, line.is_empty()) {
                    (0, _) if opens_block(line) => doc_text.push_str(&format!(":\n\n  {line}")),
                    (0, _) => doc_text.push_str(&format!(": {line}")),
                    (_, true) => doc_text.push('\n'),
                    (_, false) => doc_text.push_str(&format!("\n  {line}")),
                }
            }
            doc_text.push('\n');
        }
        doc_text.push('\n');
    }
    doc_text.push_str(&format!(
        "# Example\n\n{}",
        example(group, endpoint, options)
    ));
    let doc = doc_attrs(&doc_text);
    let method = method_tokens(endpoint.method);

    let mut args: Vec<TokenStream> = endpoint
        .path_args
        .iter()
        .map(|arg| {
            let arg = format_ident!("{}", arg.name);
            quote! { #arg: &str }
        })
        .collect();
    let with_query = endpoint.params.as_ref().map(|p| {
        let params_type = format_ident!("{}", p.name);
        let params_arg = format_ident!("{}", endpoint.params_arg);
        args.push(quote! { #params_arg: &#params_type });
        let require = p
            .has_required()
            .then(|| quote! { .require(#params_arg.missing_required()) });
        let headers = p.fields.iter().filter(|f| f.header).map(|f| {
            let wire = &f.wire;
            let field = format_ident!("{}", f.rust);
            let value = match f.ty {
                ParamTy::Secret => quote! {
                    #params_arg.#field.as_ref().map(runtime::Secret::expose)
                },
                _ => quote! { #params_arg.#field.as_ref() },
            };
            quote! { .header_param(#wire, #value) }
        });
        let query = p
            .fields
            .iter()
            .any(|f| !f.header)
            .then(|| quote! { .query(#params_arg) });
        quote! { #query #(#headers)* #require }
    });
    let with_body = endpoint.body.as_ref().map(|b| {
        let body_arg = format_ident!("{}", b.arg);
        if let Some(wrap) = &b.wrap {
            // An array is taken as a slice; a body of scalars has no field to check.
            let ty = bodies::arg_tokens(wrap);
            args.push(quote! { #body_arg: &#ty });
            let set = match wrap.has_struct() {
                true => quote! { .checked_json_body(#body_arg) },
                false => quote! { .json_body(#body_arg) },
            };
            return match &b.media_type {
                Some(media) => quote! { #set.header("content-type", #media) },
                None => set,
            };
        }
        let body_type = format_ident!("{}", b.name);
        args.push(quote! { #body_arg: &#body_type });
        match (b.encoding, &b.media_type) {
            (BodyEncoding::Multipart, _) => quote! { .checked_multipart_body(#body_arg) },
            (BodyEncoding::Form, _) => quote! { .checked_form_body(#body_arg) },
            // Another JSON type (`application/scim+json`) replaces the one JSON sets.
            (_, Some(media)) => quote! {
                .checked_json_body(#body_arg).header("content-type", #media)
            },
            _ => quote! { .checked_json_body(#body_arg) },
        }
    });
    let with_body = with_body.or_else(|| {
        let raw = endpoint.raw_body.as_ref()?;
        let body_arg = format_ident!("{}", raw.arg);
        let media = &raw.media_type;
        args.push(quote! { #body_arg: impl Into<runtime::Bytes> });
        Some(quote! { .body(#body_arg, #media) })
    });
    // The path as one template and its values in order: the template reads as the docs
    // write it, and is one token where the pieces were a call each.
    let mut template = String::new();
    let mut values: Vec<TokenStream> = Vec::new();
    for part in &endpoint.path_parts {
        match part {
            PathPiece::Literal(text) => template.push_str(text),
            PathPiece::Param { wire, arg } => {
                template.push('{');
                template.push_str(wire);
                template.push('}');
                let arg = format_ident!("{}", arg);
                values.push(quote! { #arg });
            }
        }
    }
    let path = quote! { &[runtime::PathPart::Template(#template, &[#(#values),*])] };
    let (output, constructor) = match &endpoint.result {
        ResultPlan::Raw => (
            quote! { runtime::RawBody },
            quote! { runtime::Request::raw(self.client, #method, #path) },
        ),
        ResultPlan::Json { ty, at } => {
            let data_at = match at {
                DataLocation::Body => quote! { runtime::DataAt::Body },
                DataLocation::Envelope(keys) => {
                    quote! { runtime::DataAt::Envelope(&[#(#keys),*]) }
                }
            };
            (
                type_tokens(ty),
                quote! { runtime::Request::json(self.client, #method, #path, #data_at) },
            )
        }
    };
    let paginate = endpoint.pagination.as_ref().map(|p| {
        let how = pagination(p, &quote! { runtime::Pagination });
        quote! { .paginate(#how) }
    });
    let variants = endpoint.variants.iter().map(|variant| {
        let variant_name = format_ident!("{}", variant.fn_name);
        let doc = doc_attrs(&format!(
            "{}\n\n[`{}`](Self::{}) as a raw body{}: the same request with {}.\n\nDocumented at {source}.",
            if variant.doc.is_empty() { "A raw-body variant." } else { &variant.doc },
            endpoint.fn_name,
            endpoint.fn_name,
            variant.accept.as_deref().map(|a| format!(" ({})", code(a))).unwrap_or_default(),
            variant.query.iter().map(|(k, v)| code(&format!("{k}={v}"))).collect::<Vec<_>>().join(", "),
        ));
        let pairs = variant.query.iter().map(|(k, v)| quote! { .set_query_pair(#k, #v) });
        let accept = variant.accept.as_ref().map(|a| quote! { .header("accept", #a) });
        quote! {
            #doc
            pub fn #variant_name(&self, #(#args),*) -> runtime::Request<runtime::RawBody> {
                runtime::Request::raw(self.client, #method, #path)
                    #with_query
                    #with_body
                    #(#pairs)*
                    #accept
            }
        }
    });
    quote! {
        #doc
        pub fn #name(&self, #(#args),*) -> runtime::Request<#output> {
            #constructor
                #with_query
                #with_body
                #paginate
        }

        #(#variants)*
    }
}

/// A short `no_run` example for an endpoint's docs, built and formatted like the code.
fn example(group: &GroupPlan, endpoint: &EndpointPlan, options: &Options) -> String {
    let krate = format_ident!("{}", options.crate_name);
    let module = format_ident!("{}", group.module);
    let accessor = format_ident!("{}", group.accessor);
    let name = format_ident!("{}", endpoint.fn_name);
    let mut args: Vec<TokenStream> = endpoint
        .path_args
        .iter()
        .map(|arg| {
            let example = &arg.example;
            quote! { #example }
        })
        .collect();
    let mut uses = Vec::new();
    let mut setup = None;
    if let Some(params) = &endpoint.params {
        let params_type = format_ident!("{}", params.name);
        let params_var = format_ident!("{}", endpoint.params_arg);
        uses.push(quote! { use #krate::#module::#params_type; });
        // Required parameters are set by name, like the others: nothing to swap.
        let required = params.example.iter().map(|(setter, value)| {
            let setter = format_ident!("{}", setter);
            let value = example_value(&group.module, options, value);
            quote! { .#setter(#value) }
        });
        setup = Some(quote! { let #params_var = #params_type::new() #(#required)*; });
        args.push(quote! { &#params_var });
    }
    let mut body_setup = None;
    if let Some(body) = endpoint.body.as_ref().filter(|b| b.wrap.is_some()) {
        let body_var = format_ident!("{}", body.arg);
        let value = example_value(&group.module, options, &body.example);
        body_setup = Some(quote! { let #body_var = #value; });
        args.push(quote! { &#body_var });
    } else if let Some(body) = &endpoint.body {
        let body_type = format_ident!("{}", body.name);
        let body_var = format_ident!("{}", body.arg);
        uses.push(quote! { use #krate::#module::#body_type; });
        let set = |setters: &[(String, ExampleValue)]| -> Vec<TokenStream> {
            setters
                .iter()
                .map(|(setter, value)| {
                    let setter = format_ident!("{}", setter);
                    let value = example_value(&group.module, options, value);
                    quote! { .#setter(#value) }
                })
                .collect()
        };
        body_setup = Some(match &body.example {
            ExampleValue::Union { variant, value, .. } => {
                let variant = format_ident!("{}", variant);
                let (ty, setters) = match value.as_ref() {
                    ExampleValue::Struct { ty, setters } => (ty.as_str(), setters.as_slice()),
                    _ => ("", &[][..]),
                };
                let ty = format_ident!("{}", ty);
                uses.push(quote! { use #krate::#module::#ty; });
                let setters = set(setters);
                quote! { let #body_var = #body_type::#variant(#ty::new() #(#setters)*); }
            }
            ExampleValue::Struct { setters, .. } => {
                let setters = set(setters);
                quote! { let #body_var = #body_type::new() #(#setters)*; }
            }
            _ => quote! { let #body_var = #body_type::new(); },
        });
        args.push(quote! { &#body_var });
    } else if let Some(raw) = &endpoint.raw_body {
        let body_var = format_ident!("{}", raw.arg);
        body_setup =
            Some(quote! { let #body_var = std::fs::read("body.bin").unwrap_or_default(); });
        args.push(quote! { #body_var });
    }
    let call = quote! { client.#accessor().#name(#(#args),*) };
    let body = match (&endpoint.pagination, &endpoint.result) {
        (Some(_), _) => quote! {
            let mut items = #call.items();
            while let Some(item) = items.try_next().await? {
                println!("{item:?}");
            }
        },
        (None, ResultPlan::Raw) => quote! {
            let response = #call.send().await?;
            println!("{} bytes", response.data.len());
        },
        (None, ResultPlan::Json { .. }) => quote! {
            let response = #call.send().await?;
            println!("{:?}", response.data);
        },
    };
    if endpoint.pagination.is_some() {
        uses.push(quote! { use futures::TryStreamExt; });
    }
    let tokens = quote! {
        async fn example() -> Result<(), #krate::Error> {
            #(#uses)*
            let client = #krate::Client::from_env()?;
            #setup
            #body_setup
            #body
            Ok(())
        }
    };
    let text = match syn::parse2::<syn::File>(tokens) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => return String::new(),
    };
    // Show the body; hide the wrapper that makes it compile (`# ` lines).
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let mut out = String::from("```no_run\n");
    for (i, line) in lines.iter().enumerate() {
        let hidden = i == 0 || i + 2 >= lines.len();
        if hidden {
            out.push_str("# ");
        }
        out.push_str(line.strip_prefix("    ").unwrap_or(line));
        out.push('\n');
    }
    out.push_str("```");
    out
}

/// Whether a Markdown line starts a block (a fence, a list item, a heading, a quote, a table
/// row), which cannot follow `- `status`: ` on its line.
fn opens_block(line: &str) -> bool {
    let ordered = line
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .starts_with([')', '.'])
        && line.starts_with(|c: char| c.is_ascii_digit());
    // A backtick opens a block only as a fence; inline code is fine.
    let fence_or_not_code = line.starts_with("```") || !line.starts_with('`');
    ordered
        || fence_or_not_code && line.starts_with([' ', '#', '>', '|', '`', '~', '-', '*', '+', '<'])
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
        code(&format!(
            "{}{}:{}",
            options.source_prefix, def.span.file, def.span.line
        )),
    ));
    let fields = def.fields.iter().map(|field| {
        let rust = format_ident!("{}", field.rust);
        let ty = type_tokens(&field.ty);
        let field_doc = doc_attrs(&format!("JSON key {}.", code(&field.wire)));
        quote! {
            #field_doc
            pub #rust: Option<#ty>,
        }
    });
    // Deserialize and Serialize come from the runtime's `response_object!`: one shared
    // implementation instead of derives expanded per struct (most of the corpus crate's
    // check time and memory).
    let keys = def.fields.iter().enumerate().map(|(index, field)| {
        let index = Literal::usize_unsuffixed(index);
        let rust = format_ident!("{}", field.rust);
        let wire = &field.wire;
        quote! { #index => #rust = #wire }
    });
    let extra = format_ident!("{}", def.extra);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name {
            #(#fields)*
            /// Keys the docs do not list and documented values of another JSON type, as
            /// received (see [`Extra`](runtime::Extra)); serialized after the fields.
            pub #extra: runtime::Extra,
        }
        runtime::response_object!(#name, #extra { #(#keys),* });
    }
}

fn enum_def(def: &EnumDef, options: &Options) -> TokenStream {
    if !def.body_fields.is_empty() {
        // Body values come from an overlay, whose lines `source` does not name.
        let users = def
            .body_fields
            .iter()
            .map(|(body, wire)| format!("{} of [`{body}`]", code(wire)))
            .collect::<Vec<_>>();
        let doc = format!(
            "The documented values of the request-body field{} {}; another value is sent as `Unknown(..)` (or converted from its text).",
            if users.len() == 1 { "" } else { "s" },
            users.join(", ")
        );
        return open_enum(
            def,
            &doc,
            "A value the docs do not list, sent as given.",
            Direction::Sent,
        );
    }
    let name = format_ident!("{}", def.name);
    if def.open {
        let source = code(&format!(
            "{}{}:{}",
            options.source_prefix, def.span.file, def.span.line
        ));
        let doc = format!(
            "A documented set of values (from {source}); a value the docs do not list decodes into `Unknown`."
        );
        open_enum(
            def,
            &doc,
            "A value this client does not know yet, as received.",
            Direction::Received,
        )
    } else {
        // Parameter values come from an overlay, whose lines `source` does not name.
        let users = def
            .params
            .iter()
            .map(|(params, wire)| format!("{} of [`{params}`]", code(wire)))
            .collect::<Vec<_>>();
        let doc = doc_attrs(&match users.as_slice() {
            [] => "The values a request parameter accepts.".to_owned(),
            [one] => format!("The values the query parameter {one} accepts."),
            _ => format!(
                "The values these query parameters accept: {}.",
                users.join(", ")
            ),
        });
        let variants = def.variants.iter().map(|(wire, variant)| {
            let variant = format_ident!("{}", variant);
            let doc = doc_attrs(&code(wire));
            quote! {
                #doc
                #variant,
            }
        });
        let pairs = variant_pairs(def);
        // `as_str` and `Serialize` from the runtime's `value_enum!`; a parameter's value is
        // only ever sent, so there is no `Deserialize` to expand.
        quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variants)*
            }
            runtime::value_enum!(#name { #(#pairs),* });
        }
    }
}

/// `Variant = "wire"` for each of the enum's values, in documented order.
fn variant_pairs(def: &EnumDef) -> Vec<TokenStream> {
    wire_pairs(
        def.variants
            .iter()
            .map(|(wire, variant)| (variant.as_str(), wire.as_str())),
    )
}

/// Whether an open enum's values are only sent (request-body fields), or also received.
enum Direction {
    Sent,
    Received,
}

/// An open enum (`runtime::open_enum!`): the documented values, and `Unknown` for any other.
/// A sent-only enum asks for no `Deserialize`.
fn open_enum(def: &EnumDef, doc: &str, unknown_doc: &str, direction: Direction) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = doc_attrs(doc);
    let unknown_doc = doc_attrs(unknown_doc);
    let variants = def.variants.iter().map(|(wire, variant)| {
        let variant = format_ident!("{}", variant);
        let doc = doc_attrs(&code(wire));
        quote! { #doc #variant, }
    });
    let pairs = variant_pairs(def);
    let unknown = format_ident!("{}", reserved::UNKNOWN_VARIANT);
    let request = matches!(direction, Direction::Sent).then(|| quote! { request });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #unknown(String),
        }
        runtime::open_enum!(#request #name { #(#pairs),* });
    }
}
