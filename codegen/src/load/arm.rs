//! Azure Resource Manager conventions, recognised from the document itself: a spec whose server
//! is an ARM endpoint (`https://management.azure.com`, or the China or US Government cloud's)
//! gets, unless it says otherwise,
//!
//! - the ARM header conventions in `x-client` (the client request id sent and echoed, the
//!   request id and error code headers, `retry-after-ms`) and the token scope
//!   `{origin}/.default` of the cloud called, never the spec's `user_impersonation`;
//! - the three public ARM clouds as its servers, the declared one first (the default);
//! - its required `api-version` query parameter fixed to the document's own version
//!   (`info.version`), so it is a constant the client sends, not an argument: one file describes
//!   one version of the API;
//! - when it declares an OAuth2 scheme but no security requirement, that scheme required of
//!   every operation (ARM refuses calls without an Azure AD token).
//!
//! Each is a default: a key already in the spec's `x-client` (or put there by an overlay), a
//! server list of more than one entry, or an `api-version` that already admits one value wins.

use serde_json::{json, Map, Value};

use crate::diag::{join, Sink};

/// The ARM endpoints: host, and the server's description (which names its variant).
const CLOUDS: [(&str, &str); 3] = [
    ("management.azure.com", "Azure public cloud"),
    ("management.chinacloudapi.cn", "Azure China cloud"),
    ("management.usgovcloudapi.net", "Azure US Government cloud"),
];

/// The header conventions and token scope of ARM.
fn arm_client() -> Map<String, Value> {
    let value = json!({
        "token-scope": "{origin}/.default",
        "client-request-id-header": "x-ms-client-request-id",
        "request-id-header": "x-ms-request-id",
        "error-code-header": "x-ms-error-code",
        "retry-after-ms-headers": ["retry-after-ms", "x-ms-retry-after-ms"],
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Makes the ARM conventions explicit in an ARM spec (an OpenAPI 3.0 tree).
pub(super) fn conventions(doc: &mut Value, sink: &mut Sink<'_>) {
    let Some(cloud) = arm_cloud(doc) else {
        return;
    };
    client(doc, sink);
    servers(doc, cloud);
    api_version(doc);
    security(doc);
}

/// Every ARM call needs an Azure AD token: a spec that declares its OAuth2 scheme but no
/// requirement (Event Grid's) requires that scheme of every operation.
fn security(doc: &mut Value) {
    if doc.get("security").is_some() {
        return;
    }
    let Some(schemes) = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    else {
        return;
    };
    let oauth: Vec<(&String, &Value)> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("oauth2"))
        .collect();
    let [(name, scheme)] = oauth[..] else {
        return;
    };
    let scopes: Vec<Value> = scheme
        .get("flows")
        .and_then(Value::as_object)
        .and_then(|flows| flows.values().next())
        .and_then(|flow| flow.get("scopes"))
        .and_then(Value::as_object)
        .map(|s| s.keys().map(|k| json!(k)).collect())
        .unwrap_or_default();
    let requirement = json!([{ name.as_str(): scopes }]);
    if let Some(root) = doc.as_object_mut() {
        root.insert("security".into(), requirement);
    }
}

/// The index in [`CLOUDS`] of the document's first server, when it is an ARM endpoint.
fn arm_cloud(doc: &Value) -> Option<usize> {
    let url = doc.pointer("/servers/0/url")?.as_str()?;
    let host = url
        .strip_prefix("https://")?
        .trim_end_matches('/')
        .to_ascii_lowercase();
    CLOUDS.iter().position(|(h, _)| *h == host)
}

fn client(doc: &mut Value, sink: &mut Sink<'_>) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let entry = root
        .entry("x-client")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(client) = entry.as_object_mut() else {
        sink.error("/x-client", "`x-client` must be an object");
        return;
    };
    for (key, value) in arm_client() {
        client.entry(key).or_insert(value);
    }
}

/// One declared ARM server becomes the three clouds, the declared one first.
fn servers(doc: &mut Value, cloud: usize) {
    let Some(servers) = doc.get_mut("servers").and_then(Value::as_array_mut) else {
        return;
    };
    let bare = servers.len() == 1 && servers[0].get("description").is_none();
    if !bare {
        return;
    }
    let mut order: Vec<usize> = vec![cloud];
    order.extend((0..CLOUDS.len()).filter(|i| *i != cloud));
    *servers = order
        .into_iter()
        .map(|i| {
            let (host, description) = CLOUDS[i];
            json!({ "url": format!("https://{host}"), "description": description })
        })
        .collect();
}

/// Fixes every required `api-version` query parameter that admits any string to the document's
/// version.
fn api_version(doc: &mut Value) {
    let Some(version) = doc.pointer("/info/version").and_then(Value::as_str) else {
        return;
    };
    let version = version.to_owned();
    let mut places: Vec<String> = Vec::new();
    if let Some(params) = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
    {
        places.extend(params.keys().map(|k| join("/components/parameters", k)));
    }
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let item_at = join("/paths", path);
            let Some(item) = item.as_object() else {
                continue;
            };
            for (key, value) in item {
                let list_at = if key == "parameters" {
                    join(&item_at, "parameters")
                } else {
                    join(&join(&item_at, key), "parameters")
                };
                let list = if key == "parameters" {
                    Some(value)
                } else {
                    value.get("parameters")
                };
                let count = list.and_then(Value::as_array).map_or(0, Vec::len);
                places.extend((0..count).map(|i| join(&list_at, i)));
            }
        }
    }
    for place in places {
        if let Some(param) = doc.pointer_mut(&place) {
            fix_api_version(param, &version);
        }
    }
}

fn fix_api_version(param: &mut Value, version: &str) {
    let is_it = param.get("name").and_then(Value::as_str) == Some("api-version")
        && param.get("in").and_then(Value::as_str) == Some("query")
        && param.get("required").and_then(Value::as_bool) == Some(true);
    if !is_it {
        return;
    }
    let Some(schema) = param.get_mut("schema").and_then(Value::as_object_mut) else {
        return;
    };
    let open = schema.get("type").and_then(Value::as_str) == Some("string")
        && !schema.contains_key("enum")
        && !schema.contains_key("$ref");
    if open {
        schema.insert("enum".into(), json!([version]));
    }
}
