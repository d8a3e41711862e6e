//! [`Pagination`]: how a list endpoint pages, as the generator declares it
//! or as a first response suggests.

use crate::runtime::envelope::ResultInfo;

/// How a list endpoint pages, inferred by the generator from its documented parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pagination {
    /// `page` + `per_page` query parameters (names as sent on the wire).
    Page {
        /// The 1-based page number parameter.
        page: &'static str,
        /// The page size parameter.
        per_page: &'static str,
    },
    /// An opaque cursor parameter; `limit` is the page-size parameter, if any.
    Cursor {
        /// The cursor parameter.
        cursor: &'static str,
        /// The page size parameter, if any.
        limit: Option<&'static str>,
    },
}

impl Pagination {
    /// `page` + `per_page`, as most Cloudflare list endpoints page.
    pub const PAGE: Pagination = Pagination::Page {
        page: "page",
        per_page: "per_page",
    };
    /// `cursor` + `limit`, as cursor-paged Cloudflare endpoints page.
    pub const CURSOR: Pagination = Pagination::Cursor {
        cursor: "cursor",
        limit: Some("limit"),
    };
}

/// The pagination a response's `result_info` suggests, when none was declared.
pub(crate) fn infer(info: &ResultInfo) -> Option<Pagination> {
    if info.next_cursor().is_some() {
        Some(Pagination::Cursor {
            cursor: "cursor",
            limit: None,
        })
    } else if info.page.is_some() {
        Some(Pagination::PAGE)
    } else {
        None
    }
}
