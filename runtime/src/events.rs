//! `text/event-stream` responses (Server-Sent Events) read as a `futures` stream of typed
//! events: `call.events()`. The body is parsed as it arrives by the rules of the WHATWG HTML
//! standard's "Parsing an event stream" (a leading BOM dropped; lines ended by CRLF, LF or CR;
//! `data:` lines joined by newlines; `:` comments ignored; `id:` without NUL kept for the events
//! after it; `retry:` of digits only; an event dispatched at a blank line, and one cut off by
//! the end of the stream dropped). Each event's data is decoded as the operation declares it.
//!
//! Memory is bounded per event: an event (its fields and the line being read) longer than
//! [`MAX_EVENT_BYTES`] is an error in the stream, and the rest of it is skipped unread into
//! memory; the events after it are read as usual.

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::stream::{self, Stream, StreamExt};
use serde::de::DeserializeOwned;

use super::{ByteStream, Error, RawResponse, Response, UnexpectedResponse};

/// Longest event held in memory (its `data`, `event`, `id` and `retry` fields): 16 MiB, as a
/// JSON body read whole.
pub const MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// One Server-Sent Event, its data decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The last event id the service sent, in this event or an earlier one (`id:`): where to
    /// resume from with `Last-Event-ID`.
    pub id: Option<String>,
    /// The event type (`event:`), `message` when the service names none.
    pub event: String,
    /// The reconnection time the service last asked for (`retry:`), in this event or an
    /// earlier one.
    pub retry: Option<Duration>,
    /// The data (`data:` lines joined by newlines), decoded.
    pub data: T,
}

/// The events of a response, each read when the stream is polled for it.
pub type Events<T, E> = std::pin::Pin<Box<dyn Stream<Item = Result<Event<T>, Error<E>>> + Send>>;

/// What an event's data turned into: a value, or the end of the stream (OpenAI's `[DONE]`).
#[doc(hidden)]
pub type Decoded<T> = Result<Option<T>, String>;

/// The data of a JSON event. `[DONE]`, which is not JSON, ends the stream: the sentinel
/// OpenAI-style APIs send last.
#[doc(hidden)]
pub fn json_event<T: DeserializeOwned>(data: &str) -> Decoded<T> {
    if data.trim() == "[DONE]" {
        return Ok(None);
    }
    super::response::decode(data.as_bytes()).map(Some)
}

/// The data of a text event, as sent (a `[DONE]` included: it may be the text).
#[doc(hidden)]
pub fn text_event(data: &str) -> Decoded<String> {
    Ok(Some(data.to_owned()))
}

impl RawResponse {
    /// The body as Server-Sent Events, each event's data decoded by `decode`, with the
    /// response's status and headers; an error status is the operation's error.
    #[doc(hidden)]
    pub fn events<T, E>(
        self,
        decode: fn(&str) -> Decoded<T>,
    ) -> Result<Response<Events<T, E>>, Error<E>>
    where
        T: Send + 'static,
        E: DeserializeOwned + Send + 'static,
    {
        let ids = self.ids.clone();
        let response = self.byte_stream()?;
        let status = response.status();
        Ok(response.map(|body| typed(raw_events(body, MAX_EVENT_BYTES), decode, status, ids)))
    }
}

/// An event as the stream spells it, before its data is decoded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawEvent {
    pub(crate) id: Option<String>,
    pub(crate) event: String,
    pub(crate) retry: Option<Duration>,
    pub(crate) data: String,
}

/// What the parser gives: an event, or an event too long to hold (skipped).
pub(crate) type Parsed = Result<RawEvent, String>;

/// The parser's state between chunks: the line being read, the event being built, and what
/// lasts from event to event (the last id, the reconnection time).
pub(crate) struct Parser {
    max: usize,
    /// The bytes of the line read so far (lines are split on bytes: CR and LF are ASCII, so
    /// a character split between chunks is whole once its line is).
    pub(crate) line: Vec<u8>,
    /// The stream's first bytes are still to be checked for a BOM.
    at_start: bool,
    /// The last line ended with CR: an LF right after it belongs to the same line end.
    after_cr: bool,
    /// Bytes of the current line have arrived (kept in `line`, or dropped while skipping).
    in_line: bool,
    /// The event is over the limit: its lines are dropped until its blank line.
    skipping: bool,
    pub(crate) data: String,
    event: String,
    /// Bytes held for the event being built (`data`, `event` and the line being read).
    held: usize,
    last_id: Option<String>,
    retry: Option<Duration>,
}

impl Parser {
    pub(crate) fn new(max: usize) -> Self {
        Parser {
            max,
            line: Vec::new(),
            at_start: true,
            after_cr: false,
            in_line: false,
            skipping: false,
            data: String::new(),
            event: String::new(),
            held: 0,
            last_id: None,
            retry: None,
        }
    }

