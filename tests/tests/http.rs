//! End to end over real HTTP on loopback: each operation against a wiremock server, checking the
//! exact request sent and the decoding of the response.

use azure_keys::{event_grid, log_analytics, logic_apps, search};
use azure_keys::{Client, Error, ErrorBody, RetryPolicy, StaticToken};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SUB: &str = "00000000-0000-0000-0000-000000000000";

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .credential(StaticToken::new("test-token"))
        .retry_policy(fast_retries())
        .build()
        .expect("client");
    (server, client)
}

/// Retries as in production, with millisecond waits.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        initial_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

async fn assert_nothing_sent(server: &MockServer) {
    let received = server.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "a request was sent: {received:?}");
}

#[tokio::test]
async fn shared_keys_regenerate_sends_the_documented_request_and_decodes_keys() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/subscriptions/{SUB}/resourcegroups/rg1/providers/Microsoft.OperationalInsights/workspaces/workspace1/regenerateSharedKey"
        )))
        .and(query_param("api-version", "2025-07-01"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "primarySharedKey": "<primarySharedKey>",
            "secondarySharedKey": "<secondarySharedKey>"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let keys = log_analytics::shared_keys_regenerate(&client, SUB, "rg1", "workspace1")
        .await
        .expect("success");
    assert_eq!(
        keys.primary_shared_key.as_ref().map(|k| k.expose_secret()),
        Some("<primarySharedKey>")
    );
    assert_eq!(
        keys.secondary_shared_key
            .as_ref()
            .map(|k| k.expose_secret()),
        Some("<secondarySharedKey>")
    );
    let debug = format!("{keys:?}");
    assert!(
        !debug.contains("SharedKey>"),
        "keys leak through Debug: {debug}"
    );

    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.query(), Some("api-version=2025-07-01"));
    assert!(request.body.is_empty(), "no body is sent");
}

#[tokio::test]
async fn shared_keys_error_status_decodes_the_typed_error() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {
                "code": "ResourceNotFound",
                "message": "The workspace was not found.",
                "details": [{"code": "Inner", "additionalInfo": [{"type": "t", "info": {"a": 1}}]}]
            }
        })))
        .mount(&server)
        .await;

    let err = log_analytics::shared_keys_regenerate(&client, SUB, "rg1", "workspace1")
        .await
        .expect_err("404");
    let Error::Service(service) = err else {
        panic!("expected a service error, got {err:?}")
    };
    assert_eq!(service.status.as_u16(), 404);
    let ErrorBody::Typed(body) = service.body else {
        panic!("expected a typed body")
    };
    let detail = body.error.expect("error detail");
    assert_eq!(detail.code.as_deref(), Some("ResourceNotFound"));
    let inner = &detail.details.expect("details")[0];
    assert_eq!(inner.code.as_deref(), Some("Inner"));
    let info = &inner.additional_info.as_ref().expect("info")[0];
    assert_eq!(info.info, Some(json!({"a": 1})));
}

#[tokio::test]
async fn non_json_error_body_falls_back_to_raw_text() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"))
        .mount(&server)
        .await;
    let err = log_analytics::shared_keys_regenerate(&client, SUB, "rg1", "workspace1")
        .await
        .expect_err("502");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    match err {
        Error::Service(s) => assert_eq!(s.body, ErrorBody::Raw("<html>Bad gateway</html>".into())),
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn undecodable_success_body_is_an_unexpected_response() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"primarySharedKey\": 12"))
        .mount(&server)
        .await;
    let err = log_analytics::shared_keys_regenerate(&client, SUB, "rg1", "workspace1")
        .await
        .expect_err("truncated JSON");
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err:?}");
}

#[tokio::test]
async fn undeclared_success_status_is_an_unexpected_response() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let err = log_analytics::shared_keys_regenerate(&client, SUB, "rg1", "workspace1")
        .await
        .expect_err("202 is not in the spec");
    assert!(
        matches!(err, Error::UnexpectedResponse(ref u) if u.status.map(|s| s.as_u16()) == Some(202)),
        "{err:?}"
    );
}

