//! Worker processes: each runs one stack's originators and receiver for one
//! [`WorkerSpec`] and prints its [`WorkerReport`] as a JSON line on stdout, so that the
//! CPU time it measures is that stack's alone (never the broker's, the coordinator's
//! nor another stack's).

mod floor;
mod ours;
#[cfg(feature = "rumqttc-baseline")]
mod rumqttc;

use std::io::Write;

use crate::Error;
use crate::spec::{Stack, WorkerReport, WorkerSpec};

/// Runs `spec` in this process.
pub async fn run(spec: &WorkerSpec) -> Result<WorkerReport, Error> {
    match spec.stack {
        Stack::Ours => ours::run(spec).await,
        Stack::Floor => floor::run(spec).await,
        #[cfg(feature = "rumqttc-baseline")]
        Stack::Rumqttc => rumqttc::run(spec).await,
        other => Err(Error::Setup {
            stack: other.name().into(),
            cause: "this binary cannot run that stack (the rumqttc baseline is \
                    onem2m-bench-rumqttc, paho is a Python script)"
                .into(),
        }),
    }
}

/// The worker's `main`: reads the spec from its JSON argument, runs it and prints the
/// report on stdout.
pub async fn main(spec_json: &str) -> Result<(), Error> {
    let spec: WorkerSpec = serde_json::from_str(spec_json).map_err(|cause| Error::Json {
        what: "reading the worker spec",
        cause,
    })?;
    let report = run(&spec).await?;
    let line = serde_json::to_string(&report).map_err(|cause| Error::Json {
        what: "writing the worker report",
        cause,
    })?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
    Ok(())
}
