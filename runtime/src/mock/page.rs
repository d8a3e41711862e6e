//! The mock, paging: one page of a listing's data, cut the way its endpoint pages (page
//! numbers, cursors or offsets), and the `result_info` that tells the client where it is.

use serde_json::{Value, json};

use super::check::{Refusal, Source};
use super::spec::{CODE_INVALID, Endpoint, PAGE_SIZE};
use crate::Pagination;

/// The data to answer and its `result_info`: for a listing, the page the query asks for of
/// `data`'s items; otherwise `data` as it is. A cursor the mock did not hand out is refused,
/// as Cloudflare refuses one ("Invalid pagination cursor").
pub(super) fn page(
    endpoint: &Endpoint,
    query: &[(String, String)],
    mut data: Value,
) -> Result<(Value, Option<Value>), Refusal> {
    let Some(how) = endpoint.paging else {
        return Ok((data, None));
    };
    // Without the envelope there is no `result_info` to say where a page is: all at once.
    if endpoint.data_at.is_empty() {
        return Ok((data, None));
    }
    let items = if endpoint.items.is_empty() {
        Some(&mut data)
    } else {
        data.get_mut(endpoint.items)
    };
    let Some(Value::Array(all)) = items else {
        return Ok((data, None));
    };
    let number = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
    };
    let size_from = |name: Option<&str>| {
        name.and_then(number)
            .filter(|n| *n > 0)
            .unwrap_or(PAGE_SIZE)
    };
    let total = all.len();
    let (start, size, mut info) = match how {
        Pagination::Page { page, per_page } => {
            let size = size_from(Some(per_page));
            let page = number(page).unwrap_or(1).max(1);
            let info = json!({
                "page": page,
                "per_page": size,
                "total_count": total,
                "total_pages": total.div_ceil(size),
            });
            (page.saturating_sub(1).saturating_mul(size), size, info)
        }
        Pagination::Offset { offset, limit } => {
            let size = size_from(limit);
            let start = number(offset).unwrap_or(0);
            (start, size, json!({"total_count": total}))
        }
        Pagination::Cursor { cursor, limit } => {
            let size = size_from(limit);
            let sent = query
                .iter()
                .find(|(n, _)| n == cursor)
                .map(|(_, v)| v.as_str());
            let start = match sent {
                None | Some("") => 0,
                Some(text) => match text
                    .strip_prefix(CURSOR_PREFIX)
                    .and_then(|n| n.parse().ok())
                {
                    Some(start) if start <= total => start,
                    _ => {
                        return Err(Refusal {
                            status: 400,
                            code: CODE_INVALID,
                            message: format!("Invalid pagination cursor: `{text}`"),
                            source: Some(Source::Parameter(cursor.to_owned())),
                        });
                    }
                },
            };
            let next = start.saturating_add(size);
            let after = if next < total {
                format!("{CURSOR_PREFIX}{next}")
            } else {
                String::new()
            };
            (
                start,
                size,
                json!({"per_page": size, "cursor": after, "cursors": {"after": after}}),
            )
        }
    };
    let page: Vec<Value> = all.iter().skip(start).take(size).cloned().collect();
    info["count"] = json!(page.len());
    *all = page;
    Ok((data, Some(info)))
}

/// What the mock's cursors start with: the index of the page's first item follows.
const CURSOR_PREFIX: &str = "mock-";
