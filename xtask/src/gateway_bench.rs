//! `cargo xtask gateway-bench [--requests N]`: release build, then the gateway's
//! latency run (`crates/gateway/examples/gateway_latency.rs`): a RETRIEVE over ACME's
//! own MQTT binding, over plain HTTP and through the gateway, and the same against
//! peers that answer at once, side by side in one run (`docs/benchmarks.md`).

use crate::{requests_arg, run};

/// Builds and runs the example with its number of requests per path.
pub fn run(args: &[String]) -> Result<(), String> {
    let requests = requests_arg::parse("gateway-bench", args, "2000")?;
    run::cargo(&[
        "run",
        "--release",
        "-p",
        "onem2m-gateway",
        "--example",
        "gateway_latency",
        "--",
        &requests,
    ])
}
