//! The conformance runner of `cargo xtask conformance --corpus`: this file is copied as is into
//! the runner crate of each batch, beside `specs.rs` and one module per spec that
//! `xtask/src/conformance/driver.rs` generates from the spec's model.
//!
//! `runner <spec> <base-url> <plan.json> <pass>`: calls every operation of `<spec>` once with
//! the arguments of the plan (`{"ops": [{"args": ..., "codes": [404]}]}`) against the Prism at
//! `<base-url>`, then (pass `static`) once more for each error status the plan lists, asking
//! Prism for it (`Prefer: code=...`). Prints one JSON line per call: the operation, the pass,
//! what the client made of the answer, and the request and response as they crossed the wire.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use openapi_rustgen_runtime as rt;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

mod specs;

/// An operation's call, arguments decoded and the answer judged.
pub type Fut<'c> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Outcome, Outcome>> + 'c>>;
/// One operation of a spec module.
pub type OpFn = for<'c> fn(&'c rt::Client, &'c Args) -> Fut<'c>;

/// What the client made of one call.
pub struct Outcome {
    kind: &'static str,
    message: String,
}

impl Outcome {
    fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Outcome {
            kind,
            message: message.into(),
        }
    }

    /// An operation the driver cannot call (a body of parts the caller writes).
    pub fn skipped(why: &str) -> Self {
        Outcome::new("skipped", why)
    }
}

/// The arguments of one call: `{"params": {<rust name>: value}, "body": value}`.
pub struct Args {
    params: serde_json::Map<String, Value>,
    body: Option<Value>,
}

fn decode<T: DeserializeOwned>(name: &str, value: &Value) -> Result<T, Outcome> {
    serde_path_to_error::deserialize(value)
        .or_else(|e| match value {
            // A parameter of several types (`oneOf: [integer, string]`) is taken as text by the
            // generator, with a warning: the caller passes a number's text.
            Value::Number(_) | Value::Bool(_) => {
                serde_json::from_value(Value::String(value.to_string())).map_err(|_| e)
            }
            _ => Err(e),
        })
        .map_err(|e| {
            Outcome::new(
                "args",
                format!(
                    "argument `{name}` does not decode into {}: {}: {}",
                    std::any::type_name::<T>(),
                    e.path(),
                    e.inner()
                ),
            )
        })
}

impl Args {
    pub fn req<T: DeserializeOwned>(&self, name: &str) -> Result<T, Outcome> {
        match self.params.get(name) {
            Some(v) => decode(name, v),
            None => Err(Outcome::new(
                "args",
                format!("no value for required `{name}`"),
            )),
        }
    }

    pub fn opt<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Outcome> {
        self.params.get(name).map(|v| decode(name, v)).transpose()
    }

    pub fn body<T: DeserializeOwned>(&self) -> Result<T, Outcome> {
        match &self.body {
            Some(v) => decode("body", v),
            None => Err(Outcome::new("args", "no value for the required body")),
        }
    }

    pub fn body_opt<T: DeserializeOwned>(&self) -> Result<Option<T>, Outcome> {
        self.body.as_ref().map(|v| decode("body", v)).transpose()
    }

    /// Raw bytes: a string's UTF-8, or an array of numbers.
    fn bytes_of(name: &str, v: &Value) -> Result<Vec<u8>, Outcome> {
        match v {
            Value::String(s) => Ok(s.clone().into_bytes()),
            other => decode(name, other),
        }
    }

    pub fn body_bytes(&self) -> Result<Vec<u8>, Outcome> {
        match &self.body {
            Some(v) => Self::bytes_of("body", v),
            None => Err(Outcome::new("args", "no value for the required body")),
        }
    }

    pub fn body_bytes_opt(&self) -> Result<Option<Vec<u8>>, Outcome> {
        self.body
            .as_ref()
            .map(|v| Self::bytes_of("body", v))
            .transpose()
    }
}

/// `&str`s of owned strings, for list parameters of strings (`&[&str]`).
pub fn strs(items: &[String]) -> Vec<&str> {
    items.iter().map(String::as_str).collect()
}

