//! Walking every page of a list endpoint: a listing always ends, never asks
//! past its end, can be bounded, and can be stopped and resumed where it
//! stood ([`Pages`], [`Items`], [`ResumePoint`]), whether the items are the
//! `result` itself or the array inside a result object ([`ListResult`]).

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::stream::Stream;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use crate::call::request::Request;
use crate::decode::envelope::ResultInfo;
use crate::decode::lenient::drift::{LISTING_WARNINGS_KEPT, Warnings};
use crate::decode::response::Response;
use crate::error::Error;
use crate::listing::paginate::{self, ListResult, PageToken, Pagination, ResumePoint};

/// The most empty pages in a row a cursor listing asks for before it ends.
///
/// Some cursor APIs answer a page that matched nothing (a time window
/// without events, a filtered scan) with no items and a new cursor: the
/// listing follows it, since later pages may hold items. A server that
/// answers empty pages forever must not make the listing run forever, so
/// after this many empty pages in a row the listing ends.
pub const MAX_EMPTY_PAGES: u32 = 10;

impl<R> Request<R>
where
    R: ListResult + DeserializeOwned + Send + 'static,
    R::Item: Send + 'static,
{
    /// Every page of a listing, in order, as a stream of responses, starting
    /// with this request's page. [`send`](Request::send) is single-page access.
    ///
    /// A page's items are those of its [`ListResult`]: the `result` array, or
    /// the one array of a result object, whose other fields each page keeps.
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
    /// or once `page × page size ≥ result_info.total_count`; and, without
    /// yielding it, on an empty page other than the first.
    ///
    /// **Cursors**: the next cursor is `result_info.cursors.after`, else
    /// `result_info.cursor`. The listing ends when there is none, it is empty,
    /// or it was already sent in this listing (a server going round in
    /// circles). An empty page with a new cursor is followed without being
    /// yielded (unless it is the first page), up to [`MAX_EMPTY_PAGES`] in a row.
    ///
    /// **Either way** the listing ends, without yielding the page, on a page
    /// whose `result` is byte-for-byte the previous page's; and, in page
    /// mode, on a page whose `result_info.page` is not the page asked for (a
    /// server that ignores the page parameter: the first such page is
    /// yielded only if it is the first page). So no server can make a
    /// listing loop forever.
    ///
    /// **Bounds and resuming**: [`max_pages`](Request::max_pages) and
    /// [`max_items`](Request::max_items) stop the listing early;
    /// [`Pages::resume_point`] then says where to pick it up with
    /// [`resume`](Request::resume).
    ///
    /// The stream ends after the first error. Each page is retried on its
    /// own; a [`deadline`](Request::deadline) or an
    /// [`overall_timeout`](Request::overall_timeout) set on this request
    /// bounds the whole listing. With [`prefetch`](Request::prefetch), each next page is
    /// fetched while the caller is still on the one before.
    ///
    /// **Drift**: each page's decode warnings are in its
    /// [`Response::warnings`], and [`Pages::warnings`] sums up those of the
    /// whole listing, as it runs or once it has ended: every kind counted,
    /// the first [`LISTING_WARNINGS_KEPT`] kept in full, or all of them in a
    /// [`Warnings`] attached with [`record_warnings`](Request::record_warnings).
    /// The client also logs each distinct kind once at warn level. In strict
    /// mode drift is an error that ends the stream.
    pub fn pages(self) -> Pages<R> {
        let warnings = self
            .recorded_warnings()
            .cloned()
            .unwrap_or_else(|| Warnings::with_limit(LISTING_WARNINGS_KEPT));
        let first = self.record_warnings(&warnings);
        let first = match first
            .overall_timeout_value()
            .and_then(|t| Instant::now().checked_add(t))
        {
            Some(at) => {
                let at = first.deadline_value().map_or(at, |d| d.min(at));
                first.deadline(at)
            }
            None => first,
        };
        let listing = first.listing();
        let how = first.pagination();
        let start = ResumePoint {
            page: token_of(&first, how),
            skip: listing.skip,
        };
        let walk = Walk {
            how,
            next: Some(first),
            first: true,
            previous_raw: None,
            seen_cursors: HashSet::new(),
            largest_page: 0,
            fetched: 0,
            max_pages: listing.max_pages,
            items_left: listing.max_items,
            skip: listing.skip,
            empty_run: 0,
            yielded_from: start.clone(),
            resume: Some(start.clone()),
        };
        Pages {
            state: State::Idle(Box::new(walk)),
            resume: Some(start.clone()),
            yielded_from: start,
            warnings,
        }
    }

    /// Every item of a listing, in order, across pages (see [`pages`](Self::pages)).
    ///
    /// Items carry no decode warnings: [`Items::warnings`] has those of the
    /// listing while it runs or once it has ended (every kind counted, the
    /// first [`LISTING_WARNINGS_KEPT`] kept in full, or all of them in a
    /// [`Warnings`] attached with [`record_warnings`](Request::record_warnings)),
    /// and the client logs each distinct kind of drift once at warn level.
    ///
    /// ```no_run
    /// # async fn demo(client: cloudflare_client_runtime::Client) -> Result<(), cloudflare_client_runtime::Error> {
    /// use futures::TryStreamExt;
    ///
    /// let mut items = client
    ///     .get::<Vec<serde_json::Value>>(
    ///         "/accounts/{account_id}/audit_logs",
    ///         &[("account_id", "023e105f4ecef8ad9ca31a8372d0c353")],
    ///     )
    ///     .items();
    /// while let Some(item) = items.try_next().await? {
    ///     println!("{}", item["id"]);
    /// }
    /// for kind in items.warnings().kinds() {
    ///     eprintln!("drift: {kind}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn items(self) -> Items<R> {
        let pages = self.for_items().pages();
        Items {
            from: pages.yielded_from.clone(),
            pages,
            page: Vec::new().into_iter(),
            taken: 0,
        }
    }
}

