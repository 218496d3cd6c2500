//! Drives every generated operation against an independent implementation of the contract:
//! Stoplight Prism as a validating mock server, one per spec. Run through
//! `cargo xtask conformance`, which starts the servers and sets `CONFORMANCE_URLS`
//! (`module=url,module=url`).
//!
//! Valid calls must be accepted by Prism and its responses decoded. Invalid calls must be refused
//! by the client before anything is sent, and Prism must refuse the same call when the client's
//! checks are switched off (proving the client refuses what the contract refuses). The security
//! fixture (`tests/fixtures/specs/security.yaml`) goes through both ways too: with its secrets
//! accepted, without them refused by the client and, sent by hand, by Prism (HTTP 401).

use std::collections::HashMap;
use std::fmt::Debug;
use std::process::ExitCode;

use azure_keys::{event_grid, log_analytics, logic_apps, search};
use azure_keys::{Client, Error, RetryPolicy, StaticToken};

struct Row {
    operation: &'static str,
    case: String,
    expected: &'static str,
    outcome: String,
    pass: bool,
}

struct Clients {
    strict: Client,
    relaxed: Client,
}

fn clients(url: &str) -> Clients {
    let build = |validate: bool| {
        Client::builder()
            .base_url(url)
            .credential(StaticToken::new("conformance-token"))
            .retry_policy(RetryPolicy::none())
            .validate_parameters(validate)
            .build()
            .expect("client")
    };
    Clients {
        strict: build(true),
        relaxed: build(false),
    }
}

/// A key Prism sent: its example when the served document has one, else a value it made from
/// the schema. (Azure's files keep their examples in files the generator does not read.)
fn has_text(key: &Option<azure_keys::SecretString>) -> bool {
    key.as_ref().is_some_and(|k| !k.expose_secret().is_empty())
}

fn accepted<T: Debug, E: Debug>(
    operation: &'static str,
    case: &str,
    result: Result<T, Error<E>>,
    check: impl FnOnce(&T) -> bool,
) -> Row {
    let (outcome, pass) = match &result {
        Ok(value) if check(value) => ("accepted, decoded".to_owned(), true),
        Ok(value) => (format!("decoded unexpected value {value:?}"), false),
        Err(e) => (format!("error: {e}"), false),
    };
    Row {
        operation,
        case: case.to_owned(),
        expected: "accepted",
        outcome,
        pass,
    }
}

fn refused<T: Debug, E: Debug>(
    operation: &'static str,
    case: &str,
    strict: Result<T, Error<E>>,
    relaxed: Result<T, Error<E>>,
) -> Row {
    let client = match &strict {
        Err(Error::InvalidParameter(p)) => Ok(format!("client: {} {}", p.parameter, p.constraint)),
        other => Err(format!("client did not refuse: {other:?}")),
    };
    let prism = match &relaxed {
        Err(Error::Service(e)) if e.status.is_client_error() => {
            Ok(format!("prism: HTTP {}", e.status.as_u16()))
        }
        other => Err(format!("prism did not refuse: {other:?}")),
    };
    let pass = client.is_ok() && prism.is_ok();
    let outcome = [client, prism]
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| e))
        .collect::<Vec<_>>()
        .join("; ");
    Row {
        operation,
        case: case.to_owned(),
        expected: "refused by both",
        outcome,
        pass,
    }
}

const SUB: &str = "00000000-0000-0000-0000-000000000000";

async fn log_analytics_cases(c: &Clients, rows: &mut Vec<Row>) {
    const OP: &str = "SharedKeys_Regenerate";
    let r = log_analytics::shared_keys_regenerate(&c.strict, SUB, "rg1", "workspace1").await;
    rows.push(accepted(OP, "a response of the spec's schema", r, |k| {
        has_text(&k.primary_shared_key) && has_text(&k.secondary_shared_key)
    }));
    let long_rg = "r".repeat(91);
    let long_ws = "w".repeat(64);
    let cases: [(&str, &str, &str, &str); 5] = [
        (
            "subscriptionId not a uuid",
            "not-a-uuid",
            "rg1",
            "workspace1",
        ),
        ("resourceGroupName of 91 chars", SUB, &long_rg, "workspace1"),
        ("workspaceName of 3 chars", SUB, "rg1", "abc"),
        (
            "workspaceName against its pattern",
            SUB,
            "rg1",
            "-workspace",
        ),
        ("workspaceName of 64 chars", SUB, "rg1", &long_ws),
    ];
    for (case, sub, rg, ws) in cases {
        let strict = log_analytics::shared_keys_regenerate(&c.strict, sub, rg, ws).await;
        let relaxed = log_analytics::shared_keys_regenerate(&c.relaxed, sub, rg, ws).await;
        rows.push(refused(OP, case, strict, relaxed));
    }
}

