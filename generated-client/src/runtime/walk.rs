//! Walking every page of a list endpoint: a listing always ends, and never
//! asks past its end.

use std::collections::HashSet;

use futures::stream::{self, Stream, StreamExt};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use crate::runtime::envelope::ResultInfo;
use crate::runtime::error::Error;
use crate::runtime::paginate::{self, Pagination};
use crate::runtime::request::Request;
use crate::runtime::response::Response;

impl<T: DeserializeOwned + Send + 'static> Request<Vec<T>> {
    /// Every page of a listing, in order, as a stream of responses, starting
    /// with this request's page. [`send`](Request::send) is single-page access.
    ///
    /// How it pages is declared with [`paginate`](Request::paginate) (as the
    /// generated list endpoints do), or else inferred from the first
    /// response: a cursor in `result_info` means cursor paging with
    /// `cursor`, a `result_info.page` means page numbers with `page` and
    /// `per_page`, neither means a single page.
    ///
    /// **Page numbers**: the next page is the one this request asks for (its
    /// page parameter, else 1) plus one. The listing ends after a page that
    /// is short (fewer items than the page size: the smaller of the
    /// `per_page` sent and `result_info.per_page`, or, when neither is known,
    /// the largest page seen so far), after page `result_info.total_pages`,
    /// or once `page × page size ≥ result_info.total_count`.
    ///
    /// **Cursors**: the next cursor is `result_info.cursors.after`, else
    /// `result_info.cursor`. The listing ends when there is none, it is empty,
    /// or it was already sent in this listing (a server going round in
    /// circles).
    ///
    /// **Either way** the listing ends, without yielding the page, on an empty
    /// page (other than the first) and on a page whose `result` is
    /// byte-for-byte the previous page's; and, in page mode, on a page whose
    /// `result_info.page` is not the page asked for (a server that ignores
    /// the page parameter: the first such page is yielded only if it is the
    /// first page). So no server can make a listing loop forever.
    ///
    /// The stream ends after the first error. Each page is retried on its
    /// own; a [`deadline`](Request::deadline) or an
    /// [`overall_timeout`](Request::overall_timeout) set on this request
    /// bounds the whole listing.
    ///
    /// **Drift**: each page's decode warnings are in its
    /// [`Response::warnings`]; a [`Warnings`](crate::runtime::Warnings)
    /// attached with [`record_warnings`](Request::record_warnings) collects
    /// those of the whole listing, and the client logs each distinct kind
    /// once at warn level. In strict mode drift is an error that ends the stream.
    pub fn pages(self) -> impl Stream<Item = Result<Response<Vec<T>>, Error>> + Send + 'static {
        let first = match self
            .overall_timeout_value()
            .and_then(|t| Instant::now().checked_add(t))
        {
            Some(at) => {
                let at = self.deadline_value().map_or(at, |d| d.min(at));
                self.deadline(at)
            }
            None => self,
        };
        let walk = Walk {
            how: first.pagination(),
            next: Some(first),
            first: true,
            previous_hash: None,
            seen_cursors: HashSet::new(),
            largest_page: 0,
        };
        stream::unfold(walk, Walk::step)
    }

    /// Every item of a listing, in order, across pages (see [`pages`](Self::pages)).
    ///
    /// Items carry no decode warnings: attach a
    /// [`Warnings`](crate::runtime::Warnings) with
    /// [`record_warnings`](Request::record_warnings) to read those of the
    /// listing while it runs or once it has ended (the client also logs each
    /// distinct kind of drift once at warn level).
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        self.pages().flat_map(|page| {
            let items: Vec<Result<T, Error>> = match page {
                Ok(response) => response.data.into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(items)
        })
    }
}

/// The state of a listing between pages.
struct Walk<T> {
    /// The next request; `None` once the listing has ended.
    next: Option<Request<Vec<T>>>,
    /// Declared, or inferred from the first response.
    how: Option<Pagination>,
    first: bool,
    /// The hash of the previous page's raw `result`, to stop on a repeat.
    previous_hash: Option<u64>,
    seen_cursors: HashSet<String>,
    /// The most items seen on one page, for a short-page test when no page
    /// size is known.
    largest_page: u64,
}

