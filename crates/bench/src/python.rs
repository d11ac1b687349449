//! The Python paho-mqtt baseline: the script (built into the binary, written to a
//! temporary file at run time) and the interpreter to run it with.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::NamedTempFile;

use crate::launch::WorkerCommand;

/// The script, `python/paho_bench.py`.
pub const SCRIPT: &str = include_str!("../python/paho_bench.py");

/// Where a venv is looked for, relative to the build directory (`target/`).
const VENVS: [&str; 2] = ["bench-venv/bin/python", "acme-venv/bin/python"];

/// The paho worker: the script in a temporary file (kept while this lives) and the
/// command that runs it.
#[derive(Debug)]
pub struct PahoWorker {
    _script: NamedTempFile,
    /// `python <script>`.
    pub command: WorkerCommand,
}

/// The paho worker, or why there is none (no Python, no paho-mqtt).
pub fn paho_worker(explicit: Option<&Path>) -> Result<PahoWorker, String> {
    let python = find_python(explicit)?;
    let mut script = tempfile::Builder::new()
        .prefix("onem2m-paho-bench-")
        .suffix(".py")
        .tempfile()
        .map_err(|e| format!("cannot write the paho script: {e}"))?;
    script
        .write_all(SCRIPT.as_bytes())
        .map_err(|e| format!("cannot write the paho script: {e}"))?;
    let command = WorkerCommand::new(python, [script.path().as_os_str().to_owned()]);
    Ok(PahoWorker {
        _script: script,
        command,
    })
}

/// The first candidate Python that imports paho-mqtt: `explicit`, then the venvs in the
/// build directories near this executable and the working directory.
fn find_python(explicit: Option<&Path>) -> Result<PathBuf, String> {
    let candidates: Vec<PathBuf> = match explicit {
        Some(p) => vec![p.to_path_buf()],
        None => build_dirs()
            .iter()
            .flat_map(|dir| VENVS.iter().map(move |v| dir.join(v)))
            .collect(),
    };
    candidates
        .iter()
        .find(|p| has_paho(p))
        .cloned()
        .ok_or_else(|| {
            format!(
                "no Python with paho-mqtt (tried {}); `cargo xtask bench` makes target/bench-venv, \
                 or pass --python",
                candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

fn has_paho(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import paho.mqtt.client"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `$CARGO_TARGET_DIR`, the build directory this executable sits in
/// (`target/release/m2m` → `target/`), and `./target`.
fn build_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        dirs.push(PathBuf::from(dir));
    }
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe.parent().and_then(Path::parent)
    {
        dirs.push(dir.to_path_buf());
    }
    dirs.push(PathBuf::from("target"));
    dirs.dedup();
    dirs
}
