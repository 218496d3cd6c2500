//! `cargo xtask versions`: what each API version costs, in generated source and in build time.
//!
//! Sizes come from the committed `generated/` crate; build times from `cargo build` of that
//! crate (dependencies built first, then only the crate itself is measured) with the default
//! feature set, each single version, and every version at once.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

pub fn run(root: &Path) -> Result<(), String> {
    let specs = crate::product_specs(root)?;
    println!("| module | spec | lines | bytes |");
    println!("|---|---|---|---|");
    let mut features = Vec::new();
    for spec in &specs {
        let file = match &spec.service {
            Some(sv) => {
                features.push(sv.feature());
                format!("src/{}/{}.rs", sv.service, spec.module)
            }
            None => format!("src/{}.rs", spec.module),
        };
        let text = std::fs::read_to_string(root.join("generated").join(&file)).map_err(|e| {
            format!("error: reading generated/{file}: {e} (run `cargo xtask codegen`)")
        })?;
        println!(
            "| {file} | {} | {} | {} |",
            spec.path.display(),
            text.lines().count(),
            text.len()
        );
    }
    let mut sets: Vec<(String, Vec<String>)> = vec![("default features".into(), Vec::new())];
    for f in &features {
        sets.push((
            format!("only {f}"),
            vec![
                "--no-default-features".into(),
                "--features".into(),
                f.clone(),
            ],
        ));
    }
    sets.push((
        "every version".into(),
        vec!["--features".into(), features.join(",")],
    ));
    // Build the dependencies once, so that only the crate itself is timed below.
    build(root, &["--features".to_owned(), features.join(",")])?;
    println!("\n| features | build of the crate alone (dev profile) |");
    println!("|---|---|");
    for (label, args) in sets {
        touch(root)?;
        let started = Instant::now();
        build(root, &args)?;
        println!("| {label} | {:.2} s |", started.elapsed().as_secs_f64());
    }
    Ok(())
}

fn build(root: &Path, args: &[String]) -> Result<(), String> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", "azure-keys"])
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("error: running cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("error: cargo build {} failed", args.join(" ")))
    }
}

/// Makes cargo rebuild the crate (and only it) on the next build.
fn touch(root: &Path) -> Result<(), String> {
    let status = Command::new(env!("CARGO"))
        .args(["clean", "--quiet", "-p", "azure-keys"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("error: running cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("error: cargo clean -p azure-keys failed".to_owned())
    }
}
