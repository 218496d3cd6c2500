//! Long-running operations over real HTTP (wiremock on loopback), as Azure runs them: a status
//! monitor (`Azure-AsyncOperation`) then the original URL, a `Location` polled until it stops
//! answering 202, a resource polled by its `provisioningState`; `Retry-After` between polls,
//! failed and canceled operations as typed errors, a time limit, step-by-step polling and a
//! poller resumed from its saved state.

use std::time::{Duration, Instant};

use fixture_clients::calls::{self, Widget, WidgetsCreateOrUpdateSuccess, WidgetsDeleteSuccess};
use fixture_clients::runtime::{Outcome, PollStatus};
use fixture_clients::{Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(calls::SecuritySchemes::BEARER, "t")
        .build()
        .unwrap()
}

fn widget(name: &str, state: &str) -> serde_json::Value {
    json!({"name": name, "properties": {"provisioningState": state}})
}

fn new_widget() -> Widget {
    Widget {
        name: "w1".into(),
        properties: None,
    }
}

/// One answer, given once, before the mocks of lower priority.
async fn once(server: &MockServer, verb: &str, at: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(response)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
}

/// The answer once the `once`s are used up.
async fn then(server: &MockServer, verb: &str, at: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(response)
        .with_priority(5)
        .mount(server)
        .await;
}

fn status(status: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"status": status}))
}

async fn sent(server: &MockServer) -> Vec<(String, String)> {
    let requests: Vec<Request> = server.received_requests().await.unwrap();
    for r in &requests {
        assert_eq!(
            r.headers["authorization"], "Bearer t",
            "every poll carries the token"
        );
    }
    requests
        .iter()
        .map(|r| (r.method.to_string(), r.url.path().to_owned()))
        .collect()
}

/// `PUT` answered 201 with a status monitor: polled until `Succeeded` (waiting as
/// `Retry-After` says), then the original URL read for the result.
async fn monitored_put(server: &MockServer) {
    let monitor = format!("{}/operations/op1", server.uri());
    once(
        server,
        "PUT",
        "/widgets/w1",
        ResponseTemplate::new(201)
            .insert_header("azure-asyncoperation", monitor.as_str())
            .insert_header("retry-after", "0")
            .set_body_json(widget("w1", "Creating")),
    )
    .await;
    once(
        server,
        "GET",
        "/operations/op1",
        status("InProgress").insert_header("retry-after", "1"),
    )
    .await;
    then(server, "GET", "/operations/op1", status("Succeeded")).await;
    then(
        server,
        "GET",
        "/widgets/w1",
        ResponseTemplate::new(200).set_body_json(widget("w1", "Succeeded")),
    )
    .await;
}

#[tokio::test]
async fn a_status_monitor_then_the_original_url() {
    let server = MockServer::start().await;
    monitored_put(&server).await;
    let client = client(&server);
    let body = new_widget();
    let started = Instant::now();
    let done = calls::widgets_create_or_update(&client, "w1", &body)
        .poller()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was waited"
    );
    let WidgetsCreateOrUpdateSuccess::Ok(widget) = done else {
        panic!("{done:?}")
    };
    assert_eq!(
        widget.properties.unwrap().provisioning_state.as_deref(),
        Some("Succeeded")
    );
    let get = |p: &str| ("GET".to_owned(), p.to_owned());
    assert_eq!(
        sent(&server).await,
        [
            ("PUT".to_owned(), "/widgets/w1".to_owned()),
            get("/operations/op1"),
            get("/operations/op1"),
            get("/widgets/w1"),
        ]
    );
    // Awaited without its poller, the call is the first answer.
    let server = MockServer::start().await;
    monitored_put(&server).await;
    let first = calls::widgets_create_or_update(&client_for(&server), "w1", &body)
        .await
        .unwrap();
    assert!(matches!(first, WidgetsCreateOrUpdateSuccess::Created(_)));
}

fn client_for(server: &MockServer) -> Client {
    client(server)
}

#[tokio::test]
async fn a_location_polled_until_it_stops_answering_202() {
    let server = MockServer::start().await;
    let location = format!("{}/results/del1", server.uri());
    once(
        &server,
        "DELETE",
        "/widgets/w1",
        ResponseTemplate::new(202)
            .insert_header("location", location.as_str())
            .insert_header("retry-after", "0"),
    )
    .await;
    once(
        &server,
        "GET",
        "/results/del1",
        ResponseTemplate::new(202).insert_header("retry-after", "0"),
    )
    .await;
    then(&server, "GET", "/results/del1", ResponseTemplate::new(204)).await;
    let done = calls::widgets_delete(&client(&server), "w1")
        .poller()
        .await
        .unwrap();
    assert_eq!(done, WidgetsDeleteSuccess::NoContent);
    assert_eq!(sent(&server).await.len(), 3);
}

