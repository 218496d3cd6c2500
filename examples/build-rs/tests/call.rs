//! The generated function, called over HTTP on loopback through the crate's own code.

use build_rs_example::{pet_name, pets, Client, Error};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_generated_client_is_called() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/7"))
        .and(header("x-api-key", "k"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 7, "name": "Rex"})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(pets::SecuritySchemes::API_KEY, "k")
        .build()
        .unwrap();
    assert_eq!(pet_name(&client, 7).await.unwrap(), "Rex");
    // The spec's constraint is checked before sending.
    let err = pet_name(&client, 0).await.unwrap_err();
    assert!(matches!(err, Error::InvalidParameter(_)), "{err}");
    // The overlay's title, the selection: only `getPetById` was generated.
    assert_eq!(pets::API_VERSION, "1.0.0");
}
