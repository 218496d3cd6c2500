//! Compile tests of the generated crate: programs that must build (and run), and misuse that must
//! not, each with the compiler message it must produce (`ui/fail/*.stderr`).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
