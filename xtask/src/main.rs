//! Project tasks, run as `cargo xtask <task>` (an alias in `.cargo/config.toml`).
//!
//! - `cargo xtask ci`: what `.ci/run` checks: formatting, clippy with warnings as errors,
//!   and the whole test suite.
//! - `cargo xtask fuzz [--seconds N] [--runs N] [TARGET...]`: runs each fuzz target for a
//!   bounded time or number of executions on the stable toolchain (`cargo fuzz run <t> -s
//!   none`), installing cargo-fuzz if it is missing.
//! - `cargo xtask deny [--manifest-path PATH] [CHECK...]`: the supply-chain check,
//!   `cargo deny --offline check` against the advisory snapshot in `../shared/advisory-db`,
//!   installing cargo-deny if it is missing.
//! - `cargo xtask soak [--release]`: the long reliability runs (faults, a killed AE
//!   process, 1,000 concurrent AEs, bridged brokers) with their counts.
//! - `cargo xtask bench [--quick]`: release build, then `m2m bench --compare` (ours against
//!   the broker's floor, rumqttc + serde_json and Python paho-mqtt; `docs/benchmarks.md`).
//! - `cargo xtask cluster [--debug]`: the three-node RabbitMQ cluster tests, then their
//!   figures against one RabbitMQ node and Mosquitto (`docs/scaling.md`).
//! - `cargo xtask gateway-bench [--requests N]`: p50/p99 of a RETRIEVE through `m2m
//!   gateway`, over ACME's own MQTT binding and over plain HTTP, in one run.
//! - `cargo xtask scale-bench [--requests N]`: requests per second and p50/p99 through
//!   1, 2 and 3 `m2m gateway` members of one `$share` group (`docs/scaling.md`).

mod bench;
mod cluster;
mod deny;
mod fuzz;
mod gateway_bench;
mod requests_arg;
mod run;
mod scale_bench;
mod soak;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("deny") => deny::run(&args[1..]),
        Some("soak") => soak::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("cluster") => cluster::run(&args[1..]),
        Some("gateway-bench") => gateway_bench::run(&args[1..]),
        Some("scale-bench") => scale_bench::run(&args[1..]),
        _ => Err(
            "usage: cargo xtask <ci | fuzz [--seconds N] [--runs N] [TARGET...] | deny [--manifest-path PATH] [CHECK...] | soak [--release] | bench [--quick] [M2M BENCH FLAGS...] | cluster [--debug] | gateway-bench [--requests N] | scale-bench [--requests N]>".to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The checks CI runs (the same as `.ci/run`), in the order that fails fastest.
fn ci() -> Result<(), String> {
    run::cargo(&["fmt", "--all", "--", "--check"])?;
    deny::run(&[])?;
    run::cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    run::cargo(&["test", "--workspace"])
}
