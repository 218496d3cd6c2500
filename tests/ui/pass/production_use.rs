// The README's "Production use" example: it must compile.
use azure_keys::{log_analytics::Server, Client, RetryPolicy};
use std::{sync::Arc, time::Duration};

fn build(
    credential: Arc<dyn azure_core::credentials::TokenCredential>,
) -> Result<Client, azure_keys::BuildError> {
    Client::builder()
        .base_url(Server::AzureChinaCloud.url())
        .azure_credential(credential)
        .retry_policy(RetryPolicy::default())
        .timeout(Duration::from_secs(30))
        .total_timeout(Duration::from_secs(120))
        .build()
}

fn main() {
    let _ = build;
}
