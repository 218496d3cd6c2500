//! Runtime shared by every generated operation: the HTTP client, credentials, parameter checks,
//! secrets and the error type.
//!
//! This file is copied verbatim into each generated crate, so the crate has no dependency on the
//! generator. The code here is not generic over the operation: each operation only describes its
//! request and decodes its response, and everything else is compiled once.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;

pub use reqwest::{Method, StatusCode};

/// A boxed future, as returned by [`TokenCredential::get_token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Supplies the bearer token sent in the `Authorization` header.
///
/// Implement it to plug in any token source; [`StaticToken`] covers a token you already have.
pub trait TokenCredential: Send + Sync {
    /// Returns a token valid for `scopes`, the OAuth2 scopes the operation's security requirement lists.
    fn get_token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<SecretString, CredentialError>>;
}

/// A bearer token that never changes.
#[derive(Clone)]
pub struct StaticToken(SecretString);

impl StaticToken {
    /// Wraps a token obtained elsewhere (for example `az account get-access-token`).
    pub fn new(token: impl Into<String>) -> Self {
        Self(SecretString::new(token.into()))
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenCredential for StaticToken {
    fn get_token<'a>(
        &'a self,
        _scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<SecretString, CredentialError>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// A credential could not produce a token.
#[derive(Debug)]
pub struct CredentialError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl CredentialError {
    /// A failure described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// A failure caused by `source`.
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A string that must not leak: redacted in `Debug`, zeroed in memory when dropped.
///
/// Properties the spec marks `x-ms-secret: true` have this type; read the value with
/// [`SecretString::expose_secret`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps `value`.
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The secret value. Take care where it goes.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl serde::Serialize for SecretString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

/// Largest response body read into memory; a longer body is an [`Error::UnexpectedResponse`].
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Longest error body text kept in an error value.
const MAX_ERROR_TEXT: usize = 4096;

/// The client every operation takes: HTTP transport, base URL and credential.
///
/// Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: Option<url::Url>,
    credential: Option<Arc<dyn TokenCredential>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url.as_ref().map(url::Url::as_str))
            .field("credential", &self.credential.as_ref().map(|_| "<set>"))
            .finish()
    }
}

impl Client {
    /// A client that authenticates with `credential` and calls each spec's own server.
    pub fn new(credential: impl TokenCredential + 'static) -> Result<Self, BuildError> {
        Self::builder().credential(credential).build()
    }

    /// Starts a [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL that replaces the spec's server, if one was set.
    pub fn base_url(&self) -> Option<&url::Url> {
        self.base_url.as_ref()
    }

    #[doc(hidden)]
    pub async fn send(&self, request: Request<'_>) -> Result<Response, SendError> {
        let url = self.url(&request)?;
        let mut builder = self.http.request(request.method, url);
        for (name, value) in request.headers {
            if let Some(value) = value {
                builder = builder.header(*name, *value);
            }
        }
        if let Some(scopes) = request.scopes {
            let credential = self.credential.as_ref().ok_or_else(|| {
                CredentialError::new("the operation requires a credential and the client has none")
            })?;
            let token = credential.get_token(scopes).await?;
            let mut value = reqwest::header::HeaderValue::try_from(format!(
                "Bearer {}",
                token.expose_secret()
            ))
            .map_err(|_| CredentialError::new("the token is not a valid header value"))?;
            value.set_sensitive(true);
            builder = builder.header(reqwest::header::AUTHORIZATION, value);
        }
        if let Some(body) = request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, body.content_type)
                .body(body.bytes);
        }
        let mut response = builder.send().await.map_err(SendError::Transport)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(SendError::Transport)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(SendError::Unexpected(UnexpectedResponse {
                    status,
                    reason: format!("the response body exceeds {MAX_BODY_BYTES} bytes"),
                    body: String::new(),
                }));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    fn url(&self, request: &Request<'_>) -> Result<url::Url, SendError> {
        let mut url = match &self.base_url {
            Some(base) => base.as_str().trim_end_matches('/').to_owned(),
            None => request.default_base_url.trim_end_matches('/').to_owned(),
        };
        for part in request.path {
            match part {
                PathPart::Literal(text) => url.push_str(text),
                PathPart::Param(name, value) => {
                    check::path_segment(name, value)?;
                    url.extend(utf8_percent_encode(value, PATH_SEGMENT));
                }
            }
        }
        let mut url = url::Url::parse(&url).map_err(|e| {
            SendError::Unexpected(UnexpectedResponse {
                status: reqwest::StatusCode::default(),
                reason: format!("the request URL is invalid: {e}"),
                body: String::new(),
            })
        })?;
        if request.query.iter().any(|(_, value)| value.is_some()) {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in request.query {
                if let Some(value) = value {
                    pairs.append_pair(name, value);
                }
            }
        }
        Ok(url)
    }
}

