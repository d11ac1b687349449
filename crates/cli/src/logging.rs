//! Where `tracing` output goes: stderr, filtered by `-v` or `RUST_LOG`.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::cli::Command;

/// The filter for `-v` given `verbose` times. Without `-v`, the one-shot commands
/// (`request`, `demo`) log nothing, so that their output and their one-line errors stay
/// clean; the servers log warnings.
pub fn default_filter(command: &Command, verbose: u8) -> &'static str {
    match (verbose, command) {
        (0, Command::Request(_) | Command::Demo(_)) => "off",
        (0, _) => "warn",
        (1, _) => "info",
        (2, _) => "debug",
        _ => "trace",
    }
}

/// Installs the subscriber; `RUST_LOG`, when set, wins over `-v`. Colours only on a
/// terminal.
pub fn init(command: &Command, verbose: u8) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.is_empty() => EnvFilter::new(spec),
        _ => EnvFilter::new(default_filter(command, verbose)),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
