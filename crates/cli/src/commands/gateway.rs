//! `m2m gateway`: a TS-0010 MQTT front for a CSE reached over HTTP
//! (`onem2m-gateway`, `docs/gateway.md`).

use std::io::Write;
use std::process::ExitCode;

use onem2m_gateway::Gateway;

use crate::cli::GatewayArgs;
use crate::failure::{Context, Failure};
use crate::settings::Settings;

/// Serves until Ctrl-C.
pub async fn run<W: Write>(
    settings: &Settings,
    args: &GatewayArgs,
    out: &mut W,
) -> Result<ExitCode, Failure> {
    let mut settings = settings.clone();
    if let Some(url) = &args.mqtt {
        settings.url = url.clone();
    }
    let mut mqtt = settings.builder()?.clean_session(args.clean_session);
    if let Some(client_id) = &args.client_id {
        mqtt = mqtt.client_id(client_id.clone());
    }
    if let Some(group) = &args.share_group {
        mqtt = mqtt.shared_subscription(group.clone());
    }
    let mut builder = Gateway::builder()
        .mqtt(mqtt)
        .cse_id(settings.cse_id.clone())
        .cse_url(args.http.clone())
        .listen(args.listen);
    if let Some(url) = &args.public_url {
        builder = builder.public_url(url.clone());
    }
    let gateway = builder.start().await.context(format!(
        "starting the gateway for {} at {} on {}",
        settings.cse_id, args.http, settings.url
    ))?;
    let _ = writeln!(
        out,
        "gateway for {} ({}) on {} as {}; the CSE reaches AEs at {} (Ctrl-C to stop)",
        settings.cse_id,
        args.http,
        settings.url,
        gateway.binding().client_id(),
        gateway.endpoint()
    );
    let _ = out.flush();
    let _ = tokio::signal::ctrl_c().await;
    gateway.shutdown().await;
    Ok(ExitCode::SUCCESS)
}
