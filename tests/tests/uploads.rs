//! Binary request bodies over real HTTP (loopback): a large body from a stream, sent as it is
//! produced (the server counts the bytes as they arrive, and the producer never runs far
//! ahead of it), a file with its `Content-Length`, bytes in memory as before; and retries: a
//! body in memory is sent again, a streamed one is not. The same for the file parts of a
//! `multipart/form-data` body: from a file (with the body's length), from a stream (chunked),
//! a file name and a content type of the caller's, arrays of files.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use fixture_clients::shape_multipart::{self, BodyUploadPhoto};
use fixture_clients::{shape_binary_upload, Body, Client, Error, FilePart, RetryPolicy};
use futures_util::{stream, StreamExt};
use integration_tests::form_parts;
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

/// A loopback server that answers one request with `status` (`201 Created`), reading its body (by `Content-Length` or
/// chunked) without keeping it: `received` counts the bytes as they arrive.
async fn counting_server(
    received: Arc<AtomicU64>,
    status: &'static str,
) -> (String, tokio::task::JoinHandle<Received>) {
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
        let answer = format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        socket.write_all(answer.as_bytes()).await.unwrap();
        Received {
            head,
            bytes: received.load(Ordering::SeqCst),
        }
    });
    (url, task)
}

/// `chunks` chunks of `CHUNK` bytes, each made when the client asks for it; the most that
/// production ran ahead of what the server had `received` is kept in the returned counter.
fn produced_as_read(chunks: u64, received: &Arc<AtomicU64>) -> (Body, Arc<AtomicU64>) {
    let ahead = Arc::new(AtomicU64::new(0));
    let (produced, seen, most) = (Arc::new(AtomicU64::new(0)), received.clone(), ahead.clone());
    let chunks = stream::iter(0..chunks).map(move |_| {
        let total = produced.fetch_add(CHUNK as u64, Ordering::SeqCst) + CHUNK as u64;
        most.fetch_max(
            total.saturating_sub(seen.load(Ordering::SeqCst)),
            Ordering::SeqCst,
        );
        Ok::<_, std::io::Error>(bytes::Bytes::from(vec![7u8; CHUNK]))
    });
    (Body::from_stream(chunks), ahead)
}

/// Never more in flight than the socket buffers hold: the body was not gathered first.
fn assert_not_gathered(ahead: &AtomicU64) {
    let ahead = ahead.load(Ordering::SeqCst);
    assert!(
        ahead <= 16 * 1024 * 1024,
        "{ahead} bytes produced ahead of the server"
    );
}

/// A server that answers `503` to `verb path`, and a client that tries three times.
async fn always_busy(verb: &str, at: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
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
    (server, client)
}

/// The chunk size of the streamed bodies.
const CHUNK: usize = 256 * 1024;

#[tokio::test]
async fn a_large_streamed_body_is_sent_as_it_is_produced() {
    const CHUNKS: u64 = 256; // 64 MiB, four times what the client reads whole into memory
    let received = Arc::new(AtomicU64::new(0));
    let (url, server) = counting_server(received.clone(), "201 Created").await;
    let (body, ahead) = produced_as_read(CHUNKS, &received);
    let client = Client::builder().base_url(url).build().unwrap();
    shape_binary_upload::put_blob(&client, "big.bin", body)
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
    assert_not_gathered(&ahead);
}

#[tokio::test]
async fn a_file_is_sent_with_its_length() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file_path = dir.join("upload-5mb.bin");
    std::fs::write(&file_path, vec![3u8; 5 * 1024 * 1024 + 17]).unwrap();
    let received = Arc::new(AtomicU64::new(0));
    let (url, server) = counting_server(received, "201 Created").await;
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
    let (server, client) = always_busy("PUT", "/blobs/b").await;
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

/// A file of `len` bytes under the test's temporary directory.
fn temp_file(name: &str, len: usize) -> (std::path::PathBuf, Vec<u8>) {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let content: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
    std::fs::write(&path, &content).unwrap();
    (path, content)
}