async fn logic_apps_cases(c: &Clients, rows: &mut Vec<Row>) {
    const OP: &str = "Workflows_RegenerateAccessKey";
    let sub = "34adfa4f-cedf-4dc0-ba29-b6d1a69ab345";
    let body = |kind: logic_apps::KeyType| logic_apps::RegenerateActionParameter {
        key_type: Some(kind),
    };
    for (case, kind) in [
        ("Primary", logic_apps::KeyType::Primary),
        ("Secondary", logic_apps::KeyType::Secondary),
        ("NotSpecified", logic_apps::KeyType::NotSpecified),
    ] {
        let r = logic_apps::workflows_regenerate_access_key(
            &c.strict,
            sub,
            "testResourceGroup",
            "test-name",
            "testWorkflowName",
            &body(kind),
        )
        .await;
        rows.push(accepted(OP, case, r, |()| true));
    }
    let long_rg = "r".repeat(91);
    let cases = [
        (
            "subscriptionId not a uuid",
            "nope",
            "rg",
            body(logic_apps::KeyType::Primary),
        ),
        (
            "resourceGroupName of 91 chars",
            sub,
            long_rg.as_str(),
            body(logic_apps::KeyType::Primary),
        ),
        (
            "keyType not in the enum",
            sub,
            "rg",
            body(logic_apps::KeyType::from("Tertiary")),
        ),
    ];
    for (case, sub, rg, body) in cases {
        let strict =
            logic_apps::workflows_regenerate_access_key(&c.strict, sub, rg, "site", "flow", &body)
                .await;
        let relaxed =
            logic_apps::workflows_regenerate_access_key(&c.relaxed, sub, rg, "site", "flow", &body)
                .await;
        rows.push(refused(OP, case, strict, relaxed));
    }
}

async fn search_cases(c: &Clients, rows: &mut Vec<Row>) {
    const OP: &str = "AdminKeys_Regenerate";
    use search::AdminKeyKind;
    let id = "6c2a3e38-5a3c-4c6e-9c8f-3c5d7e2f1a0b";
    for (case, kind, request_id) in [
        ("primary", AdminKeyKind::Primary, None),
        (
            "secondary with a client request id",
            AdminKeyKind::Secondary,
            Some(id),
        ),
    ] {
        let r = regenerate(&c.strict, "mysearchservice", kind, request_id).await;
        rows.push(accepted(OP, case, r, |k| {
            has_text(&k.primary_key) && has_text(&k.secondary_key)
        }));
    }
    let edge = "a".repeat(60);
    let r = regenerate(&c.strict, &edge, AdminKeyKind::Primary, None).await;
    rows.push(accepted(
        OP,
        "searchServiceName of 60 chars (lookahead bound)",
        r,
        |_| true,
    ));
    let long = "a".repeat(61);
    let cases = [
        (
            "searchServiceName of 1 char (lookahead)",
            "a",
            AdminKeyKind::Primary,
            None,
        ),
        (
            "searchServiceName of 61 chars (lookahead)",
            long.as_str(),
            AdminKeyKind::Primary,
            None,
        ),
        (
            "searchServiceName with capitals",
            "MySearch",
            AdminKeyKind::Primary,
            None,
        ),
        (
            "searchServiceName ending in -",
            "search-",
            AdminKeyKind::Primary,
            None,
        ),
        (
            "keyKind not in the enum",
            "mysearch",
            AdminKeyKind::from("tertiary"),
            None,
        ),
        (
            "x-ms-client-request-id not a uuid",
            "mysearch",
            AdminKeyKind::Primary,
            Some("nope"),
        ),
    ];
    for (case, name, kind, request_id) in cases {
        let strict = regenerate(&c.strict, name, kind.clone(), request_id).await;
        let relaxed = regenerate(&c.relaxed, name, kind, request_id).await;
        rows.push(refused(OP, case, strict, relaxed));
    }
}

/// Search's regenerate call, with a client request id when the case has one.
fn regenerate<'a>(
    client: &'a Client,
    service: &'a str,
    kind: search::AdminKeyKind,
    request_id: Option<&'a str>,
) -> search::AdminKeysRegenerateCall<'a> {
    let call = search::admin_keys_regenerate(client, "subid", "rg1", service, kind);
    match request_id {
        Some(id) => call.client_request_id(id),
        None => call,
    }
}