    /// Reads `chunk`, pushing what it completes onto `out`.
    pub(crate) fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<Parsed>) {
        if self.at_start {
            // The BOM may arrive split over chunks: wait for three bytes, or for fewer that
            // already differ from it.
            const BOM: &[u8] = b"\xEF\xBB\xBF";
            self.line.extend_from_slice(chunk);
            let seen = self.line.len().min(BOM.len());
            if self.line[..seen] != BOM[..seen] || seen == BOM.len() {
                self.at_start = false;
                let mut held = std::mem::take(&mut self.line);
                if held.starts_with(BOM) {
                    held.drain(..BOM.len());
                }
                return self.feed_lines(&held, out);
            }
            return;
        }
        if self.after_cr && !chunk.is_empty() {
            if let Some(rest) = chunk.strip_prefix(b"\n") {
                chunk = rest;
            }
            self.after_cr = false;
        }
        self.feed_lines(chunk, out)
    }

    fn feed_lines(&mut self, mut chunk: &[u8], out: &mut VecDeque<Parsed>) {
        while let Some(end) = chunk.iter().position(|&b| b == b'\r' || b == b'\n') {
            let (part, rest) = chunk.split_at(end);
            let blank = !self.in_line && part.is_empty();
            self.in_line = false;
            self.take(part, out);
            let line = std::mem::take(&mut self.line);
            if blank {
                self.dispatch(out);
            } else if !self.skipping {
                self.line_done(&line);
            }
            chunk = &rest[1..];
            if rest[0] == b'\r' {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.in_line |= !chunk.is_empty();
        self.take(chunk, out);
    }

    /// Keeps part of the line being read, unless that makes the event too long.
    fn take(&mut self, part: &[u8], out: &mut VecDeque<Parsed>) {
        if self.skipping {
            return;
        }
        if self.held + part.len() > self.max {
            out.push_back(Err(format!(
                "an event exceeds {} bytes: it is skipped",
                self.max
            )));
            self.skipping = true;
            self.line.clear();
            self.data.clear();
            self.event.clear();
            self.held = 0;
            return;
        }
        self.held += part.len();
        self.line.extend_from_slice(part);
    }

    /// One whole line, not blank (`line`, its end removed).
    fn line_done(&mut self, line: &[u8]) {
        // The line's bytes stay held (in `data` or `event`) or are let go (comments, others).
        self.held -= line.len();
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some(("", _)) => return, // a comment
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match field {
            "event" => {
                self.held += value.len();
                self.held -= self.event.len();
                self.event = value.to_owned();
            }
            "data" => {
                self.held += value.len() + 1;
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => {
                self.last_id = Some(value.to_owned()).filter(|id| !id.is_empty());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Digits too many for a `u64` of milliseconds are the longest wait there is.
                let millis = value.parse().unwrap_or(u64::MAX);
                self.retry = Some(Duration::from_millis(millis));
            }
            _ => {}
        }
    }

    /// A blank line: the event built so far is dispatched, if it has data.
    fn dispatch(&mut self, out: &mut VecDeque<Parsed>) {
        let mut data = std::mem::take(&mut self.data);
        let event = std::mem::take(&mut self.event);
        self.held = 0;
        if std::mem::take(&mut self.skipping) || data.is_empty() {
            return;
        }
        data.pop(); // the newline after the last `data:` line
        out.push_back(Ok(RawEvent {
            id: self.last_id.clone(),
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            retry: self.retry,
            data,
        }));
    }
}

/// The events of `body`, parsed as they arrive.
pub(crate) fn raw_events(
    body: ByteStream,
    max: usize,
) -> impl Stream<Item = Result<Parsed, super::TransportError>> + Send {
    let state = (Some(body), Parser::new(max), VecDeque::new());
    stream::unfold(state, |(mut body, mut parser, mut ready)| async move {
        loop {
            if let Some(parsed) = ready.pop_front() {
                return Some((Ok(parsed), (body, parser, ready)));
            }
            // The end of the body: an event not ended by a blank line is dropped.
            let chunks = body.as_mut()?;
            match chunks.next().await {
                Some(Ok(chunk)) => parser.feed(&chunk, &mut ready),
                Some(Err(e)) => return Some((Err(e), (None, parser, ready))),
                None => body = None,
            }
        }
    })
}

/// The events of `raw`, their data decoded; the stream ends at the body's end, at a transport
/// failure (reported) or at a data `decode` takes for the end (`[DONE]`).
pub(crate) fn typed<T, E>(
    raw: impl Stream<Item = Result<Parsed, super::TransportError>> + Send + 'static,
    decode: fn(&str) -> Decoded<T>,
    status: reqwest::StatusCode,
    ids: super::RequestIds,
) -> Events<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
{
    let unexpected = move |reason: String| {
        Error::UnexpectedResponse(UnexpectedResponse {
            status: Some(status),
            reason,
            body: String::new(),
            ids: ids.clone(),
        })
    };
    let events = raw.map(move |item| match item {
        Err(e) => Some(Err(Error::Transport(e))),
        Ok(Err(too_long)) => Some(Err(unexpected(too_long))),
        Ok(Ok(raw)) => match decode(&raw.data) {
            Ok(Some(data)) => Some(Ok(Event {
                id: raw.id,
                event: raw.event,
                retry: raw.retry,
                data,
            })),
            Ok(None) => None,
            Err(e) => Some(Err(unexpected(format!(
                "the data of event `{}` does not decode: {e}",
                raw.event
            )))),
        },
    });
    // A transport failure ends the body; `None` is the end the data asked for.
    Box::pin(
        events
            .take_while(|item| std::future::ready(item.is_some()))
            .filter_map(std::future::ready),
    )
}
