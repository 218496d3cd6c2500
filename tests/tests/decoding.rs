//! Response bodies over real HTTP: array items and map values that may be `null` (`nullable` on
//! `items` and `additionalProperties`), and decode errors that say where in the body they are.

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

/// The reason of the `UnexpectedResponse` a body decodes to.
async fn decode_error(body: serde_json::Value) -> String {
    match sparse(body).await {
        Err(Error::UnexpectedResponse(e)) => e.reason,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn decode_errors_name_the_json_path_of_the_value() {
    let reason = decode_error(json!({"names": ["a", 1]})).await;
    assert!(
        reason.starts_with("the body does not decode: names[1]: invalid type: integer `1`"),
        "{reason}"
    );
    // A missing field is reported at the object that lacks it.
    let reason = decode_error(json!({"names": [], "cats": [null, {"purrs": true}]})).await;
    assert!(
        reason.starts_with("the body does not decode: cats[1]: missing field `meows`"),
        "{reason}"
    );
    let reason = decode_error(json!({"names": [], "scores": {"a": 1, "b": "two"}})).await;
    assert!(
        reason.starts_with("the body does not decode: scores.b: invalid type: string \"two\""),
        "{reason}"
    );
    // Beside fixed properties, the remainder is serde's `flatten`, which buffers the object:
    // the path stops at it.
    let reason = decode_error(json!({"names": [], "labels": {"main": "m", "x": 3}})).await;
    assert!(
        reason.starts_with("the body does not decode: labels: invalid type: integer `3`"),
        "{reason}"
    );
    // The body as a whole: no path.
    let reason = decode_error(json!({})).await;
    assert!(
        reason.starts_with("the body does not decode: missing field `names`"),
        "{reason}"
    );
}
