//! `cargo xtask bench [--quick] [M2M BENCH FLAGS...]`: the whole comparison of
//! `m2m bench --compare` from a clean machine: a venv with paho-mqtt for the Python
//! baseline, a release build of `m2m` and of the rumqttc baseline, then the run.
//! Results go to `<target>/bench/` (`bench-results.json`, `latency-*.svg`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::run;

/// The paho-mqtt major version the script is written for (its callback API v2).
const PAHO_REQUIREMENT: &str = "paho-mqtt>=2,<3";

/// Builds and runs the comparison; the flags are passed to `m2m bench`.
pub fn run(args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let target = target_dir();
    let python = paho_venv(&target);
    // One build for both: a second one with the baseline's feature would rebuild half
    // the tree (feature unification differs). So this `m2m` links the rumqttc worker too;
    // a plain `cargo build` of `m2m` does not.
    run::cargo(&[
        "build",
        "--release",
        "--package",
        "onem2m-cli",
        "--package",
        "onem2m-bench",
        "--features",
        "onem2m-bench/rumqttc-baseline",
        "--bins",
    ])?;
    eprintln!(
        "xtask bench: built in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let out = target.join("bench");
    let mut m2m = Command::new(target.join("release").join("m2m"));
    m2m.args(["bench", "--compare", "--out"])
        .arg(&out)
        .args(args)
        .current_dir(run::workspace_root());
    if let Some(python) = python {
        m2m.arg("--python").arg(python);
    }
    run::command(&mut m2m)?;
    eprintln!(
        "xtask bench: done in {:.0} s; results in {}",
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

/// `$CARGO_TARGET_DIR`, else the workspace's `target/`.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => run::workspace_root().join("target"),
    }
}

/// A Python with paho-mqtt: `<target>/bench-venv`, made (and paho-mqtt installed with
/// pip) when missing. `None`, with a warning, when there is no `python3` or pip fails:
/// the harness then skips the paho baseline and says so.
fn paho_venv(target: &Path) -> Option<PathBuf> {
    let venv = target.join("bench-venv");
    let python = venv.join("bin").join("python");
    let has_paho = |python: &Path| {
        Command::new(python)
            .args(["-c", "import paho.mqtt.client"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if has_paho(&python) {
        return Some(python);
    }
    let made =
        run::command(Command::new("python3").arg("-m").arg("venv").arg(&venv)).and_then(|()| {
            run::command(Command::new(&python).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                PAHO_REQUIREMENT,
            ]))
        });
    match made {
        Ok(()) if has_paho(&python) => Some(python),
        Ok(()) => {
            eprintln!("xtask bench: WARNING: paho-mqtt does not import after pip install");
            None
        }
        Err(e) => {
            eprintln!("xtask bench: WARNING: no Python venv with paho-mqtt ({e})");
            None
        }
    }
}
