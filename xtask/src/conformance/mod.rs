//! `cargo xtask conformance`: generated clients against Stoplight Prism, a validating mock of
//! the spec they were generated from.
//!
//! - Without `--corpus` ([`seeds`]): the product crate's operations (`generated/`), driven by the
//!   hand-written `tests/examples/conformance.rs`.
//! - With `--corpus` ([`corpus`]): specs of the APIs.guru collection (as `cargo xtask corpus`
//!   fetches it), each generated into a client crate beside a driver generated from the same
//!   model ([`driver`]) that calls every operation with arguments built from the spec
//!   ([`values`]), against Prism with its static examples, then with seeded dynamic responses.
//!   Each failure is classified ([`classify`]) and the report ([`report`]) written to
//!   `.cache/conformance/report.md`.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

mod build;
mod classify;
mod corpus;
mod driver;
mod mockdoc;
mod plan;
mod report;
mod seeds;
mod values;
mod xml;

pub use corpus::Options;

/// The Prism release the results are compared against.
const PRISM: &str = "@stoplight/prism-cli@5.16.0";

/// `cargo xtask conformance [--corpus ...]`.
pub fn run(root: &Path, corpus: Option<&Options>) -> Result<(), String> {
    match corpus {
        None => seeds::run(root),
        Some(options) => corpus::run(root, options),
    }
}

/// Kills the mock servers however the run ends.
struct Servers(Vec<Child>);

impl Drop for Servers {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The Prism binary, installed into `cache` if it is not there yet.
fn install(cache: &Path) -> Result<PathBuf, String> {
    crate::npm::install(cache, PRISM, "node_modules/.bin/prism")
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("error: no free port: {e}"))
}

fn wait_for(port: u16, limit: Duration) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("nothing listens on port {port} after {limit:?}"))
}
