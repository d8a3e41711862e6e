//! `multipart/form-data` bodies (RFC 7578): [`FilePart`], the [`Multipart`] form a generated
//! multipart body struct fills ([`MultipartBody`]), and its encoding into one buffer.
//!
//! The form is encoded into bytes up front, not streamed as `reqwest::multipart` does: a
//! request is retried with the very same bytes, and a test (or a middleware) reads the body
//! it sent. Uploads to the API are scripts, modules and documents, not media streams.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};

/// A file sent as its own part of a multipart body: its file name, its media type and its
/// content, as a browser sends an `<input type="file">`.
///
/// `Debug` shows the name, the media type and the length, never the content.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    name: String,
    media_type: String,
    content: Bytes,
}

impl FilePart {
    /// A file named `name` (as the part's `filename`), of type `media_type`
    /// (`application/javascript+module`, `text/plain`), holding `content`.
    pub fn new(
        name: impl Into<String>,
        media_type: impl Into<String>,
        content: impl Into<Bytes>,
    ) -> Self {
        FilePart {
            name: name.into(),
            media_type: media_type.into(),
            content: content.into(),
        }
    }

    /// The file name sent with it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The media type sent as the part's `Content-Type`.
    pub fn media_type(&self) -> &str {
        &self.media_type
    }

    /// The bytes sent.
    pub fn content(&self) -> &Bytes {
        &self.content
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("name", &self.name)
            .field("media_type", &self.media_type)
            .field("len", &self.content.len())
            .finish()
    }
}

/// A field of a generated multipart body that holds files: one file or several, sent as one
/// part each under the field's name.
pub trait FileParts {
    /// The files to send, in order.
    fn files(&self) -> Vec<&FilePart>;
}

impl FileParts for Option<FilePart> {
    fn files(&self) -> Vec<&FilePart> {
        self.iter().collect()
    }
}

impl FileParts for Option<Vec<FilePart>> {
    fn files(&self) -> Vec<&FilePart> {
        self.iter().flatten().collect()
    }
}

/// One part: its name, a file name for a file, a media type, the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    name: String,
    file_name: Option<String>,
    media_type: Option<String>,
    content: Bytes,
}

/// A `multipart/form-data` body being built: parts in the order they are added.
///
/// A generated multipart body struct fills one ([`MultipartBody`]); build one by hand for
/// an endpoint whose body the docs do not describe and send it with
/// [`Request::multipart_body`](crate::Request::multipart_body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<Part>,
}

impl Multipart {
    /// No parts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A text part: `name` holding `value`, without a media type (read as `text/plain`).
    pub fn text(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            media_type: None,
            content: Bytes::from(value.into()),
        });
        self
    }

    /// A JSON part: `value` serialized, with the media type `application/json` (how the
    /// Workers upload's `metadata` must arrive).
    pub fn json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<&mut Self, serde_json::Error> {
        let content = serde_json::to_vec(value)?;
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            media_type: Some("application/json".to_owned()),
            content: Bytes::from(content),
        });
        Ok(self)
    }

    /// A file part: `file` under `name`, with its file name and media type.
    pub fn file(&mut self, name: &str, file: &FilePart) -> &mut Self {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(file.name.clone()),
            media_type: Some(file.media_type.clone()),
            content: file.content.clone(),
        });
        self
    }

    /// A field of a generated body, when set: a string, number or boolean as a text part;
    /// an array of them as a text part each under `name`; anything else (an object, an array
    /// holding objects or arrays, `null`) as one JSON part.
    #[doc(hidden)]
    pub fn field<T: serde::Serialize>(
        &mut self,
        name: &str,
        value: &Option<T>,
    ) -> Result<&mut Self, serde_json::Error> {
        let Some(value) = value else {
            return Ok(self);
        };
        let json = serde_json::to_value(value)?;
        let scalar = |v: &serde_json::Value| crate::encode::scalar_text(v).ok();
        match &json {
            serde_json::Value::Array(items) if items.iter().all(|i| scalar(i).is_some()) => {
                for item in items {
                    self.text(name, scalar(item).unwrap_or_default());
                }
                Ok(self)
            }
            v => match scalar(v) {
                Some(text) => Ok(self.text(name, text)),
                None => self.json(name, &json),
            },
        }
    }

    /// A field of files of a generated body: a file part per file.
    #[doc(hidden)]
    pub fn files<F: FileParts>(&mut self, name: &str, files: &F) -> &mut Self {
        for file in files.files() {
            self.file(name, file);
        }
        self
    }

    /// The parts encoded with a fresh boundary: the body, and its `Content-Type`
    /// (`multipart/form-data; boundary=…`).
    pub fn encode(&self) -> (Bytes, String) {
        // A boundary must not occur in any part; 128 random bits practically never do, and a
        // part that holds one gets another.
        let boundary = loop {
            let candidate = format!("cloudflare-client-{:032x}", fastrand::u128(..));
            let inside = self.parts.iter().any(|p| {
                p.content
                    .windows(candidate.len())
                    .any(|w| w == candidate.as_bytes())
            });
            if !inside {
                break candidate;
            }
        };
        (
            self.encode_with(&boundary),
            format!("multipart/form-data; boundary={boundary}"),
        )
    }

    /// The parts encoded with `boundary`, each `--boundary`, its headers, a blank line and
    /// its bytes, then `--boundary--`; CRLF line ends.
    pub fn encode_with(&self, boundary: &str) -> Bytes {
        let mut out = BytesMut::new();
        for part in &self.parts {
            out.put_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("form-data; name=\"{}\"", quoted(&part.name));
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
            }
            out.put_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if let Some(media_type) = &part.media_type {
                out.put_slice(format!("Content-Type: {}\r\n", one_line(media_type)).as_bytes());
            }
            out.put_slice(b"\r\n");
            out.put_slice(&part.content);
            out.put_slice(b"\r\n");
        }
        out.put_slice(format!("--{boundary}--\r\n").as_bytes());
        out.freeze()
    }
}

