//! What a production user relies on, over real HTTP on loopback: retries and their bounds,
//! timeouts, request ids, error details, token caching and scopes, secrets kept out of errors
//! and traces, faults of the transport.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use azure_keys::runtime::{BoxFuture, CredentialError};
use azure_keys::{
    log_analytics, search, AccessToken, Client, Error, ErrorBody, RetryPolicy, StaticToken,
    TokenCredential,
};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SUB: &str = "00000000-0000-0000-0000-000000000000";

fn retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_delay: Duration::from_millis(10),
        max_delay: Duration::from_secs(5),
        max_elapsed: Duration::from_secs(30),
    }
}

fn client_for(uri: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(uri)
        .credential(StaticToken::new("test-token"))
        .retry_policy(policy)
        .build()
        .unwrap()
}

async fn call(
    client: &Client,
) -> Result<log_analytics::SharedKeys, Error<log_analytics::ErrorResponse>> {
    log_analytics::shared_keys_regenerate(client, SUB, "rg1", "workspace1").await
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn throttled_429_with_retry_after_succeeds_after_the_wait() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"primarySharedKey": "k"})))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), retries(4));
    let started = Instant::now();
    let keys = call(&client).await.expect("succeeds on the second attempt");
    let waited = started.elapsed();
    println!(
        "429 + Retry-After: 1 -> 200 after {waited:?}, {} requests",
        requests(&server).await.len()
    );
    assert!(
        waited >= Duration::from_secs(1),
        "Retry-After was honoured: {waited:?}"
    );
    assert!(keys.primary_shared_key.is_some());
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0].headers["x-ms-client-request-id"], sent[1].headers["x-ms-client-request-id"],
        "one client request id for all attempts of a call"
    );
}

#[tokio::test]
async fn millisecond_retry_headers_come_before_retry_after() {
    for header in ["retry-after-ms", "x-ms-retry-after-ms"] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(503)
                    .insert_header(header, "200")
                    .insert_header("Retry-After", "30"),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .mount(&server)
            .await;
        let started = Instant::now();
        call(&client_for(&server.uri(), retries(2)))
            .await
            .expect("retried");
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(200) && waited < Duration::from_secs(10),
            "{header}: waited {waited:?}"
        );
    }
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let at = httpdate_in(Duration::from_secs(2));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", at.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let started = Instant::now();
    call(&client_for(&server.uri(), retries(2)))
        .await
        .expect("retried");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

fn httpdate_in(d: Duration) -> String {
    // RFC 7231 IMF-fixdate, computed by hand to keep the test free of date crates.
    let secs = (SystemTime::now() + d)
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let days = secs / 86400;
    let (h, m, s) = ((secs % 86400) / 3600, (secs % 3600) / 60, secs % 60);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil from days (Howard Hinnant's algorithm).
    let z = days as i64 + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {h:02}:{m:02}:{s:02} GMT",
        months[(month - 1) as usize]
    )
}

#[tokio::test]
async fn a_503_storm_stops_at_the_bound_and_says_how_many_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({
            "error": {"code": "ServerBusy", "message": "try later"}
        })))
        .mount(&server)
        .await;
    let err = call(&client_for(&server.uri(), retries(3)))
        .await
        .expect_err("storm");
    println!("503 storm: {err}");
    assert_eq!(requests(&server).await.len(), 3);
    let Error::Service(service) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(service.attempts, 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[tokio::test]
async fn other_client_errors_are_never_retried() {
    for status in [400, 401, 403, 404, 409, 422] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let err = call(&client_for(&server.uri(), retries(4)))
            .await
            .expect_err("error");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(requests(&server).await.len(), 1, "{status} was retried");
    }
}

#[tokio::test]
async fn retryable_statuses_are_all_retried() {
    for status in [408, 429, 500, 502, 503, 504] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let _ = call(&client_for(&server.uri(), retries(2))).await;
        assert_eq!(requests(&server).await.len(), 2, "{status} was not retried");
    }
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    // Bind then drop a listener: the port is closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client_for(&format!("http://127.0.0.1:{port}"), retries(3));
    let err = call(&client).await.expect_err("refused");
    println!("connection refused: {err}");
    let Error::Transport(transport) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(transport.attempts, 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

/// A server that answers every connection with `head` and the first bytes of a longer body,
/// then closes the connection.
async fn truncating_server(head: &'static str, body: &'static [u8]) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_an_error_never_a_partial_value() {
    let uri = truncating_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n",
        br#"{"primarySharedKey": "abc"#,
    )
    .await;
    let err = call(&client_for(&uri, retries(3)))
        .await
        .expect_err("truncated");
    println!("dropped mid-body: {err}");
    let Error::Transport(transport) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(transport.attempts, 1, "a response arrived: not retried");
}

