//! Any `azure_core` `TokenCredential` (`azure_identity`'s `DeveloperToolsCredential`,
//! `ClientSecretCredential`, `ManagedIdentityCredential`, ...) as a credential of this client.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::{AccessToken, BoxFuture, CredentialError, TokenCredential};

/// Adapts an `azure_core` credential. Tokens are cached by the client, so the credential is
/// asked again only shortly before a token expires.
#[derive(Clone, Debug)]
pub struct AzureCoreCredential(Arc<dyn azure_core::credentials::TokenCredential>);

impl AzureCoreCredential {
    /// Wraps `credential`.
    pub fn new(credential: Arc<dyn azure_core::credentials::TokenCredential>) -> Self {
        Self(credential)
    }
}

impl TokenCredential for AzureCoreCredential {
    fn get_token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, CredentialError>> {
        Box::pin(async move {
            let token = self
                .0
                .get_token(scopes, None)
                .await
                .map_err(|e| CredentialError::with_source("azure_core credential failed", e))?;
            let seconds = token.expires_on.unix_timestamp();
            let expires_at = u64::try_from(seconds)
                .ok()
                .and_then(|s| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(s)));
            Ok(AccessToken {
                token: token.token.secret().to_owned().into(),
                expires_at,
            })
        })
    }
}

impl super::ClientBuilder {
    /// Authenticates with an `azure_core` credential, as Azure's own clients do.
    pub fn azure_credential(
        self,
        credential: Arc<dyn azure_core::credentials::TokenCredential>,
    ) -> Self {
        self.credential(AzureCoreCredential::new(credential))
    }
}
