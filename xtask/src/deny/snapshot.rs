//! Turns the read-only advisory snapshot into the git checkout cargo-deny expects.
//!
//! cargo-deny opens `<db-path>/<name>-<hash of the URL>` and reads the time of its HEAD
//! commit to judge staleness, so the copy gets one fresh commit (the snapshot's own date is
//! in its SNAPSHOT.md). Each run rebuilds the copy in a private directory and then swaps it
//! in, so that a check never reads a half-copied database.

use std::fs;
use std::path::Path;
use std::process::Command;

/// Where cargo-deny looks for the default RustSec database (`db-urls` left unset) below
/// `db-path`; the suffix is cargo-deny's hash of `https://github.com/rustsec/advisory-db`.
const DB_DIR_NAME: &str = "advisory-db-3157b0e258782691";

/// Copies `snapshot` to `<db_root>/advisory-db-3157b0e258782691` as a one-commit git
/// repository.
pub fn prepare(snapshot: &Path, db_root: &Path) -> Result<(), String> {
    if !snapshot.join("crates").is_dir() {
        return Err(format!(
            "no advisory snapshot at {} (expected beside the workspace as ../shared/advisory-db)",
            snapshot.display()
        ));
    }
    let target = db_root.join(DB_DIR_NAME);
    let staging = db_root.join(format!("{DB_DIR_NAME}.new-{}", std::process::id()));
    let retired = db_root.join(format!("{DB_DIR_NAME}.old-{}", std::process::id()));
    remove(&staging)?;
    copy_tree(snapshot, &staging)?;
    commit(&staging)?;
    if target.exists() {
        fs::rename(&target, &retired).map_err(|e| describe("cannot move aside", &target, &e))?;
    }
    if let Err(e) = fs::rename(&staging, &target) {
        // Another check put its copy in place meanwhile; it is just as fresh as ours.
        if !target.join(".git").is_dir() {
            return Err(describe("cannot move into place", &staging, &e));
        }
        remove(&staging)?;
    }
    remove(&retired)?;
    eprintln!("xtask: advisory snapshot ready at {}", target.display());
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| describe("cannot create", to, &e))?;
    let entries = fs::read_dir(from).map_err(|e| describe("cannot read", from, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| describe("cannot read", from, &e))?;
        let source = entry.path();
        let destination = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|e| describe("cannot inspect", &source, &e))?;
        if kind.is_dir() {
            copy_tree(&source, &destination)?;
        } else {
            fs::copy(&source, &destination).map_err(|e| describe("cannot copy", &source, &e))?;
        }
    }
    Ok(())
}

fn commit(repo: &Path) -> Result<(), String> {
    git(repo, &["init", "--quiet"])?;
    git(repo, &["add", "--all"])?;
    git(
        repo,
        &[
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            "offline advisory snapshot",
        ],
    )
}

/// Runs git quietly in `repo`, showing its output only when it fails.
fn git(repo: &Path, args: &[&str]) -> Result<(), String> {
    let output = Command::new("git")
        .current_dir(repo)
        // A clean CI machine has no git identity, and a developer's signing set-up must not
        // prompt for a build product.
        .args(["-c", "user.name=xtask", "-c", "user.email=xtask@invalid"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .map_err(|e| format!("could not start git (needed for the advisory snapshot): {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "git {} in {} failed with {}: {}",
            args.join(" "),
            repo.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

fn remove(dir: &Path) -> Result<(), String> {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(describe("cannot remove", dir, &e)),
    }
}

fn describe(what: &str, path: &Path, error: &std::io::Error) -> String {
    format!("{what} {}: {error}", path.display())
}