#[tokio::test]
async fn shared_keys_invalid_parameters_are_rejected_before_sending() {
    let (server, client) = setup().await;
    let cases: [(&str, &str, &str, &str, &str); 6] = [
        (
            "not-a-uuid",
            "rg1",
            "workspace1",
            "subscriptionId",
            "format uuid",
        ),
        (SUB, "", "workspace1", "resourceGroupName", "minLength 1"),
        (
            SUB,
            &"r".repeat(91),
            "workspace1",
            "resourceGroupName",
            "maxLength 90",
        ),
        (SUB, "rg1", "abc", "workspaceName", "minLength 4"),
        (SUB, "rg1", &"w".repeat(64), "workspaceName", "maxLength 63"),
        (
            SUB,
            "rg1",
            "-workspace",
            "workspaceName",
            "pattern ^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$",
        ),
    ];
    for (sub, rg, ws, parameter, constraint) in cases {
        let err = log_analytics::shared_keys_regenerate(&client, sub, rg, ws)
            .await
            .expect_err("invalid");
        let Error::InvalidParameter(invalid) = &err else {
            panic!("expected an invalid parameter, got {err:?}")
        };
        assert_eq!(invalid.parameter, parameter);
        assert_eq!(invalid.constraint, constraint);
        let message = err.to_string();
        assert!(
            message.contains(parameter) && message.contains(constraint),
            "{message}"
        );
    }
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn path_parameters_stay_one_segment() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    for (rg, encoded) in [
        ("a/../b", "a%2F..%2Fb"),
        ("x?y", "x%3Fy"),
        ("x#y", "x%23y"),
        ("100%", "100%25"),
        ("a b", "a%20b"),
        ("é", "%C3%A9"),
    ] {
        logic_apps::workflows_regenerate_access_key(
            &client,
            SUB,
            rg,
            "site",
            "flow",
            &logic_apps::RegenerateActionParameter::default(),
        )
        .await
        .expect("200");
        let requests = server.received_requests().await.unwrap();
        let sent = requests.last().unwrap();
        let expected = format!(
            "/subscriptions/{SUB}/resourceGroups/{encoded}/providers/Microsoft.Web/sites/site/hostruntime/runtime/webhooks/workflow/api/management/workflows/flow/regenerateAccessKey"
        );
        assert_eq!(sent.url.path(), expected, "resource group {rg:?}");
        assert_eq!(sent.url.query(), Some("api-version=2025-05-01"));
    }
}

#[tokio::test]
async fn dot_segments_are_refused() {
    let (server, client) = setup().await;
    for name in ["..", "."] {
        let err = logic_apps::workflows_regenerate_access_key(
            &client,
            SUB,
            "rg",
            name,
            "flow",
            &logic_apps::RegenerateActionParameter::default(),
        )
        .await
        .expect_err("dot segment");
        assert!(
            matches!(&err, Error::InvalidParameter(p) if p.parameter == "name"),
            "{err:?}"
        );
    }
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn workflows_regenerate_access_key_sends_the_body_and_returns_unit() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(
            "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/testResourceGroup/providers/Microsoft.Web/sites/test-name/hostruntime/runtime/webhooks/workflow/api/management/workflows/testWorkflowName/regenerateAccessKey",
        ))
        .and(query_param("api-version", "2025-05-01"))
        .and(header("authorization", "Bearer test-token"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"keyType": "Primary"})))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let body = logic_apps::RegenerateActionParameter {
        key_type: Some(logic_apps::KeyType::Primary),
    };
    let (): () = logic_apps::workflows_regenerate_access_key(
        &client,
        "34adfa4f-cedf-4dc0-ba29-b6d1a69ab345",
        "testResourceGroup",
        "test-name",
        "testWorkflowName",
        &body,
    )
    .await
    .expect("success");
}

#[tokio::test]
async fn workflows_error_uses_the_logic_error_shape() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {"code": "InvalidKeyType", "message": "bad key type"}
        })))
        .mount(&server)
        .await;
    let err = logic_apps::workflows_regenerate_access_key(
        &client,
        SUB,
        "rg",
        "site",
        "flow",
        &logic_apps::RegenerateActionParameter::default(),
    )
    .await
    .expect_err("400");
    let Error::Service(service) = err else {
        panic!("{err:?}")
    };
    let ErrorBody::Typed(logic_apps::ErrorResponse { error: Some(props) }) = service.body else {
        panic!("typed body expected")
    };
    assert_eq!(props.code.as_deref(), Some("InvalidKeyType"));
    assert_eq!(props.message.as_deref(), Some("bad key type"));
}

