//! Parse stage, overlay table grammar: the overlay [`Dialect`], which adds an endpoint's
//! `### Parameters`, `### Variants`, `### Names` and `### Body` tables (GFM tables, enabled only here, so upstream
//! docs read exactly as before), lets the file open with its own notes, makes
//! `### Responses` optional and a route given twice an error.

use std::ops::Range;

use pulldown_cmark::Options;

use super::blocks::{Block, BlockKind, Row, looks_like_method_line};
use super::dialect::{Dialect, Extras, Route};
use super::overlay_body;
use super::overlay_cells::{
    body_rows, cell_source, cell_target, check_values, code_list, code_only, header_ok,
    is_media_type, is_snake_case, plain_text, unknown_cell,
};
use super::overlay_names;
use super::overlay_settings::Settings;
use super::report::Reporter;
use crate::ir::{Envelope, Param, ParamLocation, ParamType, Variant};

/// Which overlay table section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableSection {
    Parameters,
    Variants,
    Names,
    Body,
}

impl TableSection {
    fn parse(heading: &str) -> Option<TableSection> {
        match heading.trim() {
            "Parameters" => Some(TableSection::Parameters),
            "Variants" => Some(TableSection::Variants),
            "Names" => Some(TableSection::Names),
            "Body" => Some(TableSection::Body),
            _ => None,
        }
    }

    fn heading(self) -> &'static str {
        match self {
            TableSection::Parameters => "### Parameters",
            TableSection::Variants => "### Variants",
            TableSection::Names => "### Names",
            TableSection::Body => "### Body",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            TableSection::Parameters => &PARAM_COLUMNS,
            TableSection::Variants => &VARIANT_COLUMNS,
            TableSection::Names => &overlay_names::NAME_COLUMNS,
            TableSection::Body => &overlay_body::BODY_COLUMNS,
        }
    }
}

const PARAM_COLUMNS: [&str; 6] = ["Name", "In", "Type", "Required", "Values", "Description"];
const VARIANT_COLUMNS: [&str; 4] = ["Name", "Query", "Accept", "Description"];
const PARAM_TYPES: &str = "`string`, `integer`, `number`, `boolean`, `datetime`, or one of them followed by `[]` (repeated keys) or `[,]` (comma-joined); `secret` for a header";

/// A `### Parameters` or `### Variants` heading of the current endpoint.
struct TableHeading {
    heading: Range<usize>,
    /// Set once the section's table was read.
    table_seen: bool,
}

/// The overlay dialect's state for the endpoint being read.
#[derive(Default)]
pub(super) struct OverlayTables {
    /// The section blocks go to now.
    open: Option<TableSection>,
    params_heading: Option<TableHeading>,
    variants_heading: Option<TableHeading>,
    names_heading: Option<TableHeading>,
    body_heading: Option<TableHeading>,
    body: overlay_body::BodySection,
    extras: Extras,
    /// The file's `### Settings`, before its first endpoint.
    settings: Settings,
}

impl OverlayTables {
    fn slot(&mut self, section: TableSection) -> &mut Option<TableHeading> {
        match section {
            TableSection::Parameters => &mut self.params_heading,
            TableSection::Variants => &mut self.variants_heading,
            TableSection::Names => &mut self.names_heading,
            TableSection::Body => &mut self.body_heading,
        }
    }
}

impl Dialect for OverlayTables {
    fn options(&self) -> Options {
        Options::ENABLE_TABLES
    }

    fn intro_notes(&self) -> bool {
        // An overlay's introduction: its own notes (where the facts come from).
        true
    }

    fn responses_optional(&self) -> bool {
        true
    }

    fn unique_routes(&self) -> bool {
        // Which of the two adds to the doc's endpoint would be a guess.
        true
    }

    fn intro_block(&mut self, r: &mut Reporter<'_>, b: &Block) -> bool {
        self.settings.intro_block(r, b)
    }

    fn finish_intro(&mut self, r: &mut Reporter<'_>) -> Envelope {
        self.settings.finish(r)
    }

