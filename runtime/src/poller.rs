//! Long-running operations, polled as Azure's REST guidelines and AutoRest's
//! `x-ms-long-running-operation` describe them: the first answer (`200`, `201` or `202`) names
//! a status monitor (`Azure-AsyncOperation` or `Operation-Location`: a body whose `status` ends
//! `Succeeded`, `Failed` or `Canceled`), or a `Location` to poll until it stops answering
//! `202`, or (a `PUT` or `PATCH` without either) the resource itself, whose
//! `properties.provisioningState` ends the same way. Between polls the poller waits as
//! `Retry-After` says (else its interval), and gives up after its time limit. Once done, the
//! final result is read where `final-state-via` says (by default: the original URL for `PUT`
//! and `PATCH`, the `Location` for `POST` and `DELETE`), and decoded as the operation's
//! answer.
//!
//! Every request is the operation's call sent again (`CallOptions::next_link` pointed at the
//! URL, as a `GET` without body): the same credentials, retries and per-call options. A URL of
//! another origin than the first request's is refused. `Poller::state` is what to save to
//! resume polling elsewhere (`call.resume(state)`).

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::retry::{header_str, requested_delay};
use super::{BoxFuture, CallOptions, Error, ErrorBody, RawResponse, Response, UnexpectedResponse};

/// Where the final result of a long-running operation is read (`final-state-via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FinalStateVia {
    /// Azure's rules by method: `PUT` and `PATCH` read the original URL; others the
    /// `Location` when there is one, else the status monitor's last answer.
    Default,
    /// The status monitor (`Azure-AsyncOperation`).
    AzureAsyncOperation,
    /// The `Location` header's URL.
    Location,
    /// The URL first called.
    OriginalUri,
    /// The status monitor (`Operation-Location`).
    OperationLocation,
}

/// Where a long-running operation stands: what a caller saves to resume polling later
/// (`serde` both ways).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollerState {
    /// The URL of the first request.
    pub original_url: String,
    /// The first request's method.
    pub method: String,
    /// The status monitor (`Azure-AsyncOperation` or `Operation-Location`), if the service
    /// gave one.
    pub monitor_url: Option<String>,
    /// The `Location` the service gave, if any.
    pub location_url: Option<String>,
    /// Where the final result is read.
    pub final_state_via: FinalStateVia,
}

/// One step of a poller.
#[derive(Debug, Clone, PartialEq)]
pub enum PollStatus<T> {
    /// Not finished: the service's status (`InProgress`, `Accepted`...), and how long it asks
    /// to wait before the next poll, if it says.
    InProgress {
        /// The status as the service words it.
        status: String,
        /// `Retry-After`, when the service sent one.
        retry_after: Option<Duration>,
    },
    /// Finished: the operation's final result.
    Done(T),
}

/// How an operation ended, when not in success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The service says `Failed`.
    Failed,
    /// The service says `Canceled` (or `Cancelled`).
    Canceled,
    /// The poller's time limit passed first; the operation may still finish.
    TimedOut,
}

/// A long-running operation that failed, was canceled, or outlived the poller's time limit.
#[derive(Debug)]
pub struct OperationError<E> {
    /// How it ended.
    pub outcome: Outcome,
    /// The service's error code, from the status body's `error.code`.
    pub code: Option<String>,
    /// The service's error message, from the status body's `error.message`.
    pub message: Option<String>,
    /// The status body, typed as the operation's error when it fits.
    pub body: Option<ErrorBody<E>>,
    /// Where polling stood (resume it with `call.resume(state)` after a time-out).
    pub state: PollerState,
}

impl<E> std::fmt::Display for OperationError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.outcome {
            Outcome::Failed => f.write_str("the long-running operation failed")?,
            Outcome::Canceled => f.write_str("the long-running operation was canceled")?,
            Outcome::TimedOut => f.write_str(
                "the long-running operation did not finish within the poller's time limit",
            )?,
        }
        if let Some(code) = &self.code {
            write!(f, ": {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

/// How a generated call is sent and decoded, for a poller.
#[doc(hidden)]
pub struct Polling<'a, C, T, E> {
    pub send: fn(C) -> BoxFuture<'a, Result<RawResponse, Error<E>>>,
    pub decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
    pub options: fn(&mut C) -> &mut CallOptions,
    pub final_state_via: FinalStateVia,
}

/// What the poller does next.
enum Stage {
    /// Send the operation's first request.
    Start,
    /// Poll a status monitor.
    Monitor(url::Url),
    /// Poll the `Location` until it stops answering `202`.
    Location(url::Url),
    /// Poll the resource until its `provisioningState` ends.
    Resource(url::Url),
    Finished,
}

/// A long-running operation: `.await` it for the final result, or `.poll()` it step by step.
#[must_use = "a poller sends nothing until it is polled or awaited"]
pub struct Poller<'a, C, T, E> {
    call: C,
    polling: Polling<'a, C, T, E>,
    stage: Stage,
    state: Option<PollerState>,
    origin: Option<url::Origin>,
    interval: Duration,
    max_wait: Duration,
}

