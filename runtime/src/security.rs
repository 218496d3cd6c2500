//! Security as the spec declares it: the schemes an operation accepts (described by the
//! generated code, without generics), the secrets the client holds for them by scheme name, and
//! the choice of the alternative to apply.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use super::credential::TokenCache;
use super::{
    CredentialError, MissingCredentials, Request, SecretString, SendError, TokenCredential,
};

/// An `apiKey` scheme, by the name the spec's `components.securitySchemes` gives it.
///
/// Each module names its schemes in its `SecuritySchemes` type; a plain `&str` works too.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApiKeyScheme(Cow<'static, str>);

/// An `http` `basic` scheme, by the name the spec gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BasicScheme(Cow<'static, str>);

/// An `http` `bearer`, `oauth2` or `openIdConnect` scheme, by the name the spec gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenScheme(Cow<'static, str>);

macro_rules! scheme_name {
    ($($ty:ident),*) => {$(
        impl $ty {
            /// The scheme named `name` in the spec.
            pub const fn new(name: &'static str) -> Self {
                Self(Cow::Borrowed(name))
            }

            /// The name, as the spec writes it.
            pub fn name(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $ty {
            fn from(name: &str) -> Self {
                Self(Cow::Owned(name.to_owned()))
            }
        }

        impl From<String> for $ty {
            fn from(name: String) -> Self {
                Self(Cow::Owned(name))
            }
        }
    )*};
}

scheme_name!(ApiKeyScheme, BasicScheme, TokenScheme);

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyIn {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie of the `Cookie` header.
    Cookie,
}

/// One scheme of a security requirement, as an operation applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `apiKey`: the key given to [`super::ClientBuilder::api_key`], as header, query parameter
    /// or cookie `name`.
    ApiKey {
        /// The scheme's name in the spec.
        scheme: &'static str,
        /// Where the key goes.
        location: ApiKeyIn,
        /// The header, query parameter or cookie name.
        name: &'static str,
    },
    /// `http` `basic`: `Authorization: Basic ...` from [`super::ClientBuilder::basic_auth`].
    Basic {
        /// The scheme's name in the spec.
        scheme: &'static str,
    },
    /// `http` `bearer`, `oauth2`, `openIdConnect`: `Authorization: Bearer <token>`, the token
    /// asked for `scopes` (`{origin}` is the origin called).
    Token {
        /// The scheme's name in the spec.
        scheme: &'static str,
        /// The scopes the token is asked for.
        scopes: &'static [&'static str],
    },
}

impl Scheme {
    /// The scheme's name in the spec.
    pub fn name(&self) -> &'static str {
        match self {
            Scheme::ApiKey { scheme, .. }
            | Scheme::Basic { scheme }
            | Scheme::Token { scheme, .. } => scheme,
        }
    }

    /// The [`super::ClientBuilder`] method that supplies its secret.
    pub fn builder_method(&self) -> &'static str {
        match self {
            Scheme::ApiKey { .. } => "api_key",
            Scheme::Basic { .. } => "basic_auth",
            Scheme::Token { .. } => "bearer_token or credential",
        }
    }
}

/// An operation's security requirement: any one alternative suffices; every scheme of the
/// alternative is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Security {
    /// In the spec's order: the client applies the first one it holds every secret of.
    pub alternatives: &'static [&'static [Scheme]],
    /// Whether the operation may go without credentials when the client holds none of them.
    pub anonymous: bool,
}

impl Security {
    /// No credentials needed, none sent.
    pub const NONE: Security = Security {
        alternatives: &[],
        anonymous: true,
    };
}

