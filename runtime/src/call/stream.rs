//! [`RawStream`]: a response body read chunk by chunk, for large exports.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::stream::{self, Stream, StreamExt};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use tokio::time::Instant;

use crate::call::request::Request;
use crate::decode::response::{RawBody, RedactedHeaders};
use crate::error::Error;

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send + 'static>>;

/// A 2xx response whose body is read as it arrives: a
/// `Stream<Item = Result<Bytes, Error>>` of its chunks, with the status and
/// headers at hand. Made by [`Request::bytes_stream`].
///
/// The stream ends after the last chunk, or after the first error (a
/// connection cut mid-body is [`Error::Transport`]; a pause between chunks
/// longer than the request's per-attempt timeout, or the call's deadline
/// passing, is [`Error::Timeout`]). Nothing is retried once the body has
/// started. `Debug` shows the headers as [`Response`](crate::Response)'s does,
/// credentials and cookies redacted.
pub struct RawStream {
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
    chunks: Chunks,
}

impl RawStream {
    /// HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// The `cf-ray` header: the id Cloudflare support asks for.
    pub fn ray_id(&self) -> Option<&str> {
        self.headers.get("cf-ray").and_then(|v| v.to_str().ok())
    }

    /// Attempts made before the response head arrived, 1 when the first one succeeded.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Status, headers and the chunk stream, apart.
    pub fn into_parts(
        self,
    ) -> (
        StatusCode,
        HeaderMap,
        impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
    ) {
        (self.status, self.headers, self.chunks)
    }

    /// Reads the rest of the body into one [`RawBody`].
    pub async fn into_body(mut self) -> Result<RawBody, Error> {
        let mut body = BytesMut::new();
        while let Some(chunk) = self.chunks.next().await {
            body.extend_from_slice(&chunk?);
        }
        let content_type = self.content_type().map(str::to_owned);
        Ok(RawBody::new(body.freeze(), content_type))
    }
}

impl Stream for RawStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for RawStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawStream")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// Reading one chunk after another.
struct Reading {
    response: reqwest::Response,
    start: Instant,
    deadline: Option<Instant>,
    idle: Duration,
    attempts: u32,
}

impl Reading {
    async fn next_chunk(mut self) -> Option<(Result<Bytes, Error>, Option<Reading>)> {
        let mut limit = self.idle;
        let mut overall = false;
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left <= limit {
                limit = left;
                overall = true;
            }
        }
        let timeout = |reading: &Reading| Error::Timeout {
            elapsed: reading.start.elapsed(),
            attempts: reading.attempts,
            overall,
        };
        if limit.is_zero() {
            return Some((Err(timeout(&self)), None));
        }
        match tokio::time::timeout(limit, self.response.chunk()).await {
            Ok(Ok(Some(chunk))) => Some((Ok(chunk), Some(self))),
            Ok(Ok(None)) => None,
            Ok(Err(e)) => {
                let error = Error::Transport {
                    source: e.without_url(),
                    attempts: self.attempts,
                };
                Some((Err(error), None))
            }
            Err(_) => Some((Err(timeout(&self)), None)),
        }
    }
}

impl Request<RawBody> {
    /// Sends the request and returns the 2xx response's body as a stream of
    /// chunks, never holding all of it in memory (a large CSV export).
    ///
    /// Retries apply until the response head arrives; a non-2xx response
    /// is read whole and returned as the usual [`Error`]. The per-attempt
    /// timeout bounds the wait for the head, then each pause between chunks;
    /// a [`deadline`](Request::deadline) or
    /// [`overall_timeout`](Request::overall_timeout) bounds everything,
    /// body included. Use [`Request::into_raw`] to get a `Request<RawBody>`
    /// from a JSON endpoint.
    pub async fn bytes_stream(self) -> Result<RawStream, Error> {
        let attempted = self
            .attempt(|response| std::future::ready(Ok(response)))
            .await?;
        let response = attempted.value;
        let status = response.status();
        let headers = response.headers().clone();
        let reading = Reading {
            response,
            start: attempted.settings.start,
            deadline: attempted.settings.deadline,
            idle: attempted.settings.attempt_timeout,
            attempts: attempted.attempts,
        };
        let chunks = stream::unfold(Some(reading), |reading| async move {
            reading?.next_chunk().await
        });
        Ok(RawStream {
            status,
            headers,
            attempts: attempted.attempts,
            chunks: Box::pin(chunks),
        })
    }
}
