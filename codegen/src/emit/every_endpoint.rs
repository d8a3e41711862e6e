//! Emit stage, the every-endpoint test: prints `tests/every_endpoint.rs` from the cases
//! [`crate::plan::every_endpoint`] planned, one `Case` (route and call) per generated method.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::print::{self, GeneratedFile, Options};
use crate::diag::Diagnostic;
use crate::plan::model::{Case, ExampleValue, GroupCases, Reply};

/// The generated test, relative to the crate root, when it is one file; shards of a larger
/// crate are `tests/every_endpoint_1.rs`, `_2`… (`cargo test --test 'every_endpoint*'`).
pub const TEST_FILE: &str = "tests/every_endpoint.rs";

/// The path of shard `index` (from 0) of `count`, numbers padded so the names sort.
pub fn test_path(index: usize, count: usize) -> String {
    if count <= 1 {
        return TEST_FILE.to_owned();
    }
    let width = count.to_string().len();
    format!("tests/every_endpoint_{:0width$}.rs", index + 1)
}

/// The hand-written server the test runs against and its relay to Prism, each relative to
/// the crate root with its text (copied into every crate but `generated-client`, which holds
/// the originals).
pub const SERVER_FILES: [(&str, &str); 3] = [
    (
        "tests/support/every_endpoint_server.rs",
        include_str!("../../../generated-client/tests/support/every_endpoint_server.rs"),
    ),
    (
        "tests/support/prism_relay.rs",
        include_str!("../../../generated-client/tests/support/prism_relay.rs"),
    ),
    (
        "tests/support/prism_responses.rs",
        include_str!("../../../generated-client/tests/support/prism_responses.rs"),
    ),
];

