//! Running commands and reporting their failure in one line.

use std::process::Command;

/// Runs `cargo` with `args` in the workspace root, inheriting stdio.
pub fn cargo(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    command(Command::new(cargo).args(args).current_dir(workspace_root()))
}

/// Runs a prepared command and turns a non-zero exit into an error naming it.
pub fn command(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: running {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// The workspace root: the parent of this crate's directory.
pub fn workspace_root() -> std::path::PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}
