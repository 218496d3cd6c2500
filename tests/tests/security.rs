//! Security as the spec declares it (`tests/fixtures/specs/security.yaml`), over real HTTP on
//! loopback: each scheme kind applied where the spec says, alternatives and combinations,
//! anonymous operations, the root level against the operation's own, a missing secret refused
//! before sending, and secrets kept out of `Debug`, errors and traces.

use std::sync::{Arc, Mutex};

use fixture_clients::runtime::{BoxFuture, CredentialError};
use fixture_clients::security::{self, SecuritySchemes as S};
use fixture_clients::{AccessToken, Client, ClientBuilder, Error, StaticToken, TokenCredential};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "key-0123456789";
const TOKEN: &str = "tok-0123456789";

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"operation": "any"})))
        .mount(&server)
        .await;
    server
}

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri())
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "one request");
    received.remove(0)
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

fn query(request: &wiremock::Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

/// No secret of any kind on the request.
fn assert_unauthenticated(request: &wiremock::Request) {
    for name in ["x-api-key", "authorization", "cookie"] {
        assert_eq!(header(request, name), None, "{name} was sent");
    }
    assert!(query(request).is_empty(), "{:?}", request.url);
}

#[tokio::test]
async fn an_api_key_goes_in_the_header_the_scheme_names() {
    let server = server().await;
    // The module's typed const and the spec's plain name are the same scheme.
    for client in [
        builder(&server).api_key(S::API_KEY_HEADER, KEY),
        builder(&server).api_key("api_key_header", KEY),
    ] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"operation": "h"})))
            .mount(&server)
            .await;
        let answer = security::header_key(&client.build().unwrap())
            .await
            .unwrap();
        assert_eq!(answer.operation, "h");
        let request = only_request(&server).await;
        assert_eq!(header(&request, "X-API-Key"), Some(KEY));
        assert_eq!(header(&request, "authorization"), None);
    }
}

#[tokio::test]
async fn an_api_key_goes_in_the_query_beside_the_parameters() {
    let server = server().await;
    let client = builder(&server)
        .api_key(S::API_KEY_QUERY, KEY)
        .build()
        .unwrap();
    security::query_key(&client).limit(5).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        query(&request),
        [("limit".into(), "5".into()), ("api_key".into(), KEY.into())]
    );
    assert_eq!(header(&request, "X-API-Key"), None);
}

/// A spec that declares its query key as a parameter too gets it once, the credential's (as a
/// header's credential replaces the operation's header of that name): twice is an array to a
/// server (Prism: "api-key must be string"). The other pairs stay as the operation wrote them.
#[tokio::test]
async fn a_query_key_declared_as_a_parameter_too_is_sent_once() {
    let server = server().await;
    let client = builder(&server)
        .api_key(S::API_KEY_QUERY, KEY)
        .build()
        .unwrap();
    security::query_key_declared(&client)
        .limit(5)
        .api_key("from the call")
        .q("a b&c")
        .await
        .unwrap();
    security::query_key_declared(&client).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        query(&requests[0]),
        [
            ("limit".into(), "5".into()),
            ("q".into(), "a b&c".into()),
            ("api_key".into(), KEY.into())
        ]
    );
    assert_eq!(query(&requests[1]), [("api_key".into(), KEY.into())]);
}

#[tokio::test]
async fn an_api_key_goes_in_a_cookie() {
    let server = server().await;
    let client = builder(&server)
        .api_key(S::API_KEY_COOKIE, KEY)
        .build()
        .unwrap();
    security::cookie_key(&client).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "cookie"),
        Some(format!("session={KEY}").as_str())
    );
}

