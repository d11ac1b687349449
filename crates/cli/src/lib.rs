//! The `m2m` command: what a new user of onem2m-mqtt meets first.
//!
//! - `m2m demo`: the quickstart ([`commands::demo::run`]): an embedded broker, the demo
//!   CSE and an AE going through registration, data, subscription and notification,
//!   with every MQTT message printed.
//! - `m2m broker`: the embedded broker.
//! - `m2m cse`: the demo CSE (`onem2m-demo-cse`), an example, not a full CSE.
//! - `m2m request`: curl for oneM2M over MQTT.
//! - `m2m listen`: an AE that prints what it receives.
//! - `m2m gateway`: an MQTT front for a CSE reached over HTTP (`onem2m-gateway`).
//! - `m2m bench`: the benchmark harness (`onem2m-bench`, `docs/benchmarks.md`).
//!
//! Settings come from flags, then environment variables (`M2M_URL`,
//! `M2M_SERIALIZATION`, ...), then an optional TOML file (`--config`). Every error is
//! one line, `m2m: <what failed>: <cause>`. Exit codes: 0 success, 1 an error status
//! (or a failed demo step), 2 the command could not run.

pub mod cli;
pub mod commands;
pub mod config;
pub mod content_json;
pub mod failure;
pub mod logging;
pub mod settings;
pub mod wire;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::commands::demo::DemoOptions;
use crate::config::FileConfig;
use crate::failure::Failure;

/// Exit code of a command that could not run.
pub const EXIT_FAILURE: u8 = 2;

/// Runs the parsed command line, printing to stdout.
pub async fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let file = match &cli.global.config {
        Some(path) => FileConfig::load(path)?,
        None => FileConfig::default(),
    };
    let settings = config::resolve(cli.global.overrides(), file);
    let mut out = std::io::stdout();
    match &cli.command {
        Command::Broker(args) => commands::broker::run(args, &mut out).await,
        Command::Cse(args) => commands::cse::run(&settings, args, &mut out).await,
        Command::Request(args) => commands::request::run(&settings, args, &mut out).await,
        Command::Listen(args) => commands::listen::run(&settings, args, &mut out).await,
        Command::Gateway(args) => commands::gateway::run(&settings, args, &mut out).await,
        Command::Bench(args) => commands::bench::run(&settings, args, &mut out).await,
        Command::Demo(args) => {
            let options = DemoOptions {
                serialization: settings.serialization,
                scheme: settings.scheme,
                width: args.width,
                timeout: settings.timeout,
            };
            let report = commands::demo::run(&options, &mut out).await?;
            Ok(if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
