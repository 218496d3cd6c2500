//! `openapi-rustgen`: see `openapi-rustgen --help`.

// The generator allocates and frees millions of small token trees: see `Cargo.toml`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    openapi_rustgen::main()
}
