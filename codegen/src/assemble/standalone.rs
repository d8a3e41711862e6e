//! Assembly, a standalone crate: every file of a complete crate of its own.
//!
//! `cargo xtask codegen --docs DIR --out DIR` serves any API written in this format, not just
//! the one in `priv/docs`: the output is the generated modules, a `lib.rs`, and a Cargo.toml
//! with a feature per group that depends on the runtime crate (`runtime/` of this repository,
//! by the path the caller gives).

use super::parts;
use crate::diag::Diagnostic;
use crate::emit::index;
use crate::emit::print::{self as emit_print, GeneratedFile, MARKER, Options};
use crate::ir::Api;
use crate::plan;
use crate::plan::parts::MAX_PART_WEIGHT;

/// The runtime crate's package name, which a generated crate depends on.
pub const RUNTIME_CRATE: &str = "cloudflare-client-runtime";

/// Where a standalone crate finds the runtime crate: the value of its dependency entry, e.g.
/// `{ path = "/work/cloudflare-client-gen/runtime" }` (the xtask passes this repository's
/// `runtime/`) or `{ version = "0.1" }` once it is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeDependency(pub String);

impl RuntimeDependency {
    /// A path dependency on the runtime crate at `dir` (written as given, `/` separated).
    pub fn path(dir: &str) -> Self {
        RuntimeDependency(format!("{{ path = {} }}", toml_string(dir)))
    }

    /// A path dependency on the runtime crate of this repository checked out at `root`
    /// (its [`RUNTIME_DIR`]); an absolute `root` makes a crate that builds wherever it is
    /// written.
    pub fn in_workspace(root: &std::path::Path) -> Self {
        RuntimeDependency::path(&root.join(RUNTIME_DIR).to_string_lossy())
    }

    /// The same dependency written in a crate `depth` directories below the one it was given
    /// for: a relative path (as [`RuntimeDependency::path`] writes it) climbs `depth` more
    /// levels; anything else is unchanged.
    pub fn nested(&self, depth: usize) -> Self {
        const PATH: &str = "{ path = \"";
        match self.0.strip_prefix(PATH) {
            // Absolute: `/…`, or `C:…` on Windows.
            Some(rest) if !rest.starts_with('/') && rest.as_bytes().get(1) != Some(&b':') => {
                RuntimeDependency(format!("{PATH}{}{rest}", "../".repeat(depth)))
            }
            _ => self.clone(),
        }
    }
}

/// Where this repository keeps the runtime crate, relative to its root.
pub const RUNTIME_DIR: &str = "runtime";

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What generated code names itself besides the runtime: `reqwest::Method`, serde's derives,
/// `serde_json::Value` (the versions the runtime uses, so the types are the same).
pub const GENERATED_CODE_DEPENDENCIES: &str = r#"reqwest = { version = "0.12", default-features = false }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
"#;

/// The body of a part crate's `[dependencies]` table (see [`parts::cargo_toml_files`]): the
/// runtime, given as the client crate writes it, seen from the part's directory, and what
/// generated code names.
pub fn part_dependencies(runtime: &RuntimeDependency) -> String {
    format!(
        "{RUNTIME_CRATE} = {}\n{GENERATED_CODE_DEPENDENCIES}",
        runtime.nested(parts::PART_DEPTH).0
    )
}

/// What a standalone crate's tests need: the every-endpoint test and its local server, and the
/// doc examples of listings (`futures::TryStreamExt`).
pub const TEST_DEPENDENCIES: &str = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread", "net", "io-util"] }
futures = "0.3"
percent-encoding = "2"
url = "2"
"#;

/// Every file of a standalone crate named `crate_name` for `api`, sorted by path.
pub fn generate(
    api: &Api,
    options: &Options,
    crate_name: &str,
    runtime: &RuntimeDependency,
) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    let plan = plan::plan(api)?;
    let options = Options {
        crate_name: crate_name.replace('-', "_"),
        ..options.clone()
    };
    let parts = plan::parts::parts(&plan, crate_name, MAX_PART_WEIGHT);
    let mut files =
        super::rust_files::rust_files(api, &plan, &options, &parts, "the docs directory", true)?;
    files.extend(parts::cargo_toml_files(
        &plan,
        &parts,
        crate_name,
        &part_dependencies(runtime),
    ));
    files.push(GeneratedFile {
        path: index::INDEX_FILE.to_owned(),
        contents: index::markdown(&plan, &options),
    });
    files.push(GeneratedFile {
        path: "src/lib.rs".to_owned(),
        contents: lib_rs(crate_name)?,
    });
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let manifest = format!(
        "{}{}",
        cargo_toml(
            crate_name,
            &parts::group_features(&plan, &parts),
            &parts::dependencies_toml(&parts),
            runtime
        ),
        shard_targets_toml(&paths)
    );
    files.push(GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents: manifest,
    });
    files.sort();
    Ok(files)
}

