//! Parse stage, overlay table cells: what every overlay table (`### Parameters`, `### Variants`,
//! `### Names`, `### Body`, `### Settings`) reads its header, rows and cells with — the header's
//! columns, rows with as many cells as written, a cell's plain text, single code span or list
//! of values, where a diagnostic about a cell points.

use std::ops::Range;

use super::blocks::{Cell, CellItem, Row};
use super::report::Reporter;
use crate::ir::ParamType;

/// Where a diagnostic about a cell points: its content, else its padding, else its row.
pub(super) fn cell_target(rp: &Reporter<'_>, row: &Row, cell: Option<&Cell>) -> Range<usize> {
    let Some(cell) = cell else {
        return rp.first_line(&row.range);
    };
    match (cell.items.first(), cell.items.last()) {
        (Some(first), Some(last)) => item_range(first).start..item_range(last).end,
        _ if !cell.range.is_empty() => cell.range.clone(),
        _ => rp.first_line(&row.range),
    }
}

/// A cell's text when it is plain (text and code spans only), else its source, trimmed.
pub(super) fn plain_text(rp: &Reporter<'_>, cell: Option<&Cell>) -> String {
    let Some(cell) = cell else {
        return String::new();
    };
    let mut out = String::new();
    for item in &cell.items {
        match item {
            CellItem::Text(s, _) | CellItem::Code(s, _) => out.push_str(s),
            CellItem::Other(_) => return cell_source(rp, Some(cell)),
        }
    }
    out.trim().to_owned()
}

/// A cell's Markdown source, trimmed, with the table escape `\|` undone.
pub(super) fn cell_source(rp: &Reporter<'_>, cell: Option<&Cell>) -> String {
    cell.and_then(|c| rp.src.get(c.range.clone()))
        .unwrap_or("")
        .trim()
        .replace("\\|", "|")
}

/// The body rows of a table that have exactly `columns` cells as written. GFM pads a short
/// row and drops a long row's extra cells; either way a value would move to the wrong
/// column or vanish, so such a row is an error and left out.
pub(super) fn body_rows<'r>(
    rp: &mut Reporter<'_>,
    rows: &'r [Row],
    columns: usize,
) -> Vec<&'r Row> {
    let mut out = Vec::new();
    for row in rows.iter().skip(1) {
        let line = rp.first_line(&row.range);
        let written = rp.src.get(line.clone()).map_or(columns, written_cells);
        if written == columns {
            out.push(row);
        } else {
            rp.error(
                line,
                format!("this row has {written} cells, the table has {columns} columns"),
                Some("give every row one cell per column, empty cells included; write `\\|` for a `|` inside a cell".into()),
            );
        }
    }
    out
}

/// How many cells a table row's source line has: cells are split at `|` not escaped by `\`,
/// the optional outer pipes aside.
fn written_cells(line: &str) -> usize {
    let line = line.trim();
    let mut pipes = Vec::new();
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '|' => pipes.push(i),
            _ => {}
        }
    }
    let leading = pipes.first() == Some(&0);
    let trailing = pipes
        .last()
        .is_some_and(|&i| i + 1 == line.len() && !(leading && pipes.len() == 1));
    pipes.len() + 1 - usize::from(leading) - usize::from(trailing)
}

pub(super) fn item_range(item: &CellItem) -> Range<usize> {
    match item {
        CellItem::Text(_, r) | CellItem::Code(_, r) | CellItem::Other(r) => r.clone(),
    }
}

/// A cell that is empty (`Ok(None)`) or one code span with only spaces around it.
pub(super) fn code_only(cell: &Cell) -> Result<Option<(String, Range<usize>)>, ()> {
    let mut found = None;
    for item in &cell.items {
        match item {
            CellItem::Text(t, _) if t.trim().is_empty() => {}
            CellItem::Code(s, r) if found.is_none() => found = Some((s.clone(), r.clone())),
            _ => return Err(()),
        }
    }
    Ok(found)
}

