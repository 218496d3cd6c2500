//! Credentials: where the bearer token comes from, and the cache that reuses it.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::SecretString;

/// A boxed future, as returned by [`TokenCredential::get_token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A bearer token and the time it stops being valid.
#[derive(Clone, Debug)]
pub struct AccessToken {
    /// The token.
    pub token: SecretString,
    /// When the token expires; `None` for a token that does not (or whose expiry is unknown).
    pub expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// A token that never expires.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: SecretString::new(token.into()),
            expires_at: None,
        }
    }

    /// A token valid until `expires_at`.
    pub fn expiring(token: impl Into<String>, expires_at: SystemTime) -> Self {
        Self {
            token: SecretString::new(token.into()),
            expires_at: Some(expires_at),
        }
    }
}

/// Supplies the bearer token sent in the `Authorization` header.
///
/// Implement it to plug in any token source; [`StaticToken`] covers a token you already have.
/// The client caches tokens per scope set and asks again only shortly before they expire.
pub trait TokenCredential: Send + Sync {
    /// Returns a token valid for `scopes`.
    fn get_token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, CredentialError>>;
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
    ) -> BoxFuture<'a, Result<AccessToken, CredentialError>> {
        Box::pin(std::future::ready(Ok(AccessToken {
            token: self.0.clone(),
            expires_at: None,
        })))
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
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CredentialError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// How long before its expiry a cached token is replaced.
pub const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// Whose token (a scheme's own credential by the scheme's name, or the client's: `None`) for
/// which scopes.
type TokenKey = (Option<String>, Vec<String>);

/// Tokens by credential and scope set, reused until [`TOKEN_REFRESH_MARGIN`] before they
/// expire.
#[derive(Default)]
pub(crate) struct TokenCache {
    tokens: Mutex<HashMap<TokenKey, AccessToken>>,
}

impl TokenCache {
    pub(crate) async fn get(
        &self,
        credential: &dyn TokenCredential,
        scheme: Option<&str>,
        scopes: &[&str],
    ) -> Result<SecretString, CredentialError> {
        let key: TokenKey = (
            scheme.map(str::to_owned),
            scopes.iter().map(|s| (*s).to_owned()).collect(),
        );
        let now = SystemTime::now();
        let fresh = |token: &AccessToken| {
            token
                .expires_at
                .is_none_or(|at| at > now + TOKEN_REFRESH_MARGIN)
        };
        if let Ok(tokens) = self.tokens.lock() {
            if let Some(token) = tokens.get(&key).filter(|t| fresh(t)) {
                return Ok(token.token.clone());
            }
        }
        let token = credential.get_token(scopes).await?;
        let secret = token.token.clone();
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.insert(key, token);
        }
        Ok(secret)
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCache")
    }
}
