//! `cargo xtask bench --download`: a streamed download's memory. A loopback server (a thread,
//! writing the same 256 KiB buffer again and again) serves a file of `SIZE_MIB` MiB (default
//! 1024); the fixture client's `files_download(..).stream()` reads it chunk by chunk and counts
//! the bytes. Prints the size, the time, the throughput and the process's peak resident memory
//! (`VmHWM`), which the whole download must keep bounded (the goal: 64 MiB for 1 GiB).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Instant;

use fixture_clients::calls;
use fixture_clients::Client;
use futures_util::TryStreamExt;

const CHUNK: usize = 256 * 1024;

/// Serves one `GET` with a body of `size` bytes, then stops.
fn serve(listener: TcpListener, size: u64) {
    let Ok((mut stream, _)) = listener.accept() else {
        return;
    };
    let mut request = Vec::new();
    let mut byte = [0u8; 1];
    while !request.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).unwrap_or(0) == 0 {
            return;
        }
        request.push(byte[0]);
    }
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {size}\r\n\r\n"
    );
    let chunk = vec![7u8; CHUNK];
    let _ = stream.write_all(head.as_bytes());
    let mut left = size;
    while left > 0 {
        let n = left.min(CHUNK as u64) as usize;
        if stream.write_all(&chunk[..n]).is_err() {
            return;
        }
        left -= n as u64;
    }
}

/// The process's peak resident memory, in KiB (Linux `/proc`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() {
    let mib: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1024);
    let size = mib * 1024 * 1024;
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    std::thread::spawn(move || serve(listener, size));
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token(calls::SecuritySchemes::BEARER, "t")
        .build()
        .expect("client");
    let before = peak_rss_kib().unwrap_or(0);
    let started = Instant::now();
    let mut body = calls::files_download(&client, "big.bin")
        .stream()
        .await
        .expect("the download starts")
        .into_value();
    let mut read = 0u64;
    while let Some(chunk) = body.try_next().await.expect("the body arrives") {
        read += chunk.len() as u64;
    }
    let elapsed = started.elapsed();
    assert_eq!(read, size, "every byte arrived");
    let peak = peak_rss_kib().unwrap_or(0);
    println!(
        "streamed download: {} MiB in {:.2} s ({:.0} MiB/s), peak RSS {:.1} MiB (before the download {:.1} MiB)",
        mib,
        elapsed.as_secs_f64(),
        mib as f64 / elapsed.as_secs_f64(),
        peak as f64 / 1024.0,
        before as f64 / 1024.0,
    );
}