pub(super) fn is_snake_case(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks a table's header row against the columns of the section `heading` (`### Names`);
/// reports and returns false if it is not exactly those columns, in order (names in any case).
pub(super) fn header_ok(
    rp: &mut Reporter<'_>,
    rows: &[Row],
    heading: &str,
    columns: &[&str],
) -> bool {
    let Some(head) = rows.first() else {
        return false;
    };
    let found: Vec<String> = head.cells.iter().map(|c| plain_text(rp, Some(c))).collect();
    let ok = found.len() == columns.len()
        && found
            .iter()
            .zip(columns)
            .all(|(f, c)| f.eq_ignore_ascii_case(c));
    if !ok {
        rp.error(
            rp.first_line(&head.range),
            format!(
                "unknown column layout of the `{heading}` table: expected `| {} |`",
                columns.join(" | ")
            ),
            Some(format!(
                "found `| {} |`; the columns are exactly these, in this order (names in any case)",
                found.join(" | ")
            )),
        );
    }
    ok
}

/// Values are non-empty, distinct, and of the parameter's (element) type.
pub(super) fn check_values(
    rp: &mut Reporter<'_>,
    values: &[(String, Range<usize>)],
    ty: Option<&ParamType>,
) -> Option<Vec<String>> {
    let element = ty.map(ParamType::element);
    let mut ok = true;
    let mut out: Vec<String> = Vec::new();
    for (v, r) in values {
        const ONCE: &str = "`Values` lists each allowed value once, e.g. `desc`, `asc`";
        let problem = if v.trim().is_empty() {
            Some(("an empty value".to_owned(), ONCE))
        } else if out.contains(v) {
            Some((format!("duplicate value `{v}`"), ONCE))
        } else if element == Some(&ParamType::Integer) && v.parse::<i64>().is_err() {
            Some((
                format!("value `{v}` is not an integer"),
                "the values of an `integer` parameter are integers, e.g. `10`",
            ))
        } else if element == Some(&ParamType::Number) && !v.parse::<f64>().is_ok_and(f64::is_finite)
        {
            Some((
                format!("value `{v}` is not a number"),
                "the values of a `number` parameter are finite numbers, e.g. `0.5`",
            ))
        } else {
            None
        };
        match problem {
            Some((message, help)) => {
                rp.error(r.clone(), message, Some(help.into()));
                ok = false;
            }
            None => out.push(v.clone()),
        }
    }
    ok.then_some(out)
}

/// Code spans separated by commas (`` `a`, `b` ``), possibly none. The error is the range of
/// the first item that does not fit.
pub(super) fn code_list(cell: &Cell) -> Result<Vec<(String, Range<usize>)>, Range<usize>> {
    let mut out = Vec::new();
    // True at the start and after a comma.
    let mut need_code = true;
    let mut last_comma = None;
    for item in &cell.items {
        match item {
            CellItem::Code(s, r) if need_code => {
                out.push((s.clone(), r.clone()));
                need_code = false;
            }
            CellItem::Text(t, _) if t.trim().is_empty() => {}
            CellItem::Text(t, r) if t.trim() == "," && !need_code => {
                need_code = true;
                last_comma = Some(r.clone());
            }
            other => return Err(item_range(other)),
        }
    }
    match last_comma {
        Some(comma) if need_code => Err(comma),
        _ => Ok(out),
    }
}

/// `unknown parameter type `int``, or `missing parameter type` for an empty cell.
pub(super) fn unknown_cell(what: &str, text: &str) -> String {
    if text.is_empty() {
        format!("missing {what}: the cell is empty")
    } else {
        format!("unknown {what} `{text}`")
    }
}

/// `type/subtype`, optionally with `; parameters`.
pub(super) fn is_media_type(s: &str) -> bool {
    let essence = s.split(';').next().unwrap_or("").trim();
    let token = |t: &str| !t.is_empty() && !t.contains(|c: char| c.is_whitespace() || c == '/');
    match essence.split_once('/') {
        Some((ty, sub)) => token(ty) && token(sub),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_counted_as_written() {
        assert_eq!(written_cells("| a | b | c |"), 3);
        assert_eq!(written_cells("a | b | c"), 3);
        assert_eq!(written_cells("| a | b \\| c |"), 2);
        assert_eq!(written_cells("| `a` | | |"), 3);
        assert_eq!(written_cells("|"), 1);
        assert_eq!(written_cells("| a |"), 1);
    }
}
