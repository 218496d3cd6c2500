//! The event-stream parser against the WHATWG standard's examples and rules, whole and split
//! at every byte.

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};

use crate::events::*;
use crate::{ByteStream, Events, TransportError};

fn parse_chunks(chunks: &[&[u8]], max: usize) -> Vec<Parsed> {
    let mut parser = Parser::new(max);
    let mut out = VecDeque::new();
    for chunk in chunks {
        parser.feed(chunk, &mut out);
    }
    out.into_iter().collect()
}

/// The events of `text`, checked to be the same however the text is cut in two.
fn parse(text: &[u8]) -> Vec<Parsed> {
    let whole = parse_chunks(&[text], MAX_EVENT_BYTES);
    for cut in 0..=text.len() {
        let (a, b) = text.split_at(cut);
        assert_eq!(
            parse_chunks(&[a, b], MAX_EVENT_BYTES),
            whole,
            "cut at {cut}"
        );
    }
    let bytes: Vec<&[u8]> = text.chunks(1).collect();
    assert_eq!(parse_chunks(&bytes, MAX_EVENT_BYTES), whole, "byte by byte");
    whole
}

fn data(parsed: &[Parsed]) -> Vec<&str> {
    parsed
        .iter()
        .map(|p| p.as_ref().map(|e| e.data.as_str()).unwrap())
        .collect()
}

#[test]
fn data_lines_join_with_newlines() {
    // The standard's stock ticker example.
    let events = parse(b"data: YHOO\ndata: +2\ndata: 10\n\n");
    assert_eq!(data(&events), ["YHOO\n+2\n10"]);
    let event = events[0].as_ref().unwrap();
    assert_eq!(event.event, "message");
    assert_eq!(event.id, None);
}

#[test]
fn comments_ids_and_one_leading_space() {
    let text = b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n";
    let events = parse(text);
    assert_eq!(
        data(&events),
        ["first event", "second event", " third event"]
    );
    let ids: Vec<_> = events
        .iter()
        .map(|e| e.as_ref().unwrap().id.clone())
        .collect();
    // `id` with no value resets the last id.
    assert_eq!(ids, [Some("1".to_owned()), None, None]);
}

#[test]
fn empty_data_and_an_event_cut_off_by_the_end() {
    // Two events ("" and "\n"); the last `data:` has no blank line after it: not dispatched.
    assert_eq!(data(&parse(b"data\n\ndata\ndata\n\ndata:")), ["", "\n"]);
    assert_eq!(
        data(&parse(b"data:test\n\ndata: test\n\n")),
        ["test", "test"]
    );
}

#[test]
fn lines_end_with_crlf_lf_or_cr() {
    let text = b"data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r";
    assert_eq!(data(&parse(text)), ["a\nb\nc", "d"]);
}

