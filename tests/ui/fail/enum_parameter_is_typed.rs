use azure_keys::{search, Client};

async fn call(client: &Client) {
    // `keyKind` takes `AdminKeyKind`, not a string.
    let _ = search::admin_keys_regenerate(client, "sub", "rg", "svc", "primary").await;
}

fn main() {}