#[tokio::test]
async fn a_resource_polled_by_its_provisioning_state() {
    let server = MockServer::start().await;
    once(
        &server,
        "PATCH",
        "/widgets/w1",
        ResponseTemplate::new(200).set_body_json(widget("w1", "Updating")),
    )
    .await;
    once(
        &server,
        "GET",
        "/widgets/w1",
        ResponseTemplate::new(200)
            .insert_header("retry-after", "0")
            .set_body_json(widget("w1", "Updating")),
    )
    .await;
    then(
        &server,
        "GET",
        "/widgets/w1",
        ResponseTemplate::new(200).set_body_json(widget("w1", "Succeeded")),
    )
    .await;
    let body = new_widget();
    let client = client(&server);
    let mut poller = calls::widgets_update(&client, "w1", &body)
        .poller()
        .interval(Duration::ZERO);
    // Step by step: the first answer, one poll in progress, then the end.
    assert!(poller.state().is_none());
    let first = poller.poll().await.unwrap();
    assert!(
        matches!(&first, PollStatus::InProgress { status, .. } if status == "Accepted"),
        "{first:?}"
    );
    assert_eq!(poller.state().unwrap().method, "PATCH");
    let second = poller.poll().await.unwrap();
    assert!(
        matches!(&second, PollStatus::InProgress { status, retry_after: Some(d) }
            if status == "Updating" && d.is_zero()),
        "{second:?}"
    );
    let PollStatus::Done(calls::WidgetsUpdateSuccess::Ok(done)) = poller.poll().await.unwrap()
    else {
        panic!("done with the widget")
    };
    assert_eq!(
        done.properties.unwrap().provisioning_state.as_deref(),
        Some("Succeeded")
    );
}

async fn failing_put(server: &MockServer, end: &str) {
    let monitor = format!("{}/operations/op2", server.uri());
    once(
        server,
        "PUT",
        "/widgets/w2",
        ResponseTemplate::new(201)
            .insert_header("azure-asyncoperation", monitor.as_str())
            .set_body_json(widget("w2", "Creating")),
    )
    .await;
    then(
        server,
        "GET",
        "/operations/op2",
        ResponseTemplate::new(200).set_body_json(json!({
            "status": end,
            "error": {"code": "QuotaExceeded", "message": "no room for w2"}
        })),
    )
    .await;
}

#[tokio::test]
async fn failed_and_canceled_operations_are_typed_errors() {
    for (end, outcome) in [("Failed", Outcome::Failed), ("Canceled", Outcome::Canceled)] {
        let server = MockServer::start().await;
        failing_put(&server, end).await;
        let body = Widget {
            name: "w2".into(),
            properties: None,
        };
        let err = calls::widgets_create_or_update(&client(&server), "w2", &body)
            .poller()
            .interval(Duration::from_millis(10))
            .await
            .unwrap_err();
        let Error::Operation(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.outcome, outcome);
        assert_eq!(e.code.as_deref(), Some("QuotaExceeded"));
        assert_eq!(e.message.as_deref(), Some("no room for w2"));
        let Some(fixture_clients::runtime::ErrorBody::Typed(typed)) = &e.body else {
            panic!("{:?}", e.body)
        };
        assert_eq!(
            typed.error.as_ref().and_then(|e| e.code.as_deref()),
            Some("QuotaExceeded")
        );
        assert!(err.to_string().contains("no room for w2"), "{err}");
    }
}

#[tokio::test]
async fn a_time_limit_then_a_resumed_poller() {
    let server = MockServer::start().await;
    let monitor = format!("{}/operations/op3", server.uri());
    once(
        &server,
        "PUT",
        "/widgets/w3",
        ResponseTemplate::new(201)
            .insert_header("azure-asyncoperation", monitor.as_str())
            .set_body_json(widget("w3", "Creating")),
    )
    .await;
    // In progress for the first poller's two polls, then done.
    for _ in 0..2 {
        once(
            &server,
            "GET",
            "/operations/op3",
            status("InProgress").insert_header("retry-after", "1"),
        )
        .await;
    }
    then(&server, "GET", "/operations/op3", status("Succeeded")).await;
    then(
        &server,
        "GET",
        "/widgets/w3",
        ResponseTemplate::new(200).set_body_json(widget("w3", "Succeeded")),
    )
    .await;
    let client = client(&server);
    let body = Widget {
        name: "w3".into(),
        properties: None,
    };
    let started = Instant::now();
    let err = calls::widgets_create_or_update(&client, "w3", &body)
        .poller()
        .max_wait(Duration::from_millis(1500))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "gave up in time"
    );
    let Error::Operation(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.outcome, Outcome::TimedOut);
    // Saved as JSON, resumed: no second PUT.
    let saved = serde_json::to_string(&e.state).unwrap();
    let state = serde_json::from_str(&saved).unwrap();
    let done = calls::widgets_create_or_update(&client, "w3", &body)
        .resume(state)
        .unwrap()
        .interval(Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(done.into_body().name, "w3");
    let puts = sent(&server)
        .await
        .iter()
        .filter(|(m, _)| m == "PUT")
        .count();
    assert_eq!(puts, 1);
}

#[tokio::test]
async fn a_url_to_poll_on_another_origin_is_refused() {
    let server = MockServer::start().await;
    once(
        &server,
        "PUT",
        "/widgets/w4",
        ResponseTemplate::new(201)
            .insert_header("azure-asyncoperation", "https://elsewhere.example.net/op")
            .set_body_json(widget("w4", "Creating")),
    )
    .await;
    let body = new_widget();
    let err = calls::widgets_create_or_update(&client(&server), "w4", &body)
        .poller()
        .interval(Duration::from_millis(10))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("https://elsewhere.example.net"),
        "{err}"
    );
    assert_eq!(sent(&server).await.len(), 1);
}
