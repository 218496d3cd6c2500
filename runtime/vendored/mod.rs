//! Runtime shared by every generated operation: the HTTP client, credentials, retries,
//! parameter checks, secrets and the error type.
//!
//! These files are the `openapi-rustgen-runtime` crate's, copied verbatim into this crate (the
//! project file's default, `runtime = "vendored"`), so the crate depends on neither the generator
//! nor the runtime crate. Nothing here is generic over the operation: each operation only
//! describes its request and decodes its response, and everything else is compiled once.

mod body;
pub mod check;
mod client;
mod multipart;
mod paging;
mod poller;
mod request;
mod response;
pub mod object;
pub mod query;
mod credential;
mod error;
mod headers;
mod retry;
mod secret;
mod security;
mod transport;

pub use body::Body;
pub use client::{BuildError, Client, ClientBuilder, MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES};
pub use request::{CallOptions, Conventions, PathPart, Request};
#[doc(hidden)]
pub use response::value_of;
pub use paging::{next_in_link_header, Items, Pages};
#[doc(hidden)]
pub use paging::{items, pages, NextLink, Paging, PositionKind};
pub use poller::{
    FinalStateVia, OperationError, Outcome, PollStatus, Poller, PollerState, DEFAULT_MAX_WAIT,
    DEFAULT_POLL_INTERVAL,
};
#[doc(hidden)]
pub use poller::Polling;
pub use response::{ByteStream, RawResponse, Response};
pub use credential::{
    AccessToken, BoxFuture, CredentialError, StaticToken, TokenCredential, TOKEN_REFRESH_MARGIN,
};
pub use error::{
    Error, ErrorBody, InvalidParameter, MissingCredentials, RequestIds, SendError, ServiceError,
    TransportError, UnexpectedResponse,
};
pub use reqwest::{Method, StatusCode};
#[doc(hidden)]
pub use crate::{deserialize_object, serialize_object};
pub use headers::{FromHeader, WithHeaders};
pub use multipart::{FilePart, Multipart};
pub use query::QueryStyle;
pub use retry::RetryPolicy;
pub use secret::SecretString;
pub use transport::{RequestHook, Transport, TransportFailure};
pub use security::{ApiKeyIn, ApiKeyScheme, BasicScheme, Scheme, Security, TokenScheme};