type Step<R> = (Box<Walk<R>>, Option<Result<Response<R>, Error>>);

/// The pages of a listing, made by [`Request::pages`]: a
/// `Stream<Item = Result<Response<R>, Error>>` (`R` the endpoint's result:
/// `Vec<Item>`, or a result object holding the items) that is `Unpin`,
/// `Send` and `'static`, so it can be polled with `.next()` / `.try_next()`
/// as it is, kept in a struct, or sent to another task.
pub struct Pages<R> {
    state: State<R>,
    /// Where to resume after what has been yielded; `None` once nothing is left.
    resume: Option<ResumePoint>,
    /// Where the page last yielded started, for [`Items::resume_point`].
    yielded_from: ResumePoint,
    /// Every page's warnings, attached to each page's request.
    warnings: Warnings,
}

enum State<R> {
    /// Between pages.
    Idle(Box<Walk<R>>),
    /// A page (with its retries, and any empty pages it skips) in flight.
    Busy(BoxFuture<'static, Step<R>>),
    /// The same, fetched ahead in a task of its own.
    Ahead(Ahead<R>),
    /// Only while `poll_next` swaps states, or after it panicked.
    Gone,
}

// The state is never pinned in place (the future in flight is boxed), so
// the stream can move between polls whatever `R` is.
impl<R> Unpin for Pages<R> {}

/// A page fetched ahead: the task, aborted if the stream is dropped before it is read.
struct Ahead<R>(tokio::task::JoinHandle<Step<R>>);

impl<R> Drop for Ahead<R> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<R> Pages<R> {
    /// Where to resume this listing with [`Request::resume`] so that the
    /// next item is the first one not yet yielded; `None` once the listing
    /// has ended with nothing left (including after a page that ended it
    /// because the server misbehaved).
    ///
    /// After [`max_pages`](Request::max_pages) or
    /// [`max_items`](Request::max_items) stopped the listing it is the page
    /// (and, for `max_items`, the item) where the rest starts; after an
    /// error it is the page that failed; before the first page, the start.
    pub fn resume_point(&self) -> Option<ResumePoint> {
        self.resume.clone()
    }

