//! [`Request`]'s body setters: JSON, typed JSON, multipart and form bodies checked for
//! their required fields before anything is sent, and raw bytes.

use bytes::Bytes;
use reqwest::header::CONTENT_TYPE;

use super::Request;
use crate::call::body::{RequiredFields, missing_field};
use crate::call::multipart::{Multipart, MultipartBody};
use crate::call::query;
use crate::error::Error;

impl<T> Request<T> {
    /// A JSON body (`Content-Type: application/json`).
    pub fn json_body<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body(bytes, "application/json"),
            Err(e) => self.fail(Error::InvalidRequest {
                message: format!("JSON body: {e}"),
            }),
        }
    }

    /// A typed JSON body (a generated body struct): its required fields are checked first,
    /// and one left unset fails the call with [`Error::InvalidRequest`] naming it (`rules[0].action`),
    /// before anything is sent. Otherwise as [`json_body`](Self::json_body).
    pub fn checked_json_body<B: serde::Serialize + RequiredFields + ?Sized>(
        self,
        body: &B,
    ) -> Self {
        match missing_field(body) {
            Some(error) => self.fail(error),
            None => self.json_body(body),
        }
    }

    /// A `multipart/form-data` body built by hand, encoded now (a retry sends the same
    /// bytes) with a fresh boundary.
    pub fn multipart_body(self, form: &Multipart) -> Self {
        let (bytes, content_type) = form.encode();
        self.body(bytes, &content_type)
    }

    /// A typed multipart body (a generated multipart body struct): its required fields are
    /// checked first, as for [`checked_json_body`](Self::checked_json_body), then each set
    /// field is a part: a file with its name and media type, text, or JSON
    /// (`application/json`) for an object.
    pub fn checked_multipart_body<B: MultipartBody + RequiredFields + ?Sized>(
        self,
        body: &B,
    ) -> Self {
        if let Some(error) = missing_field(body) {
            return self.fail(error);
        }
        let mut form = Multipart::new();
        match body.write_parts(&mut form) {
            Ok(()) => self.multipart_body(&form),
            Err(e) => self.fail(Error::InvalidRequest {
                message: format!("multipart body: {e}"),
            }),
        }
    }

    /// A typed `application/x-www-form-urlencoded` body: required fields checked as for
    /// [`checked_json_body`](Self::checked_json_body), then the fields as form pairs, by the
    /// rules of [`query`](Self::query).
    pub fn checked_form_body<B: serde::Serialize + RequiredFields + ?Sized>(
        self,
        body: &B,
    ) -> Self {
        if let Some(error) = missing_field(body) {
            return self.fail(error);
        }
        match query::to_pairs(body) {
            Ok(pairs) => {
                let text = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&pairs)
                    .finish();
                self.body(text, "application/x-www-form-urlencoded")
            }
            Err(message) => self.fail(Error::InvalidRequest {
                message: format!("form body: {message}"),
            }),
        }
    }

    /// A body of raw bytes with its content type.
    pub fn body(mut self, bytes: impl Into<Bytes>, content_type: &str) -> Self {
        self.body = Some(bytes.into());
        self.header(CONTENT_TYPE.as_str(), content_type)
    }
}
