//! `cargo xtask scale-bench [--requests N]`: release builds of `m2m` and of the
//! scale-out example (`crates/cli/examples/scale_out.rs`), then its figures:
//! requests per second and p50/p99 through 1, 2 and 3 gateway members of one
//! `$share` group, in front of ACME and of an HTTP CSE that answers at once
//! (`docs/scaling.md`).

use crate::{requests_arg, run};

/// Builds both, then runs the example with its number of requests per configuration.
pub fn run(args: &[String]) -> Result<(), String> {
    let requests = requests_arg::parse("scale-bench", args, "5000")?;
    // The example starts the members as `m2m` processes from the same target directory.
    run::cargo(&[
        "build",
        "--release",
        "-p",
        "onem2m-cli",
        "--bin",
        "m2m",
        "--example",
        "scale_out",
    ])?;
    run::cargo(&[
        "run",
        "--release",
        "-p",
        "onem2m-cli",
        "--example",
        "scale_out",
        "--",
        &requests,
    ])
}