async fn event_grid_cases(c: &Clients, rows: &mut Vec<Row>) {
    const OP: &str = "PartnerNamespaces_RegenerateKey";
    for key in ["key1", "key2"] {
        let body = event_grid::PartnerNamespaceRegenerateKeyRequest {
            key_name: key.to_owned(),
        };
        let r = event_grid::partner_namespaces_regenerate_key(
            &c.strict,
            "5b4b650e-28b9-4790-b3ab-ddbd88d727c4",
            "examplerg",
            "examplePartnerNamespaceName1",
            &body,
        )
        .await;
        rows.push(accepted(OP, &format!("keyName {key}"), r, |k| {
            has_text(&k.key1) && has_text(&k.key2)
        }));
    }
    // The spec puts no constraint on this operation's parameters; a missing keyName is a
    // compile error (tests/ui/fail/missing_required_field.rs), so nothing invalid can be sent.
}

/// The security fixture against Prism, which checks security as the spec declares it (401 when
/// a declared scheme is missing): each operation with the secrets it needs must be accepted;
/// without them the client must refuse before sending, and Prism must refuse the same request
/// sent without them.
mod security_cases {
    use fixture_clients::security::{self as sec, SecuritySchemes as S};
    use fixture_clients::{Client, Error, RetryPolicy, StaticToken};

    use super::Row;

    fn base(url: &str) -> fixture_clients::ClientBuilder {
        Client::builder()
            .base_url(url)
            .retry_policy(RetryPolicy::none())
    }

    fn accepted<T: std::fmt::Debug>(
        operation: &'static str,
        case: &str,
        result: Result<T, Error<serde_json::Value>>,
    ) -> Row {
        let (outcome, pass) = match &result {
            Ok(_) => ("accepted, decoded".to_owned(), true),
            Err(e) => (format!("error: {e}"), false),
        };
        Row {
            operation,
            case: case.to_owned(),
            expected: "accepted",
            outcome,
            pass,
        }
    }

    /// A request sent by hand: the path (with its query) and the headers it carries.
    #[derive(Clone, Copy)]
    struct Raw {
        path: &'static str,
        headers: &'static [(&'static str, &'static str)],
    }

