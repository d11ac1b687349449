//! The `main` of the harness's own binaries (`onem2m-bench`, `onem2m-bench-rumqttc`).

use std::process::ExitCode;

use clap::Parser;

use crate::{BenchArgs, WorkerCommand};

/// Benchmark onem2m-mqtt's originator and receiver through a broker (the same as
/// `m2m bench`).
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Serialization of our stack's primitives: json, cbor or xml
    #[arg(long, default_value = "json", value_parser = ["json", "cbor", "xml"])]
    serialization: String,
    #[command(flatten)]
    bench: BenchArgs,
}

/// Parses the command line of the binary `name` and runs it on a new runtime.
pub fn main(name: &str) -> ExitCode {
    let cli = Cli::parse();
    let this = match std::env::current_exe() {
        Ok(exe) => WorkerCommand::new(exe, ["--worker"]),
        Err(e) => {
            eprintln!("{name}: cannot find this program: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{name}: starting the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let ran = runtime.block_on(crate::main(
        &cli.bench,
        &cli.serialization,
        this,
        &mut std::io::stdout(),
    ));
    match ran {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            ExitCode::from(2)
        }
    }
}
