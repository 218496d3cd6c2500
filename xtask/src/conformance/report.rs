//! The report of a corpus run: rates per stage (calls and operations), failures by class and
//! by cause with an example each, a table per spec, and the evidence of every failure
//! (request, response, the client's error) in `failures.jsonl` beside it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;

use super::classify::{judge, Call, Class, Schemas, Stage, Verdict};
use super::corpus::{Options, SpecRun};

/// Where the report's summary ends and the tables start.
const SPEC_TABLE: &str = "\n## Table per spec\n";

pub struct Timing {
    pub prepare_s: f64,
    pub build_s: f64,
    pub drive_s: f64,
    pub total_s: f64,
}

/// Every call's verdict, per spec (in the runs' order), and per operation whether it passed.
pub struct Judged {
    /// Per spec: per call, its verdict (`None`: passed).
    pub calls: Vec<Vec<Option<Verdict>>>,
    /// Per spec: per operation of its model, whether every call of it passed (`false` for the
    /// operations of a spec that was generated but not driven).
    pub ops: Vec<Vec<bool>>,
    /// Per spec: per operation, the verdict of its first failed call.
    pub first: Vec<Vec<Option<Verdict>>>,
}

pub fn judge_all(runs: &mut [SpecRun]) -> Judged {
    let mut judged = Judged {
        calls: Vec::new(),
        ops: Vec::new(),
        first: Vec::new(),
    };
    for run in runs.iter() {
        let n = run.api.as_ref().map_or(0, |a| a.operations.len());
        let mut ops = vec![run.failure.is_none(); n];
        let mut first: Vec<Option<Verdict>> = vec![None; n];
        let mut verdicts = Vec::new();
        if let (Some(api), None) = (&run.api, &run.failure) {
            let mut schemas = Schemas::new(&run.doc);
            let mut called = vec![false; n];
            for call in &run.calls {
                let Some(op) = api.operations.get(call.op) else {
                    verdicts.push(None);
                    continue;
                };
                called[call.op] = true;
                let verdict = judge(call, &run.doc, op, &mut schemas);
                if verdict.is_some() {
                    ops[call.op] = false;
                    if first[call.op].is_none() {
                        first[call.op] = verdict.clone();
                    }
                }
                verdicts.push(verdict);
            }
            for (i, c) in called.iter().enumerate() {
                ops[i] &= c;
            }
        }
        judged.calls.push(verdicts);
        judged.ops.push(ops);
        judged.first.push(first);
    }
    judged
}

/// Passed and total operations of the specs that were generated.
pub fn operations(judged: &Judged) -> (usize, usize) {
    let total = judged.ops.iter().map(Vec::len).sum();
    let passed = judged.ops.iter().flatten().filter(|p| **p).count();
    (passed, total)
}

/// Operations whose first failure is the generator's.
pub fn generator_failures(judged: &Judged) -> usize {
    judged
        .first
        .iter()
        .flatten()
        .flatten()
        .filter(|v| v.class == Class::Generator)
        .count()
}

fn rate(n: usize, of: usize) -> String {
    if of == 0 {
        return "-".to_owned();
    }
    format!("{n}/{of} ({:.1}%)", 100.0 * n as f64 / of as f64)
}

/// The text before the table of specs.
pub fn summary(report: &str) -> &str {
    &report[..report.find(SPEC_TABLE).unwrap_or(report.len())]
}

pub fn markdown(
    runs: &[SpecRun],
    judged: &Judged,
    t: &Timing,
    options: &Options,
    total: usize,
) -> String {
    let mut out = String::new();
    let scope = match options.sample {
        Some(n) => format!(
            "a sample of {n} (seed {}) of the {total} specs",
            options.seed
        ),
        None if !options.specs.is_empty() => format!("the specs matching {:?}", options.specs),
        None => format!("all {total} specs"),
    };
    let _ = writeln!(
        out,
        "# Conformance: the APIs.guru collection against Prism, {scope}\n\n\
         Passes per operation: static (Prism's examples), each error status it declares (two at \
         most, `Prefer: code`), and {} dynamic (seeds {}..).\n",
        options.dynamic, options.seed
    );
    let driven = runs.iter().filter(|r| r.failure.is_none()).count();
    let generated = runs.iter().filter(|r| r.api.is_some()).count();
    let _ = writeln!(out, "## Specs by stage\n");
    let _ = writeln!(out, "| stage | specs |\n|---|---|");
    let _ = writeln!(
        out,
        "| generated (with `--skip-unsupported` if needed) | {} |",
        rate(generated, runs.len())
    );
    let _ = writeln!(out, "| built and driven | {} |", rate(driven, runs.len()));
    let left_out: usize = runs.iter().map(|r| r.left_out).sum();
    let bad: usize = runs.iter().map(|r| r.bad_examples).sum();
    let _ = writeln!(
        out,
        "\nOperations left out by `--skip-unsupported`: {left_out}. Examples of the specs that \
         contradict their own schema (replaced by values made from the schema): {bad}.\n"
    );
    stages(&mut out, runs, judged);
    classes(&mut out, judged);
    causes(&mut out, runs, judged);
    let _ = writeln!(
        out,
        "\nprepare (load, generate, plan): {:.1} s; build: {:.1} s; drive: {:.1} s; total {:.1} s (2 cores)\n",
        t.prepare_s, t.build_s, t.drive_s, t.total_s
    );
    spec_table(&mut out, runs, judged);
    out
}