    /// The decode warnings of the pages fetched so far (see [`Request::pages`]): the
    /// [`Warnings`] attached with [`record_warnings`](Request::record_warnings), or else one
    /// this listing made for itself, keeping the first [`LISTING_WARNINGS_KEPT`] in full and
    /// counting every kind. A shared handle: clone it to read it after the stream is dropped.
    pub fn warnings(&self) -> &Warnings {
        &self.warnings
    }
}

impl<R> Stream for Pages<R>
where
    R: ListResult + DeserializeOwned + Send + 'static,
    R::Item: Send + 'static,
{
    type Item = Result<Response<R>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match std::mem::replace(&mut this.state, State::Gone) {
                State::Idle(walk) if walk.next.is_none() => {
                    this.state = State::Idle(walk);
                    return Poll::Ready(None);
                }
                State::Idle(walk) => this.state = State::Busy(Box::pin(walk.step())),
                State::Busy(mut step) => match step.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::Busy(step);
                        return Poll::Pending;
                    }
                    Poll::Ready(step) => return Poll::Ready(this.arrived(step)),
                },
                State::Ahead(mut ahead) => match Pin::new(&mut ahead.0).poll(cx) {
                    Poll::Pending => {
                        this.state = State::Ahead(ahead);
                        return Poll::Pending;
                    }
                    Poll::Ready(Ok(step)) => return Poll::Ready(this.arrived(step)),
                    // Aborted only by dropping `ahead`, so the task panicked: so does this.
                    Poll::Ready(Err(error)) => std::panic::resume_unwind(error.into_panic()),
                },
                State::Gone => return Poll::Ready(None),
            }
        }
    }
}

impl<R> Pages<R>
where
    R: ListResult + DeserializeOwned + Send + 'static,
    R::Item: Send + 'static,
{
    /// Takes in a page the walk fetched (or its end, or an error), and sends for the next
    /// page at once when prefetching (see [`Request::prefetch`]).
    fn arrived(&mut self, (walk, item): Step<R>) -> Option<Result<Response<R>, Error>> {
        self.resume = walk.resume.clone();
        self.yielded_from = walk.yielded_from.clone();
        let ahead = matches!(item, Some(Ok(_)))
            && walk
                .next
                .as_ref()
                .is_some_and(|next| next.listing().prefetch);
        self.state = match ahead.then(tokio::runtime::Handle::try_current) {
            Some(Ok(runtime)) => {
                let step = walk.step().instrument(tracing::Span::current());
                State::Ahead(Ahead(runtime.spawn(step)))
            }
            _ => State::Idle(walk),
        };
        item
    }
}

impl<R> fmt::Debug for Pages<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let in_flight = matches!(self.state, State::Busy(_) | State::Ahead(_));
        f.debug_struct("Pages")
            .field("in_flight", &in_flight)
            .field("resume_point", &self.resume)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// The items of a listing, across pages, made by [`Request::items`]: a
/// `Stream<Item = Result<R::Item, Error>>` that is `Unpin`, `Send` and `'static`.
pub struct Items<R: ListResult> {
    pages: Pages<R>,
    /// The rest of the current page.
    page: std::vec::IntoIter<R::Item>,
    /// Where the current page started.
    from: ResumePoint,
    /// Items of the current page yielded so far.
    taken: usize,
}

// Items are held by value and never pinned; see `Pages`.
impl<R: ListResult> Unpin for Items<R> {}

impl<R: ListResult> Items<R> {
    /// Where to resume this listing with [`Request::resume`] so that the
    /// next item is the first one not yet yielded, even in the middle of a
    /// page; `None` once the listing has ended with nothing left. See
    /// [`Pages::resume_point`].
    pub fn resume_point(&self) -> Option<ResumePoint> {
        if self.page.len() == 0 {
            return self.pages.resume_point();
        }
        Some(ResumePoint {
            page: self.from.page.clone(),
            skip: self.from.skip + self.taken,
        })
    }

    /// The decode warnings of the listing so far, which its items do not carry: see
    /// [`Pages::warnings`].
    pub fn warnings(&self) -> &Warnings {
        self.pages.warnings()
    }
}

