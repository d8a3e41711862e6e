//! Parse stage, overlay names grammar: an endpoint's `### Names` table, which names the Rust
//! method an endpoint becomes when its summary reads badly as one
//! (`Get account audit logs (Version 2, beta release)` → `list_account_audit_logs_v2`), and
//! the result field that holds a listing's items when the result object has several arrays.

use super::blocks::Row;
use super::overlay_cells::{body_rows, cell_target, code_only, is_snake_case, plain_text};
use super::report::Reporter;
use crate::ir::Named;

pub(super) const NAME_COLUMNS: [&str; 2] = ["Item", "Name"];

/// What a `### Names` table says.
#[derive(Default)]
pub(super) struct Names {
    /// `method`: the endpoint's Rust method.
    pub(super) method: Option<Named>,
    /// `items`: the JSON key of the result's array that holds a listing's items.
    pub(super) items: Option<Named>,
}

/// The rows of a `### Names` table (after its header).
pub(super) fn names_table(rp: &mut Reporter<'_>, rows: &[Row]) -> Names {
    let mut names = Names::default();
    let mut lines: [Option<u32>; 2] = [None, None];
    for row in body_rows(rp, rows, NAME_COLUMNS.len()) {
        let line = rp.line_of(row.range.start);
        let item = plain_text(rp, row.cells.first());
        let (slot, seen, snake) = match item.as_str() {
            "method" => (&mut names.method, &mut lines[0], true),
            // A JSON key, as the docs write it.
            "items" => (&mut names.items, &mut lines[1], false),
            _ => {
                rp.error(
                    cell_target(rp, row, row.cells.first()),
                    format!("unknown item `{item}`: expected `method` or `items`"),
                    Some(
                        "`method` names the Rust method; `items`, the result's array of items"
                            .into(),
                    ),
                );
                continue;
            }
        };
        let named = match row.cells.get(1).map(code_only) {
            Some(Ok(Some((name, range)))) if !snake || is_snake_case(&name) => Named {
                name,
                span: rp.span(range),
            },
            _ if snake => {
                rp.error(
                    cell_target(rp, row, row.cells.get(1)),
                    "expected the method's name in a code span: a snake_case word",
                    Some("e.g. `list_zones`: lower-case letters, digits and `_`, starting with a letter".into()),
                );
                continue;
            }
            _ => {
                rp.error(
                    cell_target(rp, row, row.cells.get(1)),
                    "expected the result's JSON key in a code span",
                    Some("e.g. `images`, the key of the array that holds the items".into()),
                );
                continue;
            }
        };
        match seen {
            Some(first) => rp.error(
                cell_target(rp, row, row.cells.first()),
                format!("`{item}` is named twice (first at line {first})"),
                None,
            ),
            None => {
                *seen = Some(line);
                *slot = Some(named);
            }
        }
    }
    names
}
