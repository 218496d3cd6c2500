use azure_keys::{log_analytics, Client};

async fn call(client: &Client) {
    // The workspace name is missing.
    let _ = log_analytics::shared_keys_regenerate(client, "sub", "rg").await;
}

fn main() {}
