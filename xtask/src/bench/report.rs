//! The bench's report: what was measured, as markdown tables (`.cache/bench/report.md`).

use std::fmt::Write as _;

use super::measure::{self, cell, duration, memory, ratio, thousands};
use super::peers::{Tool, Tools};
use super::{load_average, Build, Context, Generated, Generation, Input};

/// The peers the summary sets ours against.
const PEERS: [Tool; 3] = [
    Tool::Progenitor,
    Tool::OpenApiGenerator,
    Tool::OpenApiToRust,
];

/// A markdown table.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n|", header.join(" | "));
    for _ in header {
        out.push_str("---|");
    }
    out.push('\n');
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out
}

/// The whole report: the context, then a section per measure, then what was not measured.
pub(super) fn render(
    context: &Context,
    inputs: &[Input],
    runs: usize,
    tools: &Tools,
    generations: &[Generation],
    in_memory: &[Vec<String>],
    builds: Option<&[Build]>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "`{}`, {}.\n", context.command, context.date);
    let _ = writeln!(
        out,
        "Machine: {}, {} at the end.\n",
        context.machine,
        load_average()
    );
    let _ = writeln!(out, "Versions: {}.\n", context.versions);
    summary(&mut out, inputs, runs, generations);
    generation(&mut out, inputs, runs, tools, generations);
    ours_in_memory(&mut out, runs, in_memory);
    if let Some(builds) = builds {
        build_table(&mut out, inputs, builds);
    }
    footnotes(&mut out, tools);
    out
}

/// The generation of `input` by `tool`, if it ran.
fn find(
    generations: &[Generation],
    input: usize,
    tool: Tool,
) -> Option<&Result<Generated, String>> {
    generations
        .iter()
        .find(|g| g.input == input && g.tool == tool)
        .map(|g| &g.result)
}

/// The summary: one row per spec, each tool's generation in one cell.
fn summary(out: &mut String, inputs: &[Input], runs: usize, generations: &[Generation]) {
    let mut header = vec!["spec".to_owned(), "ours".to_owned()];
    for peer in PEERS {
        header.push(peer.label());
        header.push(format!("ours ÷ {}", peer.label()));
    }
    let mut rows = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let ours = find(generations, i, Tool::Ours);
        let mut row = vec![input.label.clone(), summary_cell(ours)];
        for peer in PEERS {
            let theirs = find(generations, i, peer);
            row.push(summary_cell(theirs));
            row.push(match (ours, theirs) {
                (Some(Ok(a)), Some(Ok(b))) => format!(
                    "{} time, {} memory",
                    ratio(a.wall.as_secs_f64(), b.wall.as_secs_f64()),
                    ratio(a.peak_kb as f64, b.peak_kb as f64)
                ),
                _ => "—".to_owned(),
            });
        }
        rows.push(row);
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let _ = writeln!(
        out,
        "## Summary: generation (wall time and peak memory, median of {runs}; generated .rs lines)\n"
    );
    out.push_str(&table(&header, &rows));
}

/// Generation as a child process, one row per tool and spec.
fn generation(
    out: &mut String,
    inputs: &[Input],
    runs: usize,
    tools: &Tools,
    generations: &[Generation],
) {
    let mut rows = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let ours = find(generations, i, Tool::Ours);
        for tool in Tool::ALL {
            let Some(result) = find(generations, i, tool) else {
                continue;
            };
            if tool != Tool::Ours && tools.available(tool).is_err() {
                continue; // said once, below the tables
            }
            let mut row = vec![input.label.clone(), tool.label()];
            match result {
                Ok(g) => {
                    row.extend([
                        "ok".to_owned(),
                        duration(g.wall),
                        memory(g.peak_kb),
                        thousands(g.files),
                        thousands(g.lines),
                    ]);
                    match (tool, ours) {
                        (Tool::Ours, _) | (_, None | Some(Err(_))) => {
                            row.extend(["—".to_owned(), "—".to_owned()]);
                        }
                        (_, Some(Ok(o))) => row.extend([
                            ratio(o.wall.as_secs_f64(), g.wall.as_secs_f64()),
                            ratio(o.peak_kb as f64, g.peak_kb as f64),
                        ]),
                    }
                }
                Err(why) => {
                    row.push(cell(why, 240));
                    row.extend(std::iter::repeat_n("—".to_owned(), 6));
                }
            }
            rows.push(row);
        }
    }
    let _ = writeln!(
        out,
        "\n## Generation as a child process (median of {runs} runs)\n\nEach tool writes its crate into an emptied directory; ours is `xtask generate` (formatted by the generator; rustfmt runs only when a project asks for it). Peak memory is the process tree's largest process (`wait4`).\n"
    );
    out.push_str(&table(
        &[
            "spec",
            "tool",
            "result",
            "wall",
            "peak memory",
            ".rs files",
            ".rs lines",
            "ours ÷ tool: time",
            "ours ÷ tool: memory",
        ],
        &rows,
    ));
}