#[tokio::test]
async fn unknown_enum_values_in_a_body_are_refused_unless_checks_are_off() {
    let (server, client) = setup().await;
    let body = logic_apps::RegenerateActionParameter {
        key_type: Some(logic_apps::KeyType::from("Tertiary")),
    };
    let err =
        logic_apps::workflows_regenerate_access_key(&client, SUB, "rg", "site", "flow", &body)
            .await
            .expect_err("Tertiary is not in the spec");
    let Error::InvalidParameter(invalid) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(invalid.parameter, "RegenerateActionParameter.keyType");
    assert_eq!(invalid.value, "Tertiary");
    assert_nothing_sent(&server).await;

    // A service that already accepts a newer value: the caller switches the checks off.
    Mock::given(method("POST"))
        .and(body_json(json!({"keyType": "Tertiary"})))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let relaxed = Client::builder()
        .base_url(server.uri())
        .credential(StaticToken::new("test-token"))
        .validate_parameters(false)
        .build()
        .unwrap();
    logic_apps::workflows_regenerate_access_key(&relaxed, SUB, "rg", "site", "flow", &body)
        .await
        .expect("sent as written");
}

#[tokio::test]
async fn admin_keys_regenerate_sends_path_enum_and_header() {
    let (server, client) = setup().await;
    let request_id = "6c2a3e38-5a3c-4c6e-9c8f-3c5d7e2f1a0b";
    Mock::given(method("POST"))
        .and(path(
            "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Search/searchServices/mysearchservice/regenerateAdminKey/primary",
        ))
        .and(query_param("api-version", "2024-03-01-preview"))
        .and(header("x-ms-client-request-id", request_id))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "primaryKey": "<your primary admin API key>",
            "secondaryKey": "<your secondary admin API key>"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let keys = search::admin_keys_regenerate(
        &client,
        "subid",
        "rg1",
        "mysearchservice",
        search::AdminKeyKind::Primary,
    )
    .client_request_id(request_id)
    .await
    .expect("success");
    assert_eq!(
        keys.primary_key.as_ref().map(|k| k.expose_secret()),
        Some("<your primary admin API key>")
    );
    assert!(!format!("{keys:?}").contains("admin API key"));
}

#[tokio::test]
async fn admin_keys_header_is_omitted_when_not_given() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(
            "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Search/searchServices/mysearchservice/regenerateAdminKey/secondary",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let keys = search::admin_keys_regenerate(
        &client,
        "subid",
        "rg1",
        "mysearchservice",
        search::AdminKeyKind::Secondary,
    )
    .await
    .expect("success");
    assert!(keys.primary_key.is_none());
    let sent = &server.received_requests().await.unwrap()[0];
    let id = sent.headers["x-ms-client-request-id"].to_str().unwrap();
    assert_eq!(
        id.len(),
        36,
        "a fresh UUID is sent when the caller gives none: {id}"
    );
}

#[tokio::test]
async fn admin_keys_rejects_lookahead_pattern_violations_unknown_kinds_and_bad_uuids() {
    let (server, client) = setup().await;
    let long = "a".repeat(61);
    let cases = [
        (
            "a",
            search::AdminKeyKind::Primary,
            None,
            "searchServiceName",
        ),
        (
            long.as_str(),
            search::AdminKeyKind::Primary,
            None,
            "searchServiceName",
        ),
        (
            "Upper",
            search::AdminKeyKind::Primary,
            None,
            "searchServiceName",
        ),
        (
            "ends-",
            search::AdminKeyKind::Primary,
            None,
            "searchServiceName",
        ),
        (
            "ok-name",
            search::AdminKeyKind::from("tertiary"),
            None,
            "keyKind",
        ),
        (
            "ok-name",
            search::AdminKeyKind::Primary,
            Some("nope"),
            "x-ms-client-request-id",
        ),
    ];
    for (name, kind, request_id, parameter) in cases {
        let mut call = search::admin_keys_regenerate(&client, "subid", "rg1", name, kind);
        if let Some(id) = request_id {
            call = call.client_request_id(id);
        }
        let err = call.await.expect_err("invalid");
        assert!(
            matches!(&err, Error::InvalidParameter(p) if p.parameter == parameter),
            "{name}: {err:?}"
        );
    }
    assert_nothing_sent(&server).await;

    // 60 characters is the longest valid name; 2 the shortest.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(2)
        .mount(&server)
        .await;
    for name in ["a".repeat(60), "ab".to_owned()] {
        search::admin_keys_regenerate(
            &client,
            "subid",
            "rg1",
            &name,
            search::AdminKeyKind::Primary,
        )
        .await
        .expect("valid name");
    }
}

