// Every operation and model of the generated crate, with the types a user writes. Each call is
// made with one invalid parameter, so it runs without a network and fails before sending.
use azure_keys::{event_grid, log_analytics, logic_apps, search};
use azure_keys::{Client, Error, StaticToken};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = Client::new(StaticToken::new("token")).expect("client");
    let sub = "00000000-0000-0000-0000-000000000000";

    let r: Result<log_analytics::SharedKeys, Error<log_analytics::ErrorResponse>> =
        log_analytics::shared_keys_regenerate(&client, "bad", "rg", "workspace1").await;
    assert!(matches!(r, Err(Error::InvalidParameter(_))));

    let body = logic_apps::RegenerateActionParameter {
        key_type: Some(logic_apps::KeyType::Secondary),
    };
    let r: Result<(), Error<logic_apps::ErrorResponse>> =
        logic_apps::workflows_regenerate_access_key(&client, "bad", "rg", "site", "flow", &body)
            .await;
    assert!(matches!(r, Err(Error::InvalidParameter(_))));

    let r: Result<search::AdminKeyResult, Error<search::CloudError>> =
        search::admin_keys_regenerate(
            &client,
            sub,
            "rg",
            "-",
            search::AdminKeyKind::Primary,
        )
        .client_request_id("6c2a3e38-5a3c-4c6e-9c8f-3c5d7e2f1a0b")
        .await;
    assert!(matches!(r, Err(Error::InvalidParameter(_))));

    let body = event_grid::PartnerNamespaceRegenerateKeyRequest {
        key_name: "key1".to_owned(),
    };
    let r: Result<event_grid::PartnerNamespaceSharedAccessKeys, Error<event_grid::ErrorResponse>> =
        event_grid::partner_namespaces_regenerate_key(&client, sub, "..", "ns", &body).await;
    assert!(matches!(r, Err(Error::InvalidParameter(_))));

    // Models are plain data.
    let _ = log_analytics::ErrorResponse {
        error: Some(log_analytics::ErrorDetail {
            code: Some("c".into()),
            message: None,
            target: None,
            details: Some(vec![]),
            additional_info: Some(vec![log_analytics::ErrorAdditionalInfo {
                r#type: Some("t".into()),
                info: Some(serde_json::json!({})),
            }]),
        }),
    };
    let _ = search::CloudError {
        error: Some(search::CloudErrorBody::default()),
        message: None,
    };
    let _ = logic_apps::ErrorResponse {
        error: Some(logic_apps::ErrorProperties::default()),
    };
    let _ = event_grid::ErrorResponse::default();
    let _: &str = logic_apps::KeyType::NotSpecified.as_str();
    let _: &str = log_analytics::API_VERSION;
}