/// Every byte but the RFC 3986 unreserved characters is percent-encoded in a path parameter, so a
/// value can never add a segment, a query or a fragment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    http: Option<reqwest::Client>,
    base_url: Option<String>,
    credential: Option<Arc<dyn TokenCredential>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends requests to `base_url` instead of the server the spec names (a proxy, a sovereign
    /// cloud, a local mock).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Authenticates every operation that has a security requirement with `credential`.
    pub fn credential(mut self, credential: impl TokenCredential + 'static) -> Self {
        self.credential = Some(Arc::new(credential));
        self
    }

    /// Like [`ClientBuilder::credential`], for a credential that is already shared.
    pub fn shared_credential(mut self, credential: Arc<dyn TokenCredential>) -> Self {
        self.credential = Some(credential);
        self
    }

    /// Uses your own `reqwest::Client` (timeouts, proxies, connection pool).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client, checking the base URL.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = match self.base_url {
            Some(text) => {
                let url = url::Url::parse(&text).map_err(|e| BuildError {
                    message: format!("invalid base URL {text:?}: {e}"),
                })?;
                if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
                    return Err(BuildError {
                        message: format!("base URL {text:?} is not an http(s) URL"),
                    });
                }
                if url.query().is_some() || url.fragment().is_some() {
                    return Err(BuildError {
                        message: format!("base URL {text:?} must not have a query or fragment"),
                    });
                }
                Some(url)
            }
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| BuildError {
                    message: format!("cannot build the HTTP client: {e}"),
                })?,
        };
        Ok(Client {
            http,
            base_url,
            credential: self.credential,
        })
    }
}

/// A [`ClientBuilder`] setting was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    message: String,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

/// One piece of a path template.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum PathPart<'a> {
    /// Text copied as written in the spec.
    Literal(&'static str),
    /// A parameter (wire name, value), percent-encoded as one segment.
    Param(&'static str, &'a str),
}

/// A request body already serialized.
#[doc(hidden)]
#[derive(Debug)]
pub struct Body {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Body {
    /// Serializes `value` as JSON, sent as `content_type` (`application/json` or a `+json` type).
    pub fn json<T: serde::Serialize + ?Sized>(
        value: &T,
        content_type: &'static str,
    ) -> Result<Self, InvalidParameter> {
        serde_json::to_vec(value)
            .map(|bytes| Self {
                content_type,
                bytes,
            })
            .map_err(|e| InvalidParameter {
                parameter: "body",
                constraint: Cow::Borrowed("serializable as JSON"),
                value: e.to_string(),
            })
    }
}

/// Everything an operation sends, described without generics.
#[doc(hidden)]
#[derive(Debug)]
pub struct Request<'a> {
    pub method: reqwest::Method,
    pub default_base_url: &'static str,
    pub path: &'a [PathPart<'a>],
    pub query: &'a [(&'static str, Option<&'a str>)],
    pub headers: &'a [(&'static str, Option<&'a str>)],
    pub body: Option<Body>,
    /// OAuth2 scopes of the operation's security requirement; `None` when it needs no token.
    pub scopes: Option<&'a [&'a str]>,
}

