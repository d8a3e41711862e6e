//! Parse stage, overlay names grammar: an endpoint's `### Names` table, which names the Rust
//! method an endpoint becomes when its summary reads badly as one
//! (`Get account audit logs (Version 2, beta release)` → `list_account_audit_logs_v2`).

use super::blocks::Row;
use super::overlay_tables::{body_rows, cell_target, code_only, is_snake_case, plain_text};
use super::Reporter;
use crate::ir::Named;

pub(super) const NAME_COLUMNS: [&str; 2] = ["Item", "Name"];

/// The rows of a `### Names` table (after its header): today one item, `method`.
pub(super) fn names_table(rp: &mut Reporter<'_>, rows: &[Row]) -> Option<Named> {
    let mut method: Option<(Named, u32)> = None;
    for row in body_rows(rp, rows, NAME_COLUMNS.len()) {
        let line = rp.line_of(row.range.start);
        let item = plain_text(rp, row.cells.first());
        if item != "method" {
            rp.error(
                cell_target(rp, row, row.cells.first()),
                format!("unknown item `{item}`: expected `method`"),
                Some("write `method` in the first column and the name in the second".into()),
            );
            continue;
        }
        let name = match row.cells.get(1).map(code_only) {
            Some(Ok(Some((name, range)))) if is_snake_case(&name) => Named {
                name,
                span: rp.span(range),
            },
            _ => {
                rp.error(
                    cell_target(rp, row, row.cells.get(1)),
                    "expected the method's name in a code span: a snake_case word",
                    Some("e.g. `list_zones`: lower-case letters, digits and `_`, starting with a letter".into()),
                );
                continue;
            }
        };
        match &method {
            Some((_, first)) => rp.error(
                cell_target(rp, row, row.cells.first()),
                format!("`method` is named twice (first at line {first})"),
                None,
            ),
            None => method = Some((name, line)),
        }
    }
    method.map(|(named, _)| named)
}