/// The test file at `path` for `groups`; `source` names the docs in its header.
pub fn test_file(
    path: String,
    groups: &[GroupCases],
    options: &Options,
    source: &str,
) -> Result<GeneratedFile, Vec<Diagnostic>> {
    let krate = format_ident!("{}", options.crate_name);
    let doc = print::inner_doc_attrs(&format!(
        "Every generated endpoint method, raw-body variants included, called once against a local\n\
         server on 127.0.0.1 ([`every_endpoint_server`]) that answers its documented method and\n\
         path with a body synthesized from its documented 2xx shape. Each call must send that\n\
         method to that path (path parameters percent-encoded), with every query parameter and\n\
         header set and sent under its documented name and every field of a typed body set and sent as\n\
         exactly the JSON expected, and decode with no warning into\n\
         data that serializes back to what was sent; a raw body must come back unchanged.\n\
         Every object in a body also holds a key the docs do not list (`undocumented`), which\n\
         must be kept on the decoded value and written back with it.\n\
         {} calls in this file (a large crate's are split over `every_endpoint_*.rs`, which a\n\
         plain `cargo test` skips and `cargo test --test 'every_endpoint_*'` runs); no endpoint\n\
         is skipped.",
        groups.iter().map(|g| g.cases.len()).sum::<usize>()
    ));
    let extends = groups.iter().map(|group| {
        let module = format_ident!("{}", group.module);
        let feature = &group.feature;
        quote! {
            #[cfg(feature = #feature)]
            cases.extend(groups::#module::cases());
        }
    });
    let modules = groups.iter().map(|group| group_module(group, options));
    let tokens = quote! {
        #doc

        #[path = "support/every_endpoint_server.rs"]
        mod every_endpoint_server;

        // Generated code keeps prettyplease's layout (the freshness check compares it byte
        // for byte), so `cargo fmt` leaves it alone.
        #[rustfmt::skip]
        mod cases {
            use crate::every_endpoint_server::{self, Case, Outcome};
            use #krate::Client;
            use #krate::runtime::{Error, RawBody, Response};

            /// A decoded response's warnings and its data serialized back, or the error.
            pub fn decoded<T: serde::Serialize>(result: Result<Response<T>, Error>) -> Outcome {
                match result {
                    Ok(response) => Outcome::Decoded {
                        warnings: response.warnings.iter().map(ToString::to_string).collect(),
                        data: serde_json::to_value(&response.data).unwrap_or_else(|e| serde_json::Value::String(format!("does not serialize: {e}"))),
                    },
                    Err(error) => Outcome::Failed(error.to_string()),
                }
            }

            /// A raw response's bytes, or the error.
            pub fn raw(result: Result<Response<RawBody>, Error>) -> Outcome {
                match result {
                    Ok(response) => Outcome::Raw(response.data.into_bytes().to_vec()),
                    Err(error) => Outcome::Failed(error.to_string()),
                }
            }

            /// The case of every endpoint of the groups whose features are on.
            fn cases() -> Vec<Case<Client>> {
                // Mutated only by the groups whose features are on.
                #[allow(unused_mut)]
                let mut cases: Vec<Case<Client>> = Vec::new();
                #(#extends)*
                cases
            }

            /// A client for `base_url`, strict (drift is an error) or not.
            fn client(base_url: String, strict: bool) -> Client {
                Client::builder()
                    .base_url(base_url)
                    .strict(strict)
                    .api_token("every-endpoint")
                    // Both kinds, as a client configured with both sends them: Prism
                    // checks each operation's security schemes (some take only a key).
                    .api_key("every-endpoint", "every-endpoint@example.com")
                    .max_retries(0)
                    .build()
                    .expect("a client for the local server")
            }

            #[tokio::test]
            async fn every_endpoint() {
                every_endpoint_server::run(cases(), client).await;
            }

            /// Every call again, against the crate's local API for tests (feature `mock`,
            /// generated from the same docs and overlays): it must route each request to the
            /// call's endpoint and accept what the client sends.
            #[cfg(feature = "mock")]
            #[tokio::test]
            async fn every_endpoint_against_the_mock() {
                let server = #krate::mock::start().await.expect("the mock starts");
                let records = || {
                    let endpoints = #krate::mock::endpoints();
                    server
                        .requests()
                        .into_iter()
                        .map(|request| every_endpoint_server::MockRecord {
                            routed: endpoints
                                .iter()
                                .find(|e| Some(e.name) == request.endpoint)
                                .map(|e| (e.method, e.template)),
                            status: request.status,
                        })
                        .collect()
                };
                every_endpoint_server::run_against_mock(cases(), client(server.base_url(), false), records)
                    .await;
            }

            /// One module per group, behind the group's feature.
            mod groups {
                #(#modules)*
            }
        }
    };
    Ok(GeneratedFile {
        path,
        contents: print::render(source, tokens)?,
    })
}

fn group_module(group: &GroupCases, options: &Options) -> TokenStream {
    let krate = format_ident!("{}", options.crate_name);
    let module = format_ident!("{}", group.module);
    let feature = &group.feature;
    let cases = group
        .cases
        .iter()
        .map(|case| case_tokens(group, case, options));
    quote! {
        #[cfg(feature = #feature)]
        pub mod #module {
            use crate::every_endpoint_server::{boxed, Case, Route};
            use #krate::Client;

            pub fn cases() -> Vec<Case<Client>> {
                Vec::from([#(#cases),*])
            }
        }
    }
}

fn case_tokens(group: &GroupCases, case: &Case, options: &Options) -> TokenStream {
    let krate = format_ident!("{}", options.crate_name);
    let module = format_ident!("{}", group.module);
    let accessor = format_ident!("{}", group.accessor);
    let name = format_ident!("{}", case.fn_name);
    let mut args: Vec<TokenStream> = case
        .path_values
        .iter()
        .map(|(_, value)| quote! { #value })
        .collect();
    let setup = case.params.as_ref().map(|(ty, setters)| {
        let ty = format_ident!("{}", ty);
        let setters = setters.iter().map(|(setter, value)| {
            let setter = format_ident!("{}", setter);
            let value = print::example_value(&group.module, options, value);
            quote! { .#setter(#value) }
        });
        args.push(quote! { &params });
        quote! { let params = #krate::#module::#ty::new() #(#setters)*; }
    });
    let (body_setup, request_body) = match &case.body {
        Some((arg, value, text)) => {
            let arg = format_ident!("{}", arg);
            // Bytes are passed by value; a typed body by reference.
            args.push(match value {
                ExampleValue::Str(_) => quote! { #arg },
                _ => quote! { &#arg },
            });
            let value = print::example_value(&group.module, options, value);
            (Some(quote! { let #arg = #value; }), text.as_str())
        }
        None => (None, ""),
    };
    let (body, content_type, raw, outcome) = match &case.reply {
        Reply::Json(body) => (
            body,
            "application/json",
            false,
            quote! { crate::cases::decoded },
        ),
        Reply::Raw(body) => (
            body,
            "application/octet-stream",
            true,
            quote! { crate::cases::raw },
        ),
    };
    let route = route_json(&RouteJson {
        endpoint: &case.label,
        method: case.method.as_str(),
        template: &case.template,
        params: &case.path_values,
        query: &case.query,
        headers: &case.headers,
        request_body,
        request_type: &case.request_type,
        json_fields: &case.json_fields,
        status: case.status,
        content_type,
        body,
        raw,
        data_at: &case.data_at,
    });
    quote! {
        Case {
            route: Route::json(#route),
            call: |client: Client| boxed(async move {
                #setup
                #body_setup
                #outcome(client.#accessor().#name(#(#args),*).send().await)
            }),
        }
    }
}

/// A case's route as the test reads it (`Route::json`), every field by name.
#[derive(serde::Serialize)]
struct RouteJson<'a> {
    endpoint: &'a str,
    method: &'a str,
    template: &'a str,
    params: &'a [(String, String)],
    query: &'a [(String, String)],
    headers: &'a [(String, String)],
    request_body: &'a str,
    request_type: &'a str,
    json_fields: &'a [String],
    status: u16,
    content_type: &'a str,
    body: &'a str,
    raw: bool,
    data_at: &'a [String],
}

/// `route` as JSON in a raw string literal, a field a line: one token where a struct literal
/// was ten expressions to check and format, and readable where escaped JSON (`\"`) would not
/// be.
fn route_json(route: &RouteJson) -> Literal {
    // Serializing these fields cannot fail (strings, numbers, lists of them).
    let fields = match serde_json::to_value(route) {
        Ok(serde_json::Value::Object(fields)) => fields,
        _ => serde_json::Map::new(),
    };
    let lines: Vec<String> = fields
        .iter()
        .map(|(key, value)| format!("  {}: {value}", serde_json::Value::from(key.as_str())))
        .collect();
    print::json_literal(&format!("{{\n{}\n}}", lines.join(",\n")))
}