/// Ours in memory, against the parse floor.
fn ours_in_memory(out: &mut String, runs: usize, in_memory: &[Vec<String>]) {
    let _ = writeln!(
        out,
        "\n## Ours in memory, against the parse floor (median of {runs})\n\nLoad, resolve, emit, prettyplease; no rustfmt, no disk. Peak memory is the harness's own so far.\n"
    );
    out.push_str(&table(
        &[
            "spec",
            "parse",
            "generate",
            "generate / parse",
            "generated lines",
            "peak memory after",
        ],
        in_memory,
    ));
}

/// The builds of the generated crates.
fn build_table(out: &mut String, inputs: &[Input], builds: &[Build]) {
    let mut rows = Vec::new();
    for build in builds {
        // A peer's default build against ours, its cold build against ours.
        let kind = if build.features == super::COLD {
            super::COLD
        } else {
            "default"
        };
        let ours = builds
            .iter()
            .find(|b| b.input == build.input && b.tool == Tool::Ours && b.features == kind);
        let features = match build.crates {
            Some(crates) => format!("{} ({crates} crates)", build.features),
            None => build.features.clone(),
        };
        let mut row = vec![
            inputs[build.input].label.clone(),
            build.tool.label(),
            features,
        ];
        match &build.result {
            Ok((wall, peak, warnings)) => {
                row.extend([
                    "ok".to_owned(),
                    duration(*wall),
                    memory(*peak),
                    thousands(*warnings),
                ]);
                match ours.map(|o| &o.result) {
                    Some(Ok((ours_wall, ours_peak, _)))
                        if build.tool != Tool::Ours && build.features.starts_with("default") =>
                    {
                        row.extend([
                            ratio(ours_wall.as_secs_f64(), wall.as_secs_f64()),
                            ratio(*ours_peak as f64, *peak as f64),
                        ]);
                    }
                    _ => row.extend(["—".to_owned(), "—".to_owned()]),
                }
            }
            Err(why) => {
                row.push(cell(why, 240));
                row.extend(std::iter::repeat_n("—".to_owned(), 5));
            }
        }
        rows.push(row);
    }
    let _ = writeln!(
        out,
        "\n## Build of the generated crates (`cargo build`, dev profile, dependencies already built, one run)\n\nPeak memory is the largest process of the build (the crate's `rustc`). The `cold` rows are a first build from an empty target directory, every dependency compiled (the first seed's crate).\n"
    );
    out.push_str(&table(
        &[
            "spec",
            "tool",
            "features",
            "result",
            "wall",
            "peak memory",
            "warnings",
            "ours ÷ tool: time",
            "ours ÷ tool: memory",
        ],
        &rows,
    ));
}

/// What every child's peak includes, and the peers that were not measured.
fn footnotes(out: &mut String, tools: &Tools) {
    let _ = writeln!(
        out,
        "\nEvery child's peak includes the harness's resident size when it started the child (Linux counts the image it replaces): at most {} here.",
        memory(measure::floor_kb())
    );
    let missing: Vec<String> = PEERS
        .iter()
        .filter_map(|&p| {
            tools
                .available(p)
                .err()
                .map(|e| format!("{}: {e}", p.label()))
        })
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "\nNot measured: {}.", missing.join("; "));
    }
}

/// `0.21 s · 31 MiB · 1,706 lines`, or why the tool failed (shortened).
fn summary_cell(result: Option<&Result<Generated, String>>) -> String {
    match result {
        Some(Ok(g)) => format!(
            "{} · {} · {} lines",
            duration(g.wall),
            memory(g.peak_kb),
            thousands(g.lines)
        ),
        Some(Err(why)) if why.starts_with("not run") => "not run".to_owned(),
        Some(Err(why)) => {
            // `fails: exit 101: thread 'main' panicked at x.rs:1:2: message` -> `panics at ...`
            let short = why
                .split_once("thread 'main' panicked at ")
                .map_or_else(|| why.clone(), |(_, rest)| format!("panics at {rest}"));
            cell(&short, 120)
        }
        None => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use super::*;

    #[test]
    fn tables_render() {
        let rows = vec![vec!["a".to_owned(), "1".to_owned()]];
        assert_eq!(
            table(&["x", "y"], &rows),
            "| x | y |\n|---|---|\n| a | 1 |\n"
        );
    }

    #[test]
    fn summary_cells() {
        let g = Generated {
            wall: Duration::from_millis(210),
            peak_kb: 31 * 1024,
            files: 3,
            lines: 1706,
            dir: PathBuf::new(),
        };
        assert_eq!(
            summary_cell(Some(&Ok(g))),
            "210.0 ms · 31.0 MiB · 1,706 lines"
        );
        assert_eq!(
            summary_cell(Some(&Err("fails: a|b".to_owned()))),
            "fails: a\\|b"
        );
        assert_eq!(summary_cell(None), "—");
        let panic =
            "fails: exit 101: thread 'main' panicked at p-0.1/src/m.rs:1:9: assertion failed";
        assert_eq!(
            summary_cell(Some(&Err(panic.to_owned()))),
            "panics at p-0.1/src/m.rs:1:9: assertion failed"
        );
    }
}
