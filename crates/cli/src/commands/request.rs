//! `m2m request`: one request, its response printed, the status as the exit code.

use std::io::Write;
use std::process::ExitCode;

use onem2m_primitive::{
    Operation, RequestPrimitive, ResourceType, ResponsePrimitive, ResultContent,
};

use crate::cli::RequestArgs;
use crate::content_json::{parse_content, pretty};
use crate::failure::{Context, Failure};
use crate::settings::Settings;

/// Sends the request, prints the response to `out`, and exits 0 on a success status and
/// 1 on an error status. No response at all is a [`Failure`].
pub async fn run<W: Write>(
    settings: &Settings,
    args: &RequestArgs,
    out: &mut W,
) -> Result<ExitCode, Failure> {
    let request = build_request(args)?;
    // A client id of its own: a broker closes the older of two connections with one
    // client id, and the AE this request speaks for may be connected elsewhere (an
    // `m2m listen` receiving its notifications, say).
    let builder = settings
        .builder()?
        .clean_session(true)
        .client_id(format!("m2m-request-{}", std::process::id()));
    let builder = if args.from.starts_with('/') {
        builder.cse_id(args.from.clone())
    } else {
        builder.ae_id(args.from.clone())
    };
    let binding = builder
        .registrar(settings.cse_id.clone())
        .build()
        .await
        .context(format!("connecting to {} as {}", settings.url, args.from))?;
    let result = binding.originator().request(request).await;
    binding.shutdown().await;
    let response = result.context(format!("{} {}", Operation::from(args.op).name(), args.to))?;
    print_response(&response, out);
    Ok(if response.rsc.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The request the arguments describe.
pub fn build_request(args: &RequestArgs) -> Result<RequestPrimitive, Failure> {
    let op = Operation::from(args.op);
    let mut request = RequestPrimitive::new(
        op,
        args.to.clone(),
        args.from.clone(),
        args.rqi.clone().unwrap_or_default(),
    );
    request.ty = args.ty.as_deref().map(resource_type).transpose()?;
    request.pc = args
        .content
        .as_deref()
        .map(parse_content)
        .transpose()
        .context("reading --content")?;
    request.rcn = args
        .rcn
        .map(ResultContent::try_from)
        .transpose()
        .context("reading --rcn")?;
    let needs_content = matches!(
        op,
        Operation::Create | Operation::Update | Operation::Notify
    );
    if needs_content && request.pc.is_none() {
        return Err(Failure::new(
            format!("building the {} request", op.name()),
            "it needs --content",
        ));
    }
    if op == Operation::Create && request.ty.is_none() {
        return Err(Failure::new(
            "building the CREATE request",
            "it needs --ty (ae, cnt, cin, sub, ... or a number)",
        ));
    }
    Ok(request)
}

/// `cnt`, `m2m:cnt` or `3`.
fn resource_type(text: &str) -> Result<ResourceType, Failure> {
    let what = "reading --ty";
    match text.parse::<u32>() {
        Ok(code) => Ok(ResourceType(code)),
        Err(_) => ResourceType::from_short_name(text).ok_or_else(|| {
            Failure::new(
                what,
                format!("unknown resource type {text} (try ae, cnt, cin, sub or a number)"),
            )
        }),
    }
}

/// The status line, then the content as indented JSON.
pub fn print_response<W: Write>(response: &ResponsePrimitive, out: &mut W) {
    let _ = writeln!(out, "{}", response.rsc);
    if let Some(pc) = &response.pc {
        let _ = writeln!(out, "{}", pretty(pc));
    }
}
