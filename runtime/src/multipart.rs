//! `multipart/form-data` request bodies (RFC 7578), built in memory so a retry can send them
//! again.
//!
//! Binary properties (`format: binary`) are file parts; every other property is a text part:
//! strings as they are, numbers and booleans as JSON writes them, each item of an array its own
//! part, and an object as one `application/json` part.

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};

use serde_json::Value;

use super::body::Body;
use super::error::InvalidParameter;

/// A `multipart/form-data` body being written.
#[derive(Debug)]
pub struct Multipart {
    boundary: String,
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
        Body::from(self.bytes).with_content_type(Cow::Owned(format!(
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
