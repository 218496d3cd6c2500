//! `text/event-stream` answers (Server-Sent Events) over real HTTP (wiremock on loopback), as
//! the shape `event_stream` declares them: typed events as they arrive, OpenAI's `[DONE]`, the
//! parsing rules (comments, CRLF, several `data:` lines, ids carried over), text events, an
//! event over the size limit, and an error status.

use fixture_clients::shape_event_stream::{self, CompletionRequest};
use fixture_clients::{Client, Error, MAX_EVENT_BYTES};
use futures_util::{StreamExt, TryStreamExt};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

fn event_stream(body: impl Into<Vec<u8>>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into(), "text/event-stream")
}

fn request(stream: bool) -> CompletionRequest {
    let mut body = CompletionRequest::new("Say hi".to_owned());
    body.stream = Some(stream);
    body
}

#[tokio::test]
async fn chunks_arrive_as_typed_events_until_done() {
    let server = MockServer::start().await;
    let body = concat!(
        ": the service says hello\r\n\r\n",
        "id: 1\r\nevent: chunk\r\ndata: {\"id\":\"c1\",\r\ndata: \"delta\":\"Hi\"}\r\n\r\n",
        "retry: 3000\ndata: {\"id\":\"c1\",\"delta\":\" there\",\"finish_reason\":\"stop\"}\n\n",
        "data: [DONE]\n\n",
        "data: {\"id\":\"after done\",\"delta\":\"\"}\n\n",
    );
    Mock::given(method("POST"))
        .and(path("/completions"))
        .and(body_partial_json(serde_json::json!({"stream": true})))
        .and(header("accept", "text/event-stream"))
        .respond_with(event_stream(body))
        .mount(&server)
        .await;
    let client = client(&server);
    let response = shape_event_stream::create_completion(&client, &request(true))
        .events()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let events: Vec<_> = response.into_value().try_collect().await.unwrap();
    assert_eq!(events.len(), 2, "the stream ends at [DONE]");
    // Two `data:` lines joined by a newline make one JSON value; CRLF ends lines.
    assert_eq!(events[0].data.delta, "Hi");
    assert_eq!(events[0].event, "chunk");
    assert_eq!(events[0].id.as_deref(), Some("1"));
    assert_eq!(events[0].retry, None);
    // The id carries over; the type does not.
    assert_eq!(events[1].data.finish_reason.as_deref(), Some("stop"));
    assert_eq!(events[1].event, "message");
    assert_eq!(events[1].id.as_deref(), Some("1"));
    assert_eq!(events[1].retry, Some(std::time::Duration::from_secs(3)));
    // One `Accept`: the events' replaces the one the operation sends when awaited.
    let requests = server.received_requests().await.unwrap_or_default();
    let accept: Vec<_> = requests[0].headers.get_all("accept").iter().collect();
    assert_eq!(accept, ["text/event-stream"]);
}

#[tokio::test]
async fn the_same_operation_still_answers_json_when_awaited() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"id": "c2", "text": "Hi there"})),
        )
        .mount(&server)
        .await;
    let completion = shape_event_stream::create_completion(&client(&server), &request(false))
        .await
        .unwrap();
    assert_eq!(completion.text, "Hi there");
}

#[tokio::test]
async fn text_events_one_at_a_time_and_an_event_over_the_limit() {
    let server = MockServer::start().await;
    let mut body = b"data: first line\n\n".to_vec();
    // One event longer than the limit: an error in the stream, then the next event.
    body.extend_from_slice(b"data: ");
    body.resize(body.len() + MAX_EVENT_BYTES + 1, b'x');
    body.extend_from_slice(b"\n\ndata: [DONE]\n\n");
    Mock::given(method("GET"))
        .and(path("/logs/tail"))
        .respond_with(event_stream(body))
        .mount(&server)
        .await;
    let mut events = shape_event_stream::tail_logs(&client(&server))
        .events()
        .await
        .unwrap()
        .into_value();
    assert_eq!(events.try_next().await.unwrap().unwrap().data, "first line");
    let err = events.next().await.unwrap().unwrap_err();
    assert!(err.to_string().contains("exceeds"), "{err}");
    // Text data is as sent: `[DONE]` is a line of the log like any other.
    assert_eq!(events.try_next().await.unwrap().unwrap().data, "[DONE]");
    assert!(events.next().await.is_none());

    // Awaited, the stream is read whole as text.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/logs/tail"))
        .respond_with(event_stream("data: a\n\n"))
        .mount(&server)
        .await;
    let text = shape_event_stream::tail_logs(&client(&server))
        .await
        .unwrap();
    assert_eq!(text, "data: a\n\n");
}

#[tokio::test]
async fn an_error_status_is_the_typed_error_and_a_bad_event_does_not_end_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .respond_with(
            ResponseTemplate::new(429).set_body_json(serde_json::json!({"message": "slow down"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(fixture_clients::RetryPolicy::none())
        .build()
        .unwrap();
    let err = shape_event_stream::create_completion(&client, &request(true))
        .events()
        .await
        .err()
        .expect("429");
    let Error::Service(service) = err else {
        panic!("{err}")
    };
    assert_eq!(service.status, 429);
    assert_eq!(service.message.as_deref(), Some("slow down"));

    Mock::given(method("POST"))
        .and(path("/completions"))
        .respond_with(event_stream(
            "data: {\"id\":1}\n\ndata: {\"id\":\"c3\",\"delta\":\"ok\"}\n\n",
        ))
        .mount(&server)
        .await;
    let events: Vec<_> = shape_event_stream::create_completion(&client, &request(true))
        .events()
        .await
        .unwrap()
        .into_value()
        .collect()
        .await;
    let err = events[0].as_ref().unwrap_err().to_string();
    assert!(err.contains("id:"), "the failure names the field: {err}");
    assert_eq!(events[1].as_ref().unwrap().data.delta, "ok");
}