    fn section_heading(&mut self, r: &mut Reporter<'_>, b: &Block, after_responses: bool) -> bool {
        let BlockKind::Heading { text, .. } = &b.kind else {
            return false;
        };
        let Some(section) = TableSection::parse(text) else {
            return false;
        };
        let heading = r.first_line(&b.range);
        if after_responses {
            r.error(
                heading,
                format!(
                    "`{}` after `### Responses`: its table is not read",
                    section.heading()
                ),
                Some("put an endpoint's tables above `### Responses`".into()),
            );
            return true;
        }
        self.open = Some(section);
        let slot = self.slot(section);
        match slot {
            None => {
                *slot = Some(TableHeading {
                    heading,
                    table_seen: false,
                })
            }
            Some(first) => {
                let first = r.line_of(first.heading.start);
                r.error(
                    heading,
                    format!(
                        "a second `{}` heading in one endpoint (first at line {first})",
                        section.heading()
                    ),
                    Some("give all of an endpoint's rows in one table".into()),
                );
            }
        }
        true
    }

    fn section_block(&mut self, r: &mut Reporter<'_>, b: &Block, route: &Route<'_>) {
        let Some(section) = self.open else {
            return;
        };
        let line = r.first_line(&b.range);
        let name = section.heading();
        if section == TableSection::Body {
            match &b.kind {
                BlockKind::Heading { level: 4, text } => {
                    return self.body.variant_heading(r, text, line);
                }
                BlockKind::Paragraph(_) if self.body.paragraph(r, b.range.clone()) => {
                    return;
                }
                BlockKind::Table(rows) => {
                    let heading = match self.body_heading.as_mut() {
                        Some(h) => {
                            h.table_seen = true;
                            h.heading.clone()
                        }
                        None => line.clone(),
                    };
                    if header_ok(r, rows, name, section.columns()) {
                        self.body.table(r, rows, heading, line);
                    }
                    return;
                }
                _ => {}
            }
        }
        match &b.kind {
            BlockKind::Table(rows) => {
                let seen = self
                    .slot(section)
                    .as_mut()
                    .map(|h| std::mem::replace(&mut h.table_seen, true));
                if seen == Some(true) {
                    r.error(
                        line,
                        format!("a second table in one `{name}` section"),
                        Some("give all of an endpoint's rows in one table".into()),
                    );
                } else if header_ok(r, rows, section.heading(), section.columns()) {
                    match section {
                        TableSection::Parameters => {
                            self.extras.params = parameters_table(r, rows, route)
                        }
                        TableSection::Variants => self.extras.variants = variants_table(r, rows),
                        TableSection::Names => {
                            let names = overlay_names::names_table(r, rows);
                            self.extras.method_name = names.method;
                            self.extras.items_field = names.items;
                        }
                        // Read above, table by table.
                        TableSection::Body => {}
                    }
                }
            }
            BlockKind::Heading { .. } => r.warning(
                line,
                format!("heading ignored: a `{name}` section holds one table"),
                Some(format!("description headings go above `{name}`")),
            ),
            _ if looks_like_method_line(b) => r.error(
                line,
                format!("method line inside a `{name}` section: no endpoint is generated for it"),
                Some("put a `## Summary` heading right above the method line".into()),
            ),
            _ => r.warning(
                line,
                format!("text in a `{name}` section is ignored"),
                Some(format!(
                    "the section holds one table; describe the endpoint above `{name}`"
                )),
            ),
        }
    }

    fn finish_endpoint(&mut self, r: &mut Reporter<'_>) -> Extras {
        let mut done = std::mem::take(self);
        // A body of bytes is complete with its `Content type:` line alone, one of scalars with
        // its `Body type:` line.
        if done.body.needs_no_table()
            && let Some(h) = done.body_heading.as_mut()
        {
            h.table_seen = true;
        }
        let heading = done.body_heading.as_ref().map(|h| h.heading.clone());
        done.extras.body = std::mem::take(&mut done.body).finish(r, heading);
        for (section, slot) in [
            (TableSection::Parameters, &done.params_heading),
            (TableSection::Variants, &done.variants_heading),
            (TableSection::Names, &done.names_heading),
            (TableSection::Body, &done.body_heading),
        ] {
            if let Some(h) = slot.as_ref().filter(|h| !h.table_seen) {
                let columns = section.columns().join(" | ");
                r.error(
                    h.heading.clone(),
                    format!("`{}` section without a table", section.heading()),
                    Some(format!(
                        "write the table right below the heading: `| {columns} |`"
                    )),
                );
            }
        }
        done.extras
    }
}

