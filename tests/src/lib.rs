//! Tests of the generated crate live in `tests/`: `compile.rs` (trybuild), `http.rs` (wiremock),
//! `samples.rs` (the specs' examples through the models).
