//! Where requests go: `reqwest` by default, or any [`Transport`] (a test double that answers
//! without a server, a layer that logs or signs before handing on to `reqwest`). And a hook,
//! [`RequestHook`], that sees every request just before it is sent (after the credentials of
//! the spec's schemes): for a scheme the spec does not declare, or a header of the caller's.

use std::sync::Arc;

use super::BoxFuture;

/// Why a request got no response: a connection refused or reset, a timeout, a test double's
/// own error.
pub type TransportFailure = Box<dyn std::error::Error + Send + Sync>;

/// Sends one HTTP request and returns its response, whose body is read by the client.
///
/// A test double answers from memory (`http::Response` converts into `reqwest::Response`;
/// `tests/tests/calls.rs` of the generator's repository runs one):
///
/// ```ignore
/// use my_client::runtime::{BoxFuture, Transport, TransportFailure};
///
/// struct Canned;
///
/// impl Transport for Canned {
///     fn send(&self, request: reqwest::Request) -> BoxFuture<'_, Result<reqwest::Response, TransportFailure>> {
///         assert_eq!(request.method(), "POST");
///         let response = http::Response::builder()
///             .status(200)
///             .header("content-type", "application/json")
///             .body(r#"{"primaryKey": "k1"}"#)
///             .unwrap();
///         Box::pin(async move { Ok(response.into()) })
///     }
/// }
/// ```
pub trait Transport: Send + Sync {
    /// Sends `request`.
    fn send(
        &self,
        request: reqwest::Request,
    ) -> BoxFuture<'_, Result<reqwest::Response, TransportFailure>>;
}

impl Transport for reqwest::Client {
    fn send(
        &self,
        request: reqwest::Request,
    ) -> BoxFuture<'_, Result<reqwest::Response, TransportFailure>> {
        Box::pin(async move {
            self.execute(request)
                .await
                // The URL can hold query values; errors never show it.
                .map_err(|e| Box::new(e.without_url()) as TransportFailure)
        })
    }
}

/// Sees (and may change) every request just before it is sent, retries included.
pub type RequestHook = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;
