//! The error of every operation, and its parts.

use std::borrow::Cow;
use std::fmt;

use super::{CredentialError, Scheme};

/// Why an operation failed.
#[derive(Debug)]
pub enum Error<E> {
    /// A parameter broke the spec's constraints; nothing was sent.
    InvalidParameter(InvalidParameter),
    /// The credential could not supply a token; nothing was sent.
    Credential(CredentialError),
    /// The client holds the secrets of none of the operation's security alternatives; nothing
    /// was sent.
    MissingCredentials(MissingCredentials),
    /// The request could not be sent or the response could not be read.
    Transport(TransportError),
    /// The service answered with an error status (boxed: it carries every response header, and
    /// a `Result` of an operation stays small).
    Service(Box<ServiceError<E>>),
    /// The service answered something the spec does not describe.
    UnexpectedResponse(UnexpectedResponse),
    /// A long-running operation failed, was canceled, or outlived the poller's time limit.
    Operation(Box<super::OperationError<E>>),
}

impl<E> Error<E> {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::UnexpectedResponse(e) => e.status,
            _ => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidParameter(e) => write!(f, "invalid parameter: {e}"),
            Error::Credential(e) => write!(f, "credential error: {e}"),
            Error::MissingCredentials(e) => write!(f, "{e}"),
            Error::Transport(e) => write!(f, "{e}"),
            Error::Service(e) => write!(f, "{e}"),
            Error::UnexpectedResponse(e) => write!(f, "{e}"),
            Error::Operation(e) => write!(f, "{e}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidParameter(e) => Some(e),
            Error::Credential(e) => Some(e),
            Error::MissingCredentials(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::Service(_) | Error::UnexpectedResponse(_) | Error::Operation(_) => None,
        }
    }
}

impl<E> From<InvalidParameter> for Error<E> {
    fn from(e: InvalidParameter) -> Self {
        Error::InvalidParameter(e)
    }
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

/// The client holds the secrets of none of an operation's security alternatives (and the
/// operation does not allow anonymous calls); nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingCredentials {
    /// The operationId.
    pub operation: &'static str,
    /// Per alternative of the spec, in its order, the schemes whose secrets the client lacks.
    pub missing: Vec<Vec<Scheme>>,
}

impl fmt::Display for MissingCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "missing credentials: operation `{}` needs ",
            self.operation
        )?;
        for (i, alternative) in self.missing.iter().enumerate() {
            if i > 0 {
                f.write_str(", or ")?;
            }
            for (j, scheme) in alternative.iter().enumerate() {
                if j > 0 {
                    f.write_str(" and ")?;
                }
                write!(
                    f,
                    "`{}` (ClientBuilder::{})",
                    scheme.name(),
                    scheme.builder_method()
                )?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for MissingCredentials {}

/// The identifiers that tie a response to the service's logs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestIds {
    /// The id this client sent (the caller's, or a fresh UUID).
    pub client_request_id: Option<String>,
    /// The id the service assigned (its request-id header).
    pub request_id: Option<String>,
}

impl fmt::Display for RequestIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(id) = &self.client_request_id {
            write!(f, " [client request id {id}]")?;
        }
        Ok(())
    }
}

/// The service's error response.
#[derive(Debug)]
pub struct ServiceError<E> {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The service's error code: the error-code header first, then the body's `code`.
    pub code: Option<String>,
    /// The body's error message, when it has one.
    pub message: Option<String>,
    /// The body, typed when it matches the spec's error schema.
    pub body: ErrorBody<E>,
    /// Every response header (`Retry-After`, rate limits, the service's own).
    pub headers: reqwest::header::HeaderMap,
    /// Request identifiers, for support cases.
    pub ids: RequestIds,
    /// How many attempts were made (more than one after retries).
    pub attempts: u32,
}

impl<E> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the service answered HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, ": {code}")?;
        }
        match (&self.message, &self.body) {
            (Some(message), _) => write!(f, ": {}", one_line(message))?,
            (None, ErrorBody::Raw(text)) if !text.is_empty() => {
                write!(f, ": {}", one_line(text))?;
            }
            _ => {}
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        write!(f, "{}", self.ids)
    }
}

/// Text on one line, cut at a readable length.
fn one_line(text: &str) -> String {
    const SHOWN: usize = 300;
    let mut line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(SHOWN)
        .collect();
    if text.chars().count() > SHOWN {
        line.push_str("...");
    }
    line
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
    /// The HTTP status, when a response arrived.
    pub status: Option<reqwest::StatusCode>,
    /// What was unexpected.
    pub reason: String,
    /// The body as text, cut at a few KiB.
    pub body: String,
    /// Request identifiers, for support cases.
    pub ids: RequestIds,
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "unexpected response (HTTP {status}): {}", self.reason)?,
            None => write!(f, "unexpected response: {}", self.reason)?,
        }
        write!(f, "{}", self.ids)
    }
}

impl std::error::Error for UnexpectedResponse {}

/// The request could not be sent, or the response could not be read.
#[derive(Debug)]
pub struct TransportError {
    /// How many attempts were made.
    pub attempts: u32,
    /// The client request id of the last attempt.
    pub client_request_id: Option<String>,
    /// Whether the time budget ran out rather than the connection failing.
    pub timed_out: bool,
    source: Option<super::TransportFailure>,
}

impl TransportError {
    /// `source` never shows a URL (they can hold query values): `reqwest` errors are stripped
    /// of theirs before they get here.
    pub(crate) fn new(
        source: Option<super::TransportFailure>,
        attempts: u32,
        client_request_id: Option<String>,
    ) -> Self {
        let timed_out = source.as_ref().is_none_or(|e| {
            e.downcast_ref::<reqwest::Error>()
                .is_some_and(reqwest::Error::is_timeout)
        });
        Self {
            attempts,
            client_request_id,
            timed_out,
            source,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(e) if self.timed_out => write!(f, "transport error: timed out ({e})")?,
            Some(e) => write!(f, "transport error: {e}")?,
            None => write!(f, "transport error: the overall timeout elapsed")?,
        }
        let mut source = self.source.as_deref().and_then(|e| e.source());
        while let Some(inner) = source {
            write!(f, ": {inner}")?;
            source = inner.source();
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        if let Some(id) = &self.client_request_id {
            write!(f, " [client request id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The non-generic failures of [`super::Client::send`].
#[doc(hidden)]
#[derive(Debug)]
pub enum SendError {
    InvalidParameter(InvalidParameter),
    Credential(CredentialError),
    MissingCredentials(MissingCredentials),
    Transport(TransportError),
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

impl<E> From<SendError> for Error<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::InvalidParameter(e) => Error::InvalidParameter(e),
            SendError::Credential(e) => Error::Credential(e),
            SendError::MissingCredentials(e) => Error::MissingCredentials(e),
            SendError::Transport(e) => Error::Transport(e),
            SendError::Unexpected(e) => Error::UnexpectedResponse(e),
        }
    }
}
