//! Response bodies over real HTTP: array items and map values that may be `null` (`nullable` on
//! `items` and `additionalProperties`).

use fixture_clients::odd_names::{self, Cat, Sparse, SparseLabels};
use fixture_clients::{Client, Error};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `odd_names::sparse` against a server answering `body`.
async fn sparse(body: serde_json::Value) -> Result<Sparse, Error<serde_json::Value>> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .build()
        .unwrap();
    odd_names::sparse(&client).await
}

#[tokio::test]
async fn nullable_items_and_map_values_decode_as_options() {
    let sparse = sparse(json!({
        "names": ["a", null, "c"],
        "scores": {"a": null, "b": 2},
        "cats": [null, {"meows": true}],
        "labels": {"main": "m", "gone": null, "kept": "k"}
    }))
    .await
    .expect("decodes");
    assert_eq!(
        sparse.names,
        [Some("a".to_owned()), None, Some("c".to_owned())]
    );
    let scores = sparse.scores.expect("scores");
    assert_eq!(scores.get("a"), Some(&None));
    assert_eq!(scores.get("b"), Some(&Some(2)));
    assert_eq!(sparse.cats, Some(vec![None, Some(Cat { meows: true })]));
    let SparseLabels {
        main,
        additional_properties,
    } = sparse.labels.expect("labels");
    assert_eq!(main.as_deref(), Some("m"));
    assert_eq!(additional_properties.get("gone"), Some(&None));
    assert_eq!(
        additional_properties.get("kept"),
        Some(&Some("k".to_owned()))
    );
}
