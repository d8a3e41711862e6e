//! Emit stage: the plan as formatted Rust files, one module per group.
//!
//! Every identifier comes from the plan as a string; this stage only prints it. Rust is
//! built with `quote!` only, checked by `syn::parse2` and formatted once by the
//! pinned prettyplease, so output is byte-for-byte deterministic. The library returns
//! [`GeneratedFile`]s; writing them (atomically, only when changed) is the xtask's job.
//!
//! [`print`] holds what every emitter shares; [`module`] prints the group modules,
//! [`crate_root`] `src/generated/mod.rs` (and a part crate's roots), [`params`] a parameter
//! struct, [`index`] the endpoint table, [`every_endpoint`] the every-endpoint test.

mod bodies;
mod crate_root;
pub mod every_endpoint;
pub mod index;
pub mod mock;
mod module;
mod params;
pub mod print;
mod unions;

pub use print::{GENERATED_DIR, GeneratedFile, MARKER, Options};

use crate::diag::Diagnostic;
use crate::ir::Api;
use crate::plan::model::{GroupPlan, Plan};
use crate::plan::parts::{PartPlan, part_of};

/// Generates every module of the client for `api`: `src/generated/mod.rs` and one file per
/// doc group, sorted by path.
pub fn generate(api: &Api, options: &Options) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    generate_plan(&crate::plan::plan(api)?, options)
}

/// [`generate`] for an existing plan, as one crate.
pub fn generate_plan(
    plan: &Plan,
    options: &Options,
) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    generate_parts(plan, options, &[])
}

/// [`generate`] for an existing plan whose groups `parts` compiles in crates of their own
/// (none: one crate): the client's `src/generated/`, and each part's `src/lib.rs` and
/// `src/generated/` under the part's directory.
pub fn generate_parts(
    plan: &Plan,
    options: &Options,
    parts: &[PartPlan],
) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    render_jobs(part_jobs(plan, options, parts))
}

/// One file still to print: what [`render_jobs`] runs, beside the others, on every core.
pub struct FileJob<'a> {
    /// An estimate of the job's work, in the units of [`crate::plan::parts::weight`] (an
    /// endpoint or a type; about 0.1 ms of one core each): the heaviest jobs start first.
    pub weight: usize,
    /// Prints the file.
    pub render: Box<dyn Fn() -> Result<GeneratedFile, Vec<Diagnostic>> + Sync + 'a>,
}

/// The files of `jobs`, sorted by path, or every job's diagnostics. Formatting dominates the
/// cost of generation, so a crate's files are all printed in one pool on every core, the
/// heaviest first; the output does not depend on how they are spread, because each file is
/// made from its own part of the plan alone and the result is sorted.
pub fn render_jobs(jobs: Vec<FileJob<'_>>) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    let results =
        crate::parallel::map_heaviest_first(&jobs, |job| job.weight, |job| (job.render)());
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(found) => diagnostics.extend(found),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    files.sort();
    Ok(files)
}

/// The jobs that print the mock's tables ([`mock`]): its root and one file per group.
pub fn mock_jobs<'a>(
    groups: &'a [crate::plan::mock::MockGroup],
    options: &'a Options,
) -> Vec<FileJob<'a>> {
    let mut jobs: Vec<FileJob<'a>> = vec![FileJob {
        weight: groups.len() / 8,
        render: Box::new(move || mock::root_file(groups, options)),
    }];
    for group in groups {
        jobs.push(FileJob {
            // A constant is a few lines: a group's table is light beside its module.
            weight: group.endpoints.len() / 4,
            render: Box::new(move || mock::group_file(group, options)),
        });
    }
    jobs
}

/// The jobs of [`generate_parts`]: the crate roots and one per group.
pub fn part_jobs<'a>(
    plan: &'a Plan,
    options: &'a Options,
    parts: &'a [PartPlan],
) -> Vec<FileJob<'a>> {
    let root = move |tokens| print::render(&options.source_prefix, tokens);
    // A root lists every group (or a part's): light, but a group's worth of work.
    let mut jobs: Vec<FileJob<'a>> = vec![FileJob {
        weight: plan.groups.len(),
        render: Box::new(move || {
            Ok(GeneratedFile {
                path: format!("{GENERATED_DIR}/mod.rs"),
                contents: root(crate_root::client_index(plan, options, parts))?,
            })
        }),
    }];
    for part in parts {
        jobs.push(FileJob {
            weight: part.groups.len(),
            render: Box::new(move || {
                Ok(GeneratedFile {
                    path: format!("{}/src/lib.rs", part.dir),
                    contents: root(crate_root::part_lib(plan, part, options))?,
                })
            }),
        });
        jobs.push(FileJob {
            weight: part.groups.len(),
            render: Box::new(move || {
                Ok(GeneratedFile {
                    path: format!("{}/{GENERATED_DIR}/mod.rs", part.dir),
                    contents: root(crate_root::part_index(plan, part))?,
                })
            }),
        });
    }
    for (index, group) in plan.groups.iter().enumerate() {
        let dir = part_of(parts, index).map(|p| p.dir.as_str());
        jobs.push(FileJob {
            weight: crate::plan::parts::weight(group),
            render: Box::new(move || group_file(group, options, dir)),
        });
    }
    jobs
}

/// A group's module, in the client (`part_dir` `None`) or in the part at `part_dir`.
fn group_file(
    group: &GroupPlan,
    options: &Options,
    part_dir: Option<&str>,
) -> Result<GeneratedFile, Vec<Diagnostic>> {
    let source = format!("{}{}", options.source_prefix, group.file);
    let prefix = part_dir.map(|d| format!("{d}/")).unwrap_or_default();
    Ok(GeneratedFile {
        path: format!("{prefix}{GENERATED_DIR}/{}.rs", group.module),
        contents: print::render(
            &source,
            module::group_module(group, options, part_dir.is_some()),
        )?,
    })
}

/// The Cargo feature names, one per group, in module order (for a generated Cargo.toml).
pub fn features(plan: &Plan) -> Vec<String> {
    plan.groups.iter().map(|g| g.feature.clone()).collect()
}
