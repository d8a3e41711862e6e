//! Assembly, a standalone crate: every file of a complete crate of its own.
//!
//! `cargo xtask codegen --docs DIR --out DIR` serves any API written in this format, not just
//! the one in `priv/docs`: the output is the generated modules plus a copy of the
//! hand-written runtime (embedded here at build time, so it is always the version this
//! generator was built and tested with) and a Cargo.toml with a feature per group.

use super::copy::copied;
use crate::diag::Diagnostic;
use crate::emit::print::{self as emit_print, GeneratedFile, MARKER, Options};
use crate::emit::{self, index};
use crate::ir::Api;
use crate::plan;

/// The hand-written runtime, file by file (path relative to the crate root, contents).
/// A test checks this list against `generated-client/src/runtime/`.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    (
        "src/runtime/auth.rs",
        include_str!("../../../generated-client/src/runtime/auth.rs"),
    ),
    (
        "src/runtime/capture.rs",
        include_str!("../../../generated-client/src/runtime/capture.rs"),
    ),
    (
        "src/runtime/client.rs",
        include_str!("../../../generated-client/src/runtime/client.rs"),
    ),
    (
        "src/runtime/decode.rs",
        include_str!("../../../generated-client/src/runtime/decode.rs"),
    ),
    (
        "src/runtime/drift.rs",
        include_str!("../../../generated-client/src/runtime/drift.rs"),
    ),
    (
        "src/runtime/envelope.rs",
        include_str!("../../../generated-client/src/runtime/envelope.rs"),
    ),
    (
        "src/runtime/error.rs",
        include_str!("../../../generated-client/src/runtime/error.rs"),
    ),
    (
        "src/runtime/extra.rs",
        include_str!("../../../generated-client/src/runtime/extra.rs"),
    ),
    (
        "src/runtime/execute.rs",
        include_str!("../../../generated-client/src/runtime/execute.rs"),
    ),
    (
        "src/runtime/lenient.rs",
        include_str!("../../../generated-client/src/runtime/lenient.rs"),
    ),
    (
        "src/runtime/members.rs",
        include_str!("../../../generated-client/src/runtime/members.rs"),
    ),
    (
        "src/runtime/middleware.rs",
        include_str!("../../../generated-client/src/runtime/middleware.rs"),
    ),
    (
        "src/runtime/mod.rs",
        include_str!("../../../generated-client/src/runtime/mod.rs"),
    ),
    (
        "src/runtime/object.rs",
        include_str!("../../../generated-client/src/runtime/object.rs"),
    ),
    (
        "src/runtime/open_enum.rs",
        include_str!("../../../generated-client/src/runtime/open_enum.rs"),
    ),
    (
        "src/runtime/paginate.rs",
        include_str!("../../../generated-client/src/runtime/paginate.rs"),
    ),
    (
        "src/runtime/path.rs",
        include_str!("../../../generated-client/src/runtime/path.rs"),
    ),
    (
        "src/runtime/query.rs",
        include_str!("../../../generated-client/src/runtime/query.rs"),
    ),
    (
        "src/runtime/request.rs",
        include_str!("../../../generated-client/src/runtime/request.rs"),
    ),
    (
        "src/runtime/response.rs",
        include_str!("../../../generated-client/src/runtime/response.rs"),
    ),
    (
        "src/runtime/retry.rs",
        include_str!("../../../generated-client/src/runtime/retry.rs"),
    ),
    (
        "src/runtime/scope.rs",
        include_str!("../../../generated-client/src/runtime/scope.rs"),
    ),
    (
        "src/runtime/stream.rs",
        include_str!("../../../generated-client/src/runtime/stream.rs"),
    ),
    (
        "src/runtime/timestamp.rs",
        include_str!("../../../generated-client/src/runtime/timestamp.rs"),
    ),
    (
        "src/runtime/walk.rs",
        include_str!("../../../generated-client/src/runtime/walk.rs"),
    ),
];