/// One request and its response, as the transport saw them.
#[derive(Default, Clone)]
struct Exchange {
    request: Value,
    status: u16,
    headers: Value,
    body: Vec<u8>,
}

static LAST: Mutex<Option<Exchange>> = Mutex::new(None);

/// The path suffix of the operation being called (`/__conformance/<n>`): its path key carries
/// a query or a fragment, which Prism cannot route, so Prism serves it under a path of its own
/// (`xtask/src/conformance/mockdoc.rs`). The record keeps the URL the client sent.
static ROUTE: Mutex<Option<String>> = Mutex::new(None);

/// The time limit of one call. Prism answers in milliseconds, but its dynamic responses of
/// deeply recursive schemas take minutes, and it answers one request at a time: after the first
/// call of a pass that times out, the pass's other calls are not sent.
const TIMEOUT_S: u64 = 20;

/// `reqwest`, recording every exchange into [`LAST`].
struct Recording(reqwest::Client);

fn headers_json(headers: &reqwest::header::HeaderMap) -> Value {
    let mut out = serde_json::Map::new();
    for (name, value) in headers {
        let v = String::from_utf8_lossy(value.as_bytes()).into_owned();
        out.insert(name.as_str().to_owned(), Value::String(v));
    }
    Value::Object(out)
}

impl rt::Transport for Recording {
    fn send(
        &self,
        mut request: reqwest::Request,
    ) -> rt::BoxFuture<'_, Result<reqwest::Response, rt::TransportFailure>> {
        Box::pin(async move {
            let original = request.url().clone();
            let body = request
                .body()
                .and_then(reqwest::Body::as_bytes)
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            let recorded = json!({
                "method": request.method().as_str(),
                "url": request.url().as_str(),
                "headers": headers_json(request.headers()),
                "body": body,
            });
            let route = ROUTE.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(route) = route {
                let url = request.url_mut();
                let path = format!("{}{route}", url.path().trim_end_matches('/'));
                url.set_path(&path);
            }
            let response = self.0.execute(request).await?;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().await?;
            *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some(Exchange {
                request: recorded,
                status: status.as_u16(),
                headers: headers_json(&headers),
                body: bytes.to_vec(),
            });
            let mut builder = http::Response::builder().status(status);
            for (name, value) in &headers {
                builder = builder.header(name, value);
            }
            use reqwest::ResponseBuilderExt as _;
            let rebuilt = builder.url(original).body(bytes)?;
            Ok(reqwest::Response::from(rebuilt))
        })
    }
}

/// The client's answer as an outcome; a typed error that did not decode is decoded again to
/// say where it failed.
pub fn finish<T, E: DeserializeOwned>(result: Result<rt::Response<T>, rt::Error<E>>) -> Outcome {
    let error = match result {
        Ok(_) => return Outcome::new("decoded", ""),
        Err(e) => e,
    };
    let message = error.to_string();
    match error {
        rt::Error::Service(service) => match service.body {
            rt::ErrorBody::Typed(_) => Outcome::new("error_typed", message),
            rt::ErrorBody::Raw(text) if text.trim().is_empty() => {
                Outcome::new("error_typed", "no body")
            }
            rt::ErrorBody::Raw(_) => {
                let last = LAST.lock().unwrap_or_else(|e| e.into_inner()).clone();
                // Only JSON error bodies are typed: any other is kept as text, as it should be.
                let json = last.as_ref().is_some_and(|l| {
                    l.headers["content-type"]
                        .as_str()
                        .is_some_and(|t| t.contains("json"))
                });
                if !json {
                    return Outcome::new("error_typed", "an error body that is not JSON, kept as text");
                }
                let body = last.map(|l| l.body).unwrap_or_default();
                let mut de = serde_json::Deserializer::from_slice(&body);
                let why = match serde_path_to_error::deserialize::<_, E>(&mut de) {
                    Ok(_) => "decodes when read again".to_owned(),
                    Err(e) => format!("{}: {}", e.path(), e.inner()),
                };
                Outcome::new("error_raw", format!("the error body does not decode: {why}"))
            }
        },
        rt::Error::UnexpectedResponse(_) => Outcome::new("unexpected", message),
        rt::Error::InvalidParameter(_) => Outcome::new("invalid_parameter", message),
        rt::Error::MissingCredentials(_) => Outcome::new("missing_credentials", message),
        rt::Error::Transport(_) => Outcome::new("transport", message),
        _ => Outcome::new("other", message),
    }
}

