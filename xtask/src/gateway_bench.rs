//! `cargo xtask gateway-bench [--requests N]`: release build, then the gateway's
//! latency run (`crates/gateway/examples/gateway_latency.rs`): a RETRIEVE over ACME's
//! own MQTT binding, over plain HTTP and through the gateway, and the same against
//! peers that answer at once, side by side in one run (`docs/benchmarks.md`).

use crate::run;

/// Builds and runs the example with its number of requests per path.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut requests = "2000".to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--requests" => {
                requests = args
                    .next()
                    .filter(|n| n.parse::<usize>().is_ok())
                    .ok_or("gateway-bench: --requests takes a number")?
                    .clone();
            }
            other => return Err(format!("gateway-bench: unknown argument {other:?}")),
        }
    }
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
