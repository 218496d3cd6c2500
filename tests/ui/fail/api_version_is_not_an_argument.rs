use azure_keys::{log_analytics, Client};

async fn call(client: &Client) {
    // The API version is a constant of the module, never an argument.
    let _ = log_analytics::shared_keys_regenerate(client, "sub", "rg", "ws", "2025-07-01").await;
}

fn main() {}
