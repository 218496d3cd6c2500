//! Calls as users write them, over real HTTP (wiremock on loopback): optional inputs left out
//! and set by name, per-call timeout and headers, the raw response, error headers, and lists
//! answered in pages (`Link` headers, `nextLink` fields, cursors, offsets and page numbers):
//! three pages, an early stop that sends nothing more, a link to another origin refused.

use std::time::Duration;

use fixture_clients::calls::{self, IssuesListState};
use fixture_clients::shape_paged_by_position;
use fixture_clients::{Client, Error};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(calls::SecuritySchemes::BEARER, "t")
        .build()
        .unwrap()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn issues(numbers: &[i64]) -> serde_json::Value {
    numbers
        .iter()
        .map(|n| json!({"number": n, "title": format!("issue {n}")}))
        .collect()
}

#[tokio::test]
async fn optional_inputs_are_left_out_or_set_by_name() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(issues(&[1])))
        .mount(&server)
        .await;
    let client = client(&server);
    // Only the required input: nothing optional is sent.
    let page = calls::issues_list(&client, "octo").await.unwrap();
    assert_eq!(page.body[0].number, 1);
    // Optional inputs by name, in any order.
    calls::issues_list(&client, "octo")
        .per_page(50)
        .state(IssuesListState::Closed)
        .labels("bug,ui")
        .await
        .unwrap();
    let sent = requests(&server).await;
    assert_eq!(sent[0].url.query(), None);
    assert_eq!(
        sent[1].url.query(),
        Some("state=closed&labels=bug%2Cui&per_page=50")
    );
    // Constraints of optional inputs are still checked before sending.
    let err = calls::issues_list(&client, "octo")
        .per_page(101)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidParameter(p) if p.parameter == "per_page"),
        "{err:?}"
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn per_call_headers_timeout_and_the_raw_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("if-none-match", "\"abc\""))
        .respond_with(ResponseTemplate::new(304).insert_header("etag", "\"abc\""))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/slow/issues"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(issues(&[]))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining", "41")
                .set_body_json(issues(&[7])),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    // Status and every header, declared or not.
    let response = calls::issues_list(&client, "octo")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-ratelimit-remaining"], "41");
    assert_eq!(response.into_value().body[0].number, 7);

    // An extra header; a 304 the spec does not type is still a response the caller can read.
    let err = calls::issues_list(&client, "octo")
        .header("If-None-Match", "\"abc\"")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(304), "{err:?}");

    // A per-call time limit, shorter than the answer takes.
    let started = std::time::Instant::now();
    let err = calls::issues_list(&client, "slow")
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(4));

    // An invalid header fails before sending.
    let before = requests(&server).await.len();
    let err = calls::issues_list(&client, "octo")
        .header("bad header", "x")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidParameter(_)), "{err:?}");
    assert_eq!(requests(&server).await.len(), before);
}

#[tokio::test]
async fn an_error_keeps_its_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-trace", "t-1")
                .set_body_json(json!({"message": "no such repository"})),
        )
        .mount(&server)
        .await;
    let err = calls::issues_list(&client(&server), "nope")
        .await
        .unwrap_err();
    let Error::Service(service) = err else {
        panic!("{err:?}")
    };
    assert_eq!(service.headers["x-request-trace"], "t-1");
    assert_eq!(service.message.as_deref(), Some("no such repository"));
}

/// Three pages linked by `Link` headers, relative and absolute.
async fn linked_pages(server: &MockServer) {
    let next = |page: u32| {
        format!(
            "<{}/repos/octo/issues?page={page}>; rel=\"next\"",
            server.uri()
        )
    };
    for (page, body, link) in [
        (None, issues(&[1, 2]), Some(next(2))),
        (Some("2"), issues(&[3, 4]), Some("</repos/octo/issues?page=3>; rel=\"next\", </repos/octo/issues?page=1>; rel=\"first\"".to_owned())),
        (Some("3"), issues(&[5]), None),
    ] {
        let mut mock = Mock::given(method("GET")).and(path("/repos/octo/issues"));
        if let Some(page) = page {
            mock = mock.and(query_param("page", page));
        }
        let mut response = ResponseTemplate::new(200).set_body_json(body);
        if let Some(link) = link {
            response = response.insert_header("link", link.as_str());
        }
        // The page-less first request must not match the later ones' mocks: mount those first.
        mock.respond_with(response).with_priority(if page.is_some() { 1 } else { 2 }).mount(server).await;
    }
}

