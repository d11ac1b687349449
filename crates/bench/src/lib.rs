//! The benchmark harness of onem2m-mqtt (`m2m bench`, `cargo xtask bench`).
//!
//! A coordinator ([`compare::run`]) starts a broker (a private Mosquitto with
//! `set_tcp_nodelay true`, or the embedded broker) and runs each stack in a worker
//! process of its own, so that the CPU time a worker measures (user + system of the
//! whole process, originators and receiver together) belongs to that stack alone:
//!
//! - ours: a CSE binding answering every request, AE bindings sending them;
//! - the broker's floor: a raw QoS 1 echo with hand-built packets and no oneM2M work;
//! - rumqttc + serde_json, the same exchange (binary `onem2m-bench-rumqttc`, feature
//!   `rumqttc-baseline`);
//! - Python paho-mqtt, the same exchange (`python/paho_bench.py`).
//!
//! Every worker runs closed loops (each lane sends its next request when the previous
//! response arrived), records round trips in an HDR histogram and reports JSON on
//! stdout ([`spec::WorkerReport`]). The coordinator draws the progress, prints the
//! tables and ratios, and writes `bench-results.json` and a latency SVG.
//! `docs/benchmarks.md` has the figures and how to read them.

pub mod args;
pub mod binary;
pub mod broker;
pub mod compare;
pub mod drive;
mod error;
pub mod exchange;
pub mod latency;
pub mod launch;
pub mod progress;
pub mod python;
pub mod results;
pub mod spec;
pub mod svg;
pub mod usage;
pub mod worker;

pub use args::BenchArgs;
pub use error::Error;
pub use launch::WorkerCommand;

/// What `m2m bench` and `onem2m-bench` do with their flags: run one worker (the hidden
/// `--worker` flag) or coordinate a benchmark, re-running `this` for our workers.
pub async fn main<W: std::io::Write>(
    args: &BenchArgs,
    serialization: &str,
    this: WorkerCommand,
    out: &mut W,
) -> Result<(), Error> {
    match &args.worker {
        Some(spec) => worker::main(spec).await,
        None => compare::run(args, serialization, this, out)
            .await
            .map(|_| ()),
    }
}
