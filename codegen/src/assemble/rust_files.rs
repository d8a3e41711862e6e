//! Assembly, a crate's Rust files: its modules, the mock's tables and the every-endpoint
//! test (one file, or its shards), printed in one pool, and, for a crate that does not hold
//! the original, a copy of the server the test runs against.

use super::copy::copied;
use crate::diag;
use crate::emit::every_endpoint as emit_every_endpoint;
use crate::emit::{self, FileJob, GeneratedFile, Options};
use crate::ir;
use crate::plan::every_endpoint as plan_every_endpoint;
use crate::plan::mock as plan_mock;
use crate::plan::model::{GroupCases, Plan};
use crate::plan::parts::PartPlan;

/// A crate's Rust files, printed in one pool on every core: its modules and roots (with its
/// parts'), the mock's tables, and the every-endpoint test (`tests/every_endpoint.rs`, or its
/// shards for a crate of more than [`plan_every_endpoint::SHARD_CASES`] endpoint methods),
/// with, when `with_server`, a copy of the server the test runs against. `docs` names the docs
/// in the test's header.
pub(super) fn rust_files(
    api: &ir::Api,
    plan: &Plan,
    options: &Options,
    parts: &[PartPlan],
    docs: &str,
    with_server: bool,
) -> Result<Vec<GeneratedFile>, Vec<diag::Diagnostic>> {
    let shards = shards(api, plan);
    let mock = plan_mock::groups(api, plan);
    let mut jobs = emit::part_jobs(plan, options, parts);
    jobs.extend(emit::mock_jobs(&mock, options));
    jobs.extend(self::jobs(&shards, options, docs));
    let mut files = emit::render_jobs(jobs)?;
    if with_server {
        files.extend(server_files(options));
    }
    Ok(files)
}

/// The cases of the test, cut into the shards that are its files.
fn shards(api: &ir::Api, plan: &Plan) -> Vec<Vec<GroupCases>> {
    plan_every_endpoint::shards(
        plan_every_endpoint::cases(api, plan),
        plan_every_endpoint::SHARD_CASES,
    )
}

/// The jobs that print the test's files from its `shards`, to render beside a crate's other
/// files.
fn jobs<'a>(
    shards: &'a [Vec<GroupCases>],
    options: &'a Options,
    docs: &'a str,
) -> Vec<FileJob<'a>> {
    shards
        .iter()
        .enumerate()
        .map(|(index, groups)| FileJob {
            // A case costs about what a group's endpoint or type does.
            weight: groups.iter().map(|g| g.cases.len()).sum(),
            render: Box::new(move || {
                let path = emit_every_endpoint::test_path(index, shards.len());
                emit_every_endpoint::test_file(path, groups, options, docs)
            }),
        })
        .collect()
}

/// A copy of the server the test runs against (`tests/support/`), for a crate that does not
/// hold the original.
fn server_files(options: &Options) -> Vec<GeneratedFile> {
    emit_every_endpoint::SERVER_FILES
        .iter()
        .map(|(path, contents)| GeneratedFile {
            path: (*path).to_owned(),
            contents: copied("generated-client", path, contents, &options.crate_name),
        })
        .collect()
}