/// A client of `url` with a credential for every scheme, sending `prefer` as `Prefer`.
fn client(url: &str, schemes: &[(&str, &str)], prefer: Arc<Mutex<Option<String>>>) -> rt::Client {
    let http = reqwest::Client::builder()
        .build()
        .unwrap_or_else(|e| panic!("reqwest: {e}"));
    let mut builder = rt::Client::builder()
        .base_url(url)
        .retry_policy(rt::RetryPolicy::none())
        .total_timeout(Duration::from_secs(TIMEOUT_S))
        .transport(Recording(http));
    for (name, kind) in schemes {
        let name: &'static str = Box::leak(name.to_string().into_boxed_str());
        builder = match *kind {
            "apiKey" => builder.api_key(name, "conformance-key"),
            "basic" => builder.basic_auth(name, "conformance", "password"),
            _ => builder.bearer_token(name, "conformance-token"),
        };
    }
    builder
        .on_request(move |request| {
            let value = prefer.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(value) = value.and_then(|v| v.parse().ok()) {
                request.headers_mut().insert("prefer", value);
            }
        })
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

fn print(op: usize, pass: &str, outcome: &Outcome) {
    let last = LAST.lock().unwrap_or_else(|e| e.into_inner()).take();
    let (request, response) = match last {
        Some(x) => {
            let body = String::from_utf8_lossy(&x.body).into_owned();
            (
                x.request,
                json!({"status": x.status, "headers": x.headers, "body": body}),
            )
        }
        None => (Value::Null, Value::Null),
    };
    let line = json!({
        "op": op,
        "pass": pass,
        "kind": outcome.kind,
        "message": outcome.message,
        "request": request,
        "response": response,
    });
    println!("{line}");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, spec, url, plan, pass] = args.as_slice() else {
        eprintln!("usage: runner <spec> <base-url> <plan.json> <pass>");
        std::process::exit(2);
    };
    let Some((schemes, ops)) = specs::spec(spec) else {
        eprintln!("runner: no spec {spec}");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(plan).unwrap_or_else(|e| panic!("{plan}: {e}"));
    let plan: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{plan}: {e}"));
    let prefer = Arc::new(Mutex::new(None));
    let client = client(url, schemes, prefer.clone());
    let planned = plan["ops"].as_array().cloned().unwrap_or_default();
    let mut timed_out = false;
    for (i, (_, call)) in ops.iter().enumerate() {
        let entry = planned.get(i).cloned().unwrap_or(Value::Null);
        let args = Args {
            params: entry["args"]["params"].as_object().cloned().unwrap_or_default(),
            body: entry["args"].get("body").cloned(),
        };
        *ROUTE.lock().unwrap_or_else(|e| e.into_inner()) =
            entry["route"].as_str().map(str::to_owned);
        let mut codes: Vec<Option<u64>> = vec![None];
        if pass == "static" {
            let listed = entry["codes"].as_array().cloned().unwrap_or_default();
            codes.extend(listed.iter().map(Value::as_u64).filter(Option::is_some));
        }
        if timed_out {
            let outcome = Outcome::new("transport", "not sent: an earlier call of this pass timed out");
            print(i, pass, &outcome);
            continue;
        }
        for code in codes {
            *prefer.lock().unwrap_or_else(|e| e.into_inner()) = code.map(|c| format!("code={c}"));
            let outcome = call(&client, &args).await.unwrap_or_else(|e| e);
            timed_out |= outcome.kind == "transport";
            let label = match code {
                Some(c) => format!("{pass}:{c}"),
                None => pass.clone(),
            };
            print(i, &label, &outcome);
        }
    }
}