#[tokio::test]
async fn search_errors_decode_as_cloud_error() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "error": {"code": "SubscriptionDisabled", "message": "disabled", "details": [{"code": "x"}]},
            "message": "The specified subscription is disabled."
        })))
        .mount(&server)
        .await;
    let err = search::admin_keys_regenerate(
        &client,
        "subid",
        "rg1",
        "svc1",
        search::AdminKeyKind::Primary,
    )
    .await
    .expect_err("409");
    let Error::Service(service) = err else {
        panic!("{err:?}")
    };
    assert_eq!(service.status.as_u16(), 409);
    let ErrorBody::Typed(cloud) = service.body else {
        panic!("typed")
    };
    assert_eq!(
        cloud.message.as_deref(),
        Some("The specified subscription is disabled.")
    );
    assert_eq!(
        cloud.error.unwrap().details.unwrap()[0].code.as_deref(),
        Some("x")
    );
}

#[tokio::test]
async fn partner_namespaces_regenerate_key_sends_key_name_and_decodes_keys() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(
            "/subscriptions/5b4b650e-28b9-4790-b3ab-ddbd88d727c4/resourceGroups/examplerg/providers/Microsoft.EventGrid/partnerNamespaces/examplePartnerNamespaceName1/regenerateKey",
        ))
        .and(query_param("api-version", "2025-02-15"))
        .and(header("content-type", "application/json"))
        .and(header("authorization", "Bearer test-token"))
        .and(body_json(json!({"keyName": "key1"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "key1": "testKey1Value",
            "key2": "testKey2Value"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let keys = event_grid::partner_namespaces_regenerate_key(
        &client,
        "5b4b650e-28b9-4790-b3ab-ddbd88d727c4",
        "examplerg",
        "examplePartnerNamespaceName1",
        &event_grid::PartnerNamespaceRegenerateKeyRequest {
            key_name: "key1".to_owned(),
        },
    )
    .await
    .expect("success");
    assert_eq!(
        keys.key1.as_ref().map(|k| k.expose_secret()),
        Some("testKey1Value")
    );
    assert_eq!(
        keys.key2.as_ref().map(|k| k.expose_secret()),
        Some("testKey2Value")
    );
    assert!(!format!("{keys:?}").contains("testKey"));
}

#[tokio::test]
async fn a_missing_credential_is_an_error_not_an_anonymous_call() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let err = log_analytics::shared_keys_regenerate(&client, SUB, "rg1", "workspace1")
        .await
        .expect_err("no credential");
    assert!(matches!(err, Error::MissingCredentials(_)), "{err:?}");
    assert!(
        err.to_string()
            .ends_with("needs `azure_auth` (ClientBuilder::bearer_token or credential)"),
        "{err}"
    );
    assert_nothing_sent(&server).await;
}

#[test]
fn base_urls_are_checked() {
    for bad in [
        "not a url",
        "ftp://example.com",
        "https://example.com/?q=1",
        "mailto:a@b",
    ] {
        assert!(Client::builder().base_url(bad).build().is_err(), "{bad}");
    }
    let client = Client::builder()
        .base_url("https://example.com/proxy/")
        .build()
        .unwrap();
    assert_eq!(
        client.base_url().map(|u| u.as_str()),
        Some("https://example.com/proxy/")
    );
}

#[test]
fn the_token_is_redacted_in_debug() {
    let token = StaticToken::new("super-secret");
    assert!(!format!("{token:?}").contains("super-secret"));
    let client = Client::new(token).unwrap();
    assert!(!format!("{client:?}").contains("super-secret"));
}
