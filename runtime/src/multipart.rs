//! `multipart/form-data` request bodies (RFC 7578).
//!
//! Binary properties (`format: binary`) are file parts ([`FilePart`]); every other property is
//! a text part: strings as they are, numbers and booleans as JSON writes them, each item of an
//! array its own part, and an object as one `application/json` part.
//!
//! A body whose parts are all in memory is built in memory and a retry sends it again. A file
//! part read from a file or a stream ([`FilePart::open`], [`Body::from_stream`]) is read as the
//! request goes out, never whole in memory: the body is then sent once (no retry), with a
//! `Content-Length` when every streamed part's length is known (files), chunked otherwise.

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};

use bytes::Bytes;
use serde_json::Value;

use super::body::Body;
use super::error::InvalidParameter;

/// A `multipart/form-data` body being written.
#[derive(Debug)]
pub struct Multipart {
    boundary: String,
    /// What comes before `bytes`: text written before a streamed part, and the streamed parts.
    written: Vec<Body>,
    /// What was written since the last streamed part.
    bytes: Vec<u8>,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty body with a fresh random boundary.
    pub fn new() -> Self {
        // Two independently seeded SipHash keys: 128 random bits, without a `rand` dependency.
        let random = |salt: u64| {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(salt);
            hasher.finish()
        };
        Self {
            boundary: format!("----rust-client-{:016x}{:016x}", random(1), random(2)),
            written: Vec::new(),
            bytes: Vec::new(),
        }
    }

    /// A text part.
    pub fn text(&mut self, name: &str, value: &str) {
        self.head(name, None, None);
        self.bytes.extend_from_slice(value.as_bytes());
        self.bytes.extend_from_slice(b"\r\n");
    }

    /// A file part (`application/octet-stream`), its file name the part's name: bytes, or text
    /// when the spec's schema is shared with JSON and the property is a string there.
    pub fn file(&mut self, name: &str, value: impl AsRef<[u8]>) {
        self.head(name, Some(name), Some("application/octet-stream"));
        self.bytes.extend_from_slice(value.as_ref());
        self.bytes.extend_from_slice(b"\r\n");
    }

    /// A file part: its content (in memory, or read from a file or a stream as the request is
    /// sent), its file name (the part's name unless [`FilePart::file_name`] sets one) and its
    /// content type (`application/octet-stream` unless [`FilePart::content_type`] sets one).
    pub fn file_part(&mut self, name: &str, part: impl Into<FilePart>) {
        let part = part.into();
        let file_name = part.file_name.as_deref().unwrap_or(name);
        self.head(name, Some(file_name), Some(part.content.content_type()));
        match part.content.in_memory() {
            Some(bytes) => self.bytes.extend_from_slice(bytes),
            None => {
                let before = std::mem::take(&mut self.bytes);
                self.written.push(Body::from(before));
                self.written.push(part.content);
            }
        }
        self.bytes.extend_from_slice(b"\r\n");
    }

    /// Any other property: text parts, or one JSON part for an object; nothing for `null`.
    pub fn value<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), InvalidParameter> {
        let value = serde_json::to_value(value).map_err(|e| InvalidParameter {
            parameter: name,
            constraint: "serializable as a form part".into(),
            value: e.to_string(),
        })?;
        self.json_value(name, &value);
        Ok(())
    }

    fn json_value(&mut self, name: &str, value: &Value) {
        match value {
            Value::Null => {}
            Value::String(s) => self.text(name, s),
            Value::Bool(_) | Value::Number(_) => self.text(name, &value.to_string()),
            Value::Array(items) => {
                for item in items {
                    self.json_value(name, item);
                }
            }
            Value::Object(_) => {
                self.head(name, None, Some("application/json"));
                self.bytes.extend_from_slice(value.to_string().as_bytes());
                self.bytes.extend_from_slice(b"\r\n");
            }
        }
    }

    fn head(&mut self, name: &str, file_name: Option<&str>, content_type: Option<&str>) {
        self.bytes.extend_from_slice(b"--");
        self.bytes.extend_from_slice(self.boundary.as_bytes());
        self.bytes
            .extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        self.bytes.extend_from_slice(quoted(name).as_bytes());
        self.bytes.push(b'"');
        if let Some(file_name) = file_name {
            self.bytes.extend_from_slice(b"; filename=\"");
            self.bytes.extend_from_slice(quoted(file_name).as_bytes());
            self.bytes.push(b'"');
        }
        self.bytes.extend_from_slice(b"\r\n");
        if let Some(content_type) = content_type {
            self.bytes.extend_from_slice(b"Content-Type: ");
            self.bytes.extend_from_slice(content_type.as_bytes());
            self.bytes.extend_from_slice(b"\r\n");
        }
        self.bytes.extend_from_slice(b"\r\n");
    }

    /// The finished body, with its `multipart/form-data; boundary=...` content type.
    pub fn finish(mut self) -> Body {
        self.bytes.extend_from_slice(b"--");
        self.bytes.extend_from_slice(self.boundary.as_bytes());
        self.bytes.extend_from_slice(b"--\r\n");
        let mut written = self.written;
        written.push(Body::from(self.bytes));
        Body::concat(written).with_content_type(Cow::Owned(format!(
            "multipart/form-data; boundary={}",
            self.boundary
        )))
    }
}

