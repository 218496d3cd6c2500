//! `cargo xtask conformance --corpus`: specs of the APIs.guru collection, each generated into a
//! client beside its driver, every operation called against Prism serving the spec: once with
//! its static examples (and once per error status it declares, asking Prism for it), then once
//! per seed with dynamic responses.

use std::collections::VecDeque;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use codegen::model::Api;
use codegen::{CrateOptions, Runtime, RuntimeDependency, Spec};

use super::classify::{self, Call, Schemas};
use super::{build, driver, free_port, install, mockdoc, plan, report, wait_for, Servers};
use crate::corpus::sources::{self, Kind};

pub struct Options {
    pub sample: Option<usize>,
    pub seed: u64,
    /// Only the specs whose path in the collection contains one of these.
    pub specs: Vec<String>,
    /// Passes with dynamic responses, each with its own seed.
    pub dynamic: usize,
    /// Specs per `cargo build`.
    pub batch: usize,
    /// Specs driven at once (each with its own Prism servers).
    pub jobs: usize,
    /// Exit 1 when a failure is the generator's.
    pub deny_generator: bool,
}

/// One spec of the run: what became of it, stage by stage.
pub struct SpecRun {
    pub name: String,
    pub krate: String,
    /// Why it was not driven (load, generation, build, Prism), if it was not.
    pub failure: Option<String>,
    pub api: Option<Api>,
    pub doc: Value,
    /// Operations `--skip-unsupported` left out of the client.
    pub left_out: usize,
    /// Examples of the spec that contradict their schema (replaced by made values).
    pub bad_examples: usize,
    pub calls: Vec<Call>,
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let prism = install(&root.join(".cache/prism"))?;
    let cache = root.join(".cache/conformance");
    let work = cache.join("work");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("drivers")).map_err(|e| e.to_string())?;
    let kinds = [Kind::OpenApi30, Kind::OpenApi31];
    let mut inputs = sources::inputs(&root.join(".cache/corpus"), root, &[], &kinds)?;
    let total = inputs.len();
    if !options.specs.is_empty() {
        inputs.retain(|s| options.specs.iter().any(|p| s.name.contains(p.as_str())));
    }
    if let Some(n) = options.sample {
        inputs = sources::sample(inputs, n, options.seed);
    }
    eprintln!(
        "conformance: {} of {total} specs of the collection",
        inputs.len()
    );
    let started = Instant::now();
    let runtime = root.join("runtime");
    let mut runs: Vec<SpecRun> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| prepare(i, input, &work, &runtime, options.seed))
        .collect();
    let prepare_s = started.elapsed().as_secs_f64();
    let mut build_s = 0.0;
    let mut drive_s = 0.0;
    let ready: Vec<usize> = (0..runs.len())
        .filter(|&i| runs[i].failure.is_none())
        .collect();
    for (b, batch) in ready.chunks(options.batch.max(1)).enumerate() {
        let t = Instant::now();
        let crates: Vec<String> = batch.iter().map(|&i| runs[i].krate.clone()).collect();
        let built = build::build(&work, &cache.join("target"), &runtime, &crates, b)?;
        build_s += t.elapsed().as_secs_f64();
        for &i in batch {
            if let Some(e) = built.failed.get(&runs[i].krate) {
                runs[i].failure = Some(format!("build: {e}"));
            }
        }
        let Some(runner) = built.runner else { continue };
        let t = Instant::now();
        let todo: Vec<usize> = batch
            .iter()
            .copied()
            .filter(|&i| runs[i].failure.is_none())
            .collect();
        drive(&mut runs, &todo, &runner, &prism, &work, options);
        drive_s += t.elapsed().as_secs_f64();
        eprintln!(
            "batch {}: {} specs built and driven ({:.0} s so far)",
            b + 1,
            todo.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let timing = report::Timing {
        prepare_s,
        build_s,
        drive_s,
        total_s: started.elapsed().as_secs_f64(),
    };
    let judged = report::judge_all(&mut runs);
    let text = report::markdown(&runs, &judged, &timing, options, total);
    std::fs::write(cache.join("report.md"), &text).map_err(|e| e.to_string())?;
    report::evidence(&cache.join("failures.jsonl"), &runs, &judged)?;
    println!("{}", report::summary(&text));
    println!("full report: {}", cache.join("report.md").display());
    let (passed, total_ops) = report::operations(&judged);
    let generator = report::generator_failures(&judged);
    let denied = options.deny_generator && generator > 0;
    if denied {
        eprintln!("error: {generator} operations fail by the generator's fault (--deny-generator)");
    }
    // The last line, whatever the verdict (the message above is already out).
    println!(
        "operations: {passed}/{total_ops} passed ({:.1}%)",
        if total_ops == 0 {
            0.0
        } else {
            100.0 * passed as f64 / total_ops as f64
        }
    );
    if denied {
        return Err(String::new());
    }
    Ok(())
}

/// Loads, generates and plans one spec into `work/<crate>` (the client), `work/<crate>.json`
/// (the document Prism serves: the one the client was generated from, as OpenAPI 3.0, made
/// servable by [`mockdoc`]),
/// `work/<crate>.plan.json` and `work/drivers/<crate>.rs`.
fn prepare(i: usize, input: &sources::Input, work: &Path, runtime: &Path, seed: u64) -> SpecRun {
    let krate = format!("c{i:04}");
    let mut run = SpecRun {
        name: input.name.clone(),
        krate: krate.clone(),
        failure: None,
        api: None,
        doc: Value::Null,
        left_out: 0,
        bad_examples: 0,
        calls: Vec::new(),
    };
    if let Err(e) = prepare_into(&mut run, input, work, runtime, seed) {
        run.failure = Some(e);
    }
    run
}

fn prepare_into(
    run: &mut SpecRun,
    input: &sources::Input,
    work: &Path,
    runtime: &Path,
    seed: u64,
) -> Result<(), String> {
    let text = std::fs::read_to_string(&input.path).map_err(|e| format!("read: {e}"))?;
    let mut spec = Spec::new(&input.path, text);
    spec.module = "api".to_owned();
    spec.tag_features = codegen::model::TagFeatures::Never;
    let first = |e: codegen::Errors| e.0.first().map(|d| d.message.clone()).unwrap_or_default();
    let loaded = spec
        .load()
        .map_err(|e| format!("load: {}", first(codegen::Errors(e))))?;
    let options = CrateOptions::new(run.krate.clone())
        .standalone(false)
        .runtime(Runtime::Crate(RuntimeDependency {
            path: Some(runtime.to_path_buf()),
            ..RuntimeDependency::default()
        }));
    let attempt = |spec: &Spec| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            codegen::generate(std::slice::from_ref(spec), &options)
        }))
        .map_err(|_| "generate: PANIC in the generator".to_owned())
    };
    // Strict first; when that fails, without the operations the generator cannot type (as
    // `cargo xtask corpus` does): the report counts them.
    let out = match attempt(&spec)? {
        Ok(out) => out,
        Err(_) => {
            spec.selection.skip_unsupported = true;
            attempt(&spec)?.map_err(|e| format!("generate: {}", first(e)))?
        }
    };
    run.left_out = out
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("operation left out"))
        .count();
    let (api, _) = codegen::model_of(&spec).map_err(|e| format!("model: {}", first(e)))?;
    codegen::write::write_tree(&work.join(&run.krate), &out.files)
        .map_err(|e| format!("write: {e}"))?;
    let doc = loaded.raw;
    let mut schemas = Schemas::new(&doc);
    let planned = plan::plan(&api, &doc, &mut schemas, seed);
    run.bad_examples = planned.iter().map(|p| p.bad_examples.len()).sum();
    let (routes, mock) = mockdoc::mock_document(&api, &doc);
    let ops: Vec<Value> = api
        .operations
        .iter()
        .zip(&planned)
        .zip(&routes)
        .map(|((op, p), route)| {
            json!({"args": p.args, "codes": classify::error_codes(&doc, op), "route": route})
        })
        .collect();
    let write = |name: String, text: String| {
        std::fs::write(work.join(&name), text).map_err(|e| format!("write {name}: {e}"))
    };
    write(
        format!("{}.plan.json", run.krate),
        json!({"ops": ops}).to_string(),
    )?;
    write(format!("{}.json", run.krate), mock.to_string())?;
    write(
        format!("drivers/{}.rs", run.krate),
        driver::module(&api, &run.krate),
    )?;
    run.api = Some(api);
    run.doc = doc;
    Ok(())
}