async fn photo_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/photos"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn multipart_file_parts_are_read_from_files_and_streams() {
    let (photo_path, photo) = temp_file("photo.jpg", 3 * 1024 * 1024 + 5);
    let server = photo_server().await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();

    // From a file, named after it, with the caller's content type; a part in memory beside it;
    // every length known, so the body's is sent.
    let body = BodyUploadPhoto {
        thumbnail: Some(
            FilePart::from("tiny")
                .file_name("t.txt")
                .content_type("text/plain"),
        ),
        caption: Some("a cat".into()),
        ..BodyUploadPhoto::new(
            FilePart::open(&photo_path)
                .await
                .unwrap()
                .content_type("image/jpeg"),
        )
    };
    shape_multipart::upload_photo(&client, &body).await.unwrap();
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        sent.headers["content-length"].to_str().unwrap(),
        sent.body.len().to_string()
    );
    let parts = form_parts(sent.headers["content-type"].to_str().unwrap(), &sent.body);
    let heads: Vec<&str> = parts.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        heads,
        [
            "Content-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg",
            "Content-Disposition: form-data; name=\"thumbnail\"; filename=\"t.txt\"\r\nContent-Type: text/plain",
            "Content-Disposition: form-data; name=\"caption\"",
        ]
    );
    assert!(parts[0].1 == photo, "the file's bytes, whole and in order");
    assert_eq!(parts[1].1, b"tiny");

    // From a stream, in an array of files: its length is unknown, the body goes chunked.
    let chunks =
        stream::iter(["str", "eamed"].map(|c| Ok::<_, std::io::Error>(bytes::Bytes::from(c))));
    let body = BodyUploadPhoto {
        extras: Some(vec![
            FilePart::new(Body::from_stream(chunks)).file_name("s.bin"),
            FilePart::from(vec![1u8, 2, 3]),
        ]),
        ..BodyUploadPhoto::new(b"small".as_slice())
    };
    shape_multipart::upload_photo(&client, &body).await.unwrap();
    let sent = &server.received_requests().await.unwrap()[1];
    assert!(!sent.headers.contains_key("content-length"));
    let parts = form_parts(sent.headers["content-type"].to_str().unwrap(), &sent.body);
    let contents: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(h, c)| (h.as_str(), c.as_slice()))
        .collect();
    assert_eq!(
        contents,
        [
            ("Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream", &b"small"[..]),
            ("Content-Disposition: form-data; name=\"extras\"; filename=\"s.bin\"\r\nContent-Type: application/octet-stream", b"streamed"),
            ("Content-Disposition: form-data; name=\"extras\"; filename=\"extras\"\r\nContent-Type: application/octet-stream", &[1, 2, 3]),
        ]
    );
    // The stream was read by that call: sending the body again fails before a response,
    // and says why.
    let err = shape_multipart::upload_photo(&client, &body)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot be sent again"), "{err}");
    std::fs::remove_file(photo_path).unwrap();
}

#[tokio::test]
async fn a_large_multipart_file_part_is_sent_as_it_is_produced() {
    const CHUNKS: u64 = 128; // 32 MiB, twice what the client reads whole into memory
    let received = Arc::new(AtomicU64::new(0));
    let (url, server) = counting_server(received.clone(), "204 No Content").await;
    let (file, ahead) = produced_as_read(CHUNKS, &received);
    let client = Client::builder().base_url(url).build().unwrap();
    let body = BodyUploadPhoto::new(file);
    shape_multipart::upload_photo(&client, &body).await.unwrap();
    let seen = server.await.unwrap();
    assert!(
        seen.head.contains("transfer-encoding: chunked"),
        "{}",
        seen.head
    );
    assert!(
        seen.bytes > CHUNKS * CHUNK as u64 && seen.bytes < CHUNKS * CHUNK as u64 + 1024,
        "the file and its part's framing: {}",
        seen.bytes
    );
    assert_not_gathered(&ahead);
}

#[tokio::test]
async fn a_multipart_body_in_memory_is_retried_and_one_with_a_file_is_not() {
    let (file_path, _) = temp_file("retried.bin", 1000);
    let (server, client) = always_busy("POST", "/photos").await;
    let in_memory = BodyUploadPhoto::new(vec![1u8; 10]);
    let err = shape_multipart::upload_photo(&client, &in_memory)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Service(ref s) if s.attempts == 3),
        "{err}"
    );
    let sent = server.received_requests().await.unwrap();
    assert!(sent.len() == 3 && sent.iter().all(|r| r.body == sent[0].body));

    let from_file = BodyUploadPhoto::new(FilePart::open(&file_path).await.unwrap());
    let err = shape_multipart::upload_photo(&client, &from_file)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Service(ref s) if s.attempts == 1),
        "{err}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    std::fs::remove_file(file_path).unwrap();
}