/// A name inside a quoted header parameter, escaped as HTML forms do: `"` as `%22`, CR and LF
/// as `%0D` and `%0A`.
fn quoted(name: &str) -> Cow<'_, str> {
    if name.contains(['"', '\r', '\n']) {
        Cow::Owned(
            name.replace('"', "%22")
                .replace('\r', "%0D")
                .replace('\n', "%0A"),
        )
    } else {
        Cow::Borrowed(name)
    }
}

/// A file part of a `multipart/form-data` body: its content, in memory or read as the request is
/// sent, with an optional file name and content type.
///
/// ```no_run
/// # async fn f() -> std::io::Result<()> {
/// # use openapi_rustgen_runtime::FilePart;
/// let photo = FilePart::open("cat.jpg").await?.content_type("image/jpeg"); // streamed
/// let note = FilePart::from("some text").file_name("note.txt"); // in memory
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct FilePart {
    content: Body,
    file_name: Option<String>,
}

impl FilePart {
    /// A part of `content`: bytes in memory, or a [`Body::from_file`] or [`Body::from_stream`]
    /// read as the request is sent.
    pub fn new(content: impl Into<Body>) -> Self {
        Self {
            content: content.into(),
            file_name: None,
        }
    }

    /// The file at `path`, read 64 KiB at a time as the request is sent (its length is sent),
    /// named by the path's last component.
    pub async fn open(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let content = Body::from_file(tokio::fs::File::open(path).await?).await?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        Ok(Self { content, file_name })
    }

    /// The part's file name (`filename=` in its `Content-Disposition`).
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's content type (`application/octet-stream` unless set).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content = self.content.with_content_type(content_type.into());
        self
    }

    /// The content, when it is in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        self.content.in_memory().map(|bytes| &bytes[..])
    }
}

/// Equal when the names, the content types and the bytes are, or when both read the same
/// stream.
impl PartialEq for FilePart {
    fn eq(&self, other: &Self) -> bool {
        self.file_name == other.file_name
            && self.content.content_type() == other.content.content_type()
            && self.content.same_content(&other.content)
    }
}

impl<T: Into<Body>> From<T> for FilePart {
    fn from(content: T) -> Self {
        Self::new(content)
    }
}

impl From<&str> for FilePart {
    fn from(text: &str) -> Self {
        Self::new(text.as_bytes())
    }
}

impl From<String> for FilePart {
    fn from(text: String) -> Self {
        Self::new(text.into_bytes())
    }
}

/// Its bytes, as a `Vec<u8>` would be (an array of numbers in JSON); a part read from a file or
/// a stream is not serialized.
impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.content.in_memory() {
            Some(bytes) => serializer.collect_seq(bytes.iter()),
            None => Err(serde::ser::Error::custom(
                "a file part read from a file or a stream is only sent as a multipart part",
            )),
        }
    }
}

/// From bytes (an array of numbers, as a `Vec<u8>` is written) or a string (its UTF-8 bytes).
impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = FilePart;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a file's content: bytes or a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<FilePart, E> {
                Ok(FilePart::from(text))
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<FilePart, E> {
                Ok(FilePart::from(bytes))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FilePart, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                while let Some(byte) = seq.next_element::<u8>()? {
                    bytes.push(byte);
                }
                Ok(FilePart::from(Bytes::from(bytes)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
