use azure_keys::{event_grid, logic_apps, Client};

async fn call(client: &Client) {
    let body = event_grid::PartnerNamespaceRegenerateKeyRequest {
        key_name: "key1".into(),
    };
    let _ = logic_apps::workflows_regenerate_access_key(client, "sub", "rg", "site", "flow", &body)
        .await;
}

fn main() {}
