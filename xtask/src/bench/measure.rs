//! Measuring a child process: wall time and peak resident memory, and the small pure helpers the
//! report needs (median, units, error lines, line counts).
//!
//! Peak memory comes from `wait4(2)`: the kernel's `ru_maxrss` of the reaped child, which covers
//! the child itself and every descendant it waited for (the largest single process of the tree,
//! not a sum). For `cargo build` that is the biggest `rustc`; for `java -jar` the JVM; for our
//! `xtask generate` the generator (or a `rustfmt` it ran, if larger).

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One finished child process.
#[derive(Debug, Clone)]
pub struct Run {
    pub wall: Duration,
    /// `ru_maxrss`, in KiB (Linux's unit).
    pub max_rss_kb: u64,
    /// `None` when the process exited 0; otherwise `exit N` or `signal N`.
    pub failure: Option<String>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.failure.is_none()
    }

    /// One line saying why it failed (the first error line of its output), for a table cell.
    pub fn why(&self) -> String {
        let line = first_error(&self.stderr)
            .or_else(|| first_error(&self.stdout))
            .unwrap_or_default();
        let status = self.failure.clone().unwrap_or_default();
        if line.is_empty() {
            status
        } else {
            format!("{status}: {line}")
        }
    }
}

/// Runs `cmd` to completion with stdin closed and its output collected in `log_stem.out` and
/// `log_stem.err` (files, so a talkative child never blocks on a full pipe), and measures it.
pub fn run(cmd: &mut Command, log_stem: &Path) -> Result<Run, String> {
    if let Some(dir) = log_stem.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let out_path = log_stem.with_extension("out");
    let err_path = log_stem.with_extension("err");
    let out = File::create(&out_path).map_err(|e| format!("{}: {e}", out_path.display()))?;
    let err = File::create(&err_path).map_err(|e| format!("{}: {e}", err_path.display()))?;
    reset_own_peak();
    if let Some(rss) = own_kb("VmRSS") {
        FLOOR_KB.fetch_max(rss, Ordering::Relaxed);
    }
    let started = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let (status, usage) = wait4(child.id())?;
    let wall = started.elapsed();
    // The child is reaped; dropping the handle neither waits nor kills.
    drop(child);
    let read = |p: &Path| {
        std::fs::read(p)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    };
    Ok(Run {
        wall,
        max_rss_kb: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        failure: decode_status(status),
        stdout: read(&out_path),
        stderr: read(&err_path),
    })
}

/// The largest resident size this process had when it started a measured child.
static FLOOR_KB: AtomicU64 = AtomicU64::new(0);

/// What every child's peak includes at least: Linux starts a child's `ru_maxrss` at the peak of
/// the memory image it replaces at `exec`, which is this process's (a `vfork`-style spawn shares
/// it). [`run`] resets this process's peak to its current size before each spawn
/// (`/proc/self/clear_refs`), so the floor is this process's resident size at that moment.
pub fn floor_kb() -> u64 {
    FLOOR_KB.load(Ordering::Relaxed)
}

/// Sets this process's `VmHWM` (peak resident size) back to its current size (Linux ≥ 4.0).
fn reset_own_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Waits for `pid` (a child of this process) and returns its wait status and resource usage.
fn wait4(pid: u32) -> Result<(libc::c_int, libc::rusage), String> {
    let pid = libc::pid_t::try_from(pid).map_err(|e| e.to_string())?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live, writable locals of the right types.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return Ok((status, usage));
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4({pid}): {error}"));
        }
    }
}

/// `None` for a clean exit, else what ended the process.
pub fn decode_status(status: libc::c_int) -> Option<String> {
    if libc::WIFEXITED(status) {
        match libc::WEXITSTATUS(status) {
            0 => None,
            code => Some(format!("exit {code}")),
        }
    } else if libc::WIFSIGNALED(status) {
        Some(format!("signal {}", libc::WTERMSIG(status)))
    } else {
        Some(format!("wait status {status}"))
    }
}

/// The middle value (the lower middle one for an even count); `None` for no values.
pub fn median<T: Ord + Copy>(values: &[T]) -> Option<T> {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted.get(sorted.len().saturating_sub(1) / 2).copied()
}

/// The line that says what went wrong in a tool's output: a Rust panic (with its message when
/// the message is on the next line), else the first `error`/`ERROR`/`Exception` line.
pub fn first_error(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(i) = lines.iter().position(|l| l.contains("panicked at")) {
        let mut line = lines[i].to_owned();
        if line.ends_with(':') {
            if let Some(message) = lines.get(i + 1) {
                line.push(' ');
                line.push_str(message);
            }
        }
        return Some(shorten_panic(&line));
    }
    lines
        .iter()
        .find(|l| {
            let lower = l.to_ascii_lowercase();
            lower.starts_with("error") || l.contains(" ERROR ") || l.contains("Exception")
        })
        .map(|l| (*l).to_owned())
}

