//! `m2m`: see the library's docs (`onem2m_cli`) and `m2m --help`.

use std::process::ExitCode;

use clap::Parser;
use onem2m_cli::cli::Cli;
use onem2m_cli::{EXIT_FAILURE, logging};

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(&cli.command, cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("m2m: starting the async runtime: {e}");
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    match runtime.block_on(onem2m_cli::run(cli)) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("m2m: {failure}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}