    async fn refused<T: std::fmt::Debug>(
        operation: &'static str,
        case: &str,
        client: Result<T, Error<serde_json::Value>>,
        url: &str,
        raw: Raw,
    ) -> Row {
        let client = match &client {
            Err(Error::MissingCredentials(e)) => Ok(format!("client: {e}")),
            other => Err(format!("client did not refuse: {other:?}")),
        };
        let mut request = reqwest::Client::new().get(format!("{url}{}", raw.path));
        for (name, value) in raw.headers {
            request = request.header(*name, *value);
        }
        let prism = match request.send().await {
            Ok(r) if r.status().as_u16() == 401 => Ok("prism: HTTP 401".to_owned()),
            Ok(r) => Err(format!("prism did not refuse: HTTP {}", r.status())),
            Err(e) => Err(format!("prism unreachable: {e}")),
        };
        let pass = client.is_ok() && prism.is_ok();
        let outcome = [client, prism]
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| e))
            .collect::<Vec<_>>()
            .join("; ");
        Row {
            operation,
            case: case.to_owned(),
            expected: "refused by both",
            outcome,
            pass,
        }
    }

    pub async fn run(url: &str, rows: &mut Vec<Row>) {
        let full = base(url)
            .api_key(S::API_KEY_HEADER, "conformance-key")
            .api_key(S::API_KEY_QUERY, "conformance-key")
            .api_key(S::API_KEY_COOKIE, "conformance-key")
            .basic_auth(S::BASIC, "user", "password")
            .bearer_token(S::BEARER, "conformance-jwt")
            .credential(StaticToken::new("conformance-token"))
            .build()
            .expect("client");
        let bare = base(url).build().expect("client");
        let none = Raw {
            path: "",
            headers: &[],
        };
        let basic_only = base(url)
            .basic_auth(S::BASIC, "user", "password")
            .build()
            .expect("client");

        let with = "with its secret";
        let without = "without credentials";
        rows.push(accepted("rootLevel", with, sec::root_level(&full).await));
        let r = sec::root_level(&bare).await;
        rows.push(
            refused(
                "rootLevel",
                without,
                r,
                url,
                Raw {
                    path: "/root",
                    ..none
                },
            )
            .await,
        );
        rows.push(accepted("headerKey", with, sec::header_key(&full).await));
        let r = sec::header_key(&bare).await;
        rows.push(
            refused(
                "headerKey",
                without,
                r,
                url,
                Raw {
                    path: "/header",
                    ..none
                },
            )
            .await,
        );
        rows.push(accepted(
            "queryKey",
            with,
            sec::query_key(&full).limit(3).await,
        ));
        let r = sec::query_key(&bare).limit(3).await;
        let raw = Raw {
            path: "/query?limit=3",
            ..none
        };
        rows.push(refused("queryKey", without, r, url, raw).await);
        rows.push(accepted("cookieKey", with, sec::cookie_key(&full).await));
        let r = sec::cookie_key(&bare).await;
        rows.push(
            refused(
                "cookieKey",
                without,
                r,
                url,
                Raw {
                    path: "/cookie",
                    ..none
                },
            )
            .await,
        );
        rows.push(accepted("basicAuth", with, sec::basic_auth(&full).await));
        let r = sec::basic_auth(&bare).await;
        rows.push(
            refused(
                "basicAuth",
                without,
                r,
                url,
                Raw {
                    path: "/basic",
                    ..none
                },
            )
            .await,
        );
        rows.push(accepted("bearerAuth", with, sec::bearer_auth(&full).await));
        let r = sec::bearer_auth(&bare).await;
        rows.push(
            refused(
                "bearerAuth",
                without,
                r,
                url,
                Raw {
                    path: "/bearer",
                    ..none
                },
            )
            .await,
        );
        rows.push(accepted(
            "oauthScopes",
            with,
            sec::oauth_scopes(&full).await,
        ));
        let r = sec::oauth_scopes(&bare).await;
        rows.push(
            refused(
                "oauthScopes",
                without,
                r,
                url,
                Raw {
                    path: "/oauth",
                    ..none
                },
            )
            .await,
        );
        rows.push(accepted(
            "openIdConnect",
            with,
            sec::open_id_connect(&full).await,
        ));
        let r = sec::open_id_connect(&bare).await;
        rows.push(
            refused(
                "openIdConnect",
                without,
                r,
                url,
                Raw {
                    path: "/oidc",
                    ..none
                },
            )
            .await,
        );
        rows.push(accepted(
            "either",
            "the first alternative",
            sec::either(&full).await,
        ));
        let r = sec::either(&basic_only).await;
        rows.push(accepted("either", "the second alternative (basic)", r));
        let r = sec::either(&bare).await;
        rows.push(
            refused(
                "either",
                without,
                r,
                url,
                Raw {
                    path: "/either",
                    ..none
                },
            )
            .await,
        );
        rows.push(accepted(
            "allKeys",
            "all four secrets",
            sec::all_keys(&full).await,
        ));
        // Everything but the cookie.
        let partial = base(url)
            .api_key(S::API_KEY_HEADER, "k")
            .api_key(S::API_KEY_QUERY, "k")
            .basic_auth(S::BASIC, "user", "password")
            .build()
            .expect("client");
        let r = sec::all_keys(&partial).await;
        let raw = Raw {
            path: "/all?api_key=k",
            headers: &[
                ("X-API-Key", "k"),
                ("Authorization", "Basic dXNlcjpwYXNzd29yZA=="),
            ],
        };
        rows.push(refused("allKeys", "without the cookie", r, url, raw).await);
        rows.push(accepted("anonymous", without, sec::anonymous(&bare).await));
        rows.push(accepted(
            "optionalKey",
            with,
            sec::optional_key(&full).await,
        ));
        rows.push(accepted(
            "optionalKey",
            without,
            sec::optional_key(&bare).await,
        ));
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let urls: HashMap<String, String> = std::env::var("CONFORMANCE_URLS")
        .unwrap_or_default()
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let mut rows = Vec::new();
    for module in [
        "log_analytics",
        "logic_apps",
        "search",
        "event_grid",
        "security",
    ] {
        let Some(url) = urls.get(module) else {
            eprintln!("CONFORMANCE_URLS has no {module}=<url>; run `cargo xtask conformance`");
            return ExitCode::FAILURE;
        };
        let c = clients(url);
        match module {
            "log_analytics" => log_analytics_cases(&c, &mut rows).await,
            "logic_apps" => logic_apps_cases(&c, &mut rows).await,
            "search" => search_cases(&c, &mut rows).await,
            "event_grid" => event_grid_cases(&c, &mut rows).await,
            _ => security_cases::run(url, &mut rows).await,
        }
    }
    println!("| operation | case | expected | outcome | result |");
    println!("|---|---|---|---|---|");
    for r in &rows {
        let result = if r.pass { "pass" } else { "FAIL" };
        println!(
            "| {} | {} | {} | {} | {result} |",
            r.operation,
            r.case,
            r.expected,
            r.outcome.replace('|', "\\|")
        );
    }
    let failed = rows.iter().filter(|r| !r.pass).count();
    println!("\n{} passed, {} failed", rows.len() - failed, failed);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
