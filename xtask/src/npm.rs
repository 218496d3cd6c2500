//! Pinned npm packages the commands need (Prism, the APIs.guru collection, GitHub's
//! description), installed into a cache folder on first use.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `cache/<wanted>` after `npm install <package>` into `cache`; installs only when `wanted` is
/// missing or `cache` holds another version of the package.
pub fn install(cache: &Path, package: &str, wanted: &str) -> Result<PathBuf, String> {
    let path = cache.join(wanted);
    let stamp = cache.join("installed-version");
    if path.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(package) {
        return Ok(path);
    }
    std::fs::create_dir_all(cache)
        .map_err(|e| format!("error: creating {}: {e}", cache.display()))?;
    eprintln!(
        "installing {package} into {} (first run only)",
        cache.display()
    );
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(cache)
        .arg(package)
        .status()
        .map_err(|e| format!("error: running npm (Node.js and npm are needed): {e}"))?;
    if !status.success() || !path.exists() {
        return Err(format!("error: `npm install {package}` failed"));
    }
    std::fs::write(&stamp, package).map_err(|e| e.to_string())?;
    Ok(path)
}