/// Drives the specs `todo` of `runs`, `options.jobs` at a time.
fn drive(
    runs: &mut [SpecRun],
    todo: &[usize],
    runner: &Path,
    prism: &Path,
    work: &Path,
    options: &Options,
) {
    let queue: Mutex<VecDeque<(usize, String)>> =
        Mutex::new(todo.iter().map(|&i| (i, runs[i].krate.clone())).collect());
    type Driven = (usize, Result<Vec<Call>, String>);
    let results: Mutex<Vec<Driven>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                let Some((i, krate)) = next else { break };
                let calls = drive_one(&krate, runner, prism, work, options);
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((i, calls));
            });
        }
    });
    for (i, calls) in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        match calls {
            Ok(calls) => runs[i].calls = calls,
            Err(e) => runs[i].failure = Some(e),
        }
    }
}

/// One spec: a Prism with static responses and one per dynamic seed, all started at once, then
/// the runner once against each.
fn drive_one(
    krate: &str,
    runner: &Path,
    prism: &Path,
    work: &Path,
    options: &Options,
) -> Result<Vec<Call>, String> {
    let doc = work.join(format!("{krate}.json"));
    let mut passes: Vec<(String, Vec<String>)> = vec![("static".to_owned(), Vec::new())];
    for k in 0..options.dynamic {
        let seed = (options.seed + k as u64).to_string();
        passes.push((
            format!("dynamic-{}", k + 1),
            vec!["--dynamic".to_owned(), "--seed".to_owned(), seed],
        ));
    }
    let mut servers = Servers(Vec::new());
    let mut ports = Vec::new();
    for (pass, flags) in &passes {
        let port = free_port()?;
        let log = std::fs::File::create(work.join(format!("{krate}.{pass}.log")))
            .map_err(|e| format!("prism log: {e}"))?;
        let err = log.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(prism)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .args(flags)
            .arg(&doc)
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(err))
            .spawn()
            .map_err(|e| format!("prism: cannot start: {e}"))?;
        servers.0.push(child);
        ports.push(port);
    }
    let mut calls = Vec::new();
    for ((pass, _), port) in passes.iter().zip(&ports) {
        wait_for(*port, Duration::from_secs(180))
            .map_err(|e| format!("prism: did not start: {e} (see {krate}.{pass}.log)"))?;
        let output = Command::new(runner)
            .arg(krate)
            .arg(format!("http://127.0.0.1:{port}"))
            .arg(work.join(format!("{krate}.plan.json")))
            .arg(pass)
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("runner: {e}"))?;
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            if let Ok(value) = serde_json::from_str::<Value>(line) {
                calls.push(Call::from_json(value));
            }
        }
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(format!(
                "runner failed ({}): {}",
                output.status,
                stderr.lines().take(3).collect::<Vec<_>>().join(" ")
            ));
        }
    }
    drop(servers);
    Ok(calls)
}