/// Calls per stage: of those that reached it, how many passed.
fn stages(out: &mut String, runs: &[SpecRun], judged: &Judged) {
    let _ = writeln!(
        out,
        "## Rates per stage (calls)\n\n| stage | passed |\n|---|---|"
    );
    let calls: Vec<&Option<Verdict>> = judged.calls.iter().flatten().collect();
    let mut reached = calls.len();
    for stage in Stage::ALL {
        let failed = calls
            .iter()
            .filter(|v| v.as_ref().is_some_and(|v| v.stage == stage))
            .count();
        let _ = writeln!(
            out,
            "| {} | {} |",
            stage.name(),
            rate(reached - failed, reached)
        );
        reached -= failed;
    }
    let (passed, total) = operations(judged);
    let statics = pass_rate(runs, judged, |p| p == "static");
    let dynamics = pass_rate(runs, judged, |p| p.starts_with("dynamic"));
    let errors = pass_rate(runs, judged, |p| p.starts_with("static:"));
    let _ = writeln!(out, "\n| calls | passed |\n|---|---|");
    let _ = writeln!(
        out,
        "| static | {statics} |\n| error statuses | {errors} |\n| dynamic | {dynamics} |"
    );
    let _ = writeln!(
        out,
        "| **operations (every call passed)** | **{}** |\n",
        rate(passed, total)
    );
}

fn pass_rate(runs: &[SpecRun], judged: &Judged, pick: impl Fn(&str) -> bool) -> String {
    let mut n = 0;
    let mut ok = 0;
    for (run, verdicts) in runs.iter().zip(&judged.calls) {
        for (call, v) in run.calls.iter().zip(verdicts) {
            if pick(&call.pass) {
                n += 1;
                ok += usize::from(v.is_none());
            }
        }
    }
    rate(ok, n)
}

/// Failed operations by class of their first failure.
fn classes(out: &mut String, judged: &Judged) {
    let mut by: BTreeMap<Class, usize> = BTreeMap::new();
    for v in judged.first.iter().flatten().flatten() {
        *by.entry(v.class).or_default() += 1;
    }
    let _ = writeln!(
        out,
        "## Failed operations by class (first failure)\n\n| class | operations |\n|---|---|"
    );
    for (class, n) in &by {
        let _ = writeln!(out, "| {} | {n} |", class.name());
    }
}

/// Failed operations by cause (first failure), most frequent first, with an example each.
fn causes(out: &mut String, runs: &[SpecRun], judged: &Judged) {
    let mut by: BTreeMap<(Class, String), (usize, String)> = BTreeMap::new();
    for (run, first) in runs.iter().zip(&judged.first) {
        for (i, v) in first.iter().enumerate() {
            let Some(v) = v else { continue };
            let op = run
                .api
                .as_ref()
                .map_or(String::new(), |a| a.operations[i].operation_id.clone());
            let e = by
                .entry((v.class, crate::corpus::cause(&v.cause)))
                .or_insert((0, format!("{} `{op}`", run.name)));
            e.0 += 1;
        }
    }
    let mut by: Vec<_> = by.into_iter().collect();
    by.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let _ = writeln!(out, "\n## Top causes (first failure of each operation)\n");
    for ((class, cause), (n, example)) in by.iter().take(25) {
        let _ = writeln!(out, "- {n} × [{}] {cause} (e.g. {example})", class.name());
    }
    let not_driven: Vec<String> = runs
        .iter()
        .filter_map(|r| {
            r.failure
                .as_ref()
                .map(|f| format!("- {}: {}", r.name, one_line(f, 200)))
        })
        .collect();
    if !not_driven.is_empty() {
        let _ = writeln!(out, "\n## Specs not driven\n\n{}", not_driven.join("\n"));
    }
}

fn one_line(text: &str, n: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(n).collect::<String>().replace('|', "\\|")
}

fn spec_table(out: &mut String, runs: &[SpecRun], judged: &Judged) {
    let _ = writeln!(out, "{SPEC_TABLE}");
    let _ = writeln!(
        out,
        "| spec | operations | passed | generator | spec | mock | first failure |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for ((run, ops), first) in runs.iter().zip(&judged.ops).zip(&judged.first) {
        let passed = ops.iter().filter(|p| **p).count();
        let count = |c: Class| first.iter().flatten().filter(|v| v.class == c).count();
        let first_failure = match &run.failure {
            Some(f) => one_line(f, 160),
            None => first
                .iter()
                .flatten()
                .next()
                .map(|v| format!("[{}] {}", v.class.name(), one_line(&v.cause, 150)))
                .unwrap_or_default(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            run.name,
            ops.len(),
            passed,
            count(Class::Generator),
            count(Class::Spec),
            count(Class::Mock),
            first_failure
        );
    }
}

/// Every failed call with its evidence, one JSON object a line.
pub fn evidence(path: &Path, runs: &[SpecRun], judged: &Judged) -> Result<(), String> {
    let mut text = String::new();
    for (run, verdicts) in runs.iter().zip(&judged.calls) {
        for (call, v) in run.calls.iter().zip(verdicts) {
            let Some(v) = v else { continue };
            text.push_str(&line(run, call, v));
            text.push('\n');
        }
    }
    std::fs::write(path, text).map_err(|e| format!("error: writing {}: {e}", path.display()))
}

fn line(run: &SpecRun, call: &Call, v: &Verdict) -> String {
    let op = run.api.as_ref().and_then(|a| a.operations.get(call.op));
    json!({
        "spec": run.name,
        "crate": run.krate,
        "operation": op.map(|o| o.operation_id.clone()),
        "pass": call.pass,
        "stage": v.stage.name(),
        "class": v.class.name(),
        "cause": v.cause,
        "client": {"kind": call.kind, "message": call.message},
        "request": call.request,
        "response": call.response,
    })
    .to_string()
}