// ---------------------------------------------------------------------------------------------
// Tables and their rows.

/// The rows of a `### Parameters` table (after its header), checked against the route.
fn parameters_table(rp: &mut Reporter<'_>, rows: &[Row], route: &Route<'_>) -> Vec<Param> {
    // Every name read so far, with its line: a duplicate is an error even if the first row
    // had other problems.
    let mut seen: Vec<(String, u32)> = Vec::new();
    body_rows(rp, rows, PARAM_COLUMNS.len())
        .into_iter()
        .filter_map(|row| param_row(rp, row, route, &mut seen))
        .collect()
}

/// One `### Parameters` row; `None` (after reporting) if it has any error.
fn param_row(
    rp: &mut Reporter<'_>,
    row: &Row,
    ctx: &Route<'_>,
    seen: &mut Vec<(String, u32)>,
) -> Option<Param> {
    let line = rp.line_of(row.range.start);
    let cell = |i: usize| row.cells.get(i);
    let mut ok = true;

    let name = match cell(0).map(code_only) {
        Some(Ok(Some((n, r)))) if !n.is_empty() && !n.contains(char::is_whitespace) => Some((n, r)),
        Some(Ok(Some((n, r)))) => {
            rp.error(
                r,
                format!("invalid parameter name `{n}`"),
                Some("a wire name is not empty and has no whitespace".into()),
            );
            None
        }
        _ => {
            rp.error(
                cell_target(rp, row, cell(0)),
                "expected the parameter's wire name in a code span",
                Some("e.g. `actor.email` or `actor_email.not`, in backticks".into()),
            );
            None
        }
    };
    ok &= name.is_some();

    let location_text = plain_text(rp, cell(1));
    let location = match location_text.as_str() {
        "path" => Some(ParamLocation::Path),
        "query" => Some(ParamLocation::Query),
        "header" => Some(ParamLocation::Header),
        _ => {
            rp.error(
                cell_target(rp, row, cell(1)),
                unknown_cell("parameter location", &location_text),
                Some("the `In` column is `path`, `query` or `header`".into()),
            );
            None
        }
    };
    if let Some((n, r)) = &name {
        // A header's name is matched without regard to case; a query key exactly.
        let key = match location {
            Some(ParamLocation::Header) => format!("header {}", n.to_ascii_lowercase()),
            _ => n.clone(),
        };
        match seen.iter().find(|(s, _)| *s == key) {
            Some((_, first)) => {
                let first = *first;
                rp.error(
                    r.clone(),
                    format!("duplicate parameter `{n}` (first at line {first})"),
                    Some("each wire name appears once in an endpoint's table (a header's in any case)".into()),
                );
                ok = false;
            }
            None => seen.push((key, line)),
        }
    }

    let type_text = plain_text(rp, cell(2));
    let ty = parse_param_type(&type_text);
    if ty.is_none() {
        rp.error(
            cell_target(rp, row, cell(2)),
            unknown_cell("parameter type", &type_text),
            Some(format!("the `Type` column is {PARAM_TYPES}")),
        );
    }

    let required_text = plain_text(rp, cell(3));
    let required = match required_text.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            rp.error(
                cell_target(rp, row, cell(3)),
                unknown_cell("`Required` value", &required_text),
                Some("the `Required` column is `yes` or `no`".into()),
            );
            None
        }
    };

    let values = match cell(4).map(code_list) {
        None => Some(Vec::new()),
        Some(Ok(values)) => check_values(rp, &values, ty.as_ref()),
        Some(Err(at)) => {
            rp.error(
                at,
                "expected the values as code spans separated by commas",
                Some("e.g. `desc`, `asc`; leave the cell empty for no closed set".into()),
            );
            None
        }
    };
    let values_target = cell_target(rp, row, cell(4));
    if let (Some(values), Some(ty)) = (&values, &ty) {
        let element = ty.element();
        if !values.is_empty() && *element == ParamType::Boolean {
            rp.error(
                values_target,
                "a boolean parameter takes no `Values`",
                Some("its values are `true` and `false`: leave the cell empty".into()),
            );
            ok = false;
        } else if !values.is_empty() && *element == ParamType::Secret {
            rp.error(
                values_target,
                "a `secret` parameter takes no `Values`",
                Some("a closed set of values is no secret: write `string`".into()),
            );
            ok = false;
        }
    }

    if let (Some((n, r)), Some(location)) = (&name, location) {
        let in_path = ctx.path_params.iter().any(|p| p == n);
        match location {
            ParamLocation::Path if ctx.ok && !in_path => {
                let help = if ctx.path_params.is_empty() {
                    "the path has no `{…}` parameters; a query parameter is `query`".to_owned()
                } else {
                    let list: Vec<String> = ctx
                        .path_params
                        .iter()
                        .map(|p| format!("`{{{p}}}`"))
                        .collect();
                    format!("the path's parameters are {}", list.join(", "))
                };
                rp.error(
                    r.clone(),
                    format!(
                        "path parameter `{n}` is not in the path template `{}`",
                        ctx.path
                    ),
                    Some(help),
                );
                ok = false;
            }
            ParamLocation::Query if in_path => {
                rp.error(
                    r.clone(),
                    format!("query parameter `{n}` has the name of a path parameter"),
                    Some(format!(
                        "`{{{n}}}` is in the path: write `path`, or use another name"
                    )),
                );
                ok = false;
            }
            _ => {}
        }
        if location == ParamLocation::Header {
            if !crate::ir::is_header_name(n) {
                rp.error(
                    r.clone(),
                    format!("invalid header name `{n}`"),
                    Some("a header name is an RFC 9110 token: ASCII letters, digits, `-` and a few more symbols".into()),
                );
                ok = false;
            } else if crate::ir::CLIENT_HEADERS.contains(&n.to_ascii_lowercase().as_str()) {
                rp.error(
                    r.clone(),
                    format!("header `{n}` is set by the client"),
                    Some("credentials, the body's type and length and the connection are the client's; leave the row out".into()),
                );
                ok = false;
            }
            if matches!(ty, Some(ParamType::Array(_) | ParamType::Joined(_))) {
                rp.error(
                    cell_target(rp, row, cell(2)),
                    format!("header parameter `{n}` cannot be an array"),
                    Some("a header holds one value: `string`, `integer`, `number`, `boolean`, `datetime` or `secret`".into()),
                );
                ok = false;
            }
        } else if ty == Some(ParamType::Secret) {
            rp.error(
                cell_target(rp, row, cell(2)),
                format!("parameter `{n}` is a `secret` outside a header"),
                Some("a path or a query string ends up in logs: `secret` is for headers; write `string`".into()),
            );
            ok = false;
        }
        if location == ParamLocation::Path {
            if required == Some(false) {
                rp.error(
                    cell_target(rp, row, cell(3)),
                    format!("path parameter `{n}` is marked not required"),
                    Some("a path cannot leave a parameter out: write `yes`".into()),
                );
                ok = false;
            }
            if matches!(ty, Some(ParamType::Array(_) | ParamType::Joined(_))) {
                rp.error(
                    cell_target(rp, row, cell(2)),
                    format!("path parameter `{n}` cannot be an array"),
                    Some("only query parameters take `[]` and `[,]` types".into()),
                );
                ok = false;
            }
        }
    }

    let description = cell_source(rp, cell(5));
    if !ok {
        return None;
    }
    Some(Param {
        span: rp.span(rp.first_line(&row.range)),
        name: name?.0,
        location: location?,
        ty: ty?,
        required: required?,
        values: values?,
        description,
    })
}

