//! `cargo xtask`: the project's commands.
//!
//! - `cargo xtask codegen [--check]`: regenerate `generated/` from every spec in `specs/`.
//! - `cargo xtask generate <SPEC>... --out <DIR> [--name <CRATE>]`: a standalone crate from any
//!   OpenAPI 3.0 file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::{CrateOptions, Spec};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "OpenAPI -> Rust generator tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from every spec in `specs/`.
    Codegen {
        /// Write nothing; fail, naming the stale files, if `generated/` is out of date.
        #[arg(long)]
        check: bool,
    },
    /// Generate a standalone crate from one or more OpenAPI 3.0 files (YAML or JSON).
    Generate {
        /// The spec files; each becomes a module named after its file stem.
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        /// The directory to write the crate to (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// The package name; by default the first spec's file stem.
        #[arg(long)]
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen { check } => codegen_workspace(check),
        Command::Generate { specs, out, name } => generate(&specs, &out, name),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (this crate's parent).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The options of the committed `generated/` crate.
fn workspace_options() -> CrateOptions {
    CrateOptions {
        name: "azure-keys".to_owned(),
        version: "0.1.0".to_owned(),
        description: "Typed clients for Azure Resource Manager key regeneration operations, generated from specs/.".to_owned(),
        standalone: false,
    }
}

/// Every `*.yaml`, `*.yml` and `*.json` file in `specs/`, sorted, with paths relative to the root.
fn workspace_specs(root: &Path) -> Result<Vec<Spec>, String> {
    let dir = root.join("specs");
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| format!("error: cannot read {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("error: cannot read {}: {e}", p.display()))?;
            let rel = p.strip_prefix(root).unwrap_or(p);
            Ok(Spec::new(rel, text))
        })
        .collect()
}

/// Generates the workspace crate in memory.
fn workspace_output(root: &Path) -> Result<codegen::Output, String> {
    let specs = workspace_specs(root)?;
    let mut output = codegen::generate(&specs, &workspace_options()).map_err(|e| e.to_string())?;
    polish(&mut output);
    Ok(output)
}

/// Settles formatting with the toolchain's `rustfmt`, so `cargo fmt --check` passes on the output.
fn polish(output: &mut codegen::Output) {
    if !codegen::format::rustfmt_all(&mut output.files) {
        eprintln!(
            "warning: rustfmt could not be run; the output is formatted by prettyplease alone"
        );
    }
}

fn print_warnings(output: &codegen::Output) {
    for w in &output.warnings {
        eprintln!("warning: {w}");
    }
}

fn codegen_workspace(check: bool) -> Result<(), String> {
    let root = root();
    let output = workspace_output(&root)?;
    print_warnings(&output);
    let dir = root.join("generated");
    if check {
        let stale =
            codegen::write::stale_files(&dir, &output.files).map_err(|e| format!("error: {e}"))?;
        if stale.is_empty() {
            println!("generated/ is up to date ({} files)", output.files.len());
            return Ok(());
        }
        let list: Vec<String> = stale
            .iter()
            .map(|p| format!("  generated/{}", p.display()))
            .collect();
        return Err(format!(
            "error: generated/ is stale; run `cargo xtask codegen` and commit the result:\n{}",
            list.join("\n")
        ));
    }
    let report = codegen::write::write_tree(&dir, &output.files)
        .map_err(|e| format!("error: writing generated/: {e}"))?;
    for p in &report.written {
        println!("wrote generated/{}", p.display());
    }
    for p in &report.removed {
        println!("removed generated/{}", p.display());
    }
    println!(
        "{} written, {} removed, {} unchanged",
        report.written.len(),
        report.removed.len(),
        report.unchanged
    );
    Ok(())
}

fn generate(specs: &[PathBuf], out: &Path, name: Option<String>) -> Result<(), String> {
    let specs = specs
        .iter()
        .map(Spec::read)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("error: {e}"))?;
    let name = name.unwrap_or_else(|| specs[0].module.trim_start_matches("r#").replace('_', "-"));
    let options = CrateOptions {
        description: format!(
            "Typed client generated from {}.",
            specs
                .iter()
                .map(|s| s.path.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        name,
        version: "0.1.0".to_owned(),
        standalone: true,
    };
    let mut output = codegen::generate(&specs, &options).map_err(|e| e.to_string())?;
    polish(&mut output);
    print_warnings(&output);
    let report = codegen::write::write_tree(out, &output.files)
        .map_err(|e| format!("error: writing {}: {e}", out.display()))?;
    println!(
        "generated crate `{}` in {} ({} files written, {} unchanged)",
        options.name,
        out.display(),
        report.written.len(),
        report.unchanged
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed `generated/` crate is what the specs and the generator produce now.
    #[test]
    fn generated_crate_is_fresh() {
        let root = root();
        let output = workspace_output(&root).unwrap_or_else(|e| panic!("{e}"));
        let stale = codegen::write::stale_files(&root.join("generated"), &output.files).unwrap();
        assert!(
            stale.is_empty(),
            "generated/ is stale, run `cargo xtask codegen`: {stale:?}"
        );
    }

    /// Generation is deterministic byte for byte.
    #[test]
    fn generation_is_deterministic() {
        let root = root();
        let first = workspace_output(&root).unwrap_or_else(|e| panic!("{e}"));
        let second = workspace_output(&root).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first.files, second.files);
    }
}
