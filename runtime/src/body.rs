//! What a request sends: a body in memory (JSON, a form, text, bytes, multipart parts), which a
//! retry sends again, or one read as it is sent (a file, a stream), which is sent once.
//!
//! A binary body (`application/octet-stream`, `image/png`...) is an `impl Into<Body>`: bytes as
//! before (`&[u8]`, `Vec<u8>`, `bytes::Bytes`), or [`Body::from_file`] and
//! [`Body::from_stream`], read chunk by chunk while the request goes out, never whole in
//! memory. Such a body cannot be sent twice: a call with one is not retried (a throttled or
//! failed attempt is the call's answer), and the client's timeouts do not bound it (only the
//! call's own `.timeout(..)`: an upload takes as long as it takes).

use std::borrow::Cow;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::stream::{Stream, StreamExt, TryStreamExt};

use super::InvalidParameter;

/// The chunks of a body read as it is sent.
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, super::TransportFailure>> + Send>>;

/// A request body: in memory (sent again by a retry), or read as it is sent (sent once).
#[derive(Clone)]
pub struct Body {
    content_type: Cow<'static, str>,
    content: Content,
}

#[derive(Clone)]
enum Content {
    Memory(Bytes),
    /// Taken by the attempt that sends it; its length when known (`Content-Length`).
    Streamed(Arc<Mutex<Option<Chunks>>>, Option<u64>),
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Body");
        out.field("content_type", &self.content_type);
        match &self.content {
            Content::Memory(bytes) => out.field("bytes", &bytes.len()),
            Content::Streamed(_, length) => out.field("streamed", length),
        };
        out.finish()
    }
}

