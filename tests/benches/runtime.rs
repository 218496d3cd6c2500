//! What a call costs the client itself, in microseconds: decoding a typical response, encoding
//! a body and query values, and a whole operation against a minimal HTTP server on loopback
//! (which answers with a fixed response, so the figure is the client's pipeline plus loopback).
//!
//! `cargo bench -p integration-tests --bench runtime`

use std::time::Duration;

use azure_keys::search;
use azure_keys::{Client, StaticToken};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEYS: &[u8] = br#"{"primaryKey":"AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHHIIIIJJJJKKKK","secondaryKey":"0000111122223333444455556666777788889999aaaa"}"#;

/// A loopback HTTP/1.1 server that answers every request with `200` and `KEYS`.
async fn fixed_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            // One write per response and no Nagle delay: the figure is the client's.
            let _ = socket.set_nodelay(true);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let mut seen = Vec::new();
                let mut response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    KEYS.len()
                )
                .into_bytes();
                response.extend_from_slice(KEYS);
                loop {
                    let Ok(n) = socket.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buf[..n]);
                    // The operation sends no body: a request ends with its headers.
                    while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                        seen.drain(..end + 4);
                        if socket.write_all(&response).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn runtime(c: &mut Criterion) {
    c.bench_function("decode AdminKeyResult", |b| {
        b.iter(|| serde_json::from_slice::<search::AdminKeyResult>(KEYS).unwrap())
    });

    let body = json!({"properties": {"description": "x", "tags": ["a", "b"], "count": 3}});
    c.bench_function("encode a JSON body", |b| {
        b.iter(|| azure_keys::runtime::Body::json(&body, "application/json").unwrap())
    });

    let filter = json!({"status": "open", "min": 3, "range": {"from": 1, "to": 9}});
    c.bench_function("flatten a deepObject query value", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            azure_keys::runtime::query::flatten(
                &mut out,
                "filter",
                azure_keys::runtime::QueryStyle::DeepObject,
                &filter,
            );
            out
        })
    });

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let base = rt.block_on(fixed_server());
    let client = Client::builder()
        .base_url(base)
        .credential(StaticToken::new("token"))
        .build()
        .unwrap();
    c.bench_function("admin_keys_regenerate over loopback", |b| {
        b.to_async(&rt).iter(|| async {
            search::admin_keys_regenerate(
                &client,
                "00000000-0000-0000-0000-000000000000",
                "rg1",
                "mysearchservice",
                search::AdminKeyKind::Primary,
            )
            .await
            .unwrap()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3));
    targets = runtime
}
criterion_main!(benches);