/// The default wait between polls when the service names none.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(30);
/// The default time a poller waits in all before giving up.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(60 * 60);

impl<'a, C, T, E> Poller<'a, C, T, E>
where
    C: Clone + Send + 'a,
    T: Send + 'a,
    E: serde::de::DeserializeOwned + Send + 'a,
{
    /// A poller of `call` that sends it first.
    #[doc(hidden)]
    pub fn new(call: C, polling: Polling<'a, C, T, E>) -> Self {
        Self {
            call,
            polling,
            stage: Stage::Start,
            state: None,
            origin: None,
            interval: DEFAULT_POLL_INTERVAL,
            max_wait: DEFAULT_MAX_WAIT,
        }
    }

    /// A poller of `call` that resumes where `state` stood: the first request is not sent
    /// again.
    #[doc(hidden)]
    pub fn resume(
        call: C,
        polling: Polling<'a, C, T, E>,
        state: PollerState,
    ) -> Result<Self, Error<E>> {
        let mut poller = Self::new(call, polling);
        let original = parse(&state.original_url)?;
        poller.origin = Some(original.origin());
        poller.stage = match (&state.monitor_url, &state.location_url) {
            (Some(monitor), _) => Stage::Monitor(parse(monitor)?),
            (None, Some(location)) => Stage::Location(parse(location)?),
            (None, None) => Stage::Resource(original),
        };
        poller.state = Some(state);
        Ok(poller)
    }

    /// The wait between polls when the service does not send `Retry-After` (default 30 s).
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// How long `.await` polls in all before failing with [`Outcome::TimedOut`] (default one
    /// hour).
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Where the operation stands, once the first request was answered: save it to resume
    /// later.
    pub fn state(&self) -> Option<&PollerState> {
        self.state.as_ref()
    }

    /// One step: the first request, or one poll. No waiting: the caller decides when to poll
    /// again (`PollStatus::InProgress` says what the service asked).
    pub async fn poll(&mut self) -> Result<PollStatus<T>, Error<E>> {
        match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Start => self.start().await,
            Stage::Monitor(url) => self.poll_monitor(url).await,
            Stage::Location(url) => self.poll_location(url).await,
            Stage::Resource(url) => self.poll_resource(url).await,
            Stage::Finished => Err(unexpected("the long-running operation is already finished")),
        }
    }

    /// Polls until the operation ends, waiting between polls as the service asks.
    pub async fn wait(mut self) -> Result<T, Error<E>> {
        let started = Instant::now();
        loop {
            match self.poll().await? {
                PollStatus::Done(value) => return Ok(value),
                PollStatus::InProgress { retry_after, .. } => {
                    let delay = retry_after.unwrap_or(self.interval);
                    if started.elapsed() + delay > self.max_wait {
                        return Err(self.failed(Outcome::TimedOut, None));
                    }
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    async fn start(&mut self) -> Result<PollStatus<T>, Error<E>> {
        let first = (self.polling.send)(self.call.clone()).await?;
        if !first.status.is_success() {
            return (self.polling.decode)(first).map(|r| PollStatus::Done(r.into_value()));
        }
        let original = first.url.clone();
        self.origin = Some(original.origin());
        let monitor = header_str(&first.headers, "azure-asyncoperation")
            .or_else(|| header_str(&first.headers, "operation-location"))
            .map(|link| self.link(&original, link))
            .transpose()?;
        let location = header_str(&first.headers, "location")
            .map(|link| self.link(&original, link))
            .transpose()?;
        let method = first.method.as_str().to_owned();
        self.state = Some(PollerState {
            original_url: original.to_string(),
            method: method.clone(),
            monitor_url: monitor.as_ref().map(url::Url::to_string),
            location_url: location.as_ref().map(url::Url::to_string),
            final_state_via: self.polling.final_state_via,
        });
        let status = first.status.as_u16();
        let put_or_patch = method == "PUT" || method == "PATCH";
        self.stage = match (monitor, location) {
            (Some(monitor), _) => Stage::Monitor(monitor),
            (None, Some(location)) if status == 201 || status == 202 => Stage::Location(location),
            _ if put_or_patch
                && provisioning_state(&first.body).is_some_and(|s| terminal(&s).is_none()) =>
            {
                Stage::Resource(original)
            }
            _ if status == 202 => {
                return Err(unexpected(
                    "the service accepted the operation (202) but named no URL to poll",
                ))
            }
            // Done in one answer.
            _ => return (self.polling.decode)(first).map(|r| PollStatus::Done(r.into_value())),
        };
        Ok(in_progress("Accepted", &first))
    }

    async fn poll_monitor(&mut self, url: url::Url) -> Result<PollStatus<T>, Error<E>> {
        let response = self.get(&url).await?;
        if !response.status.is_success() {
            return Err(error_of(self.polling.decode, response));
        }
        let status = json_str(&response.body, &["status"]).unwrap_or_default();
        match terminal(&status) {
            None => {
                self.stage = Stage::Monitor(url);
                Ok(in_progress(&status, &response))
            }
            Some(Ended::Succeeded) => self.finish(response).await,
            Some(Ended::Failed) => Err(self.failed(Outcome::Failed, Some(&response.body))),
            Some(Ended::Canceled) => Err(self.failed(Outcome::Canceled, Some(&response.body))),
        }
    }

    async fn poll_location(&mut self, url: url::Url) -> Result<PollStatus<T>, Error<E>> {
        let response = self.get(&url).await?;
        if response.status.as_u16() == 202 {
            self.stage = Stage::Location(url);
            return Ok(in_progress("Accepted", &response));
        }
        if !response.status.is_success() {
            return Err(error_of(self.polling.decode, response));
        }
        self.finish(response).await
    }

    async fn poll_resource(&mut self, url: url::Url) -> Result<PollStatus<T>, Error<E>> {
        let response = self.get(&url).await?;
        if !response.status.is_success() {
            return Err(error_of(self.polling.decode, response));
        }
        let state = provisioning_state(&response.body).unwrap_or_else(|| "Succeeded".into());
        match terminal(&state) {
            None => {
                self.stage = Stage::Resource(url);
                Ok(in_progress(&state, &response))
            }
            Some(Ended::Succeeded) => {
                (self.polling.decode)(response).map(|r| PollStatus::Done(r.into_value()))
            }
            Some(Ended::Failed) => Err(self.failed(Outcome::Failed, Some(&response.body))),
            Some(Ended::Canceled) => Err(self.failed(Outcome::Canceled, Some(&response.body))),
        }
    }

    /// The final result once the operation succeeded; `last` is the last poll's answer.
    async fn finish(&mut self, last: RawResponse) -> Result<PollStatus<T>, Error<E>> {
        let state = self
            .state
            .clone()
            .ok_or_else(|| unexpected("no poller state"))?;
        let put_or_patch = state.method == "PUT" || state.method == "PATCH";
        let from = match state.final_state_via {
            FinalStateVia::OriginalUri => Some(state.original_url.clone()),
            FinalStateVia::Default if put_or_patch => Some(state.original_url.clone()),
            FinalStateVia::Location | FinalStateVia::Default => state
                .location_url
                .clone()
                .filter(|l| *l != last.url.as_str()),
            FinalStateVia::AzureAsyncOperation | FinalStateVia::OperationLocation => None,
        };
        let response = match from {
            Some(url) => self.get(&parse(&url)?).await?,
            None => last,
        };
        (self.polling.decode)(response).map(|r| PollStatus::Done(r.into_value()))
    }

    /// A `GET` of `url` through the operation's call.
    async fn get(&mut self, url: &url::Url) -> Result<RawResponse, Error<E>> {
        let mut call = self.call.clone();
        let options = (self.polling.options)(&mut call);
        options.next_link = Some(url.clone());
        options.poll = true;
        (self.polling.send)(call).await
    }

    /// `link` read against `base`, of the first request's origin.
    fn link(&self, base: &url::Url, link: &str) -> Result<url::Url, Error<E>> {
        let origin = self.origin.clone().unwrap_or_else(|| base.origin());
        super::paging::same_origin(base, &origin, link.trim(), "the URL to poll")
            .map_err(|reason| unexpected(&reason))
    }

    fn failed(&self, outcome: Outcome, body: Option<&[u8]>) -> Error<E> {
        let json: Option<serde_json::Value> = body.and_then(|b| serde_json::from_slice(b).ok());
        let field = |name: &str| {
            json.as_ref()
                .and_then(|j| j.get("error"))
                .and_then(|e| e.get(name))
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        Error::Operation(Box::new(OperationError {
            outcome,
            code: field("code"),
            message: field("message"),
            body: body.map(|b| match serde_json::from_slice::<E>(b) {
                Ok(typed) => ErrorBody::Typed(typed),
                Err(_) => ErrorBody::Raw(String::from_utf8_lossy(b).into_owned()),
            }),
            state: self.state.clone().unwrap_or_else(|| PollerState {
                original_url: String::new(),
                method: String::new(),
                monitor_url: None,
                location_url: None,
                final_state_via: self.polling.final_state_via,
            }),
        }))
    }
}

impl<'a, C, T, E> std::future::IntoFuture for Poller<'a, C, T, E>
where
    C: Clone + Send + 'a,
    T: Send + 'a,
    E: serde::de::DeserializeOwned + Send + 'a,
{
    type Output = Result<T, Error<E>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

/// How a status ends an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    Succeeded,
    Failed,
    Canceled,
}

/// Whether `status` ends the operation (Azure's terminal states, any case).
fn terminal(status: &str) -> Option<Ended> {
    match status.to_ascii_lowercase().as_str() {
        "succeeded" => Some(Ended::Succeeded),
        "failed" => Some(Ended::Failed),
        "canceled" | "cancelled" => Some(Ended::Canceled),
        _ => None,
    }
}

/// The text at `path` in a JSON body.
fn json_str(body: &[u8], path: &[&str]) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_slice(body).ok()?;
    for key in path {
        value = value.get_mut(*key)?.take();
    }
    value.as_str().map(str::to_owned)
}

/// A resource's `properties.provisioningState`.
fn provisioning_state(body: &[u8]) -> Option<String> {
    json_str(body, &["properties", "provisioningState"])
}

fn in_progress<T>(status: &str, response: &RawResponse) -> PollStatus<T> {
    PollStatus::InProgress {
        status: if status.is_empty() {
            "InProgress".to_owned()
        } else {
            status.to_owned()
        },
        retry_after: requested_delay(&response.headers, &[]),
    }
}

/// The operation's error for an error status met while polling.
fn error_of<T, E>(
    decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
    response: RawResponse,
) -> Error<E> {
    let status = response.status;
    match decode(response) {
        Err(error) => error,
        Ok(_) => unexpected(&format!("the poll answered {status}")),
    }
}

fn unexpected<E>(reason: &str) -> Error<E> {
    Error::UnexpectedResponse(UnexpectedResponse {
        status: None,
        reason: reason.to_owned(),
        body: String::new(),
        ids: Default::default(),
    })
}

fn parse<E>(url: &str) -> Result<url::Url, Error<E>> {
    url::Url::parse(url)
        .map_err(|e| unexpected(&format!("the saved URL {url:?} is not a URL: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_states_in_any_case() {
        assert_eq!(terminal("Succeeded"), Some(Ended::Succeeded));
        assert_eq!(terminal("FAILED"), Some(Ended::Failed));
        assert_eq!(terminal("Cancelled"), Some(Ended::Canceled));
        assert_eq!(terminal("InProgress"), None);
        assert_eq!(terminal(""), None);
    }

    #[test]
    fn provisioning_state_is_read_from_properties() {
        let body = br#"{"properties": {"provisioningState": "Updating"}}"#;
        assert_eq!(provisioning_state(body).as_deref(), Some("Updating"));
        assert_eq!(provisioning_state(b"{}"), None);
        assert_eq!(provisioning_state(b"not json"), None);
    }

    #[test]
    fn a_state_round_trips_through_json() {
        let state = PollerState {
            original_url: "https://management.azure.com/x?api-version=1".into(),
            method: "PUT".into(),
            monitor_url: Some("https://management.azure.com/ops/1".into()),
            location_url: None,
            final_state_via: FinalStateVia::AzureAsyncOperation,
        };
        let text = serde_json::to_string(&state).unwrap();
        assert!(text.contains("\"azure-async-operation\""), "{text}");
        assert_eq!(serde_json::from_str::<PollerState>(&text).unwrap(), state);
    }
}