impl Body {
    /// A body read from `stream` as it is sent, never whole in memory (sent once: a call with
    /// it is not retried). Its length is unknown: it goes out chunked.
    pub fn from_stream<S, E>(stream: S) -> Body
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        Body::streamed(stream.map_err(Into::into).boxed(), None)
    }

    /// A body read from `file` as it is sent, 64 KiB at a time, from where the file stands to
    /// its end (sent once: a call with it is not retried). Its length is sent as
    /// `Content-Length`.
    pub async fn from_file(mut file: tokio::fs::File) -> std::io::Result<Body> {
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        let length = file.metadata().await?.len();
        let start = file.stream_position().await?;
        let chunks = futures_util::stream::try_unfold(file, |mut file| async move {
            let mut chunk = bytes::BytesMut::with_capacity(64 * 1024);
            match file.read_buf(&mut chunk).await? {
                0 => Ok::<_, std::io::Error>(None),
                _ => Ok(Some((chunk.freeze(), file))),
            }
        });
        Ok(Body::streamed(
            chunks.map_err(Into::into).boxed(),
            Some(length.saturating_sub(start)),
        ))
    }

    fn streamed(chunks: Chunks, length: Option<u64>) -> Body {
        Body {
            content_type: Cow::Borrowed("application/octet-stream"),
            content: Content::Streamed(Arc::new(Mutex::new(Some(chunks))), length),
        }
    }

    /// Whether a retry can send the body again (it is in memory).
    pub fn is_replayable(&self) -> bool {
        matches!(self.content, Content::Memory(_))
    }

    /// The same body sent as `content_type` (what the operation declares).
    #[doc(hidden)]
    pub fn with_content_type(mut self, content_type: impl Into<Cow<'static, str>>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The `Content-Type` it is sent as.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// What one attempt sends, with its length when known: `None` when the body was read as
    /// it was sent by an earlier attempt.
    pub(crate) fn for_attempt(&self) -> Option<(reqwest::Body, Option<u64>)> {
        match &self.content {
            Content::Memory(bytes) => Some((bytes.clone().into(), Some(bytes.len() as u64))),
            Content::Streamed(chunks, length) => {
                let mut slot = chunks
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                let chunks = slot.take()?;
                Some((reqwest::Body::wrap_stream(chunks), *length))
            }
        }
    }

    /// Its length in bytes, when known (a stream's is not).
    pub(crate) fn known_length(&self) -> Option<u64> {
        match &self.content {
            Content::Memory(bytes) => Some(bytes.len() as u64),
            Content::Streamed(_, length) => *length,
        }
    }

    /// Whether `self` and `other` are the same content: equal bytes, or the same stream.
    pub(crate) fn same_content(&self, other: &Body) -> bool {
        match (&self.content, &other.content) {
            (Content::Memory(a), Content::Memory(b)) => a == b,
            (Content::Streamed(a, _), Content::Streamed(b, _)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// The bytes of a body in memory.
    pub(crate) fn in_memory(&self) -> Option<&Bytes> {
        match &self.content {
            Content::Memory(bytes) => Some(bytes),
            Content::Streamed(..) => None,
        }
    }

    /// `bodies` one after the other: in memory when every one is (sent again by a retry),
    /// else read as it is sent, each streamed body taken when the sending reaches it, with a
    /// length when every length is known.
    pub(crate) fn concat(bodies: Vec<Body>) -> Body {
        if bodies.iter().all(Body::is_replayable) {
            let mut all = bytes::BytesMut::new();
            for body in &bodies {
                all.extend_from_slice(body.in_memory().map_or(&[][..], |b| &b[..]));
            }
            return Body::from(all.freeze());
        }
        let length = bodies.iter().map(Body::known_length).sum::<Option<u64>>();
        let chunks = futures_util::stream::iter(bodies).flat_map(Body::into_chunks);
        Body::streamed(chunks.boxed(), length)
    }

    /// The chunks one sending reads: a body in memory as one chunk, a streamed one taken (an
    /// error when an earlier sending read it).
    fn into_chunks(self) -> Chunks {
        match self.content {
            Content::Memory(bytes) => futures_util::stream::once(async { Ok(bytes) }).boxed(),
            Content::Streamed(chunks, _) => {
                let mut slot = chunks
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                match slot.take() {
                    Some(chunks) => chunks,
                    None => {
                        let read: super::TransportFailure =
                            "a streamed part was read as it was sent: it cannot be sent again"
                                .into();
                        futures_util::stream::once(async { Err(read) }).boxed()
                    }
                }
            }
        }
    }

    /// Serializes `value` as JSON, sent as `content_type` (`application/json` or a `+json` type).
    #[doc(hidden)]
    pub fn json<T: serde::Serialize + ?Sized>(
        value: &T,
        content_type: &'static str,
    ) -> Result<Self, InvalidParameter> {
        serde_json::to_vec(value)
            .map(|bytes| Body::from(bytes).with_content_type(content_type))
            .map_err(|e| InvalidParameter {
                parameter: "body",
                constraint: "serializable as JSON".into(),
                value: e.to_string(),
            })
    }

    /// Serializes `value` as `application/x-www-form-urlencoded`, as OpenAPI's default for a
    /// form (`style: form`, `explode: true`) says: a property per pair in the struct's order, an
    /// array as its key once per item (Twilio's `Dependencies`), `null` left out, an object
    /// (or an array inside an array) as its JSON text. `serde_urlencoded`, used before, refused
    /// every array.
    #[doc(hidden)]
    pub fn form<T: serde::Serialize + ?Sized>(
        value: &T,
        content_type: &'static str,
    ) -> Result<Self, InvalidParameter> {
        let invalid = |value: String| InvalidParameter {
            parameter: "body",
            constraint: "serializable as a form (an object)".into(),
            value,
        };
        let json = serde_json::to_vec(value).map_err(|e| invalid(e.to_string()))?;
        let FormFields(fields) =
            serde_json::from_slice(&json).map_err(|e| invalid(e.to_string()))?;
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in &fields {
            match value {
                serde_json::Value::Array(items) => {
                    for item in items {
                        append_form_value(&mut form, key, item);
                    }
                }
                value => append_form_value(&mut form, key, value),
            }
        }
        Ok(Body::from(form.finish().into_bytes()).with_content_type(content_type))
    }

    /// Text as it is.
    #[doc(hidden)]
    pub fn text(value: &str, content_type: &'static str) -> Self {
        Body::from(value.as_bytes()).with_content_type(content_type)
    }
}

/// An empty body.
impl Default for Body {
    fn default() -> Body {
        Body::from(Bytes::new())
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Body {
        Body {
            content_type: Cow::Borrowed("application/octet-stream"),
            content: Content::Memory(bytes),
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Body::from(Bytes::from(bytes))
    }
}

impl From<&[u8]> for Body {
    fn from(bytes: &[u8]) -> Body {
        Body::from(Bytes::copy_from_slice(bytes))
    }
}

impl From<&Vec<u8>> for Body {
    fn from(bytes: &Vec<u8>) -> Body {
        Body::from(bytes.as_slice())
    }
}

impl<const N: usize> From<&[u8; N]> for Body {
    fn from(bytes: &[u8; N]) -> Body {
        Body::from(bytes.as_slice())
    }
}

/// An object's properties in the order they were written (`serde_json::Map` sorts them).
struct FormFields(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for FormFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;

        impl<'de> serde::de::Visitor<'de> for FieldsVisitor {
            type Value = FormFields;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FormFields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    fields.push(entry);
                }
                Ok(FormFields(fields))
            }
        }

        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// One `key=value` pair of a form; `null` is left out.
fn append_form_value(
    form: &mut url::form_urlencoded::Serializer<'_, String>,
    key: &str,
    value: &serde_json::Value,
) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::String(text) => {
            form.append_pair(key, text);
        }
        other => {
            form.append_pair(key, &other.to_string());
        }
    }
}