/// A response read whole.
#[doc(hidden)]
#[derive(Debug)]
pub struct Response {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Response {
    /// The HTTP status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// Decodes a JSON success body.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::UnexpectedResponse(UnexpectedResponse {
                status: self.status,
                reason: format!("the body does not decode: {e}"),
                body: error_text(&self.body),
            })
        })
    }

    /// The error for a status the operation does not list as a success.
    pub fn error<E: DeserializeOwned>(&self) -> Error<E> {
        if !(self.status.is_client_error() || self.status.is_server_error()) {
            return Error::UnexpectedResponse(UnexpectedResponse {
                status: self.status,
                reason: "the spec does not list this status".to_owned(),
                body: error_text(&self.body),
            });
        }
        let body = match serde_json::from_slice::<E>(&self.body) {
            Ok(typed) => ErrorBody::Typed(typed),
            Err(_) => ErrorBody::Raw(error_text(&self.body)),
        };
        Error::Service(ServiceError {
            status: self.status,
            body,
        })
    }
}

fn error_text(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX_ERROR_TEXT)]);
    let mut text = text.into_owned();
    if body.len() > MAX_ERROR_TEXT {
        text.push_str("...");
    }
    text
}

/// A parameter broke a constraint of the spec; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidParameter {
    /// The parameter's name as the spec writes it.
    pub parameter: &'static str,
    /// The constraint, as in the spec (`maxLength 63`, `pattern ^[a-z]+$`, `format uuid`, ...).
    pub constraint: Cow<'static, str>,
    /// The rejected value.
    pub value: String,
}

impl fmt::Display for InvalidParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 200;
        let value: String = self.value.chars().take(SHOWN).collect();
        let more = if self.value.chars().count() > SHOWN {
            "..."
        } else {
            ""
        };
        write!(
            f,
            "parameter `{}` violates {}: {value:?}{more}",
            self.parameter, self.constraint
        )
    }
}

impl std::error::Error for InvalidParameter {}

/// Checks the generated operations run before any network I/O.
#[doc(hidden)]
pub mod check {
    use super::InvalidParameter;
    use std::borrow::Cow;

    fn fail(
        parameter: &'static str,
        constraint: impl Into<Cow<'static, str>>,
        value: &str,
    ) -> InvalidParameter {
        InvalidParameter {
            parameter,
            constraint: constraint.into(),
            value: value.to_owned(),
        }
    }

    /// `minLength`, counted in characters as JSON Schema does.
    pub fn min_length(parameter: &'static str, value: &str, min: usize) -> Result<(), InvalidParameter> {
        if value.chars().count() < min {
            return Err(fail(parameter, format!("minLength {min}"), value));
        }
        Ok(())
    }

    /// `maxLength`, counted in characters as JSON Schema does.
    pub fn max_length(parameter: &'static str, value: &str, max: usize) -> Result<(), InvalidParameter> {
        if value.chars().count() > max {
            return Err(fail(parameter, format!("maxLength {max}"), value));
        }
        Ok(())
    }

