//! `m2m broker`: the embedded broker until Ctrl-C.

use std::io::Write;
use std::process::ExitCode;

use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};

use crate::cli::BrokerArgs;
use crate::failure::{Context, Failure};

/// Runs the broker until Ctrl-C.
pub async fn run<W: Write>(args: &BrokerArgs, out: &mut W) -> Result<ExitCode, Failure> {
    let options = EmbeddedBrokerOptions::new()
        .bind_ip(args.bind)
        .tcp_port(args.port)
        .websocket(args.websocket);
    let broker = EmbeddedBroker::start(options).await.context(format!(
        "starting the broker on {}:{}",
        args.bind, args.port
    ))?;
    let _ = writeln!(out, "embedded broker on {}", broker.url());
    if let Some(ws) = broker.ws_url() {
        let _ = writeln!(out, "WebSocket on {ws}");
    }
    let _ = writeln!(out, "Ctrl-C to stop");
    let _ = out.flush();
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    broker.shutdown().await.context("stopping the broker")?;
    Ok(ExitCode::SUCCESS)
}
