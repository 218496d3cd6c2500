//! `openapi-rustgen`: see `openapi-rustgen --help`.

fn main() -> std::process::ExitCode {
    openapi_rustgen::main()
}