#[test]
fn one_leading_bom_is_dropped() {
    assert_eq!(data(&parse(b"\xEF\xBB\xBFdata: x\n\n")), ["x"]);
    // A second one is part of the field's name: not `data`.
    assert_eq!(
        data(&parse(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\ndata: y\n\n")),
        ["y"]
    );
    // Split before its end, and bytes that only start like it.
    assert_eq!(
        data(&parse_chunks(&[b"\xEF", b"\xBB\xBFdata: z\n\n"], 64)),
        ["z"]
    );
    // Not a BOM: the byte is kept, so the field is not `data` (a U+FFFD before it).
    assert!(parse_chunks(&[b"\xEF", b"data: w\n\n"], 64).is_empty());
    assert_eq!(data(&parse_chunks(&[b"\xEF", b"\ndata: w\n\n"], 64)), ["w"]);
}

#[test]
fn event_types_retry_and_ids_carry_over() {
    let text = b"retry: 2500\nevent: add\nid: 7\ndata: 1\n\nretry: 1s\nid: a\0b\ndata: 2\n\n";
    let events = parse(text);
    let first = events[0].as_ref().unwrap();
    assert_eq!(first.event, "add");
    assert_eq!(first.retry, Some(Duration::from_millis(2500)));
    let second = events[1].as_ref().unwrap();
    // Types last one event; a `retry` not all digits and an id with NUL are ignored.
    assert_eq!(second.event, "message");
    assert_eq!(second.retry, Some(Duration::from_millis(2500)));
    assert_eq!(second.id.as_deref(), Some("7"));
}

#[test]
fn fields_without_data_dispatch_nothing_but_set_the_id() {
    let events = parse(b"id: 3\nevent: ping\n\ndata: x\n\n");
    assert_eq!(data(&events), ["x"]);
    let event = events[0].as_ref().unwrap();
    assert_eq!(event.event, "message");
    assert_eq!(event.id.as_deref(), Some("3"));
}

#[test]
fn invalid_utf8_is_replaced() {
    assert_eq!(data(&parse(b"data: a\xFFb\n\n")), ["a\u{FFFD}b"]);
}

#[test]
fn an_event_over_the_limit_is_an_error_and_the_next_one_is_read() {
    let long = format!("data: {}\n\ndata: ok\n\n", "x".repeat(40));
    let parsed = parse_chunks(&[long.as_bytes()], 16);
    assert_eq!(parsed.len(), 2);
    assert!(parsed[0].as_ref().unwrap_err().contains("exceeds 16 bytes"));
    assert_eq!(parsed[1].as_ref().unwrap().data, "ok");
    // Over the limit by many lines, and by one line that never ends: one error each, and
    // nothing kept of it.
    let lines = "data: 12345\n".repeat(10) + "\ndata: ok\n\n";
    let parsed = parse_chunks(&[lines.as_bytes()], 16);
    assert!(parsed[0].is_err());
    assert_eq!(parsed[1].as_ref().unwrap().data, "ok");
    let mut parser = Parser::new(16);
    let mut out = VecDeque::new();
    for _ in 0..1000 {
        parser.feed(b"data: xxxxxxxxxxxxxxxxxxxx", &mut out);
    }
    assert_eq!(out.len(), 1);
    assert!(parser.line.len() <= 16 && parser.data.len() <= 16);
}

#[test]
fn json_data_decodes_and_done_ends() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Delta {
        content: String,
    }
    assert_eq!(
        json_event::<Delta>(r#"{"content":"hi"}"#),
        Ok(Some(Delta {
            content: "hi".to_owned()
        }))
    );
    assert_eq!(json_event::<Delta>("[DONE]"), Ok(None));
    let err = json_event::<Delta>(r#"{"content":1}"#).unwrap_err();
    assert!(err.starts_with("content:"), "{err}");
    assert_eq!(text_event("[DONE]"), Ok(Some("[DONE]".to_owned())));
}

#[tokio::test]
async fn the_stream_ends_at_done_and_drops_a_cut_off_event() {
    let chunks: Vec<Result<bytes::Bytes, TransportError>> = vec![
        Ok(bytes::Bytes::from_static(b"data: {\"content\":\"a\"}\n\n")),
        Ok(bytes::Bytes::from_static(
            b"data: [DONE]\n\ndata: {\"content\":\"never\"}\n\n",
        )),
    ];
    let body: ByteStream = Box::pin(stream::iter(chunks));
    let events: Events<serde_json::Value, ()> = typed(
        raw_events(body, 64),
        json_event,
        reqwest::StatusCode::OK,
        Default::default(),
    );
    let all: Vec<_> = events.collect().await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].as_ref().unwrap().data["content"], "a");

    let body: ByteStream = Box::pin(stream::iter(vec![Ok(bytes::Bytes::from_static(
        b"data: 1\n\ndata: 2",
    ))]));
    let events: Events<String, ()> = typed(
        raw_events(body, 64),
        text_event,
        reqwest::StatusCode::OK,
        Default::default(),
    );
    let all: Vec<_> = events.map(|e| e.unwrap().data).collect().await;
    assert_eq!(all, ["1"]);
}