/// A name inside the quotes of `Content-Disposition`, escaped as browsers do (the HTML
/// standard's multipart encoding): `"` as `%22`, CR as `%0D`, LF as `%0A`.
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A header value on one line: CR and LF dropped, so a media type cannot add headers.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], "")
}

/// A generated `multipart/form-data` body struct: adds a part per set field.
pub trait MultipartBody {
    /// Adds this body's parts to `form`, in field order.
    fn write_parts(&self, form: &mut Multipart) -> Result<(), serde_json::Error>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_encoded_with_their_headers_in_order() {
        let mut form = Multipart::new();
        form.json("metadata", &serde_json::json!({"main_module": "a.js"}))
            .unwrap();
        form.file(
            "files",
            &FilePart::new("a.js", "application/javascript+module", "export {}"),
        );
        form.text("note", "x");
        let body = form.encode_with("B");
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            "--B\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{\"main_module\":\"a.js\"}\r\n\
             --B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.js\"\r\nContent-Type: application/javascript+module\r\n\r\nexport {}\r\n\
             --B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nx\r\n\
             --B--\r\n"
        );
    }

    #[test]
    fn names_are_escaped_and_media_types_stay_on_one_line() {
        let mut form = Multipart::new();
        form.file(
            "f\"\r\n",
            &FilePart::new("a\"b\nc", "text/plain\r\nX-Injected: 1", "x"),
        );
        let body = String::from_utf8(form.encode_with("B").to_vec()).unwrap();
        assert!(
            body.contains("name=\"f%22%0D%0A\"; filename=\"a%22b%0Ac\""),
            "{body}"
        );
        assert!(
            body.contains("Content-Type: text/plainX-Injected: 1\r\n"),
            "{body}"
        );
    }

    #[test]
    fn a_fresh_boundary_is_never_inside_a_part() {
        let mut form = Multipart::new();
        form.text("a", "cloudflare-client-");
        let (body, content_type) = form.encode();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        assert_eq!(boundary.len(), "cloudflare-client-".len() + 32);
        assert_eq!(body, form.encode_with(boundary));
    }

    #[test]
    fn fields_are_text_repeated_text_or_json() {
        let mut form = Multipart::new();
        form.field("s", &Some("v")).unwrap();
        form.field("n", &Some(2.0)).unwrap();
        form.field("b", &Some(true)).unwrap();
        form.field("list", &Some(vec!["x", "y"])).unwrap();
        form.field("object", &Some(serde_json::json!({"k": [1]})))
            .unwrap();
        form.field("unset", &None::<String>).unwrap();
        let names: Vec<(&str, Option<&str>, &[u8])> = form
            .parts
            .iter()
            .map(|p| (p.name.as_str(), p.media_type.as_deref(), &p.content[..]))
            .collect();
        assert_eq!(
            names,
            [
                ("s", None, &b"v"[..]),
                ("n", None, b"2"),
                ("b", None, b"true"),
                ("list", None, b"x"),
                ("list", None, b"y"),
                ("object", Some("application/json"), br#"{"k":[1]}"#),
            ]
        );
    }

    #[test]
    fn a_file_part_prints_no_content() {
        let file = FilePart::new("key.pem", "application/x-pem-file", "-----BEGIN SECRET");
        let printed = format!("{file:?}");
        assert!(!printed.contains("BEGIN"), "{printed}");
        assert!(printed.contains("len: 17"), "{printed}");
    }
}
