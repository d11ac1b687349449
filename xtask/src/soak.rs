//! `cargo xtask soak`: the long variants of the reliability tests (issue 7): 50,000
//! requests through connection cuts and a broker restart, an AE process killed and
//! restarted on its file store, 1,000 concurrent AEs on one CSE, and the bridged
//! brokers. The tests read their sizes from `ONEM2M_SOAK=1`; each prints its counts
//! on a line starting with `[counts]` and appends it to the file named by
//! `ONEM2M_COUNTS_FILE`, whose lines this task repeats at the end.

use std::process::Command;
use std::time::Instant;

use crate::run;

/// The integration tests of `onem2m-binding` that have long variants.
const TESTS: &[&str] = &[
    "faults_cuts_and_restart",
    "faults_process_restart",
    "load_many_aes",
    "bridge_brokers",
];

/// What the tests read to choose their long sizes.
const SOAK_ENV: &str = "ONEM2M_SOAK";
/// A missing Mosquitto fails the run instead of skipping it.
const REQUIRE_MOSQUITTO_ENV: &str = "ONEM2M_REQUIRE_MOSQUITTO";
/// Where the tests append their `[counts]` lines too.
const COUNTS_FILE_ENV: &str = "ONEM2M_COUNTS_FILE";

/// Runs the long variants (`--release` to build optimised), one test at a time so
/// that their figures do not disturb each other, and repeats their counts.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut release = false;
    for arg in args {
        match arg.as_str() {
            "--release" => release = true,
            other => return Err(format!("soak: unknown argument {other:?}")),
        }
    }
    let counts_file = std::env::temp_dir().join(format!("onem2m-soak-{}.txt", std::process::id()));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(run::workspace_root())
        .args(["test", "-p", "onem2m-binding"]);
    if release {
        cmd.arg("--release");
    }
    for test in TESTS {
        cmd.args(["--test", test]);
    }
    cmd.args(["--", "--nocapture", "--test-threads", "1"])
        .env(SOAK_ENV, "1")
        .env(COUNTS_FILE_ENV, &counts_file);
    if std::env::var_os(REQUIRE_MOSQUITTO_ENV).is_none() {
        cmd.env(REQUIRE_MOSQUITTO_ENV, "1");
    }
    let started = Instant::now();
    let outcome = run::command(&mut cmd);
    let counts = std::fs::read_to_string(&counts_file).unwrap_or_default();
    let _ = std::fs::remove_file(&counts_file);
    eprintln!(
        "xtask soak: {} in {:.0} s",
        if outcome.is_ok() { "passed" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    for line in counts.lines() {
        eprintln!("  {line}");
    }
    outcome
}
