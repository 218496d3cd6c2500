//! Binary request bodies over real HTTP (loopback): a large body from a stream, sent as it is
//! produced (the server counts the bytes as they arrive, and the producer never runs far
//! ahead of it), a file with its `Content-Length`, bytes in memory as before; and retries: a
//! body in memory is sent again, a streamed one is not.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use fixture_clients::{shape_binary_upload, Body, Client, Error, RetryPolicy};
use futures_util::{stream, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What the counting server saw of one request.
#[derive(Debug, Default)]
struct Received {
    head: String,
    bytes: u64,
}

/// Reads `n` bytes of the body into `buffer`, over and over, counting them in `received`.
async fn drain(
    reader: &mut BufReader<tokio::net::TcpStream>,
    n: u64,
    buffer: &mut [u8],
    received: &AtomicU64,
) {
    let mut left = n;
    while left > 0 {
        let want = left.min(buffer.len() as u64) as usize;
        let got = reader.read(&mut buffer[..want]).await.unwrap();
        assert!(got > 0, "the body ended early");
        left -= got as u64;
        received.fetch_add(got as u64, Ordering::SeqCst);
    }
}

/// A loopback server that answers one request `201`, reading its body (by `Content-Length` or
/// chunked) without keeping it: `received` counts the bytes as they arrive.
async fn counting_server(received: Arc<AtomicU64>) -> (String, tokio::task::JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let mut reader = BufReader::new(socket);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).await.unwrap();
            if line == "\r\n" {
                break;
            }
            head.push_str(&line.to_ascii_lowercase());
        }
        let mut buffer = vec![0u8; 64 * 1024];
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .map(|v| v.trim().parse::<u64>().unwrap());
        match length {
            Some(n) => drain(&mut reader, n, &mut buffer, &received).await,
            // Chunked: a hex size line, the chunk, CRLF; a zero size ends it.
            None => loop {
                let mut size = String::new();
                reader.read_line(&mut size).await.unwrap();
                let size = u64::from_str_radix(size.trim(), 16).unwrap();
                drain(&mut reader, size, &mut buffer, &received).await;
                let mut crlf = String::new();
                reader.read_line(&mut crlf).await.unwrap();
                if size == 0 {
                    break;
                }
            },
        }
        let mut socket = reader.into_inner();
        socket
            .write_all(b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        Received {
            head,
            bytes: received.load(Ordering::SeqCst),
        }
    });
    (url, task)
}

#[tokio::test]
async fn a_large_streamed_body_is_sent_as_it_is_produced() {
    const CHUNK: usize = 256 * 1024;
    const CHUNKS: u64 = 256; // 64 MiB, four times what the client reads whole into memory
    let received = Arc::new(AtomicU64::new(0));
    let (url, server) = counting_server(received.clone()).await;
    let ahead = Arc::new(AtomicU64::new(0));
    let (produced, seen, most) = (Arc::new(AtomicU64::new(0)), received.clone(), ahead.clone());
    // Each chunk is made when the client asks for it; how far production runs ahead of what
    // the server has read is recorded.
    let chunks = stream::iter(0..CHUNKS).map(move |_| {
        let total = produced.fetch_add(CHUNK as u64, Ordering::SeqCst) + CHUNK as u64;
        most.fetch_max(total - seen.load(Ordering::SeqCst), Ordering::SeqCst);
        Ok::<_, std::io::Error>(bytes::Bytes::from(vec![7u8; CHUNK]))
    });
    let client = Client::builder().base_url(url).build().unwrap();
    shape_binary_upload::put_blob(&client, "big.bin", Body::from_stream(chunks))
        .await
        .unwrap();
    let seen = server.await.unwrap();
    assert_eq!(seen.bytes, CHUNKS * CHUNK as u64);
    assert!(
        seen.head.contains("transfer-encoding: chunked"),
        "{}",
        seen.head
    );
    assert!(seen.head.contains("content-type: application/octet-stream"));
    // Never more in flight than the socket buffers hold: the body was not gathered first.
    let ahead = ahead.load(Ordering::SeqCst);
    assert!(
        ahead <= 16 * 1024 * 1024,
        "{ahead} bytes produced ahead of the server"
    );
}

#[tokio::test]
async fn a_file_is_sent_with_its_length() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file_path = dir.join("upload-5mb.bin");
    std::fs::write(&file_path, vec![3u8; 5 * 1024 * 1024 + 17]).unwrap();
    let received = Arc::new(AtomicU64::new(0));
    let (url, server) = counting_server(received).await;
    let client = Client::builder().base_url(url).build().unwrap();
    let file = tokio::fs::File::open(&file_path).await.unwrap();
    shape_binary_upload::put_blob(&client, "f.bin", Body::from_file(file).await.unwrap())
        .await
        .unwrap();
    let seen = server.await.unwrap();
    assert_eq!(seen.bytes, 5 * 1024 * 1024 + 17);
    assert!(
        seen.head.contains("content-length: 5242897"),
        "{}",
        seen.head
    );
    std::fs::remove_file(file_path).unwrap();
}

#[tokio::test]
async fn bytes_in_memory_are_retried_and_a_stream_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/blobs/b"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            max_elapsed: Duration::from_secs(5),
        })
        .build()
        .unwrap();
    // As before: a slice, a vector, a literal.
    let err = shape_binary_upload::put_blob(&client, "b", b"abc")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Service(ref s) if s.attempts == 3),
        "{err}"
    );
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| r.body == b"abc"));

    server.reset().await;
    Mock::given(method("PUT"))
        .and(path("/blobs/b"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let chunks = stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"abc"))]);
    let err = shape_binary_upload::put_blob(&client, "b", Body::from_stream(chunks))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Service(ref s) if s.attempts == 1),
        "{err}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_optional_binary_body_is_a_setter() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/images"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"bytes": 4})))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let png = vec![0x89, b'P', b'N', b'G'];
    shape_binary_upload::post_image(&client)
        .body(&png)
        .await
        .unwrap();
    shape_binary_upload::post_image(&client).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent[0].body, png);
    assert_eq!(sent[0].headers["content-type"], "image/png");
    assert!(sent[1].body.is_empty());
}
