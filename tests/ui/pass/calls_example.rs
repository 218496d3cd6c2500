// The README's "Calling an operation" call with options, in substance: it must compile.
use std::time::Duration;

use azure_keys::search::{self, AdminKeyKind};
use azure_keys::{Client, Error};

async fn calls(client: &Client) -> Result<(), Error<search::CloudError>> {
    let keys = search::admin_keys_regenerate(client, "sub", "rg1", "svc", AdminKeyKind::Primary)
        .client_request_id("6c2a3e38-5a3c-4c6e-9c8f-3c5d7e2f1a0b")
        .timeout(Duration::from_secs(10))
        .header("x-ms-correlation-request-id", "c-42")
        .await?;
    let _primary = keys.primary_key;
    let response = search::admin_keys_regenerate(client, "sub", "rg1", "svc", AdminKeyKind::Secondary)
        .send_with_response()
        .await?;
    println!("{} {:?}", response.status(), response.headers().get("x-ms-request-id"));
    let _keys: search::AdminKeyResult = response.into_value();
    Ok(())
}

fn main() {
    let _ = calls;
}