#[tokio::test]
async fn pages_linked_by_link_headers() {
    let server = MockServer::start().await;
    linked_pages(&server).await;
    let client = client(&server);
    let numbers: Vec<i64> = calls::issues_list(&client, "octo")
        .per_page(2)
        .items()
        .map_ok(|issue| issue.number)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    // Every page is the same call, with its credentials, to the service's link.
    for request in &sent {
        assert_eq!(request.headers["authorization"], "Bearer t");
    }
    assert_eq!(sent[1].url.query(), Some("page=2"));
    assert_eq!(sent[2].url.query(), Some("page=3"));

    // Pages as they come: stopping early sends nothing more.
    let mut pages = calls::issues_list(&client, "octo").pages();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.body.len(), 2);
    drop(pages);
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn a_link_to_another_origin_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    "<https://elsewhere.example.net/steal?page=2>; rel=\"next\"",
                )
                .set_body_json(issues(&[1])),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let mut items = calls::issues_list(&client, "octo").items();
    assert_eq!(items.next().await.unwrap().unwrap().number, 1);
    let err = items.next().await.unwrap().unwrap_err();
    let Error::UnexpectedResponse(e) = &err else {
        panic!("{err:?}")
    };
    assert!(e.reason.contains("https://elsewhere.example.net"), "{err}");
    assert!(items.next().await.is_none());
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn pages_linked_by_next_link_fields() {
    let server = MockServer::start().await;
    let link = |skip: u32| format!("{}/widgets?$top=2&$skiptoken={skip}", server.uri());
    for (token, names, next) in [
        (None, vec!["a", "b"], Some(link(2))),
        (Some("2"), vec!["c", "d"], Some(link(4))),
        (Some("4"), vec!["e"], None),
    ] {
        let body = json!({
            "value": names.iter().map(|n| json!({"name": n})).collect::<Vec<_>>(),
            "nextLink": next,
        });
        let mut mock = Mock::given(method("GET")).and(path("/widgets"));
        if let Some(token) = token {
            mock = mock.and(query_param("$skiptoken", token));
        }
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .with_priority(if token.is_some() { 1 } else { 2 })
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let names: Vec<String> = calls::widgets_list(&client)
        .top(2)
        .items()
        .map_ok(|w| w.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    let pages: Vec<_> = calls::widgets_list(&client)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].next_link, None);
}

#[tokio::test]
async fn a_binary_body_streamed_past_the_in_memory_cap() {
    let server = MockServer::start().await;
    // 20 MiB: more than a body read whole may be (16 MiB).
    let size = 20 * 1024 * 1024;
    let file: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/files/big.tar"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/octet-stream")
                .set_body_bytes(file.clone()),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no such file"})))
        .mount(&server)
        .await;
    let client = client(&server);
    // Read whole, it is refused...
    let err = calls::files_download(&client, "big.tar").await.unwrap_err();
    assert!(err.to_string().contains("exceeds"), "{err}");
    // ...streamed, it arrives chunk by chunk, every byte in order.
    let response = calls::files_download(&client, "big.tar")
        .stream()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut stream = response.into_value();
    let (mut read, mut chunks) = (0usize, 0usize);
    while let Some(chunk) = stream.try_next().await.unwrap() {
        assert_eq!(&chunk[..], &file[read..read + chunk.len()]);
        read += chunk.len();
        chunks += 1;
    }
    assert_eq!(read, size);
    assert!(chunks > 1, "read as it arrived");
    // An error status is the typed error, not a stream.
    let err = calls::files_download(&client, "missing")
        .stream()
        .await
        .err()
        .expect("404");
    let Error::Service(service) = err else {
        panic!("{err:?}")
    };
    assert_eq!(service.message.as_deref(), Some("no such file"));
}

/// A transport that answers from memory and keeps what it was sent (shared with the test):
/// code over a generated client tested without a server.
#[derive(Clone, Default)]
struct Recorded(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl fixture_clients::runtime::Transport for Recorded {
    fn send(
        &self,
        request: reqwest::Request,
    ) -> fixture_clients::runtime::BoxFuture<
        '_,
        Result<reqwest::Response, fixture_clients::runtime::TransportFailure>,
    > {
        self.0
            .lock()
            .unwrap()
            .push(format!("{} {}", request.method(), request.url()));
        let response = http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(r#"{"name": "from memory"}"#)
            .unwrap();
        Box::pin(async move { Ok(response.into()) })
    }
}

#[tokio::test]
async fn a_test_double_transport_answers_without_a_server() {
    let recorded = Recorded::default();
    let client = Client::builder()
        .bearer_token(calls::SecuritySchemes::BEARER, "t")
        .transport(recorded.clone())
        .build()
        .unwrap();
    let widget = calls::widgets_get(&client, "w1").await.unwrap();
    assert_eq!(widget.name, "from memory");
    assert_eq!(
        recorded.0.lock().unwrap().as_slice(),
        ["GET https://calls.example.com/api/widgets/w1"]
    );
}

#[tokio::test]
async fn a_request_hook_adds_what_the_spec_does_not_declare() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-undeclared-key", "k1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "w1"})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(calls::SecuritySchemes::BEARER, "t")
        .on_request(|request| {
            request
                .headers_mut()
                .insert("x-undeclared-key", "k1".parse().unwrap());
        })
        .build()
        .unwrap();
    assert_eq!(calls::widgets_get(&client, "w1").await.unwrap().name, "w1");
    assert_eq!(
        requests(&server).await[0].headers["authorization"],
        "Bearer t"
    );
}

