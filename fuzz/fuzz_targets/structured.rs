//! Structure-aware: a seed spec with a few mutations of its JSON tree chosen by the fuzzer (the
//! unbounded form of `codegen/tests/mutations.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: codegen_fuzz::Mutant| {
    codegen_fuzz::check(&input.render());
});
