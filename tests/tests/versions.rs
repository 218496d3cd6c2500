//! Several API versions of one service side by side (`specs/log_analytics/<version>.yaml`):
//! each version calls its own paths with its own api-version and constraints, the service's
//! root follows the newest stable version, and identical types are one type.

use azure_keys::log_analytics::{self, v2020_08_01, v2025_07_01};
use azure_keys::{Client, Error, StaticToken};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .credential(StaticToken::new("t"))
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn each_version_sends_its_own_api_version_and_path() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/subscriptions/sub/resourcegroups/rg1/providers/Microsoft.OperationalInsights/workspaces/workspace1/regenerateSharedKey"))
        .and(query_param("api-version", "2020-08-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"primarySharedKey": "old"})))
        .expect(1)
        .mount(&server)
        .await;
    // 2020-08-01 takes any subscription id (no uuid format yet).
    let keys = v2020_08_01::shared_keys_regenerate(&client, "sub", "rg1", "workspace1")
        .await
        .unwrap();
    assert_eq!(keys.primary_shared_key.unwrap().expose_secret(), "old");

    Mock::given(method("POST"))
        .and(path("/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg1/providers/Microsoft.OperationalInsights/workspaces/workspace1/regenerateSharedKey"))
        .and(query_param("api-version", "2025-07-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    v2025_07_01::shared_keys_regenerate(
        &client,
        "00000000-0000-0000-0000-000000000000",
        "rg1",
        "workspace1",
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn constraints_follow_the_version() {
    let (server, client) = setup().await;
    // The resource group pattern exists in 2020-08-01 only; the uuid format in 2025-07-01 only.
    let err = v2020_08_01::shared_keys_regenerate(&client, "sub", "rg/1", "workspace1")
        .await
        .expect_err("pattern");
    assert!(
        matches!(&err, Error::InvalidParameter(p) if p.parameter == "resourceGroupName"),
        "{err:?}"
    );
    let err = v2025_07_01::shared_keys_regenerate(&client, "sub", "rg1", "workspace1")
        .await
        .expect_err("uuid");
    assert!(
        matches!(&err, Error::InvalidParameter(p) if p.parameter == "subscriptionId"),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn the_root_follows_the_newest_stable_version() {
    assert_eq!(log_analytics::API_VERSION, "2025-07-01");
    assert_eq!(v2020_08_01::API_VERSION, "2020-08-01");
}

#[test]
fn identical_types_are_one_type() {
    // SharedKeys did not change between the versions: one type serves both.
    fn takes_new(_: &v2025_07_01::SharedKeys) {}
    takes_new(&v2020_08_01::SharedKeys::default());
    // Both versions answer errors with ARM's error body (the overlay gives them common-types
    // v5's): one type too. (A type that changed between versions is the generator's test:
    // codegen/tests/versions.rs.)
    assert_eq!(
        std::any::TypeId::of::<v2020_08_01::ErrorResponse>(),
        std::any::TypeId::of::<v2025_07_01::ErrorResponse>()
    );
    assert_eq!(
        std::any::TypeId::of::<v2020_08_01::ErrorDetail>(),
        std::any::TypeId::of::<log_analytics::ErrorDetail>()
    );
}