/// The runtime's dependencies with the versions a standalone crate pins. A test checks the
/// names against `generated-client/Cargo.toml`, so the two cannot drift apart silently.
pub const RUNTIME_DEPENDENCIES: &str = r#"reqwest = { version = "0.12", default-features = false, features = ["rustls-tls", "json", "stream", "http2", "gzip", "brotli"] }
tokio = { version = "1", features = ["rt", "time"] }
futures = "0.3"
bytes = "1"
percent-encoding = "2"
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["raw_value", "preserve_order"] }
serde_path_to_error = "0.1"
tracing = "0.1"
url = "2"
thiserror = "2"
httpdate = "1"
time = { version = "0.3", optional = true, default-features = false, features = ["formatting"] }
chrono = { version = "0.4", optional = true, default-features = false, features = ["alloc"] }
"#;

/// What a standalone crate's tests need beyond the runtime's dependencies.
pub const TEST_DEPENDENCIES: &str = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread", "net", "io-util"] }
"#;

/// Every file of a standalone crate named `crate_name` for `api`, sorted by path.
pub fn generate(
    api: &Api,
    options: &Options,
    crate_name: &str,
) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    let plan = plan::plan(api)?;
    let options = Options {
        crate_name: crate_name.replace('-', "_"),
        ..options.clone()
    };
    let mut files = emit::generate_plan(&plan, &options)?;
    files.push(GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents: cargo_toml(crate_name, &emit::features(&plan)),
    });
    files.push(GeneratedFile {
        path: index::INDEX_FILE.to_owned(),
        contents: index::markdown(&plan, &options),
    });
    for (path, contents) in RUNTIME_FILES {
        files.push(GeneratedFile {
            path: (*path).to_owned(),
            contents: copied("generated-client", path, contents, &options.crate_name),
        });
    }
    files.extend(super::every_endpoint::every_endpoint_files(
        api,
        &plan,
        &options,
        "the docs directory",
        true,
    )?);
    files.push(GeneratedFile {
        path: "src/lib.rs".to_owned(),
        contents: lib_rs(crate_name)?,
    });
    files.sort();
    Ok(files)
}

/// The crate root: the runtime, the generated modules, and the runtime's main types at the
/// top, as in `generated-client`.
fn lib_rs(crate_name: &str) -> Result<String, Vec<Diagnostic>> {
    let doc = format!(
        " The `{crate_name}` API client, generated from Markdown docs by `cargo xtask codegen`."
    );
    let tokens = quote::quote! {
        #![doc = #doc]
        pub mod runtime;
        mod generated;
        #[allow(unused_imports)]
        pub use generated::*;
        pub use runtime::{
            ApiError, ApiMessage, Client, ClientBuilder, Cursors, DataAt, DecodeWarning, Error,
            ErrorSource, Items, PageToken, Pages, Pagination, PathPart, RawBody, RawStream,
            Request, Response, ResultInfo, ResumePoint, RetryPolicy, Secret,
        };
    };
    emit_print::render("the docs directory", tokens)
}

/// The `[features]` table: one feature per group, `full` with all of them, on by default.
pub fn features_toml(features: &[String]) -> String {
    let mut out = String::from("[features]\ndefault = [\"full\"]\nfull = [");
    out.push_str(
        &features
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push_str("]\n");
    // Date-time query parameters also take these crates' values (`runtime::Timestamp`).
    out.push_str("time = [\"dep:time\"]\nchrono = [\"dep:chrono\"]\n");
    for feature in features {
        out.push_str(feature);
        out.push_str(" = []\n");
    }
    out
}

fn cargo_toml(crate_name: &str, features: &[String]) -> String {
    let lib_name = crate_name.replace('-', "_");
    format!(
        "# {MARKER} by `cargo xtask codegen`. Do not edit: edit the docs and regenerate.\n\
         [package]\nname = \"{crate_name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\nrust-version = \"1.85\"\npublish = false\n\n\
         [lib]\nname = \"{lib_name}\"\npath = \"src/lib.rs\"\n\n\
         # A standalone crate is its own workspace, wherever it is written.\n[workspace]\n\n\
         [dependencies]\n{RUNTIME_DEPENDENCIES}\n\
         # tests/every_endpoint.rs and its local server.\n[dev-dependencies]\n{TEST_DEPENDENCIES}\n{}",
        features_toml(features)
    )
}
