//! Assembly, the part crates of a large client ([`crate::plan::parts`]): each part's
//! Cargo.toml, and what the client's own Cargo.toml says of them (a path dependency each,
//! and each group's feature forwarded to the part that compiles it).

use crate::emit::GeneratedFile;
use crate::emit::print::MARKER;
use crate::plan::model::Plan;
use crate::plan::parts::{PartPlan, part_of};

/// How deep a part's directory is below the client's (`groups/N`).
pub const PART_DEPTH: usize = 2;

/// A part's Cargo.toml. `client_package` is the client crate's package, one level of
/// `../..` above: the part's doc examples use it (a dev-dependency, which Cargo allows to
/// depend back on the crate that depends on the part). `dependencies` is the body of its
/// `[dependencies]` table (the runtime, as seen from [`PART_DEPTH`] levels below the client,
/// and what generated code names: `standalone::part_dependencies`).
fn part_cargo_toml(
    plan: &Plan,
    part: &PartPlan,
    client_package: &str,
    dependencies: &str,
) -> String {
    let mut features = String::new();
    for &index in &part.groups {
        features.push_str(&format!("{} = []\n", plan.groups[index].feature));
    }
    format!(
        "# {MARKER} by `cargo xtask codegen`. Do not edit: edit the docs and regenerate.\n\
         # Part {number} of the API groups of `{client_package}`, which re-exports them: depend on it.\n\
         [package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\nrust-version = \"1.85\"\npublish = false\n\n\
         [lib]\nname = \"{lib}\"\npath = \"src/lib.rs\"\n\n\
         [package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n\n\
         [dependencies]\n{dependencies}\n\
         # The doc examples call the groups through the client crate, as its users do.\n\
         [dev-dependencies]\n{client_package} = {{ path = \"{up}\" }}\nfutures = \"0.3\"\n\n\
         [features]\n{features}",
        number = part.number,
        package = part.package,
        lib = part.lib,
        up = [".."; PART_DEPTH].join("/"),
    )
}

/// Every part's Cargo.toml ([`part_cargo_toml`]), at `{part dir}/Cargo.toml`.
pub fn cargo_toml_files(
    plan: &Plan,
    parts: &[PartPlan],
    client_package: &str,
    dependencies: &str,
) -> Vec<GeneratedFile> {
    parts
        .iter()
        .map(|part| GeneratedFile {
            path: format!("{}/Cargo.toml", part.dir),
            contents: part_cargo_toml(plan, part, client_package, dependencies),
        })
        .collect()
}

/// The client's dependency on each part, as `[dependencies.NAME]` tables (valid after any
/// other table of a Cargo.toml, so they can follow a hand-written `[dependencies]`).
pub fn dependencies_toml(parts: &[PartPlan]) -> String {
    parts
        .iter()
        .map(|p| format!("[dependencies.{}]\npath = \"{}\"\n\n", p.package, p.dir))
        .collect()
}

/// Each group's feature: what turning it on in the client also turns on (the feature of the
/// part that compiles the group; nothing for a group of the client itself), in group order.
pub fn group_features(plan: &Plan, parts: &[PartPlan]) -> Vec<(String, Vec<String>)> {
    plan.groups
        .iter()
        .enumerate()
        .map(|(index, group)| {
            let forwarded = part_of(parts, index)
                .map(|p| vec![format!("{}/{}", p.package, group.feature)])
                .unwrap_or_default();
            (group.feature.clone(), forwarded)
        })
        .collect()
}