/// The crate root: the runtime, the generated modules (the crate's `Client` among them), and
/// the runtime's main types at the top, as in `generated-client`.
fn lib_rs(crate_name: &str) -> Result<String, Vec<Diagnostic>> {
    let doc = format!(
        " The `{crate_name}` API client, generated from Markdown docs by `cargo xtask codegen`."
    );
    let tokens = quote::quote! {
        #![doc = #doc]
        /// The hand-written runtime every endpoint builds on: generated code reaches it
        /// through this one path, `crate::runtime`.
        #[doc(inline)]
        pub use cloudflare_client_runtime as runtime;
        mod generated;
        #[allow(unused_imports)]
        pub use generated::*;
        pub use runtime::{
            ApiError, ApiMessage, Cursors, DataAt, DecodeWarning, Error,
            ErrorSource, Items, PageToken, Pages, Pagination, PathPart, RawBody, RawStream,
            Request, Response, ResultInfo, ResumePoint, RetryPolicy, Secret,
        };
    };
    emit_print::render("the docs directory", tokens)
}

/// The `[features]` table: one feature per group (with what it turns on in a part crate:
/// [`parts::group_features`]), `full` with all of them, on by default.
pub fn features_toml(features: &[(String, Vec<String>)]) -> String {
    let quoted = |names: &mut dyn Iterator<Item = &String>| {
        names
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from("[features]\ndefault = [\"full\"]\nfull = [");
    out.push_str(&quoted(&mut features.iter().map(|(f, _)| f)));
    out.push_str("]\n");
    // Date-time query parameters also take these crates' values (`runtime::Timestamp`).
    out.push_str(&format!(
        "time = [\"{RUNTIME_CRATE}/time\"]\nchrono = [\"{RUNTIME_CRATE}/chrono\"]\n"
    ));
    // The local API for tests (`crate::mock`), on the runtime's server.
    out.push_str(&format!(
        "{} = [\"{RUNTIME_CRATE}/mock\"]\n",
        crate::emit::mock::FEATURE
    ));
    for (feature, enables) in features {
        out.push_str(&format!("{feature} = [{}]\n", quoted(&mut enables.iter())));
    }
    out
}

/// The `[[test]]` targets of the every-endpoint test's shards (`tests/every_endpoint_*.rs`,
/// given as the crate's file paths; nothing for a crate whose test is one file). Each shard
/// compiles every call of its endpoints, minutes for a whole large API, so a plain
/// `cargo test` skips them (`test = false`) and `cargo test --test 'every_endpoint_*'` runs
/// them; this repository's `.ci/run` does, for `generated-client`.
pub fn shard_targets_toml(paths: &[&str]) -> String {
    let shards: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| p.starts_with("tests/every_endpoint_") && p.ends_with(".rs"))
        .collect();
    let mut out = String::new();
    for path in shards {
        let name = &path["tests/".len()..path.len() - ".rs".len()];
        out.push_str(&format!(
            "\n[[test]]\nname = \"{name}\"\npath = \"{path}\"\ntest = false\n"
        ));
    }
    out
}

fn cargo_toml(
    crate_name: &str,
    features: &[(String, Vec<String>)],
    parts: &str,
    runtime: &RuntimeDependency,
) -> String {
    let lib_name = crate_name.replace('-', "_");
    format!(
        "# {MARKER} by `cargo xtask codegen`. Do not edit: edit the docs and regenerate.\n\
         [package]\nname = \"{crate_name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\nrust-version = \"1.85\"\npublish = false\n\n\
         [lib]\nname = \"{lib_name}\"\npath = \"src/lib.rs\"\n\n\
         # A standalone crate is its own workspace, wherever it is written.\n[workspace]\n\n\
         [dependencies]\n{RUNTIME_CRATE} = {}\n{GENERATED_CODE_DEPENDENCIES}\n{parts}\
         # tests/every_endpoint.rs and its local server, and the doc examples.\n[dev-dependencies]\n{TEST_DEPENDENCIES}\
         # The crate itself with its local API for tests: the every-endpoint test calls every\n\
         # method against it too.\n{crate_name} = {{ path = \".\", features = [\"{mock}\"] }}\n\n{}",
        runtime.0,
        features_toml(features),
        mock = crate::emit::mock::FEATURE,
    )
}
