//! [`Request`]'s body setters: JSON, typed JSON, multipart and form bodies checked for
//! their required fields before anything is sent, and raw bytes.
//!
//! Each generic setter does only what needs its type (asking a typed body for its missing
//! field, erasing it to `&dyn erased_serde::Serialize`) and leaves the rest to [`Parts`],
//! compiled once: see [`Parts`] for why.

use bytes::Bytes;
use reqwest::header::CONTENT_TYPE;

use super::{Parts, Request};
use crate::call::body::{RequiredFields, missing_field};
use crate::call::multipart::{Multipart, MultipartBody};
use crate::call::query;
use crate::error::Error;

impl<T> Request<T> {
    /// A JSON body (`Content-Type: application/json`).
    pub fn json_body<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.parts.json_body(&body);
        self
    }

    /// A typed JSON body (a generated body struct): its required fields are checked first,
    /// and one left unset fails the call with [`Error::InvalidRequest`] naming it (`rules[0].action`),
    /// before anything is sent. Otherwise as [`json_body`](Self::json_body).
    pub fn checked_json_body<B: serde::Serialize + RequiredFields + ?Sized>(
        mut self,
        body: &B,
    ) -> Self {
        match missing_field(body.missing_required()) {
            Some(error) => self.parts.fail(error),
            None => self.parts.json_body(&body),
        }
        self
    }

    /// A `multipart/form-data` body built by hand, encoded now (a retry sends the same
    /// bytes) with a fresh boundary.
    pub fn multipart_body(mut self, form: &Multipart) -> Self {
        self.parts.multipart_body(form);
        self
    }

    /// A typed multipart body (a generated multipart body struct): its required fields are
    /// checked first, as for [`checked_json_body`](Self::checked_json_body), then each set
    /// field is a part: a file with its name and media type, text, or JSON
    /// (`application/json`) for an object.
    pub fn checked_multipart_body<B: MultipartBody + RequiredFields + ?Sized>(
        mut self,
        body: &B,
    ) -> Self {
        if let Some(error) = missing_field(body.missing_required()) {
            return self.fail(error);
        }
        let mut form = Multipart::new();
        match body.write_parts(&mut form) {
            Ok(()) => self.parts.multipart_body(&form),
            Err(e) => self.parts.fail(Error::InvalidRequest {
                message: format!("multipart body: {e}"),
            }),
        }
        self
    }

    /// A typed `application/x-www-form-urlencoded` body: required fields checked as for
    /// [`checked_json_body`](Self::checked_json_body), then the fields as form pairs, by the
    /// rules of [`query`](Self::query).
    pub fn checked_form_body<B: serde::Serialize + RequiredFields + ?Sized>(
        mut self,
        body: &B,
    ) -> Self {
        match missing_field(body.missing_required()) {
            Some(error) => self.parts.fail(error),
            None => self.parts.form_body(&body),
        }
        self
    }

    /// A body of raw bytes with its content type.
    pub fn body(mut self, bytes: impl Into<Bytes>, content_type: &str) -> Self {
        self.parts.body(bytes.into(), content_type);
        self
    }
}

impl Parts {
    fn json_body(&mut self, body: &dyn erased_serde::Serialize) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body(Bytes::from(bytes), "application/json"),
            Err(e) => self.fail(Error::InvalidRequest {
                message: format!("JSON body: {e}"),
            }),
        }
    }

    fn multipart_body(&mut self, form: &Multipart) {
        let (bytes, content_type) = form.encode();
        self.body(bytes, &content_type);
    }

    fn form_body(&mut self, body: &dyn erased_serde::Serialize) {
        match query::to_pairs(body) {
            Ok(pairs) => {
                let text = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&pairs)
                    .finish();
                self.body(Bytes::from(text), "application/x-www-form-urlencoded");
            }
            Err(message) => self.fail(Error::InvalidRequest {
                message: format!("form body: {message}"),
            }),
        }
    }

    fn body(&mut self, bytes: Bytes, content_type: &str) {
        self.body = Some(bytes);
        self.header(CONTENT_TYPE.as_str(), content_type);
    }
}