#[tokio::test]
async fn basic_authentication_is_base64_of_user_and_password() {
    // RFC 7617's example, and the three paddings of base64.
    let cases = [
        ("Aladdin", "open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ("a", "b", "YTpi"),
        ("ab", "c", "YWI6Yw=="),
        ("ab", "cd", "YWI6Y2Q="),
        ("ü", "pä$$:word", "w7w6cMOkJCQ6d29yZA=="),
    ];
    for (user, password, encoded) in cases {
        let server = server().await;
        let client = builder(&server)
            .basic_auth(S::BASIC, user, password)
            .build()
            .unwrap();
        security::basic_auth(&client).await.unwrap();
        let request = only_request(&server).await;
        assert_eq!(
            header(&request, "authorization"),
            Some(format!("Basic {encoded}").as_str()),
            "{user}:{password}"
        );
    }
}

#[tokio::test]
async fn a_bearer_scheme_sends_its_own_token_before_the_clients_credential() {
    let server = server().await;
    let client = builder(&server)
        .credential(StaticToken::new("from-the-credential"))
        .bearer_token(S::BEARER, TOKEN)
        .build()
        .unwrap();
    security::bearer_auth(&client).await.unwrap();
    security::oauth_scopes(&client).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let auth: Vec<_> = received
        .iter()
        .map(|r| header(r, "authorization"))
        .collect();
    assert_eq!(
        auth,
        [
            Some(format!("Bearer {TOKEN}").as_str()),
            Some("Bearer from-the-credential")
        ]
    );
}

/// Records the scopes each token is asked for.
#[derive(Default)]
struct Recording {
    asked: Mutex<Vec<Vec<String>>>,
}

impl TokenCredential for Recording {
    fn get_token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, CredentialError>> {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let token = format!("token-for-{}", scopes.join("+"));
        self.asked.lock().unwrap().push(scopes);
        Box::pin(async move { Ok(AccessToken::new(token)) })
    }
}

#[tokio::test]
async fn oauth2_and_openid_connect_ask_the_credential_for_the_requirements_scopes() {
    let server = server().await;
    let credential = Arc::new(Recording::default());
    let client = builder(&server)
        .shared_credential(credential.clone())
        .build()
        .unwrap();
    security::oauth_scopes(&client).await.unwrap();
    security::open_id_connect(&client).await.unwrap();
    // Cached per scope set: a second call asks nothing more.
    security::oauth_scopes(&client).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let auth: Vec<_> = received
        .iter()
        .map(|r| header(r, "authorization"))
        .collect();
    assert_eq!(
        auth,
        [
            Some("Bearer token-for-read:pets+write:pets"),
            Some("Bearer token-for-openid+profile"),
            Some("Bearer token-for-read:pets+write:pets"),
        ]
    );
    assert_eq!(
        *credential.asked.lock().unwrap(),
        [vec!["read:pets", "write:pets"], vec!["openid", "profile"]]
    );
}

#[tokio::test]
async fn the_first_alternative_the_client_can_satisfy_is_applied_alone() {
    // Only the second alternative's secret: basic.
    let server = server().await;
    let client = builder(&server)
        .basic_auth(S::BASIC, "user", "pw")
        .build()
        .unwrap();
    security::either(&client).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "authorization"),
        Some("Basic dXNlcjpwdw==")
    );
    assert_eq!(header(&request, "x-api-key"), None);

    // Both: the first alternative (the API key), and nothing of the second.
    let server = self::server().await;
    let client = builder(&server)
        .basic_auth(S::BASIC, "user", "pw")
        .api_key(S::API_KEY_HEADER, KEY)
        .build()
        .unwrap();
    security::either(&client).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-api-key"), Some(KEY));
    assert_eq!(header(&request, "authorization"), None);
}

#[tokio::test]
async fn every_scheme_of_a_combined_requirement_is_applied() {
    let server = server().await;
    let client = builder(&server)
        .api_key(S::API_KEY_HEADER, "h")
        .api_key(S::API_KEY_QUERY, "q")
        .api_key(S::API_KEY_COOKIE, "c")
        .basic_auth(S::BASIC, "user", "pw")
        .build()
        .unwrap();
    security::all_keys(&client).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-api-key"), Some("h"));
    assert_eq!(query(&request), [("api_key".into(), "q".into())]);
    assert_eq!(header(&request, "cookie"), Some("session=c"));
    assert_eq!(
        header(&request, "authorization"),
        Some("Basic dXNlcjpwdw==")
    );
}