    /// `format: uuid`: the hyphenated 8-4-4-4-12 hexadecimal form.
    pub fn uuid(parameter: &'static str, value: &str) -> Result<(), InvalidParameter> {
        let bytes = value.as_bytes();
        let valid = bytes.len() == 36
            && bytes.iter().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit(),
            });
        if valid {
            return Ok(());
        }
        Err(fail(parameter, "format uuid", value))
    }

    /// `minimum`, inclusive.
    pub fn minimum(parameter: &'static str, value: f64, min: f64) -> Result<(), InvalidParameter> {
        if value < min {
            return Err(fail(parameter, format!("minimum {min}"), &value.to_string()));
        }
        Ok(())
    }

    /// `maximum`, inclusive.
    pub fn maximum(parameter: &'static str, value: f64, max: f64) -> Result<(), InvalidParameter> {
        if value > max {
            return Err(fail(parameter, format!("maximum {max}"), &value.to_string()));
        }
        Ok(())
    }

    /// A value of an enum the spec lists.
    pub fn known(parameter: &'static str, value: &str, known: bool) -> Result<(), InvalidParameter> {
        if known {
            return Ok(());
        }
        Err(fail(parameter, "enum (a value the spec lists)", value))
    }

    /// A path parameter must stay one segment: `.`, `..` and the empty string would change the URL.
    pub fn path_segment(parameter: &'static str, value: &str) -> Result<(), InvalidParameter> {
        if value.is_empty() || value == "." || value == ".." {
            return Err(fail(
                parameter,
                "path segment (not empty, `.` or `..`)",
                value,
            ));
        }
        Ok(())
    }
}

/// Why an operation failed.
#[derive(Debug)]
pub enum Error<E> {
    /// A parameter broke the spec's constraints; nothing was sent.
    InvalidParameter(InvalidParameter),
    /// The credential could not supply a token; nothing was sent.
    Credential(CredentialError),
    /// The request could not be sent or the response could not be read.
    Transport(reqwest::Error),
    /// The service answered with an error status.
    Service(ServiceError<E>),
    /// The service answered something the spec does not describe.
    UnexpectedResponse(UnexpectedResponse),
}

impl<E> Error<E> {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::UnexpectedResponse(e) if e.status != reqwest::StatusCode::default() => {
                Some(e.status)
            }
            _ => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidParameter(e) => write!(f, "invalid parameter: {e}"),
            Error::Credential(e) => write!(f, "credential error: {e}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Service(e) => write!(f, "{e}"),
            Error::UnexpectedResponse(e) => write!(f, "{e}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidParameter(e) => Some(e),
            Error::Credential(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::Service(_) | Error::UnexpectedResponse(_) => None,
        }
    }
}

impl<E> From<InvalidParameter> for Error<E> {
    fn from(e: InvalidParameter) -> Self {
        Error::InvalidParameter(e)
    }
}

impl<E> From<SendError> for Error<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::InvalidParameter(e) => Error::InvalidParameter(e),
            SendError::Credential(e) => Error::Credential(e),
            SendError::Transport(e) => Error::Transport(e),
            SendError::Unexpected(e) => Error::UnexpectedResponse(e),
        }
    }
}

/// The service's error response.
#[derive(Debug)]
pub struct ServiceError<E> {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The body, typed when it matches the spec's error schema.
    pub body: ErrorBody<E>,
}

impl<E> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the service answered HTTP {}", self.status)?;
        if let ErrorBody::Raw(text) = &self.body {
            if !text.is_empty() {
                write!(f, ": {text}")?;
            }
        }
        Ok(())
    }
}

/// An error body.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody<E> {
    /// The body decoded as the spec's error schema.
    Typed(E),
    /// The body as text (cut at a few KiB) when it is not of that schema.
    Raw(String),
}

/// A response the spec does not describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnexpectedResponse {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// What was unexpected.
    pub reason: String,
    /// The body as text, cut at a few KiB.
    pub body: String,
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected response (HTTP {}): {}", self.status, self.reason)
    }
}

impl std::error::Error for UnexpectedResponse {}

/// The non-generic failures of [`Client::send`].
#[doc(hidden)]
#[derive(Debug)]
pub enum SendError {
    InvalidParameter(InvalidParameter),
    Credential(CredentialError),
    Transport(reqwest::Error),
    Unexpected(UnexpectedResponse),
}

impl From<InvalidParameter> for SendError {
    fn from(e: InvalidParameter) -> Self {
        SendError::InvalidParameter(e)
    }
}

impl From<CredentialError> for SendError {
    fn from(e: CredentialError) -> Self {
        SendError::Credential(e)
    }
}
