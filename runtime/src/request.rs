//! What an operation sends: the request it describes to the client, its body, and the caller's
//! per-call options.

use std::time::Duration;

use super::{Body, InvalidParameter, Security};

/// What a spec says about its service's conventions (its `x-client` extension): header names
/// for request ids, error codes and retry hints.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Conventions {
    /// The `User-Agent` of every request: the generated crate's `name/version`, so a client
    /// shared by several generated crates names the one each request comes from.
    pub user_agent: &'static str,
    /// Sent on every request with the caller's id or a fresh UUID.
    pub client_request_id_header: Option<&'static str>,
    /// The service's own request id, kept in errors.
    pub request_id_header: Option<&'static str>,
    /// The service's error code, preferred to the body's.
    pub error_code_header: Option<&'static str>,
    /// Retry hints in milliseconds, tried before `Retry-After`.
    pub retry_after_ms_headers: &'static [&'static str],
}

/// One piece of a path template.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum PathPart<'a> {
    /// Text copied as written in the spec.
    Literal(&'static str),
    /// A parameter (wire name, value), percent-encoded as one segment.
    Param(&'static str, &'a str),
}

/// Everything an operation sends, described without generics.
#[doc(hidden)]
#[derive(Debug)]
pub struct Request<'a> {
    /// The operationId, for traces.
    pub operation: &'static str,
    pub method: reqwest::Method,
    pub default_base_url: &'static str,
    pub path: &'a [PathPart<'a>],
    pub query: &'a [(&'static str, Option<&'a str>)],
    /// Exploded list parameters: one `name=value` pair per item, none for an empty list.
    pub query_each: &'a [(&'static str, Vec<String>)],
    /// Structured parameters (objects, free-form values), flattened by their style.
    pub query_pairs: Vec<(String, String)>,
    /// Query parameters whose values are spec constants, shown in traces; others are redacted.
    pub public_query: &'static [&'static str],
    pub headers: &'a [(&'static str, Option<&'a str>)],
    pub body: Option<Body>,
    /// The operation's security requirement, as the spec declares it.
    pub security: &'a Security,
    pub conventions: &'static Conventions,
}

/// What the caller sets on one call besides its parameters: a time limit and extra headers.
/// Every generated call has `.timeout(..)` and `.header(..)`, which set these.
#[derive(Clone, Default)]
pub struct CallOptions {
    timeout: Option<Duration>,
    headers: Vec<(String, String)>,
    /// The next page's URL, for a list answered in pages; the URL to poll, for a
    /// long-running operation.
    #[doc(hidden)]
    pub next_link: Option<url::Url>,
    /// A poll of a long-running operation: a `GET` of `next_link`, without the body.
    #[doc(hidden)]
    pub poll: bool,
    /// A success body is left unread, for the caller to stream.
    #[doc(hidden)]
    pub stream: bool,
}

impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values may be credentials: only their names are shown.
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("headers", &names)
            .field("next_link", &self.next_link.as_ref().map(url::Url::as_str))
            .field("poll", &self.poll)
            .field("stream", &self.stream)
            .finish()
    }
}

impl CallOptions {
    /// Limits the whole call, retries included, to `timeout` (instead of the client's total
    /// timeout).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// Adds a header to the request (after the spec's own and the credentials'): `If-None-Match`,
    /// a scheme the spec does not declare... An invalid name or value fails the call before
    /// anything is sent.
    pub fn add_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// The time limit of the whole call, if the caller set one.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The extra headers as HTTP values (marked sensitive, so `reqwest` never shows them).
    pub(crate) fn header_pairs(
        &self,
    ) -> Result<Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>, InvalidParameter>
    {
        self.headers
            .iter()
            .map(|(name, value)| {
                let header_name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| InvalidParameter {
                        parameter: "header",
                        constraint: "a valid HTTP header name".into(),
                        value: name.clone(),
                    })?;
                let mut header_value =
                    reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                        InvalidParameter {
                            parameter: "header",
                            constraint: "a valid HTTP header value".into(),
                            value: format!("the value of {name}"),
                        }
                    })?;
                header_value.set_sensitive(true);
                Ok((header_name, header_value))
            })
            .collect()
    }
}