#[tokio::test]
async fn malformed_and_huge_error_bodies_are_bounded() {
    let server = MockServer::start().await;
    let huge = "x".repeat(50 * 1024 * 1024);
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string(huge))
        .mount(&server)
        .await;
    let err = call(&client_for(&server.uri(), retries(1)))
        .await
        .expect_err("400");
    let Error::Service(service) = &err else {
        panic!("{err:?}")
    };
    let ErrorBody::Raw(text) = &service.body else {
        panic!("raw")
    };
    assert!(text.len() <= 4096 + 3, "kept {} bytes", text.len());
    assert!(err.to_string().len() < 1000, "one readable line");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_bytes(vec![0xff, 0xfe, b'{', 0x00]))
        .mount(&server)
        .await;
    let err = call(&client_for(&server.uri(), retries(1)))
        .await
        .expect_err("409");
    assert!(matches!(&err, Error::Service(s) if matches!(s.body, ErrorBody::Raw(_))));
}

#[tokio::test]
async fn a_huge_success_body_is_refused_not_buffered() {
    let server = MockServer::start().await;
    let huge = format!(
        "{{\"primarySharedKey\": \"{}\"}}",
        "k".repeat(20 * 1024 * 1024)
    );
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(huge))
        .mount(&server)
        .await;
    let err = call(&client_for(&server.uri(), retries(1)))
        .await
        .expect_err("too large");
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err:?}");
}

#[tokio::test]
async fn errors_carry_code_message_and_ids_on_one_line() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-ms-error-code", "WorkspaceNotFound")
                .insert_header("x-ms-request-id", "req-123")
                .set_body_json(
                    json!({"error": {"code": "BodyCode", "message": "No such\nworkspace."}}),
                ),
        )
        .mount(&server)
        .await;
    let err = call(&client_for(&server.uri(), retries(1)))
        .await
        .expect_err("404");
    let line = err.to_string();
    println!("service error: {line}");
    assert!(!line.contains('\n'));
    let Error::Service(service) = &err else {
        panic!()
    };
    assert_eq!(
        service.code.as_deref(),
        Some("WorkspaceNotFound"),
        "the header comes first"
    );
    assert_eq!(service.message.as_deref(), Some("No such\nworkspace."));
    assert_eq!(service.ids.request_id.as_deref(), Some("req-123"));
    let client_id = service
        .ids
        .client_request_id
        .clone()
        .expect("client request id");
    for part in [
        "404",
        "WorkspaceNotFound",
        "No such workspace.",
        "req-123",
        client_id.as_str(),
    ] {
        assert!(line.contains(part), "{part} missing from {line}");
    }
    let sent = &requests(&server).await[0];
    assert_eq!(sent.headers["x-ms-client-request-id"], client_id.as_str());
    let agent = sent.headers["user-agent"].to_str().unwrap();
    assert!(agent.starts_with("azure-keys/"), "{agent}");

    // Without the header, the body's code is used.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"error": {"code": "BodyCode"}})),
        )
        .mount(&server)
        .await;
    let err = call(&client_for(&server.uri(), retries(1)))
        .await
        .expect_err("404");
    assert!(matches!(&err, Error::Service(s) if s.code.as_deref() == Some("BodyCode")));
}

#[tokio::test]
async fn the_callers_client_request_id_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let id = "0b0e2d2c-1111-4222-8333-944455556666";
    search::admin_keys_regenerate(
        &client_for(&server.uri(), retries(1)),
        "sub",
        "rg",
        "svc1",
        search::AdminKeyKind::Primary,
    )
    .client_request_id(id)
    .await
    .unwrap();
    let sent = &requests(&server).await[0];
    assert_eq!(
        sent.headers
            .get_all("x-ms-client-request-id")
            .iter()
            .count(),
        1
    );
    assert_eq!(sent.headers["x-ms-client-request-id"], id);
}

#[tokio::test]
async fn per_attempt_and_total_timeouts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credential(StaticToken::new("t"))
        .retry_policy(retries(1))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = call(&client).await.expect_err("timeout");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        matches!(&err, Error::Transport(t) if t.timed_out),
        "{err:?}"
    );

    let client = Client::builder()
        .base_url(server.uri())
        .credential(StaticToken::new("t"))
        .retry_policy(retries(10))
        .total_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = call(&client).await.expect_err("total timeout");
    println!("total timeout: {err} after {:?}", started.elapsed());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(&err, Error::Transport(t) if t.timed_out),
        "{err:?}"
    );
}

#[tokio::test]
async fn checks_can_be_switched_off_but_encoding_cannot() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credential(StaticToken::new("t"))
        .validate_parameters(false)
        .build()
        .unwrap();
    log_analytics::shared_keys_regenerate(&client, "not-a-uuid", "rg1", "a/b")
        .await
        .expect("sent although the spec's constraints say no");
    assert!(requests(&server).await[0]
        .url
        .path()
        .contains("/workspaces/a%2Fb/"));
    let err = log_analytics::shared_keys_regenerate(&client, SUB, "..", "ws")
        .await
        .expect_err("dot segments are always refused");
    assert!(matches!(err, Error::InvalidParameter(_)));
}

/// Counts calls and records the scopes asked for.
struct CountingCredential {
    calls: AtomicUsize,
    scopes: Mutex<Vec<String>>,
    lifetime: Duration,
}

