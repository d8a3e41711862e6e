//! Walking every page of a list endpoint.

use futures::stream::{self, Stream, StreamExt};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use crate::runtime::error::Error;
use crate::runtime::request::{Request, Response};

impl<T: DeserializeOwned + Send + 'static> Request<Vec<T>> {
    /// Every page of a listing, in order, as a stream of responses, starting
    /// with this request's page.
    ///
    /// The next page is asked for with `cursor=<result_info.cursors.after or
    /// result_info.cursor>` when the response has a cursor, else with
    /// `page=<result_info.page + 1>` until `total_pages` (or `total_count`)
    /// is reached or a page comes back short or empty. The stream ends after
    /// the first error. Each page is retried on its own; a
    /// [`deadline`](Request::deadline) or an
    /// [`overall_timeout`](Request::overall_timeout) set on this request
    /// bounds the whole listing.
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
        stream::unfold(Some(first), |state| async move {
            let request = state?;
            let next = request.clone();
            match request.send().await {
                Ok(response) => {
                    let next = next_page(next, &response);
                    Some((Ok(response), next))
                }
                Err(error) => Some((Err(error), None)),
            }
        })
    }

    /// Every item of a listing, in order, across pages (see [`pages`](Self::pages)).
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

/// The request for the page after `response`, or `None` at the end.
fn next_page<T>(request: Request<Vec<T>>, response: &Response<Vec<T>>) -> Option<Request<Vec<T>>> {
    let info = response.result_info.as_ref()?;
    if response.data.is_empty() {
        return None;
    }
    if let Some(cursor) = info.next_cursor() {
        let previous = request
            .query_pairs()
            .iter()
            .rev()
            .find(|(k, _)| k == "cursor")
            .map(|(_, v)| v.as_str());
        if previous == Some(cursor) {
            return None;
        }
        return Some(request.set_query_pair("cursor", cursor));
    }
    let page = info.page?;
    if let Some(total_pages) = info.total_pages {
        if page >= total_pages {
            return None;
        }
    } else if let (Some(total), Some(per_page)) = (info.total_count, info.per_page) {
        if page.saturating_mul(per_page) >= total {
            return None;
        }
    } else if let Some(per_page) = info.per_page {
        if (response.data.len() as u64) < per_page {
            return None;
        }
    }
    Some(request.set_query_pair("page", (page + 1).to_string()))
}
