//! Assembly, the every-endpoint test: its files for a crate (one test, or its shards) and,
//! for a crate that does not hold the original, a copy of the server it runs against.

use super::copy::copied;
use crate::diag;
use crate::emit::every_endpoint as emit_every_endpoint;
use crate::emit::{GeneratedFile, Options};
use crate::ir;
use crate::plan::every_endpoint as plan_every_endpoint;
use crate::plan::model::Plan;

/// The every-endpoint test (`tests/every_endpoint.rs`, or its shards for a crate of more
/// than [`plan_every_endpoint::SHARD_CASES`] endpoint methods) of a crate generated from `api`, and,
/// when `with_server`, a copy of the server it runs against. `docs` names the docs in the
/// test's header.
pub fn every_endpoint_files(
    api: &ir::Api,
    plan: &Plan,
    options: &Options,
    docs: &str,
    with_server: bool,
) -> Result<Vec<GeneratedFile>, Vec<diag::Diagnostic>> {
    let shards = plan_every_endpoint::shards(
        plan_every_endpoint::cases(api, plan),
        plan_every_endpoint::SHARD_CASES,
    );
    // Formatting dominates: the shards are formatted on every core.
    let numbered: Vec<(usize, _)> = shards.iter().enumerate().collect();
    let mut files = Vec::new();
    for file in crate::parallel::map(&numbered, |(index, groups)| {
        let path = emit_every_endpoint::test_path(*index, shards.len());
        emit_every_endpoint::test_file(path, groups, options, docs)
    }) {
        files.push(file?);
    }
    if with_server {
        for (path, contents) in emit_every_endpoint::SERVER_FILES {
            files.push(GeneratedFile {
                path: path.to_owned(),
                contents: copied("generated-client", path, contents, &options.crate_name),
            });
        }
    }
    Ok(files)
}