impl TokenCredential for CountingCredential {
    fn get_token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, CredentialError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            self.scopes
                .lock()
                .unwrap()
                .extend(scopes.iter().map(|s| s.to_string()));
            Ok(AccessToken::expiring(
                format!("token-{n}"),
                SystemTime::now() + self.lifetime,
            ))
        })
    }
}

#[tokio::test]
async fn tokens_are_reused_until_shortly_before_expiry_and_scoped_to_the_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    for (lifetime, expected_calls) in [(Duration::from_secs(3600), 1), (Duration::from_secs(60), 3)]
    {
        let credential = Arc::new(CountingCredential {
            calls: AtomicUsize::new(0),
            scopes: Mutex::new(Vec::new()),
            lifetime,
        });
        let client = Client::builder()
            .base_url(server.uri())
            .shared_credential(credential.clone())
            .token_audience("https://management.azure.com")
            .build()
            .unwrap();
        for _ in 0..3 {
            call(&client).await.unwrap();
        }
        assert_eq!(
            credential.calls.load(Ordering::SeqCst),
            expected_calls,
            "lifetime {lifetime:?}"
        );
        let scopes = credential.scopes.lock().unwrap().clone();
        assert!(
            scopes
                .iter()
                .all(|s| s == "https://management.azure.com/.default"),
            "{scopes:?}"
        );
    }
    let last = requests(&server).await.pop().unwrap();
    assert_eq!(last.headers["authorization"], "Bearer token-2");
}

#[tokio::test]
async fn the_scope_follows_the_endpoint_called() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let credential = Arc::new(CountingCredential {
        calls: AtomicUsize::new(0),
        scopes: Mutex::new(Vec::new()),
        lifetime: Duration::from_secs(3600),
    });
    let client = Client::builder()
        .base_url(server.uri())
        .shared_credential(credential.clone())
        .build()
        .unwrap();
    call(&client).await.unwrap();
    assert_eq!(
        credential.scopes.lock().unwrap().clone(),
        vec![format!("{}/.default", server.uri())]
    );
}

#[test]
fn clouds_are_selectable_by_name() {
    use log_analytics::Server;
    assert_eq!(Server::default(), Server::AzurePublicCloud);
    assert_eq!(
        Server::AzurePublicCloud.url(),
        "https://management.azure.com"
    );
    assert_eq!(
        Server::AzureChinaCloud.url(),
        "https://management.chinacloudapi.cn"
    );
    assert_eq!(
        Server::AzureUsGovernmentCloud.url(),
        "https://management.usgovcloudapi.net"
    );
    let client = Client::builder()
        .base_url(Server::AzureChinaCloud.url())
        .build()
        .unwrap();
    assert_eq!(
        client.base_url().unwrap().host_str(),
        Some("management.chinacloudapi.cn")
    );
}

#[test]
fn plain_http_is_refused_except_to_loopback() {
    for ok in [
        "http://127.0.0.1:8080",
        "http://localhost:1",
        "http://[::1]:1",
        "http://127.1.2.3",
    ] {
        assert!(Client::builder().base_url(ok).build().is_ok(), "{ok}");
    }
    for bad in [
        "http://example.com",
        "http://10.0.0.1",
        "http://management.azure.com",
    ] {
        let err = Client::builder().base_url(bad).build().unwrap_err();
        assert!(err.to_string().contains("plain http"), "{bad}: {err}");
    }
}

#[tokio::test]
async fn the_callers_own_reqwest_client_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let http = reqwest::Client::builder()
        .default_headers(
            [(
                reqwest::header::HeaderName::from_static("x-mine"),
                reqwest::header::HeaderValue::from_static("1"),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.uri())
        .credential(StaticToken::new("t"))
        .http_client(http)
        .build()
        .unwrap();
    call(&client).await.unwrap();
    assert_eq!(requests(&server).await[0].headers["x-mine"], "1");
}

#[tokio::test(flavor = "current_thread")]
async fn traces_show_operation_status_and_attempt_but_no_secret() {
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let buffer = buffer.clone();
        move || TestWriter(buffer.clone())
    };
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    // Global, not scoped: a scoped subscriber misses callsites that other test threads saw
    // first. This is the only test of the binary that installs one.
    tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"primarySharedKey": "KEY-VALUE"})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credential(StaticToken::new("SECRET-TOKEN"))
        .retry_policy(retries(2))
        .build()
        .unwrap();
    call(&client).await.unwrap();
    let log = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
    println!("{log}");
    assert!(log.contains("SharedKeys_Regenerate"), "{log}");
    assert!(log.contains("api-version=2025-07-01"), "{log}");
    assert!(log.contains("attempt=2"), "{log}");
    assert!(
        log.contains("status=503") && log.contains("status=200"),
        "{log}"
    );
    assert!(log.contains("retrying"), "{log}");
    for secret in ["SECRET-TOKEN", "KEY-VALUE", "Bearer"] {
        assert!(!log.contains(secret), "{secret} leaked into traces");
    }
}

#[derive(Clone)]
struct TestWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for TestWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