impl<R> Stream for Items<R>
where
    R: ListResult + DeserializeOwned + Send + 'static,
    R::Item: Send + 'static,
{
    type Item = Result<R::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.page.next() {
                this.taken += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(response))) => {
                    this.from = this.pages.yielded_from.clone();
                    this.taken = 0;
                    this.page = response.data.into_items().into_iter();
                }
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
            }
        }
    }
}

impl<R: ListResult> fmt::Debug for Items<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.page.len())
            .field("resume_point", &self.resume_point())
            .finish_non_exhaustive()
    }
}

/// The page token `request` asks for, as `how` pages (or, undeclared, as
/// its `cursor` or `page` parameter says).
fn token_of<T>(request: &Request<T>, how: Option<Pagination>) -> Option<PageToken> {
    let number = |key: &str| {
        request
            .query_value(key)
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let cursor = |key: &str| {
        request
            .query_value(key)
            .map(|c| PageToken::Cursor(c.to_owned()))
    };
    match how {
        Some(Pagination::Page { page, .. }) => Some(PageToken::Page(number(page).unwrap_or(1))),
        Some(Pagination::Cursor { cursor: key, .. }) => cursor(key),
        Some(Pagination::Offset { offset, .. }) => {
            Some(PageToken::Offset(number(offset).unwrap_or(0)))
        }
        None => cursor("cursor").or_else(|| number("page").map(PageToken::Page)),
    }
}

/// The state of a listing between pages.
struct Walk<R> {
    /// The next request; `None` once the listing has ended.
    next: Option<Request<R>>,
    /// Declared, or inferred from the first response.
    how: Option<Pagination>,
    first: bool,
    /// The previous non-empty page's raw `result`, to stop on a repeat. Kept and compared
    /// rather than hashed: a slice of that page's body (held one page longer), and two
    /// different pages differ in their first bytes, where hashing read all of both.
    previous_raw: Option<Bytes>,
    seen_cursors: HashSet<String>,
    /// The most items seen on one page, for a short-page test when no page
    /// size is known.
    largest_page: u64,
    /// Requests sent for pages (retries not counted), for `max_pages`.
    fetched: u64,
    max_pages: Option<u64>,
    /// What `max_items` still allows.
    items_left: Option<u64>,
    /// Items to drop from the start of the first page, when resuming.
    skip: usize,
    /// Empty pages in a row followed so far.
    empty_run: u32,
    /// Where the page last yielded started.
    yielded_from: ResumePoint,
    /// Where to resume after what has been yielded; `None` once nothing is left.
    resume: Option<ResumePoint>,
}

/// What to do with a page: yield it, then send this request (or end, with
/// `None`); `Skip` it (an empty page) and send this request; or `Drop`: end
/// without yielding it.
enum Verdict<R> {
    Yield(Option<Box<Request<R>>>),
    Skip(Box<Request<R>>),
    Drop,
}

impl<R> Walk<R>
where
    R: ListResult + DeserializeOwned + Send + 'static,
    R::Item: Send + 'static,
{
    /// Fetches pages until one is to be yielded, the listing ends, or a bound stops it.
    async fn step(mut self: Box<Self>) -> Step<R> {
        loop {
            let request = match self.next.take() {
                Some(request) => request,
                None => return (self, None),
            };
            let bounded =
                self.max_pages.is_some_and(|max| self.fetched >= max) || self.items_left == Some(0);
            if bounded {
                // `resume` already points at `request`: the listing goes on from there.
                return (self, None);
            }
            self.fetched += 1;
            let start = ResumePoint {
                page: token_of(&request, self.how),
                skip: self.skip,
            };
            let following = request.clone();
            let (mut response, raw) = match request.send_decoded().await {
                Ok(decoded) => (decoded.response, decoded.raw_data),
                // `next` is `None`: the stream ends after the error, and
                // `resume` still points at the page that failed.
                Err(error) => return (self, Some(Err(error))),
            };
            match self.verdict(following, &response, raw) {
                Verdict::Yield(next) => {
                    self.next = next.map(|next| *next);
                    let skip = std::mem::take(&mut self.skip).min(response.data.items().len());
                    if let Some(items) = response.data.items_mut() {
                        items.drain(..skip);
                    }
                    let mut cut = false;
                    if let Some(left) = &mut self.items_left {
                        let len = response.data.items().len() as u64;
                        let kept = len.min(*left);
                        cut = kept < len;
                        if let Some(items) = response.data.items_mut() {
                            // `kept` ≤ the page's length, so it fits a usize.
                            items.truncate(kept as usize);
                        }
                        *left -= kept;
                    }
                    self.resume = if cut {
                        // Stopped inside this page: the rest of it comes first.
                        Some(ResumePoint {
                            page: start.page.clone(),
                            skip: start.skip + response.data.items().len(),
                        })
                    } else {
                        self.resume_at_next()
                    };
                    if cut {
                        self.next = None;
                    }
                    self.yielded_from = start;
                    return (self, Some(Ok(response)));
                }
                Verdict::Skip(next) => {
                    self.next = Some(*next);
                    self.skip = 0;
                    self.resume = self.resume_at_next();
                }
                Verdict::Drop => {
                    self.resume = None;
                    return (self, None);
                }
            }
        }
    }

    fn resume_at_next(&self) -> Option<ResumePoint> {
        self.next.as_ref().map(|next| ResumePoint {
            page: token_of(next, self.how),
            skip: 0,
        })
    }

    /// Decides about `response`, the answer to `request` (a clone of it).
    fn verdict(&mut self, request: Request<R>, response: &Response<R>, raw: Bytes) -> Verdict<R> {
        let first = std::mem::replace(&mut self.first, false);
        let items = response.data.items().len() as u64;
        let info = response.result_info.as_ref();
        if first && self.how.is_none() {
            self.how = info.and_then(paginate::infer);
        }
        let end = |first: bool| {
            if first {
                Verdict::Yield(None)
            } else {
                Verdict::Drop
            }
        };
        if let Some(Pagination::Cursor { cursor, .. }) = self.how {
            if first {
                if let Some(sent) = request.query_value(cursor) {
                    self.seen_cursors.insert(sent.to_owned());
                }
            }
            if items == 0 {
                let Some(next) = info.and_then(ResultInfo::next_cursor) else {
                    return end(first);
                };
                if !self.seen_cursors.insert(next.to_owned()) {
                    tracing::debug!("the server sent a cursor already followed; stopping");
                    return end(first);
                }
                self.empty_run += 1;
                if self.empty_run >= MAX_EMPTY_PAGES {
                    tracing::debug!(
                        empty_pages = self.empty_run,
                        "too many empty pages in a row; stopping"
                    );
                    return end(first);
                }
                let next = Box::new(request.set_query_pair(cursor, next));
                return if first {
                    Verdict::Yield(Some(next))
                } else {
                    Verdict::Skip(next)
                };
            }
            self.empty_run = 0;
        }
        if !first && (items == 0 || self.previous_raw.as_ref() == Some(&raw)) {
            return Verdict::Drop;
        }
        self.previous_raw = Some(raw);
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
                    return end(first);
                }
                let sent = request
                    .query_value(per_page)
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .filter(|n| *n > 0);
                let last = self.last_page(asked, items, sent, info);
                self.largest_page = self.largest_page.max(items);
                (!last).then(|| request.set_query_pair(page, (asked + 1).to_string()))
            }
            Some(Pagination::Offset { offset, limit }) => {
                // The next page starts after the items this one held: a server that caps
                // the page size below the one asked for loses nothing.
                let asked = request
                    .query_value(offset)
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(0);
                let sent = limit
                    .and_then(|l| request.query_value(l))
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .filter(|n| *n > 0);
                // Short only against a page seen before: a server may hold pages below the
                // limit asked for (and say nothing), so a short first page is no proof.
                let short_of = sent.unwrap_or(u64::MAX).min(self.largest_page);
                self.largest_page = self.largest_page.max(items);
                let next = asked.saturating_add(items);
                let last = items < short_of
                    || info
                        .and_then(|i| i.total_count)
                        .is_some_and(|total| next >= total);
                (!last).then(|| request.set_query_pair(offset, next.to_string()))
            }
            Some(Pagination::Cursor { cursor, .. }) => {
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
