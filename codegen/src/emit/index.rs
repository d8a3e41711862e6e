//! Emit stage, the endpoint index.
//!
//! One table of every endpoint (method, path, the Rust call, summary, where it is documented),
//! so a reader who knows the REST path finds the method. It is rendered from the plan twice:
//! as `ENDPOINTS.md` beside the generated crate's Cargo.toml ([`markdown`]), and as the docs of
//! a doc-only module in `src/generated/mod.rs` ([`rustdoc_module`]), so docs.rs shows it too.
//! Rows are sorted by path, then method, then call: the same plan gives the same bytes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::print::{MARKER, Options, code, doc_attrs};
use crate::plan::model::Plan;

/// The Markdown index, relative to the generated crate's root.
pub const INDEX_FILE: &str = "ENDPOINTS.md";

/// The doc-only module holding the index in rustdoc, unless a group module has the name
/// (then `_index` is added until it is free; see [`module_name`]).
pub const INDEX_MODULE: &str = "endpoints";

/// One endpoint of the index, each cell Markdown ready for a table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The documented path template as a code span.
    pub path: String,
    /// The HTTP method.
    pub method: String,
    /// The call, e.g. `client.audit_logs().list_account_audit_logs(account_id, &params)`, plus
    /// any raw-body variants.
    pub call: String,
    /// The endpoint's summary, rustdoc-safe.
    pub summary: String,
    /// Where it is documented: `file:line`.
    pub source: String,
}

/// Every endpoint of `plan`, sorted by path (as written), method, then call.
pub fn rows(plan: &Plan, options: &Options) -> Vec<Row> {
    let mut rows: Vec<((&str, &str), Row)> = plan
        .groups
        .iter()
        .flat_map(|group| {
            group.endpoints.iter().map(move |endpoint| {
                let mut args: Vec<String> =
                    endpoint.path_args.iter().map(|a| a.name.clone()).collect();
                if endpoint.params.is_some() {
                    args.push(format!("&{}", endpoint.params_arg));
                }
                let args = args.join(", ");
                let call = |name: &str| format!("client.{}().{name}({args})", group.accessor);
                let mut cell = cell(&code(&call(&endpoint.fn_name)));
                for variant in &endpoint.variants {
                    cell.push_str("<br>");
                    cell.push_str(&self::cell(&code(&call(&variant.fn_name))));
                    cell.push_str(" (raw)");
                }
                let key = (endpoint.path.as_str(), endpoint.method.as_str());
                let row = Row {
                    path: cell_code(&endpoint.path),
                    method: endpoint.method.as_str().to_owned(),
                    call: cell,
                    summary: self::cell(&endpoint.summary),
                    source: cell_code(&format!(
                        "{}{}:{}",
                        options.source_prefix, endpoint.span.file, endpoint.span.line
                    )),
                };
                (key, row)
            })
        })
        .collect();
    rows.sort_by(|(a, row_a), (b, row_b)| (a, &row_a.call).cmp(&(b, &row_b.call)));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// The index as a GitHub-flavoured Markdown table, one row per endpoint.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| Method | Path | Rust call | Summary | Documented at |\n|---|---|---|---|---|\n",
    );
    for row in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            row.method, row.path, row.call, row.summary, row.source
        ));
    }
    out
}

/// `ENDPOINTS.md`: a header naming the generator, then the table.
pub fn markdown(plan: &Plan, options: &Options) -> String {
    let rows = rows(plan, options);
    format!(
        "<!-- {MARKER} by `cargo xtask codegen` from the docs. Do not edit: edit the docs and regenerate. -->\n\
         # Endpoints\n\n\
         Every endpoint of this client ({} in all), by path: the HTTP method and path as \
         documented, the method that calls it on a `Client` (`client`), and where it is \
         documented. Raw-body variants are listed beside their endpoint.\n\n{}",
        rows.len(),
        table(&rows)
    )
}

/// The name of the doc-only index module: [`INDEX_MODULE`], or with `_index` added while a
/// group module has the name, so no doc file can take it away.
pub fn module_name(plan: &Plan) -> String {
    let mut name = INDEX_MODULE.to_owned();
    while plan.groups.iter().any(|g| g.module == name) {
        name.push_str("_index");
    }
    name
}

/// The doc-only module whose docs are the index, for `src/generated/mod.rs`. It is not behind
/// a feature: the index lists every endpoint, whichever groups are built.
pub fn rustdoc_module(plan: &Plan, options: &Options) -> TokenStream {
    let rows = rows(plan, options);
    let module = format_ident!("{}", module_name(plan));
    let doc = doc_attrs(&format!(
        "Every endpoint ({} in all), by path: method, path, the call on a `Client` (`client`), \
         summary and where it is documented. The same table is `{INDEX_FILE}` in the crate's \
         repository.\n\n{}",
        rows.len(),
        table(&rows)
    ));
    quote! {
        #doc
        pub mod #module {}
    }
}

/// Markdown made safe for one table cell: on one line, and no `|` ends the cell early
/// (GFM splits cells before reading code spans, so a pipe is escaped even inside one).
fn cell(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut prev = None;
    for c in markdown.chars() {
        match c {
            '|' if prev != Some('\\') => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// `text` (a path, a file name) as a code span in a table cell.
fn cell_code(text: &str) -> String {
    cell(&code(text))
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn pipes_never_end_a_cell() {
        assert_eq!(cell("a | b"), "a \\| b");
        assert_eq!(cell("`x|y`"), "`x\\|y`");
        assert_eq!(cell("kept \\| as is"), "kept \\| as is");
        assert_eq!(cell("two\nlines"), "two lines");
    }
}
