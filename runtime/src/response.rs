//! What an operation receives: the response read whole (error bodies only in part), decoded by
//! the operation into its value, and that value with the response's status and headers.

use serde::de::DeserializeOwned;

use super::{
    Error, ErrorBody, FromHeader, RequestIds, ServiceError, TransportError, UnexpectedResponse,
};

/// A body read as it arrives: chunks of bytes, each fetched when the stream is polled for it.
pub type ByteStream = std::pin::Pin<
    Box<dyn futures_util::Stream<Item = Result<bytes::Bytes, TransportError>> + Send>,
>;

/// Longest body text kept in an error value.
const MAX_ERROR_TEXT: usize = 4096;

/// A response read whole (error bodies only in part).
#[doc(hidden)]
#[derive(Debug)]
pub struct RawResponse {
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Vec<u8>,
    /// The URL the request went to (a relative next-page link is read against it).
    pub(crate) url: url::Url,
    /// The request's method.
    pub(crate) method: reqwest::Method,
    /// A success body left unread, to be streamed (`CallOptions::stream`).
    pub(crate) unread: Option<reqwest::Response>,
    pub(crate) ids: RequestIds,
    pub(crate) error_code: Option<String>,
    pub(crate) attempts: u32,
}

impl RawResponse {
    /// The body as a stream of bytes, read as it arrives (no size cap), with the status and
    /// headers; an error status is the operation's error, decoded from its (bounded) body.
    pub fn byte_stream<E: DeserializeOwned>(mut self) -> Result<Response<ByteStream>, Error<E>> {
        let Some(unread) = self.unread.take() else {
            return Err(self.error());
        };
        let ids = self.ids.clone();
        let chunks = futures_util::stream::unfold(Some(unread), move |state| {
            let ids = ids.clone();
            async move {
                let mut response = state?;
                match response.chunk().await {
                    Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                    Ok(None) => None,
                    // The body broke off: say so once, then end.
                    Err(e) => Some((
                        Err(TransportError::new(
                            Some(Box::new(e.without_url())),
                            1,
                            ids.client_request_id,
                        )),
                        None,
                    )),
                }
            }
        });
        let stream: ByteStream = Box::pin(chunks);
        Ok(self.typed(stream))
    }

    /// The operation's decoded `value`, with this response's status, headers and URL.
    pub fn typed<T>(self, value: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            url: self.url,
            value,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// A header the spec declares, parsed: `None` when the response lacks it, an unexpected
    /// response when its text is not a `T` (several fields of one name are joined by `, `).
    pub fn header<T: FromHeader, E>(&self, name: &'static str) -> Result<Option<T>, Error<E>> {
        let mut values = self.headers.get_all(name).iter().peekable();
        if values.peek().is_none() {
            return Ok(None);
        }
        let text: Option<Vec<&str>> = values
            .map(|v| std::str::from_utf8(v.as_bytes()).ok())
            .collect();
        match text.and_then(|parts| T::from_header(&parts.join(", "))) {
            Some(value) => Ok(Some(value)),
            None => Err(Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(self.status),
                reason: format!("header `{name}` is not {}", T::EXPECTED),
                body: String::new(),
                ids: self.ids.clone(),
            })),
        }
    }

    /// Decodes a JSON success body; a failure names where in the body it happened.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        decode(&self.body).map_err(|e| {
            Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(self.status),
                reason: format!("the body does not decode: {e}"),
                body: error_text(&self.body),
                ids: self.ids.clone(),
            })
        })
    }

    /// A text success body (`text/*`); invalid UTF-8 is an unexpected response.
    pub fn text<E>(&self) -> Result<String, Error<E>> {
        String::from_utf8(self.body.clone()).map_err(|e| {
            Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(self.status),
                reason: format!("the text body is not UTF-8: {e}"),
                body: String::new(),
                ids: self.ids.clone(),
            })
        })
    }

    /// A raw success body.
    pub fn bytes(&self) -> Vec<u8> {
        self.body.clone()
    }

    /// Decodes a success body the spec leaves untyped; an empty body is `null`.
    pub fn json_or_null<E>(&self) -> Result<serde_json::Value, Error<E>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        self.json()
    }

    /// The error for a status the operation does not list as a success.
    pub fn error<E: DeserializeOwned>(&self) -> Error<E> {
        if !(self.status.is_client_error() || self.status.is_server_error()) {
            return Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(self.status),
                reason: "the spec does not list this status".to_owned(),
                body: error_text(&self.body),
                ids: self.ids.clone(),
            });
        }
        let json: Option<serde_json::Value> = serde_json::from_slice(&self.body).ok();
        let field = |name: &str| -> Option<String> {
            let json = json.as_ref()?;
            let value = json
                .get("error")
                .and_then(|e| e.get(name))
                .or_else(|| json.get(name))?;
            value.as_str().map(str::to_owned)
        };
        let code = self.error_code.clone().or_else(|| field("code"));
        let message = field("message");
        let body = match serde_json::from_slice::<E>(&self.body) {
            Ok(typed) => ErrorBody::Typed(typed),
            Err(_) => ErrorBody::Raw(error_text(&self.body)),
        };
        Error::Service(Box::new(ServiceError {
            status: self.status,
            code,
            message,
            body,
            headers: self.headers.clone(),
            ids: self.ids.clone(),
            attempts: self.attempts,
        }))
    }
}

/// Decodes JSON `bytes` as a `T`. A failure starts with the path of the value that failed
/// (`mainbranch.target.repository: missing field `type` at line 1 column 3499`), the whole
/// body's own failures (bad JSON, trailing characters) without one.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.inner().to_string()
        } else {
            format!("{path}: {}", e.inner())
        }
    })?;
    deserializer.end().map_err(|e| e.to_string())?;
    Ok(value)
}

fn error_text(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX_ERROR_TEXT)]);
    let mut text = text.into_owned();
    if body.len() > MAX_ERROR_TEXT {
        text.push_str("...");
    }
    text
}

/// What a call returned, with the response that carried it: `call.send_with_response().await`.
/// (`call.await` gives the value alone.)
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    url: url::Url,
    value: T,
}

impl<T> Response<T> {
    /// The HTTP status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// Every response header, declared by the spec or not (`ETag`, rate limits...).
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The URL the request went to (its query's secrets included: do not log it).
    pub fn url(&self) -> &url::Url {
        &self.url
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, without the rest.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The value and the headers.
    pub fn into_parts(self) -> (T, reqwest::header::HeaderMap) {
        (self.value, self.headers)
    }

    /// The same response, its value turned into another.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            url: self.url,
            value: f(self.value),
        }
    }
}

/// `call.await`: a call's value without its response.
#[doc(hidden)]
pub async fn value_of<T, E>(
    call: impl std::future::Future<Output = Result<Response<T>, Error<E>>>,
) -> Result<T, Error<E>> {
    call.await.map(Response::into_value)
}
