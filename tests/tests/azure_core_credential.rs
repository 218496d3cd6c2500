//! Feature `azure_core`: any `azure_core` `TokenCredential` authenticates the generated client,
//! asked for `{endpoint}/.default` and reused until shortly before it expires.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::time::{Duration, OffsetDateTime};
use azure_keys::{log_analytics, Client};
use serde_json::json;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Stands in for `azure_identity`'s credentials: same trait, counted calls.
#[derive(Debug, Default)]
struct FakeIdentity {
    calls: AtomicUsize,
    scopes: Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl TokenCredential for FakeIdentity {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.scopes
            .lock()
            .unwrap()
            .extend(scopes.iter().map(|s| s.to_string()));
        Ok(AccessToken::new(
            "entra-token",
            OffsetDateTime::now_utc() + Duration::hours(1),
        ))
    }
}

#[tokio::test]
async fn an_azure_core_credential_authenticates_and_is_cached() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer entra-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(3)
        .mount(&server)
        .await;
    let identity = Arc::new(FakeIdentity::default());
    let client = Client::builder()
        .base_url(server.uri())
        // Requests go to the mock; the token is for public Azure Resource Manager.
        .token_audience(log_analytics::Server::AzurePublicCloud.url())
        .azure_credential(identity.clone())
        .build()
        .unwrap();
    for _ in 0..3 {
        log_analytics::shared_keys_regenerate(
            &client,
            "00000000-0000-0000-0000-000000000000",
            "rg1",
            "workspace1",
        )
        .await
        .unwrap();
    }
    assert_eq!(
        identity.calls.load(Ordering::SeqCst),
        1,
        "the token is reused"
    );
    assert_eq!(
        identity.scopes.lock().unwrap().clone(),
        vec!["https://management.azure.com/.default".to_owned()],
        "the scope is the endpoint's .default, never `user_impersonation`"
    );
}
