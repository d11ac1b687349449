//! MQTT to HTTP: the requests AEs publish for the CSE, forwarded to it over HTTP.

use async_trait::async_trait;
use onem2m_binding::{Handler, RequestContext};
use onem2m_http_binding::{BodyFormat, HttpOriginator};
use onem2m_primitive::{
    Map, Operation, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, Value,
};
use tracing::{debug, warn};

use crate::poa::PoaRewriter;

/// The receiver's [`Handler`] of a gateway: every request that passed the binding's
/// checks (expiry, originator, duplicates, limits) goes to the CSE over HTTP, in the
/// serialization it came in, and the CSE's answer is the response.
///
/// An AE's `poa` is rewritten on the way in and restored on the way out
/// ([`PoaRewriter`]).
#[derive(Debug, Clone)]
pub struct ForwardToHttp {
    cse: HttpOriginator,
    rewriter: PoaRewriter,
}

impl ForwardToHttp {
    /// Forwards to the CSE that `cse` reaches, rewriting `poa`s with `rewriter`.
    pub fn new(cse: HttpOriginator, rewriter: PoaRewriter) -> Self {
        Self { cse, rewriter }
    }

    async fn forward(&self, request: &RequestPrimitive, format: BodyFormat) -> ResponsePrimitive {
        match self.cse.send(request, format).await {
            Ok(mut response) => {
                if response.rqi.as_deref().is_none_or(str::is_empty) {
                    response.rqi = Some(request.rqi.clone());
                }
                response
            }
            Err(e) => {
                warn!(rqi = %request.rqi, error = %e, "the CSE could not be reached over HTTP");
                ResponsePrimitive::error(request, e.status_code(), format!("gateway: {e}"))
            }
        }
    }

    /// After an AE create that the CSE answered with an AE-ID other than the one the
    /// `poa` was written for (an AE-ID the CSE assigned), points the `poa` at the
    /// right AE with an update in the AE's name.
    async fn repoint_poa(
        &self,
        create: &RequestPrimitive,
        response: &ResponsePrimitive,
        written_for: &str,
        format: BodyFormat,
    ) {
        let Some(ae) = response
            .pc
            .as_ref()
            .and_then(Value::as_map)
            .and_then(|pc| pc.get("m2m:ae"))
            .and_then(Value::as_map)
        else {
            return;
        };
        let (Some(aei), Some(rn)) = (
            ae.get("aei").and_then(Value::as_str),
            ae.get("rn").and_then(Value::as_str),
        ) else {
            return;
        };
        if aei == written_for {
            return;
        }
        // The poa as forwarded (for the wrong AE-ID), back to the AE's own, then
        // rewritten for the right one.
        let written = create
            .pc
            .as_ref()
            .and_then(Value::as_map)
            .and_then(|pc| pc.get("m2m:ae"))
            .and_then(Value::as_map)
            .and_then(|ae| ae.get("poa"))
            .cloned();
        let ae_update: Map = written.into_iter().map(|poa| ("poa", poa)).collect();
        let mut update_pc = Value::Map([("m2m:ae", Value::Map(ae_update))].into_iter().collect());
        PoaRewriter::restore(&mut update_pc);
        self.rewriter.rewrite_ae(&mut update_pc, aei);
        let mut update = RequestPrimitive::update(
            format!("{}/{rn}", create.to.trim_end_matches('/')),
            aei,
            format!("{}-poa", create.rqi),
            update_pc,
        );
        update.rvi = create.rvi.clone();
        let answer = self.forward(&update, format).await;
        if answer.rsc == ResponseStatusCode::UPDATED {
            debug!(%aei, "poa pointed at the gateway for the AE-ID the CSE assigned");
        } else {
            warn!(%aei, rsc = answer.rsc.code(), "cannot point the poa of the AE at the gateway: the CSE's requests to it will not arrive");
        }
    }
}

/// The AE-ID an AE create asks for, when it names one (`C...` or `S...` beyond the
/// bare letter); else the gateway learns it from the CSE's answer.
fn requested_ae_id(request: &RequestPrimitive) -> Option<&str> {
    request
        .fr
        .as_deref()
        .filter(|fr| fr.len() > 1 && (fr.starts_with('C') || fr.starts_with('S')))
}

#[async_trait]
impl Handler for ForwardToHttp {
    async fn handle(
        &self,
        mut request: RequestPrimitive,
        ctx: RequestContext,
    ) -> ResponsePrimitive {
        let Some(format) = BodyFormat::ALL
            .into_iter()
            .find(|format| format.name() == ctx.serialization)
        else {
            return ResponsePrimitive::error(
                &request,
                ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("gateway: no HTTP body format for {}", ctx.serialization),
            );
        };
        let ae_create = request.op == Operation::Create && request.ty == Some(ResourceType::AE);
        let sets_poa = request.op == Operation::Update
            && request.pc.as_ref().is_some_and(PoaRewriter::sets_poa);
        // Only AE creates and poa updates are rewritten: other requests pass as they are.
        let written_for = if ae_create || sets_poa {
            let ae_id = if ae_create {
                requested_ae_id(&request).unwrap_or_default().to_owned()
            } else {
                request.fr.clone().unwrap_or_default()
            };
            let rewritten = request
                .pc
                .as_mut()
                .is_some_and(|pc| self.rewriter.rewrite_ae(pc, &ae_id));
            (ae_create && rewritten).then_some(ae_id)
        } else {
            None
        };
        let mut response = self.forward(&request, format).await;
        if let Some(written_for) = written_for
            && response.rsc == ResponseStatusCode::CREATED
        {
            self.repoint_poa(&request, &response, &written_for, format)
                .await;
        }
        if let Some(pc) = response.pc.as_mut() {
            PoaRewriter::restore(pc);
        }
        response
    }
}
