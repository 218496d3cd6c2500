//! The runtime of the clients `openapi-rustgen` generates: the HTTP [`Client`] (transport,
//! base URL, credentials, retries, timeouts, tracing), credentials and their token cache, the
//! security schemes of a spec, parameter checks, secrets and the [`Error`] type.
//!
//! A crate generated with `runtime = { path | git | version = ... }` in its project file
//! depends on this crate, so every such client in a program takes one [`Client`] value: one
//! connection pool, one token cache per credential, one retry policy. A crate generated with
//! the default (`runtime = "vendored"`) carries the same files in `src/runtime/` instead and
//! depends on neither this crate nor the generator.
//!
//! ```no_run
//! use openapi_rustgen_runtime::{Client, StaticToken};
//! let client = Client::builder()
//!     .credential(StaticToken::new("token".to_owned()))
//!     .build()?;
//! // `azure_keys::search::admin_keys_regenerate(&client, ...)`,
//! // `petstore::petstore::get_pet_by_id(&client, 42)`: the same client.
//! # Ok::<(), openapi_rustgen_runtime::BuildError>(())
//! ```
//!
//! Cargo features (a generated crate turns on those its specs need):
//!
//! - `regex`, `fancy-regex`: `pattern_regex::Pattern`, `pattern_fancy::Pattern`: the
//!   `pattern` constraints of a spec, with the engine they need (lookaround and backreferences
//!   need `fancy-regex`);
//! - `chrono`: date and date-time response headers as `chrono` types;
//! - `azure_core`: `AzureCoreCredential`, any `azure_core` 1.x `TokenCredential` as credential;
//! - `events`: `text/event-stream` responses (Server-Sent Events) as a stream of typed events
//!   (`Event`, `Events`).
//!
//! Items marked `#[doc(hidden)]` are what generated code calls: they follow the generator, not
//! semver.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod body;
pub mod check;
mod client;
mod credential;
mod error;
mod headers;
mod multipart;
pub mod object;
mod paging;
mod poller;
pub mod query;
mod request;
mod response;
mod retry;
mod secret;
mod security;
mod transport;

#[cfg(feature = "azure_core")]
mod azure_core;
#[cfg(feature = "chrono")]
mod date;
#[cfg(feature = "events")]
mod events;
#[cfg(feature = "fancy-regex")]
pub mod pattern_fancy;
#[cfg(feature = "regex")]
pub mod pattern_regex;

#[cfg(feature = "azure_core")]
pub use self::azure_core::AzureCoreCredential;
pub use body::Body;
pub use client::{BuildError, Client, ClientBuilder, MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES};
pub use credential::{
    AccessToken, BoxFuture, CredentialError, StaticToken, TokenCredential, TOKEN_REFRESH_MARGIN,
};
pub use error::{
    Error, ErrorBody, InvalidParameter, MissingCredentials, RequestIds, SendError, ServiceError,
    TransportError, UnexpectedResponse,
};
#[cfg(feature = "events")]
#[doc(hidden)]
pub use events::{json_event, text_event, Decoded};
#[cfg(feature = "events")]
pub use events::{Event, Events, MAX_EVENT_BYTES};
pub use headers::{FromHeader, WithHeaders};
pub use multipart::{FilePart, Multipart};
#[doc(hidden)]
pub use paging::{items, pages, NextLink, Paging, PositionKind};
pub use paging::{next_in_link_header, Items, Pages};
#[doc(hidden)]
pub use poller::Polling;
pub use poller::{
    FinalStateVia, OperationError, Outcome, PollStatus, Poller, PollerState, DEFAULT_MAX_WAIT,
    DEFAULT_POLL_INTERVAL,
};
pub use query::QueryStyle;
pub use request::{CallOptions, Conventions, PathPart, Request};
pub use reqwest::{Method, StatusCode};
#[doc(hidden)]
pub use response::value_of;
pub use response::{ByteStream, RawResponse, Response};
pub use retry::RetryPolicy;
pub use secret::SecretString;
pub use security::{ApiKeyIn, ApiKeyScheme, BasicScheme, Scheme, Security, TokenScheme};
pub use transport::{RequestHook, Transport, TransportFailure};

#[cfg(test)]
mod tests;
