//! `m2m cse`: the demo CSE until Ctrl-C.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_demo_cse::{DemoCse, DemoCseOptions, SystemClock};

use crate::cli::CseArgs;
use crate::failure::{Context, Failure};
use crate::settings::Settings;

/// Serves the demo CSE until Ctrl-C.
pub async fn run<W: Write>(
    settings: &Settings,
    args: &CseArgs,
    out: &mut W,
) -> Result<ExitCode, Failure> {
    let mut settings = settings.clone();
    let broker = if args.embedded_broker {
        let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
            .await
            .context("starting the embedded broker")?;
        settings.url = broker.url();
        let _ = writeln!(out, "embedded broker on {}", settings.url);
        Some(broker)
    } else {
        None
    };
    let cse = DemoCse::new(
        DemoCseOptions {
            cse_id: settings.cse_id.clone(),
            base_name: args.base_name.clone(),
        },
        Arc::new(SystemClock),
    );
    let (binding, _handler) = onem2m_demo_cse::serve(settings.builder()?, cse)
        .await
        .context(format!(
            "starting the demo CSE {} on {}",
            settings.cse_id, settings.url
        ))?;
    let _ = writeln!(
        out,
        "demo CSE {} (CSEBase {}) on {}, {} over {}; an example CSE, not a full one. Ctrl-C to stop",
        settings.cse_id,
        args.base_name,
        settings.url,
        settings.serialization.serializer().name(),
        settings.scheme.name()
    );
    let _ = out.flush();
    let waited = tokio::signal::ctrl_c().await.context("waiting for Ctrl-C");
    binding.shutdown().await;
    if let Some(broker) = broker {
        broker.shutdown().await.context("stopping the broker")?;
    }
    waited?;
    Ok(ExitCode::SUCCESS)
}
