//! The client: configuration, and the one non-generic path every request takes (URL, headers,
//! token, retries, tracing, bounded body reads).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tracing::Instrument;

use super::credential::TokenCache;
use super::retry::{header_str, new_uuid, requested_delay, RetryPolicy};
use super::security::Credentials;
use super::transport::{RequestHook, Transport, TransportFailure};
use super::{
    check, ApiKeyScheme, BasicScheme, Body, CallOptions, InvalidParameter, PathPart, RawResponse,
    Request, RequestIds, SecretString, SendError, TokenCredential, TokenScheme, TransportError,
    UnexpectedResponse,
};

/// Largest success body read into memory; a longer body is an
/// [`Error::UnexpectedResponse`](super::Error::UnexpectedResponse) (`.stream()` has no cap).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Longest error body read; the rest is not read at all.
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The client every operation takes: transport, base URL, credentials, retries, timeouts.
///
/// Cheap to clone; clones share the connection pool, the credentials and the token cache.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    transport: Option<Arc<dyn Transport>>,
    on_request: Option<RequestHook>,
    base_url: Option<url::Url>,
    token_audience: Option<String>,
    credentials: Arc<Credentials>,
    tokens: Arc<TokenCache>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    validate: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url.as_ref().map(url::Url::as_str))
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("total_timeout", &self.total_timeout)
            .field("validate_parameters", &self.validate)
            .field("transport", &self.transport.as_ref().map(|_| "custom"))
            .field("on_request", &self.on_request.as_ref().map(|_| "set"))
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

    /// Whether operations check parameters against the spec before sending (the default).
    pub fn validates_parameters(&self) -> bool {
        self.validate
    }

    /// Sends `request` with the caller's per-call options, retrying as the policy allows, and
    /// reads the response.
    #[doc(hidden)]
    pub async fn send(
        &self,
        mut request: Request<'_>,
        call: &CallOptions,
    ) -> Result<RawResponse, SendError> {
        if call.poll {
            // A poll of a long-running operation: a `GET` of the URL the service named.
            request.method = reqwest::Method::GET;
            request.body = None;
        }
        let mut url = match &call.next_link {
            // The next page of a list: the service's link, already checked to be of its origin.
            Some(link) => link.clone(),
            None => self.url(&request)?,
        };
        let extra = call.header_pairs()?;
        let conventions = request.conventions;
        let client_request_id = conventions.client_request_id_header.map(|name| {
            request
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| *v)
                .map_or_else(new_uuid, str::to_owned)
        });
        let auth = super::security::apply(
            &self.credentials,
            &self.tokens,
            self.token_audience.as_deref(),
            &request,
            &mut url,
        )
        .await?;
        let shown_url = redacted(&url, request.public_query);
        let started = Instant::now();
        // A streamed body is read after `send` returns, for as long as it takes: only the
        // caller's own time limit for the call bounds it.
        // A body read as it is sent (an upload) likewise.
        let replayable = request.body.as_ref().is_none_or(Body::is_replayable);
        let limit = if call.stream || !replayable {
            call.timeout()
        } else {
            call.timeout().or(self.total_timeout)
        };
        let deadline = limit.map(|t| started + t);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if remaining == Some(Duration::ZERO) {
                return Err(SendError::Transport(TransportError::new(
                    None,
                    attempt - 1,
                    client_request_id,
                )));
            }
            let span = tracing::info_span!(
                "http_request",
                operation = request.operation,
                method = %request.method,
                url = %shown_url,
                attempt,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let sent = Instant::now();
            let outcome = self
                .attempt(
                    &request,
                    &url,
                    [auth.as_slice(), extra.as_slice()],
                    client_request_id.as_deref(),
                    remaining,
                    call.stream,
                )
                .instrument(span.clone())
                .await;
            span.record("duration_ms", sent.elapsed().as_millis() as u64);
            let retry_in = match &outcome {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    RetryPolicy::retries_status(response.status.as_u16()).then(|| {
                        requested_delay(&response.headers, conventions.retry_after_ms_headers)
                            .unwrap_or_else(|| self.retry.backoff(attempt))
                    })
                }
                Err(Attempt::NoResponse(_)) => Some(self.retry.backoff(attempt)),
                Err(_) => None,
            };
            // A body read as it was sent is gone: the attempt's answer is the call's.
            let can_retry = replayable
                && retry_in.is_some_and(|delay| {
                    let delay = delay.min(self.retry.max_delay);
                    let elapsed_after = started.elapsed() + delay;
                    attempt < self.retry.max_attempts
                        && elapsed_after <= self.retry.max_elapsed
                        && deadline.is_none_or(|d| Instant::now() + delay < d)
                });
            if can_retry {
                let delay = retry_in.unwrap_or_default().min(self.retry.max_delay);
                tracing::warn!(
                    parent: &span,
                    delay_ms = delay.as_millis() as u64,
                    "retrying after a throttled or failed attempt"
                );
                tokio::time::sleep(delay).await;
                continue;
            }
            return match outcome {
                Ok(mut response) => {
                    response.attempts = attempt;
                    response.ids.client_request_id = client_request_id;
                    Ok(response)
                }
                Err(Attempt::NoResponse(e) | Attempt::Body(e)) => Err(SendError::Transport(
                    TransportError::new(Some(e), attempt, client_request_id),
                )),
                Err(Attempt::TooLarge(status)) => Err(SendError::Unexpected(UnexpectedResponse {
                    status: Some(status),
                    reason: format!("the response body exceeds {MAX_BODY_BYTES} bytes"),
                    body: String::new(),
                    ids: RequestIds {
                        client_request_id,
                        request_id: None,
                    },
                })),
            };
        }
    }

    async fn attempt(
        &self,
        request: &Request<'_>,
        url: &url::Url,
        added: [&[(reqwest::header::HeaderName, reqwest::header::HeaderValue)]; 2],
        client_request_id: Option<&str>,
        remaining: Option<Duration>,
        stream: bool,
    ) -> Result<RawResponse, Attempt> {
        let mut builder = self
            .http
            .request(request.method.clone(), url.clone())
            .header(reqwest::header::USER_AGENT, request.conventions.user_agent);
        for (name, value) in request.headers {
            if let Some(value) = value {
                builder = builder.header(*name, *value);
            }
        }
        if let (Some(name), Some(id)) = (
            request.conventions.client_request_id_header,
            client_request_id,
        ) {
            if !request
                .headers
                .iter()
                .any(|(n, v)| n.eq_ignore_ascii_case(name) && v.is_some())
            {
                builder = builder.header(name, id);
            }
        }
        // The credentials' headers, then the caller's own for this call: each replaces what
        // the operation set under its name (`.events()`'s `Accept`, a caller's `If-Match`).
        let mut replacing = reqwest::header::HeaderMap::new();
        for (name, value) in added.into_iter().flatten() {
            replacing.append(name.clone(), value.clone());
        }
        builder = builder.headers(replacing);
        if let Some(body) = &request.body {
            let Some((sent, length)) = body.for_attempt() else {
                let sent = "the request body was read as it was sent: it cannot be sent again";
                return Err(Attempt::NoResponse(sent.into()));
            };
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, body.content_type())
                .body(sent);
            if let Some(length) = length {
                builder = builder.header(reqwest::header::CONTENT_LENGTH, length);
            }
        }
        // A body read as it is sent, or a success body read after: as long as it takes.
        let unbounded = stream || request.body.as_ref().is_some_and(|b| !b.is_replayable());
        let per_attempt = if unbounded { None } else { self.timeout };
        let timeout = match (per_attempt, remaining) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        let mut built = builder
            .build()
            .map_err(|e| Attempt::NoResponse(Box::new(e.without_url())))?;
        if let Some(hook) = &self.on_request {
            hook(&mut built);
        }
        let mut response = match &self.transport {
            Some(transport) => transport.send(built).await,
            None => Transport::send(&self.http, built).await,
        }
        .map_err(Attempt::NoResponse)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let limit = if status.is_success() {
            MAX_BODY_BYTES
        } else {
            MAX_ERROR_BODY_BYTES
        };
        let mut body = Vec::new();
        // A streamed success body is left unread: the caller reads it as it arrives.
        let streamed = stream && status.is_success();
        if !streamed {
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| Attempt::Body(Box::new(e.without_url())))?
            {
                if body.len() + chunk.len() > limit {
                    if status.is_success() {
                        return Err(Attempt::TooLarge(status));
                    }
                    // An error body is only read for its first bytes; the rest is dropped unread.
                    body.extend_from_slice(&chunk[..limit - body.len()]);
                    break;
                }
                body.extend_from_slice(&chunk);
            }
        }
        tracing::debug!(status = status.as_u16(), bytes = body.len(), "response");
        let ids = RequestIds {
            client_request_id: None,
            request_id: request
                .conventions
                .request_id_header
                .and_then(|name| header_str(&headers, name))
                .map(str::to_owned),
        };
        let error_code = request
            .conventions
            .error_code_header
            .and_then(|name| header_str(&headers, name))
            .map(str::to_owned);
        Ok(RawResponse {
            status,
            headers,
            body,
            url: url.clone(),
            method: request.method.clone(),
            unread: streamed.then_some(response),
            ids,
            error_code,
            attempts: 1,
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
        let mut url = url::Url::parse(&url).map_err(|e| InvalidParameter {
            parameter: "base URL",
            constraint: "a valid URL".into(),
            value: format!("{url} ({e})"),
        })?;
        let any_each = request
            .query_each
            .iter()
            .any(|(_, items)| !items.is_empty());
        if any_each
            || !request.query_pairs.is_empty()
            || request.query.iter().any(|(_, value)| value.is_some())
        {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in request.query {
                if let Some(value) = value {
                    pairs.append_pair(name, value);
                }
            }
            for (name, items) in request.query_each {
                for item in items {
                    pairs.append_pair(name, item);
                }
            }
            for (name, value) in &request.query_pairs {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }
}

/// What one attempt ended with, short of a response.
enum Attempt {
    /// No response arrived (connection refused or reset, timeout): may be retried.
    NoResponse(TransportFailure),
    /// The response broke off or could not be read: never retried.
    Body(TransportFailure),
    /// A success body longer than [`MAX_BODY_BYTES`].
    TooLarge(reqwest::StatusCode),
}

/// The URL with every query value but the spec's constants replaced, for logs.
fn redacted(url: &url::Url, public: &[&str]) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let value = if public.contains(&k.as_ref()) {
                v.into_owned()
            } else {
                "REDACTED".to_owned()
            };
            (k.into_owned(), value)
        })
        .collect();
    if !pairs.is_empty() {
        shown.query_pairs_mut().extend_pairs(pairs);
    }
    shown.into()
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
    transport: Option<Arc<dyn Transport>>,
    on_request: Option<RequestHook>,
    base_url: Option<String>,
    token_audience: Option<String>,
    credentials: Credentials,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    skip_validation: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends requests to `base_url` instead of the server the spec names: another of the
    /// spec's servers (each module's `Server` enum), a proxy, a local mock. Plain `http` is
    /// accepted for loopback addresses only.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The origin substituted for `{origin}` in token scopes (by default the origin of the URL
    /// called), for a proxy in front of the real service.
    pub fn token_audience(mut self, origin: impl Into<String>) -> Self {
        self.token_audience = Some(origin.into());
        self
    }

    /// Supplies the bearer tokens of every `http` `bearer`, `oauth2` and `openIdConnect`
    /// scheme that has no token of its own ([`ClientBuilder::bearer_token`],
    /// [`ClientBuilder::scheme_credential`]), asked for the scopes each operation requires.
    pub fn credential(mut self, credential: impl TokenCredential + 'static) -> Self {
        self.credentials.default_token = Some(Arc::new(credential));
        self
    }

    /// Like [`ClientBuilder::credential`], for a credential that is already shared.
    pub fn shared_credential(mut self, credential: Arc<dyn TokenCredential>) -> Self {
        self.credentials.default_token = Some(credential);
        self
    }

    /// The key of the spec's `apiKey` scheme `scheme` (a module's `SecuritySchemes::...`
    /// const, or the name the spec gives it), sent as the header, query parameter or cookie the
    /// scheme names to every operation that applies it. Never logged.
    pub fn api_key(mut self, scheme: impl Into<ApiKeyScheme>, key: impl Into<String>) -> Self {
        self.credentials
            .set_api_key(scheme.into(), SecretString::new(key.into()));
        self
    }

    /// The user and password of the spec's `http` `basic` scheme `scheme`, sent as
    /// `Authorization: Basic base64(user:password)`. Never logged.
    pub fn basic_auth(
        mut self,
        scheme: impl Into<BasicScheme>,
        user: impl AsRef<str>,
        password: impl AsRef<str>,
    ) -> Self {
        self.credentials
            .set_basic(scheme.into(), user.as_ref(), password.as_ref());
        self
    }

    /// A fixed token for the spec's `http` `bearer`, `oauth2` or `openIdConnect` scheme
    /// `scheme`, sent as `Authorization: Bearer <token>` (instead of the
    /// [`ClientBuilder::credential`]'s). Never logged.
    pub fn bearer_token(self, scheme: impl Into<TokenScheme>, token: impl Into<String>) -> Self {
        self.scheme_credential(scheme, super::StaticToken::new(token))
    }

    /// The token credential of one `http` `bearer`, `oauth2` or `openIdConnect` scheme (instead
    /// of the [`ClientBuilder::credential`]'s).
    pub fn scheme_credential(
        mut self,
        scheme: impl Into<TokenScheme>,
        credential: impl TokenCredential + 'static,
    ) -> Self {
        self.credentials
            .set_token(scheme.into(), Arc::new(credential));
        self
    }

    /// Uses your own `reqwest::Client` (proxies, connection pool, TLS settings).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Retries of throttled and failed requests ([`RetryPolicy::none`] turns them off).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The longest one attempt may take, from sending to the end of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest an operation may take, retries and waits included.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// Turns the client-side constraint checks off (`true` by default), for a service that has
    /// relaxed a constraint before its spec did. Path parameters are still percent-encoded and
    /// refused when they would change the URL (`.`, `..`, empty).
    pub fn validate_parameters(mut self, validate: bool) -> Self {
        self.skip_validation = !validate;
        self
    }

    /// Sends every request through `transport` instead of `reqwest` (a test double that answers
    /// without a server, or a layer that hands on to `reqwest` after logging or signing).
    /// Retries, credentials, checks and decoding stay the client's.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Calls `hook` on every request just before it is sent, retries included, after the
    /// credentials of the spec's schemes: to add a scheme the spec does not declare, or to log.
    pub fn on_request(
        mut self,
        hook: impl Fn(&mut reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        self.on_request = Some(Arc::new(hook));
        self
    }

    /// Builds the client, checking the base URL.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = match self.base_url {
            Some(text) => Some(check_base_url(&text)?),
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder().build().map_err(|e| BuildError {
                message: format!("cannot build the HTTP client: {e}"),
            })?,
        };
        Ok(Client {
            http,
            transport: self.transport,
            on_request: self.on_request,
            base_url,
            token_audience: self.token_audience,
            credentials: Arc::new(self.credentials),
            tokens: Arc::default(),
            retry: self.retry.unwrap_or_default(),
            timeout: self.timeout,
            total_timeout: self.total_timeout,
            validate: !self.skip_validation,
        })
    }
}

fn check_base_url(text: &str) -> Result<url::Url, BuildError> {
    let fail = |why: &str| BuildError {
        message: format!("base URL {text:?} {why}"),
    };
    let url = url::Url::parse(text).map_err(|e| fail(&format!("is invalid: {e}")))?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return Err(fail("is not an http(s) URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(fail("must not have a query or fragment"));
    }
    if url.scheme() == "http" {
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        if !loopback {
            return Err(fail(
                "uses plain http: only loopback addresses may (use https)",
            ));
        }
    }
    Ok(url)
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
