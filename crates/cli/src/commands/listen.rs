//! `m2m listen`: an AE that prints each request it receives (a notification, mostly)
//! and answers it 2000 OK.

use std::io::Write;
use std::process::ExitCode;

use onem2m_binding::RequestContext;
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use tokio::sync::mpsc;

use crate::cli::ListenArgs;
use crate::content_json::pretty;
use crate::failure::{Context, Failure};
use crate::settings::Settings;

/// Listens until Ctrl-C or until `--count` requests arrived.
pub async fn run<W: Write>(
    settings: &Settings,
    args: &ListenArgs,
    out: &mut W,
) -> Result<ExitCode, Failure> {
    let (tx, mut received) = mpsc::unbounded_channel();
    let binding = settings
        .builder()?
        .ae_id(args.ae_id.clone())
        .registrar(settings.cse_id.clone())
        .handler(move |request: RequestPrimitive, ctx: RequestContext| {
            let answer = ResponsePrimitive::answering(&request, ResponseStatusCode::OK);
            let _ = tx.send((request, ctx));
            std::future::ready(answer)
        })
        .build()
        .await
        .context(format!("connecting to {} as {}", settings.url, args.ae_id))?;
    let _ = writeln!(
        out,
        "listening as {} on {}; requests to it are printed and answered 2000 (Ctrl-C to stop)",
        args.ae_id, settings.url
    );
    let _ = out.flush();
    let mut count = 0;
    loop {
        if args.count.is_some_and(|limit| count >= limit) {
            break;
        }
        tokio::select! {
            next = received.recv() => {
                let Some((request, ctx)) = next else { break };
                count += 1;
                print_request(&request, &ctx, out);
            }
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    binding.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

fn print_request<W: Write>(request: &RequestPrimitive, ctx: &RequestContext, out: &mut W) {
    let _ = writeln!(
        out,
        "{} from {} to {} (rqi {}, topic {})",
        request.op.name(),
        request.fr.as_deref().unwrap_or("?"),
        request.to,
        request.rqi,
        ctx.topic
    );
    if let Some(pc) = &request.pc {
        let _ = writeln!(out, "{}", pretty(pc));
    }
    let _ = out.flush();
}
