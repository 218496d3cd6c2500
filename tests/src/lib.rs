//! Tests of the generated crate live in `tests/`: `compile.rs` (trybuild), `http.rs` (wiremock),
//! `samples.rs` (the specs' examples through the models).

/// The parts of a `multipart/form-data` body: (headers, content) in order.
pub fn form_parts(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type with its boundary");
    let delimiter = format!("--{boundary}");
    let text = body.to_vec();
    let mut parts = Vec::new();
    let mut rest: &[u8] = &text;
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    assert!(
        rest.starts_with(delimiter.as_bytes()),
        "starts with the boundary"
    );
    rest = &rest[delimiter.len()..];
    while rest.starts_with(b"\r\n") {
        rest = &rest[2..];
        let head_end = find(rest, b"\r\n\r\n").expect("part headers end");
        let head = String::from_utf8(rest[..head_end].to_vec()).unwrap();
        rest = &rest[head_end + 4..];
        let next = find(rest, format!("\r\n{delimiter}").as_bytes()).expect("next boundary");
        parts.push((head, rest[..next].to_vec()));
        rest = &rest[next + 2 + delimiter.len()..];
    }
    assert_eq!(rest, b"--\r\n", "ends with the closing boundary");
    parts
}
