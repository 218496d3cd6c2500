//! The seed pages' examples, decoded into the generated models and encoded back unchanged. The
//! examples come from the pages' transcriptions in `codegen/tests/seeds/` (Azure's own files in
//! `specs/` keep theirs in example files this repository does not vendor).

use azure_keys::{event_grid, log_analytics, logic_apps, search};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// The example values of a media type in `codegen/tests/seeds/<file>` at the given JSON pointer.
fn examples(file: &str, pointer: &str) -> Vec<Value> {
    let path = format!(
        "{}/../codegen/tests/seeds/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let media = doc
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{path}: no {pointer}"));
    let mut out: Vec<Value> = media.get("example").cloned().into_iter().collect();
    if let Some(Value::Object(named)) = media.get("examples") {
        out.extend(named.values().filter_map(|e| e.get("value").cloned()));
    }
    assert!(!out.is_empty(), "{path}{pointer} has no example");
    out
}

fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).expect("the example decodes");
    assert_eq!(
        &serde_json::to_value(&typed).unwrap(),
        value,
        "round trip changed the example"
    );
    typed
}

const OK: &str = "/responses/200/content/application~1json";
const BODY: &str = "/requestBody/content/application~1json";

fn op(path: &str) -> String {
    format!("/paths/{}/post", path.replace('~', "~0").replace('/', "~1"))
}

#[test]
fn log_analytics_sample_response() {
    let p = op("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}/regenerateSharedKey");
    for example in examples("log_analytics/2025-07-01.yaml", &format!("{p}{OK}")) {
        let keys: log_analytics::SharedKeys = round_trip(&example);
        assert_eq!(
            keys.primary_shared_key.unwrap().expose_secret(),
            "<primarySharedKey>"
        );
    }
}

#[test]
fn logic_apps_sample_request() {
    let p = op("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Web/sites/{name}/hostruntime/runtime/webhooks/workflow/api/management/workflows/{workflowName}/regenerateAccessKey");
    for example in examples("logic_apps.yaml", &format!("{p}{BODY}")) {
        let body: logic_apps::RegenerateActionParameter = round_trip(&example);
        assert_eq!(body.key_type, Some(logic_apps::KeyType::Primary));
    }
}

#[test]
fn search_sample_response() {
    let p = op("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Search/searchServices/{searchServiceName}/regenerateAdminKey/{keyKind}");
    for example in examples("search.yaml", &format!("{p}{OK}")) {
        let keys: search::AdminKeyResult = round_trip(&example);
        assert_eq!(
            keys.secondary_key.unwrap().expose_secret(),
            "<your secondary admin API key>"
        );
    }
}

#[test]
fn event_grid_samples() {
    let p = op("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.EventGrid/partnerNamespaces/{partnerNamespaceName}/regenerateKey");
    for example in examples("event_grid.yaml", &format!("{p}{BODY}")) {
        let body: event_grid::PartnerNamespaceRegenerateKeyRequest = round_trip(&example);
        assert_eq!(body.key_name, "key1");
    }
    for example in examples("event_grid.yaml", &format!("{p}{OK}")) {
        let keys: event_grid::PartnerNamespaceSharedAccessKeys = round_trip(&example);
        assert_eq!(keys.key2.unwrap().expose_secret(), "testKey2Value");
    }
}

#[test]
fn enums_map_to_exact_wire_strings_and_keep_unknown_values() {
    assert_eq!(
        json!(logic_apps::KeyType::NotSpecified),
        json!("NotSpecified")
    );
    assert_eq!(json!(search::AdminKeyKind::Secondary), json!("secondary"));
    let newer: logic_apps::KeyType = serde_json::from_value(json!("Tertiary")).unwrap();
    assert_eq!(newer, logic_apps::KeyType::Unknown("Tertiary".into()));
    assert!(!newer.is_known());
    assert_eq!(json!(newer), json!("Tertiary"), "unknown values round trip");
    // Wire strings are case sensitive: `Primary` is not the Search enum's `primary`.
    assert!(!search::AdminKeyKind::from("Primary").is_known());
    assert_eq!(search::AdminKeyKind::Primary.to_string(), "primary");
}

#[test]
fn required_fields_are_required_and_optional_ones_are_omitted() {
    let missing =
        serde_json::from_value::<event_grid::PartnerNamespaceRegenerateKeyRequest>(json!({}));
    assert!(missing.is_err(), "keyName is required");
    let empty = logic_apps::RegenerateActionParameter::default();
    assert_eq!(serde_json::to_value(&empty).unwrap(), json!({}));
}

#[test]
fn recursive_error_details_decode() {
    let value =
        json!({"error": {"code": "a", "details": [{"code": "b", "details": [{"code": "c"}]}]}});
    let err: event_grid::ErrorResponse = round_trip(&value);
    let nested = &err.error.unwrap().details.unwrap()[0]
        .details
        .clone()
        .unwrap()[0];
    assert_eq!(nested.code.as_deref(), Some("c"));
}