/// `thread 'main' (31478) panicked at /root/.cargo/registry/src/index.crates.io-…/x-1.0/src/a.rs:1:2: m`
/// -> `thread 'main' panicked at x-1.0/src/a.rs:1:2: m` (no process-specific thread id, no
/// registry path).
fn shorten_panic(line: &str) -> String {
    let mut line = line.to_owned();
    if let Some(open) = line.find("' (") {
        if let Some(close) = line[open..].find(") panicked") {
            let id = &line[open + 3..open + close];
            if id.chars().all(|c| c.is_ascii_digit()) {
                line.replace_range(open + 1..open + close + 1, "");
            }
        }
    }
    if let Some(start) = line.find("/registry/src/") {
        let from = line[..start].rfind(' ').map_or(0, |i| i + 1);
        let index = start + "/registry/src/".len();
        if let Some(slash) = line[index..].find('/') {
            line.replace_range(from..index + slash + 1, "");
        }
    }
    line
}

/// Makes a text safe for one markdown table cell, and at most `max` characters long.
pub fn cell(text: &str, max: usize) -> String {
    let flat = text.replace('|', "\\|").replace(['\n', '\r'], " ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// `.rs` files under `dir` (any depth, `target/` skipped) and their total line count.
pub fn rust_lines(dir: &Path) -> (usize, usize) {
    let mut files = 0;
    let mut lines = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                lines += std::fs::read_to_string(&path)
                    .map(|t| t.lines().count())
                    .unwrap_or(0);
            }
        }
    }
    (files, lines)
}