/// The secrets a client holds, by scheme name. Never shown: `Debug` lists the names only.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    api_keys: Vec<(Cow<'static, str>, SecretString)>,
    /// The whole `Authorization` value, `Basic base64(user:password)`.
    basic: Vec<(Cow<'static, str>, SecretString)>,
    tokens: Vec<(Cow<'static, str>, Arc<dyn TokenCredential>)>,
    /// Tokens for every token scheme without one of its own.
    pub(crate) default_token: Option<Arc<dyn TokenCredential>>,
}

fn set<T>(list: &mut Vec<(Cow<'static, str>, T)>, name: Cow<'static, str>, value: T) {
    list.retain(|(n, _)| *n != name);
    list.push((name, value));
}

fn get<'a, T>(list: &'a [(Cow<'static, str>, T)], name: &str) -> Option<&'a T> {
    list.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

impl Credentials {
    pub(crate) fn set_api_key(&mut self, scheme: ApiKeyScheme, key: SecretString) {
        set(&mut self.api_keys, scheme.0, key);
    }

    pub(crate) fn set_basic(&mut self, scheme: BasicScheme, user: &str, password: &str) {
        let pair = SecretString::new(format!("{user}:{password}"));
        let pair = pair.expose_secret().as_bytes();
        // Written once into a buffer of its final size, so no copy of the secret is left behind.
        let mut value = String::with_capacity(6 + pair.len().div_ceil(3) * 4);
        value.push_str("Basic ");
        base64_into(&mut value, pair);
        set(&mut self.basic, scheme.0, SecretString::new(value));
    }

    pub(crate) fn set_token(&mut self, scheme: TokenScheme, credential: Arc<dyn TokenCredential>) {
        set(&mut self.tokens, scheme.0, credential);
    }

    pub(crate) fn api_key(&self, scheme: &str) -> Option<&SecretString> {
        get(&self.api_keys, scheme)
    }

    pub(crate) fn basic(&self, scheme: &str) -> Option<&SecretString> {
        get(&self.basic, scheme)
    }

    /// The credential for a token scheme, and whose it is (the scheme's own, or the client's:
    /// `None`), which keeps their tokens apart in the cache.
    pub(crate) fn token(
        &self,
        scheme: &'static str,
    ) -> Option<(Option<&'static str>, &dyn TokenCredential)> {
        match get(&self.tokens, scheme) {
            Some(credential) => Some((Some(scheme), credential.as_ref())),
            None => self.default_token.as_deref().map(|c| (None, c)),
        }
    }

    fn has(&self, scheme: &Scheme) -> bool {
        match scheme {
            Scheme::ApiKey { scheme, .. } => self.api_key(scheme).is_some(),
            Scheme::Basic { scheme } => self.basic(scheme).is_some(),
            Scheme::Token { scheme, .. } => self.token(scheme).is_some(),
        }
    }

    /// The first alternative the client holds every secret of; `None` when the operation goes
    /// without; else, per alternative, the schemes whose secrets are missing.
    pub(crate) fn pick(
        &self,
        security: &Security,
    ) -> Result<Option<&'static [Scheme]>, Vec<Vec<Scheme>>> {
        let alternatives = security.alternatives;
        if let Some(alt) = alternatives
            .iter()
            .find(|alt| alt.iter().all(|s| self.has(s)))
        {
            return Ok(Some(alt));
        }
        if security.anonymous || alternatives.is_empty() {
            return Ok(None);
        }
        Err(alternatives
            .iter()
            .map(|alt| alt.iter().filter(|s| !self.has(s)).copied().collect())
            .collect())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |list: Vec<&str>| list.join(", ");
        f.debug_struct("Credentials")
            .field(
                "api_keys",
                &names(self.api_keys.iter().map(|(n, _)| n.as_ref()).collect()),
            )
            .field(
                "basic",
                &names(self.basic.iter().map(|(n, _)| n.as_ref()).collect()),
            )
            .field(
                "tokens",
                &names(self.tokens.iter().map(|(n, _)| n.as_ref()).collect()),
            )
            .field("credential", &self.default_token.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// Appends standard base64 with padding (RFC 4648), as HTTP basic authentication encodes.
fn base64_into(out: &mut String, bytes: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
}

/// Headers a call adds to each of its attempts.
pub(crate) type HeaderList = Vec<(HeaderName, HeaderValue)>;

/// Puts the key in the query under `name`, in place of what the operation sent under that name:
/// a spec may declare its key both as a scheme and as a query parameter (nytimes.com's
/// `api-key`), and two values are read as an array. As with a header, the credential wins; the
/// query's other pairs are kept byte for byte.
fn set_query_key(url: &mut url::Url, name: &str, key: &str) {
    if let Some(query) = url.query() {
        let pairs: Vec<&str> = query.split('&').collect();
        let kept: Vec<&str> = pairs
            .iter()
            .copied()
            .filter(|pair| {
                url::form_urlencoded::parse(pair.as_bytes())
                    .next()
                    .is_none_or(|(k, _)| k != name)
            })
            .collect();
        if kept.len() < pairs.len() {
            let kept = kept.join("&");
            url.set_query((!kept.is_empty()).then_some(kept.as_str()));
        }
    }
    url.query_pairs_mut().append_pair(name, key);
}

/// Applies the first security alternative of `request` the client holds every secret of: API
/// keys in the query go into `url` (traces redact every query value but the spec's constants),
/// the rest are returned as headers, marked sensitive. Fails, before anything is sent, when no
/// alternative can be applied and the operation does not allow anonymous calls.
pub(crate) async fn apply(
    credentials: &Credentials,
    tokens: &TokenCache,
    audience: Option<&str>,
    request: &Request<'_>,
    url: &mut url::Url,
) -> Result<HeaderList, SendError> {
    let schemes = credentials.pick(request.security).map_err(|missing| {
        SendError::MissingCredentials(MissingCredentials {
            operation: request.operation,
            missing,
        })
    })?;
    let mut headers = HeaderList::new();
    let mut cookies: Vec<String> = Vec::new();
    for scheme in schemes.unwrap_or_default() {
        match *scheme {
            Scheme::ApiKey {
                scheme,
                location,
                name,
            } => {
                let key = credentials.api_key(scheme).ok_or_else(|| missing(scheme))?;
                match location {
                    ApiKeyIn::Header => {
                        let name = HeaderName::try_from(name).map_err(|_| {
                            CredentialError::new(format!("`{name}` is not a valid header name"))
                        })?;
                        headers.push((name, sensitive(key.expose_secret(), scheme)?));
                    }
                    ApiKeyIn::Query => set_query_key(url, name, key.expose_secret()),
                    ApiKeyIn::Cookie => cookies.push(format!("{name}={}", key.expose_secret())),
                }
            }
            Scheme::Basic { scheme } => {
                let value = credentials.basic(scheme).ok_or_else(|| missing(scheme))?;
                headers.push((AUTHORIZATION, sensitive(value.expose_secret(), scheme)?));
            }
            Scheme::Token { scheme, scopes } => {
                let (owner, credential) =
                    credentials.token(scheme).ok_or_else(|| missing(scheme))?;
                // `{origin}` in a scope: the token audience, else the origin called.
                let origin = audience
                    .map(str::to_owned)
                    .unwrap_or_else(|| url.origin().ascii_serialization());
                let resolved: Vec<String> = scopes
                    .iter()
                    .map(|s| s.replace("{origin}", &origin))
                    .collect();
                let resolved: Vec<&str> = resolved.iter().map(String::as_str).collect();
                let token = tokens.get(credential, owner, &resolved).await?;
                let value = SecretString::new(format!("Bearer {}", token.expose_secret()));
                headers.push((AUTHORIZATION, sensitive(value.expose_secret(), scheme)?));
            }
        }
    }
    if !cookies.is_empty() {
        let value = SecretString::new(cookies.join("; "));
        headers.push((COOKIE, sensitive(value.expose_secret(), "cookie")?));
    }
    Ok(headers)
}

/// A secret as a header value, marked sensitive so no log or HPACK table keeps it.
fn sensitive(secret: &str, scheme: &str) -> Result<HeaderValue, CredentialError> {
    let mut value = HeaderValue::try_from(secret).map_err(|_| {
        CredentialError::new(format!(
            "the secret of `{scheme}` is not a valid header value"
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A secret [`Credentials::pick`] found went missing: cannot happen, reported all the same.
fn missing(scheme: &str) -> CredentialError {
    CredentialError::new(format!("no secret for `{scheme}`"))
}
