//! `cargo xtask deny`: the supply-chain check (advisories, licenses, duplicate crates,
//! sources) with cargo-deny against the offline advisory snapshot.
//!
//! Usage: `cargo xtask deny [--manifest-path PATH] [CHECK...]`. Without a manifest path it
//! checks this workspace; with one it checks that crate against this workspace's
//! `deny.toml` (the xtask's own test uses this to show that the check can fail).

mod snapshot;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run;

/// The variable `deny.toml`'s `[advisories] db-path` reads; its fallback is the
/// workspace-relative `target/advisory-db`, for a manual run from the root.
const DB_ROOT_VARIABLE: &str = "ONEM2M_ADVISORY_DBS";

/// Installs cargo-deny if missing, prepares the advisory snapshot, fetches the crates
/// and runs `cargo deny --offline check`.
pub fn run(args: &[String]) -> Result<(), String> {
    let root = run::workspace_root();
    let mut manifest = root.join("Cargo.toml");
    let mut checks = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--manifest-path" => {
                let value = it.next().ok_or("--manifest-path needs a path")?;
                manifest = absolute(Path::new(value))?;
            }
            check => checks.push(check.to_owned()),
        }
    }

    ensure_cargo_deny()?;
    let snapshot = root.join("..").join("shared").join("advisory-db");
    let db_root = target_dir(&root)?.join("advisory-db");
    snapshot::prepare(&snapshot, &db_root)?;

    // cargo-deny runs `cargo metadata` offline, so every crate must already be local.
    run::command(
        Command::new(cargo())
            .current_dir(&root)
            .arg("fetch")
            .arg("--manifest-path")
            .arg(&manifest),
    )?;
    run::command(
        Command::new(cargo())
            .current_dir(&root)
            .env(DB_ROOT_VARIABLE, &db_root)
            .args(["deny", "--offline", "--config"])
            .arg(root.join("deny.toml"))
            .arg("--manifest-path")
            .arg(&manifest)
            // Counts of errors, warnings, notes and allowed items per check, for the CI log.
            .args(["check", "--show-stats"])
            .args(&checks),
    )
}

/// The cargo that started the xtask, so that the same toolchain checks the tree.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn ensure_cargo_deny() -> Result<(), String> {
    let present = Command::new(cargo())
        .args(["deny", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Ok(());
    }
    run::cargo(&["install", "cargo-deny", "--locked"])
}

/// Cargo's build directory: the snapshot copy is a build product, never part of the source.
fn target_dir(root: &Path) -> Result<PathBuf, String> {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => absolute(Path::new(&dir)),
        None => Ok(root.join("target")),
    }
}

/// Resolves a path given on the command line or in the environment against the current
/// directory, as cargo does.
fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("cannot resolve {}: {e}", path.display()))
}