/// `12.3 ms`, `4.56 s`, `3 min 05 s`.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 1.0 {
        format!("{:.1} ms", secs * 1000.0)
    } else if secs < 100.0 {
        format!("{secs:.2} s")
    } else {
        let whole = d.as_secs();
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

/// KiB as `8.4 MiB`, `497 MiB` or `9.01 GiB`.
pub fn memory(kb: u64) -> String {
    let mib = kb as f64 / 1024.0;
    if mib < 100.0 {
        format!("{mib:.1} MiB")
    } else if mib < 1024.0 {
        format!("{mib:.0} MiB")
    } else {
        format!("{:.2} GiB", mib / 1024.0)
    }
}

/// `246,404`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `0.05×`: `ours / peer`, with enough digits to tell small ratios apart.
pub fn ratio(ours: f64, peer: f64) -> String {
    if peer <= 0.0 {
        return "-".to_owned();
    }
    let r = ours / peer;
    if r < 0.1 {
        format!("{r:.3}×")
    } else if r < 10.0 {
        format!("{r:.2}×")
    } else {
        format!("{r:.0}×")
    }
}

/// A value of `/proc/meminfo` in KiB (`MemAvailable`, `MemTotal`).
pub fn meminfo_kb(key: &str) -> Option<u64> {
    parse_meminfo(&std::fs::read_to_string("/proc/meminfo").ok()?, key)
}

pub fn parse_meminfo(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        rest.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// A size of this process in `/proc/self/status` (`VmHWM`: peak resident, `VmRSS`), in KiB.
pub fn own_kb(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_meminfo(&status, key)
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    civil_date(days)
}

/// Days since 1970-01-01 -> `YYYY-MM-DD` (proleptic Gregorian; H. Hinnant's algorithm).
pub fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle() {
        assert_eq!(median::<u32>(&[]), None);
        assert_eq!(median(&[7]), Some(7));
        assert_eq!(median(&[9, 1, 5]), Some(5));
        assert_eq!(median(&[4, 1, 3, 2]), Some(2));
        let ms = |n| Duration::from_millis(n);
        assert_eq!(median(&[ms(30), ms(10), ms(20)]), Some(ms(20)));
    }

    #[test]
    fn a_panic_is_told_with_its_message() {
        let stderr = "\nthread 'main' panicked at src/main.rs:3:5:\nboom\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            first_error(stderr).unwrap(),
            "thread 'main' panicked at src/main.rs:3:5: boom"
        );
        let stderr = "thread 'main' (31478) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/progenitor-impl-0.15.1/src/method.rs:1220:9:\nassertion failed: response_types.len() <= 1\n";
        assert_eq!(
            first_error(stderr).unwrap(),
            "thread 'main' panicked at progenitor-impl-0.15.1/src/method.rs:1220:9: assertion failed: response_types.len() <= 1"
        );
    }

    #[test]
    fn error_lines_are_found() {
        let cargo = "   Compiling x v0.1.0\nerror: failed to parse manifest at `/a/Cargo.toml`\n\nCaused by:\n  unexpected character\n";
        assert_eq!(
            first_error(cargo).unwrap(),
            "error: failed to parse manifest at `/a/Cargo.toml`"
        );
        let java = "[main] INFO  o.o.codegen.X - ok\n[main] ERROR o.o.codegen.Y - broken\n";
        assert_eq!(
            first_error(java).unwrap(),
            "[main] ERROR o.o.codegen.Y - broken"
        );
        assert_eq!(first_error("all\nfine\n"), None);
    }

    #[test]
    fn cells_are_escaped_and_cut() {
        assert_eq!(cell("a|b\nc", 100), "a\\|b c");
        assert_eq!(cell("abcdef", 4), "abc…");
    }

    #[test]
    fn exit_statuses_decode() {
        assert_eq!(decode_status(0), None);
        assert_eq!(decode_status(101 << 8), Some("exit 101".to_owned()));
        assert_eq!(decode_status(9), Some("signal 9".to_owned()));
    }

    #[test]
    fn units() {
        assert_eq!(duration(Duration::from_micros(1_500)), "1.5 ms");
        assert_eq!(duration(Duration::from_millis(2_145)), "2.15 s");
        assert_eq!(duration(Duration::from_secs(242)), "4 min 02 s");
        assert_eq!(memory(8_600), "8.4 MiB");
        assert_eq!(memory(497_796), "486 MiB");
        assert_eq!(memory(9_437_184), "9.00 GiB");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(246_404), "246,404");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(ratio(1.0, 4.0), "0.25×");
        assert_eq!(ratio(1.0, 40.0), "0.025×");
        assert_eq!(ratio(30.0, 2.0), "15×");
        assert_eq!(ratio(1.0, 0.0), "-");
    }

    #[test]
    fn meminfo_and_status_values_parse() {
        let text = "MemTotal:       24567560 kB\nMemAvailable:   23736860 kB\n";
        assert_eq!(parse_meminfo(text, "MemAvailable"), Some(23_736_860));
        assert_eq!(parse_meminfo(text, "MemFree"), None);
        assert_eq!(parse_meminfo("VmHWM:\t  7468 kB\n", "VmHWM"), Some(7468));
    }

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_454), "2026-01-01");
    }

    #[test]
    fn rust_lines_skip_other_files_and_target() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-lines-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src/apis")).unwrap();
        std::fs::create_dir_all(dir.join("target/debug")).unwrap();
        std::fs::write(dir.join("src/lib.rs"), "a\nb\n").unwrap();
        std::fs::write(dir.join("src/apis/x.rs"), "c\n").unwrap();
        std::fs::write(dir.join("README.md"), "d\ne\nf\n").unwrap();
        std::fs::write(dir.join("target/debug/build.rs"), "g\n").unwrap();
        assert_eq!(rust_lines(&dir), (2, 3));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_child_is_measured() {
        let stem = std::env::temp_dir().join(format!("xtask-bench-run-{}", std::process::id()));
        let ok = run(Command::new("sh").args(["-c", "echo hi"]), &stem).unwrap();
        assert!(ok.ok(), "{ok:?}");
        assert_eq!(ok.stdout, "hi\n");
        assert!(ok.max_rss_kb > 0);
        let failed = run(
            Command::new("sh").args(["-c", "echo 'error: no' >&2; exit 3"]),
            &stem,
        )
        .unwrap();
        assert_eq!(failed.why(), "exit 3: error: no");
        let _ = std::fs::remove_file(stem.with_extension("out"));
        let _ = std::fs::remove_file(stem.with_extension("err"));
    }

    /// A child's peak does not include what this process once held (only what it holds).
    #[test]
    fn a_child_peak_leaves_out_the_parent_past_peak() {
        // Straight from the system allocator (a 256 MiB block is an `mmap`, unmapped on free):
        // xtask's global allocator may keep freed memory resident for a while.
        use std::alloc::{GlobalAlloc, Layout, System};
        let layout = Layout::from_size_align(256 << 20, 4096).unwrap();
        // SAFETY: the layout is non-zero in size; the block is written in bounds, then freed
        // once with the same layout.
        unsafe {
            let big = System.alloc(layout);
            assert!(!big.is_null());
            for page in (0..layout.size()).step_by(4096) {
                big.add(page).write_volatile(1);
            }
            System.dealloc(big, layout);
        }
        let stem = std::env::temp_dir().join(format!("xtask-bench-peak-{}", std::process::id()));
        let run = run(&mut Command::new("true"), &stem).unwrap();
        assert!(run.max_rss_kb < 128 << 10, "{} KiB", run.max_rss_kb);
        let _ = std::fs::remove_file(stem.with_extension("out"));
        let _ = std::fs::remove_file(stem.with_extension("err"));
    }
}
