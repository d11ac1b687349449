//! `cargo xtask cluster [--debug]`: the RabbitMQ cluster tests (issue 12), then their
//! figures: requests per second and p50/p99 through a three-node cluster, on one
//! RabbitMQ node and on Mosquitto (`docs/scaling.md`). Needs Debian's
//! `rabbitmq-server` and `mosquitto`; a missing one fails the run.

use std::process::Command;
use std::time::Instant;

use crate::run;

/// The integration test of `onem2m-binding` that holds both.
const TEST: &str = "rabbitmq_cluster";

/// A missing broker fails the run instead of skipping it.
const REQUIRE: [&str; 2] = ["ONEM2M_REQUIRE_RABBITMQ", "ONEM2M_REQUIRE_MOSQUITTO"];

/// Runs the tests (optimised unless `--debug`), then the figures example alone, so
/// that nothing else runs on the machine's cores while it measures.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut release = true;
    for arg in args {
        match arg.as_str() {
            "--debug" => release = false,
            other => return Err(format!("cluster: unknown argument {other:?}")),
        }
    }
    let started = Instant::now();
    let tests = test_run(release, &["--nocapture"]);
    let tests_took = started.elapsed().as_secs_f64();
    tests?;
    let figures_started = Instant::now();
    figures_run(release)?;
    eprintln!(
        "xtask cluster: tests passed in {tests_took:.0} s, figures in {:.0} s",
        figures_started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `cargo run -p onem2m-binding --example cluster_figures`.
fn figures_run(release: bool) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(run::workspace_root()).args([
        "run",
        "-p",
        "onem2m-binding",
        "--example",
        "cluster_figures",
    ]);
    if release {
        cmd.arg("--release");
    }
    run::command(&mut cmd)
}

/// `cargo test -p onem2m-binding --test rabbitmq_cluster -- <harness_args>`.
fn test_run(release: bool, harness_args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(run::workspace_root())
        .args(["test", "-p", "onem2m-binding", "--test", TEST]);
    if release {
        cmd.arg("--release");
    }
    cmd.arg("--").args(harness_args);
    for require in REQUIRE {
        if std::env::var_os(require).is_none() {
            cmd.env(require, "1");
        }
    }
    run::command(&mut cmd)
}