/// The rows of a `### Variants` table (after its header).
fn variants_table(rp: &mut Reporter<'_>, rows: &[Row]) -> Vec<Variant> {
    let mut seen: Vec<(String, u32)> = Vec::new();
    body_rows(rp, rows, VARIANT_COLUMNS.len())
        .into_iter()
        .filter_map(|row| variant_row(rp, row, &mut seen))
        .collect()
}

/// One `### Variants` row; `None` (after reporting) if it has any error.
fn variant_row(rp: &mut Reporter<'_>, row: &Row, seen: &mut Vec<(String, u32)>) -> Option<Variant> {
    let line = rp.line_of(row.range.start);
    let cell = |i: usize| row.cells.get(i);
    let mut ok = true;

    let name = match cell(0).map(code_only) {
        Some(Ok(Some((n, r)))) if is_snake_case(&n) => Some((n, r)),
        _ => {
            rp.error(
                cell_target(rp, row, cell(0)),
                "expected the variant's name in a code span: a snake_case word",
                Some(
                    "e.g. `csv`: lower-case letters, digits and `_`, starting with a letter".into(),
                ),
            );
            None
        }
    };
    if let Some((n, r)) = &name {
        match seen.iter().find(|(s, _)| s == n) {
            Some((_, first)) => {
                let first = *first;
                rp.error(
                    r.clone(),
                    format!("duplicate variant `{n}` (first at line {first})"),
                    None,
                );
                ok = false;
            }
            None => seen.push((n.clone(), line)),
        }
    }

    let query = match cell(1).map(code_list) {
        None => Some(Vec::new()),
        Some(Ok(pairs)) => {
            let mut out = Vec::new();
            for (pair, r) in pairs {
                match pair.split_once('=') {
                    Some((k, v)) if !k.is_empty() => out.push((k.to_owned(), v.to_owned())),
                    _ => {
                        rp.error(
                            r,
                            format!("expected `key=value`, found `{pair}`"),
                            Some("e.g. `export=true`".into()),
                        );
                        ok = false;
                    }
                }
            }
            Some(out)
        }
        Some(Err(at)) => {
            rp.error(
                at,
                "expected the query pairs as code spans separated by commas",
                Some("e.g. `export=true`, `format=csv`".into()),
            );
            None
        }
    };

    let accept = match cell(2).map(code_only) {
        None | Some(Ok(None)) => Some(None),
        Some(Ok(Some((t, r)))) => {
            if is_media_type(&t) {
                Some(Some(t))
            } else {
                rp.error(
                    r,
                    format!("`{t}` is not a media type"),
                    Some("e.g. `text/csv`".into()),
                );
                None
            }
        }
        Some(Err(())) => {
            rp.error(
                cell_target(rp, row, cell(2)),
                "expected a media type in a code span, or nothing",
                Some("e.g. `text/csv`".into()),
            );
            None
        }
    };

    let description = cell_source(rp, cell(3));
    if !ok {
        return None;
    }
    Some(Variant {
        span: rp.span(rp.first_line(&row.range)),
        name: name?.0,
        query: query?,
        accept: accept?,
        description,
    })
}

/// `string`, `integer`, `number`, `boolean`, `datetime`, or one of them followed by `[]`
/// (repeated keys) or `[,]` (comma-joined).
fn parse_param_type(text: &str) -> Option<ParamType> {
    let (base, array) = if let Some(base) = text.strip_suffix("[]") {
        (base, Some(true))
    } else if let Some(base) = text.strip_suffix("[,]") {
        (base, Some(false))
    } else {
        (text, None)
    };
    let base = match base {
        "string" => ParamType::String,
        "integer" => ParamType::Integer,
        "number" => ParamType::Number,
        "boolean" => ParamType::Boolean,
        "datetime" => ParamType::DateTime,
        "secret" if array.is_none() => return Some(ParamType::Secret),
        _ => return None,
    };
    Some(match array {
        Some(true) => ParamType::Array(Box::new(base)),
        Some(false) => ParamType::Joined(Box::new(base)),
        None => base,
    })
}
