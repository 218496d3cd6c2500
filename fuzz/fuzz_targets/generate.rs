//! Arbitrary bytes as a spec (YAML or JSON): the generator must not panic, its output must parse
//! and its errors must say something.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        codegen_fuzz::check(text);
    }
});
