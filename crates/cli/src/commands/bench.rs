//! `m2m bench`: the benchmark harness of `onem2m-bench`, with the serialization of the
//! global `--serialization` flag. Our workers are this program run again as
//! `m2m bench --worker <spec>`.

use std::io::Write;
use std::process::ExitCode;

use onem2m_bench::{BenchArgs, WorkerCommand};

use crate::failure::{Context, Failure};
use crate::settings::{Serialization, Settings};

/// Runs the benchmark (or, with the hidden `--worker`, one worker of it).
pub async fn run<W: Write>(
    settings: &Settings,
    args: &BenchArgs,
    out: &mut W,
) -> Result<ExitCode, Failure> {
    let exe = std::env::current_exe().context("finding the m2m program")?;
    let this = WorkerCommand::new(exe, ["bench", "--worker"]);
    let serialization = match settings.serialization {
        Serialization::Json => "json",
        Serialization::Cbor => "cbor",
        Serialization::Xml => "xml",
    };
    onem2m_bench::main(args, serialization, this, out)
        .await
        .context("bench")?;
    Ok(ExitCode::SUCCESS)
}
