//! Two generated crates that depend on the runtime crate (`runtime = { path = ... }` in their
//! project files) take one `Client` value: one connection pool, one set of credentials and
//! token cache, one retry policy, over HTTP on loopback.

use azure_keys::{log_analytics, Client, StaticToken};
use fixture_clients::swagger2_petstore;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn one_client_calls_two_generated_crates() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"primarySharedKey": "k"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/7"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": 7, "name": "Rex", "petType": "Dog"})),
        )
        .mount(&server)
        .await;

    // Built once, from either crate's re-export: they are the same type.
    let client: Client = fixture_clients::Client::builder()
        .base_url(server.uri())
        .credential(StaticToken::new("test-token"))
        .api_key(swagger2_petstore::SecuritySchemes::KEY, "pet-key")
        .build()
        .unwrap();

    let keys = log_analytics::shared_keys_regenerate(
        &client,
        "00000000-0000-0000-0000-000000000000",
        "rg1",
        "workspace1",
    )
    .await
    .unwrap();
    assert_eq!(
        keys.primary_shared_key.as_ref().map(|k| k.expose_secret()),
        Some("k")
    );
    let pet = swagger2_petstore::get_pet(&client, 7).await.unwrap();
    assert!(
        matches!(pet, swagger2_petstore::PetUnion::Dog(_)),
        "{pet:?}"
    );

    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2);
    // Each request says which generated crate sent it, and carries its own scheme's secret.
    let agent = |i: usize| sent[i].headers["user-agent"].to_str().unwrap().to_owned();
    assert!(agent(0).starts_with("azure-keys/"), "{}", agent(0));
    assert_eq!(sent[0].headers["authorization"], "Bearer test-token");
    assert!(agent(1).starts_with("fixture-clients/"), "{}", agent(1));
    assert_eq!(sent[1].headers["x-api-key"], "pet-key");
}