#[tokio::test]
async fn pages_linked_by_a_cursor() {
    let server = MockServer::start().await;
    for (cursor, ids, next) in [
        (None, vec![1, 2], Some("c2")),
        (Some("c2"), vec![3, 4], Some("c3")),
        (Some("c3"), vec![5], None),
    ] {
        let body = json!({
            "data": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
            "next_cursor": next,
        });
        let mut mock = Mock::given(method("GET")).and(path("/events"));
        if let Some(cursor) = cursor {
            mock = mock.and(query_param("cursor", cursor));
        }
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .with_priority(if cursor.is_some() { 1 } else { 2 })
            .mount(&server)
            .await;
    }
    let ids: Vec<i64> = calls::events_list(&client(&server))
        .limit(2)
        .items()
        .map_ok(|e| e.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    let sent = requests(&server).await;
    // The cursor replaces its parameter; the call's other inputs stay.
    assert_eq!(sent[1].url.query(), Some("limit=2&cursor=c2"));
    assert_eq!(sent[2].url.query(), Some("limit=2&cursor=c3"));
}

/// `/logs` of the shape `paged_by_position`: `lines` from `offset`, `limit` at a time.
async fn mount_log_pages(server: &MockServer, lines: &[i64], page_size: usize) {
    for (n, chunk) in lines.chunks(page_size).enumerate() {
        let offset = n * page_size;
        let body = json!({
            "lines": chunk.iter().map(|seq| json!({"seq": seq, "text": format!("line {seq}")})).collect::<Vec<_>>(),
        });
        let mut mock = Mock::given(method("GET")).and(path("/logs"));
        // The first page is asked for without an offset (the call leaves it out).
        if offset > 0 {
            mock = mock.and(query_param("offset", offset.to_string()));
        }
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .with_priority(if offset > 0 { 1 } else { 2 })
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn pages_by_offset_stop_on_a_short_page() {
    let server = MockServer::start().await;
    mount_log_pages(&server, &[10, 11, 12, 13, 14], 2).await;
    let seqs: Vec<i64> = shape_paged_by_position::list_logs(&client(&server))
        .limit(2)
        .level("warn")
        .items()
        .map_ok(|line| line.seq)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(seqs, [10, 11, 12, 13, 14]);
    let sent = requests(&server).await;
    // The third page held one item, fewer than the two asked: nothing more is sent.
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0].url.query(), Some("limit=2&level=warn"));
    // The offset moves by the items received; the call's other inputs stay.
    assert_eq!(sent[1].url.query(), Some("limit=2&level=warn&offset=2"));
    assert_eq!(sent[2].url.query(), Some("limit=2&level=warn&offset=4"));
}

#[tokio::test]
async fn pages_by_number_stop_on_an_empty_page_or_when_dropped() {
    let server = MockServer::start().await;
    for page in 1..=4 {
        let ids: Vec<_> = match page {
            1 => vec![1, 2],
            2 => vec![3, 4],
            3 => vec![5, 6],
            _ => vec![],
        };
        let ids: serde_json::Value = ids.into_iter().map(|id| json!({"id": id})).collect();
        Mock::given(method("GET"))
            .and(path("/photos"))
            .and(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(ids))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    // No page size sent: an empty page ends the list. The first page is the parameter's
    // `minimum` (1), sent as the call sets it.
    let ids: Vec<i64> = shape_paged_by_position::list_photos(&client)
        .page(1)
        .items()
        .map_ok(|photo| photo.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    let pages: Vec<_> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(pages, ["page=1", "page=2", "page=3", "page=4"]);

    // An early stop: three items are on the first two pages, and nothing more is asked for.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/photos"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 7}, {"id": 8}])))
        .mount(&server)
        .await;
    let first: Vec<_> = shape_paged_by_position::list_photos(&client)
        .page(5)
        .items()
        .take(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 3);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].url.query(), Some("page=6"));
}