/// What to do with a page: yield it, then send this request (or end, with
/// `None`); or `Drop`: end without yielding it.
enum Verdict<T> {
    Yield(Option<Box<Request<Vec<T>>>>),
    Drop,
}

impl<T: DeserializeOwned + Send + 'static> Walk<T> {
    async fn step(mut self) -> Option<(Result<Response<Vec<T>>, Error>, Self)> {
        let request = self.next.take()?;
        let following = request.clone();
        let (response, hash) = match request.send_decoded().await {
            Ok(decoded) => (decoded.response, hash_bytes(&decoded.raw_data)),
            // `next` is `None`: the stream ends after the error.
            Err(error) => return Some((Err(error), self)),
        };
        match self.verdict(following, &response, hash) {
            Verdict::Yield(next) => {
                self.next = next.map(|next| *next);
                Some((Ok(response), self))
            }
            Verdict::Drop => None,
        }
    }

    /// Decides about `response`, the answer to `request` (a clone of it).
    fn verdict(
        &mut self,
        request: Request<Vec<T>>,
        response: &Response<Vec<T>>,
        hash: u64,
    ) -> Verdict<T> {
        let first = std::mem::replace(&mut self.first, false);
        let items = response.data.len() as u64;
        if !first && (items == 0 || self.previous_hash == Some(hash)) {
            return Verdict::Drop;
        }
        self.previous_hash = Some(hash);
        let info = response.result_info.as_ref();
        if first && self.how.is_none() {
            self.how = info.and_then(paginate::infer);
        }
        let next = match self.how {
            _ if items == 0 => None,
            None => None,
            Some(Pagination::Page { page, per_page }) => {
                let asked = request
                    .query_value(page)
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(1);
                if info.and_then(|i| i.page).is_some_and(|p| p != asked) {
                    tracing::debug!(
                        asked,
                        "the server answered with another page: it ignores the page parameter"
                    );
                    return if first {
                        Verdict::Yield(None)
                    } else {
                        Verdict::Drop
                    };
                }
                let sent = request
                    .query_value(per_page)
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .filter(|n| *n > 0);
                let last = self.last_page(asked, items, sent, info);
                self.largest_page = self.largest_page.max(items);
                (!last).then(|| request.set_query_pair(page, (asked + 1).to_string()))
            }
            Some(Pagination::Cursor { cursor, .. }) => {
                if first {
                    if let Some(sent) = request.query_value(cursor) {
                        self.seen_cursors.insert(sent.to_owned());
                    }
                }
                match info.and_then(ResultInfo::next_cursor) {
                    Some(next) if self.seen_cursors.insert(next.to_owned()) => {
                        Some(request.set_query_pair(cursor, next))
                    }
                    Some(_) => {
                        tracing::debug!("the server sent a cursor already followed; stopping");
                        None
                    }
                    None => None,
                }
            }
        };
        Verdict::Yield(next.map(Box::new))
    }

    /// Whether page `page`, holding `items` items, is the last one.
    fn last_page(
        &self,
        page: u64,
        items: u64,
        sent: Option<u64>,
        info: Option<&ResultInfo>,
    ) -> bool {
        let reported = info.and_then(|i| i.per_page).filter(|n| *n > 0);
        let size = match (sent, reported) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let short_of = size.unwrap_or(self.largest_page);
        if items < short_of {
            return true;
        }
        let Some(info) = info else {
            return false;
        };
        if info.total_pages.is_some_and(|total| page >= total) {
            return true;
        }
        let size = size.unwrap_or(items).max(1);
        info.total_count
            .is_some_and(|total| page.saturating_mul(size) >= total)
    }
}

/// A cheap, stable hash of a page's raw data, so a repeated page is noticed
/// without comparing decoded items.
fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}
