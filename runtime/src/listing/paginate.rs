//! [`Pagination`]: how a list endpoint pages, as the generator declares it
//! or as a first response suggests; and where a listing stands
//! ([`PageToken`], [`ResumePoint`]), to resume it; and what a list result
//! holds ([`ListResult`]).

use serde::{Deserialize, Serialize};

use crate::decode::envelope::ResultInfo;

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
    /// A 0-based item offset (`offset`), advanced by the items each page holds; `limit` is
    /// the page-size parameter, if any. Declared only (a response does not say it pages
    /// this way).
    Offset {
        /// The offset parameter.
        offset: &'static str,
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

/// The position of a page in a listing: its page number or its cursor, as
/// the request that fetches it sends them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PageToken {
    /// A 1-based page number, for page-number paging.
    Page(u64),
    /// An opaque cursor, for cursor paging.
    Cursor(String),
    /// A 0-based item offset, for offset paging.
    Offset(u64),
}

/// Where a listing stands, to resume it later with
/// [`Request::resume`](crate::Request::resume) without losing or
/// repeating an item: the page it asks for next and how many of that page's
/// items were already yielded.
///
/// Read it from [`Pages::resume_point`](crate::Pages::resume_point)
/// or [`Items::resume_point`](crate::Items::resume_point), keep it
/// (it serializes with serde), and pass it to the same request in a later
/// run. `ResumePoint::default()` is the start of the listing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ResumePoint {
    /// The page to ask for; `None` for the page the request asks for as
    /// built (its first page).
    pub page: Option<PageToken>,
    /// How many items at the start of that page were already yielded and are skipped.
    pub skip: usize,
}

impl From<PageToken> for ResumePoint {
    fn from(page: PageToken) -> Self {
        ResumePoint {
            page: Some(page),
            skip: 0,
        }
    }
}

/// The `result` of a list endpoint: what [`Request::pages`] and
/// [`Request::items`](crate::Request::items) page through.
///
/// A listing's items are either the `result` itself (a JSON array, `Vec<T>`)
/// or the one array inside a result object (`{"images": [...], ...}`), whose
/// generated struct implements this trait: its other fields stay readable on
/// each page from [`Request::pages`], and
/// [`send`](crate::Request::send) still returns the whole object.
///
/// [`Request::pages`]: crate::Request::pages
pub trait ListResult {
    /// One item of the listing.
    type Item;

    /// The items on this page (none when the array is absent).
    fn items(&self) -> &[Self::Item];

    /// The items on this page, to drop those a resumed or bounded listing
    /// must not yield; `None` when the array is absent, so an absent field
    /// stays absent.
    fn items_mut(&mut self) -> Option<&mut Vec<Self::Item>>;

    /// The items on this page, taken out of it.
    fn into_items(self) -> Vec<Self::Item>;
}

/// A listing whose `result` may be `null` (its docs say so): a `null` page
/// holds no items.
impl<L: ListResult> ListResult for Option<L> {
    type Item = L::Item;

    fn items(&self) -> &[L::Item] {
        self.as_ref().map_or(&[], L::items)
    }

    fn items_mut(&mut self) -> Option<&mut Vec<L::Item>> {
        self.as_mut()?.items_mut()
    }

    fn into_items(self) -> Vec<L::Item> {
        self.map(L::into_items).unwrap_or_default()
    }
}

impl<T> ListResult for Vec<T> {
    type Item = T;

    fn items(&self) -> &[T] {
        self
    }

    fn items_mut(&mut self) -> Option<&mut Vec<T>> {
        Some(self)
    }

    fn into_items(self) -> Vec<T> {
        self
    }
}