/// A client holding a secret for every scheme of the fixture.
fn full(server: &MockServer) -> Client {
    builder(server)
        .api_key(S::API_KEY_HEADER, KEY)
        .api_key(S::API_KEY_QUERY, KEY)
        .api_key(S::API_KEY_COOKIE, KEY)
        .basic_auth(S::BASIC, "user", "pw")
        .bearer_token(S::BEARER, TOKEN)
        .credential(StaticToken::new(TOKEN))
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_anonymous_operation_sends_no_secret_the_client_holds() {
    let server = server().await;
    security::anonymous(&full(&server)).await.unwrap();
    assert_unauthenticated(&only_request(&server).await);
}

#[tokio::test]
async fn an_optional_requirement_applies_the_key_when_held_and_goes_without_otherwise() {
    let server = server().await;
    security::optional_key(&full(&server)).await.unwrap();
    assert_eq!(header(&only_request(&server).await, "x-api-key"), Some(KEY));

    let server = self::server().await;
    let client = builder(&server).build().unwrap();
    security::optional_key(&client).await.unwrap();
    assert_unauthenticated(&only_request(&server).await);
}

#[tokio::test]
async fn the_operations_requirement_replaces_the_root_level_one() {
    let server = server().await;
    let client = full(&server);
    security::root_level(&client).await.unwrap();
    security::basic_auth(&client).await.unwrap();
    let received = server.received_requests().await.unwrap();
    // The root level: the header key only.
    assert_eq!(header(&received[0], "x-api-key"), Some(KEY));
    assert_eq!(header(&received[0], "authorization"), None);
    // Its own: basic only, though the client holds the root level's key.
    assert_eq!(header(&received[1], "x-api-key"), None);
    assert_eq!(
        header(&received[1], "authorization"),
        Some("Basic dXNlcjpwdw==")
    );
}

#[tokio::test]
async fn a_missing_secret_fails_before_sending_and_names_the_schemes() {
    let server = server().await;
    // Secrets for other schemes only, and a token credential.
    let client = builder(&server)
        .api_key(S::API_KEY_QUERY, KEY)
        .credential(StaticToken::new(TOKEN))
        .build()
        .unwrap();
    let err = security::either(&client).await.unwrap_err();
    let Error::MissingCredentials(missing) = &err else {
        panic!("expected MissingCredentials, got {err:?}");
    };
    assert_eq!(missing.operation, "either");
    let names: Vec<Vec<&str>> = missing
        .missing
        .iter()
        .map(|alt| alt.iter().map(|s| s.name()).collect())
        .collect();
    assert_eq!(names, [vec!["api_key_header"], vec!["basic"]]);
    assert_eq!(
        err.to_string(),
        "missing credentials: operation `either` needs `api_key_header` (ClientBuilder::api_key), \
         or `basic` (ClientBuilder::basic_auth)"
    );
    // A combination names only what is missing of it.
    let err = security::all_keys(&client).await.unwrap_err().to_string();
    assert!(
        err.ends_with("needs `api_key_header` (ClientBuilder::api_key) and `api_key_cookie` (ClientBuilder::api_key) and `basic` (ClientBuilder::basic_auth)"),
        "{err}"
    );
    assert!(!err.contains(KEY) && !err.contains(TOKEN), "{err}");
    // A token scheme without any token credential.
    let bare = builder(&server).build().unwrap();
    let err = security::oauth_scopes(&bare).await.unwrap_err().to_string();
    assert!(
        err.ends_with("needs `oauth` (ClientBuilder::bearer_token or credential)"),
        "{err}"
    );
    let received = server.received_requests().await.unwrap();
    assert!(
        received.is_empty(),
        "nothing reached the server: {received:?}"
    );
}

#[tokio::test]
async fn debug_of_the_builder_and_the_client_names_schemes_never_secrets() {
    let server = server().await;
    let builder = builder(&server)
        .api_key(S::API_KEY_HEADER, KEY)
        .basic_auth(S::BASIC, "user", "pass-0123456789")
        .bearer_token(S::BEARER, TOKEN)
        .credential(StaticToken::new("credential-0123456789"));
    let shown_builder = format!("{builder:?}");
    let client = builder.build().unwrap();
    let shown_client = format!("{client:?} {client:#?}");
    for shown in [&shown_builder, &shown_client] {
        for secret in [
            KEY,
            "pass-0123456789",
            "dXNlcjpwYXNz",
            TOKEN,
            "credential-0123456789",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        for name in ["api_key_header", "basic", "bearer"] {
            assert!(shown.contains(name), "{name} not in {shown}");
        }
    }
    println!("{shown_builder}\n{client:?}");
}

/// Everything `tracing` writes during the calls, for the test that captures it.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_show_the_query_key_redacted_and_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    // The only test of this binary that traces: one global subscriber.
    tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
    let server = server().await;
    let client = full(&server);
    security::query_key(&client).limit(5).await.unwrap();
    security::all_keys(&client).await.unwrap();
    security::bearer_auth(&client).await.unwrap();
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("api_key=REDACTED"), "{text}");
    for secret in [KEY, TOKEN, "dXNlcjpwdw=="] {
        assert!(!text.contains(secret), "{secret} in the traces:\n{text}");
    }
}
