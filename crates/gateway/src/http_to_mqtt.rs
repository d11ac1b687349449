//! HTTP to MQTT: the CSE's requests to AEs (notifications above all), received on the
//! gateway's HTTP endpoint and published to the AE over MQTT.

use async_trait::async_trait;
use onem2m_binding::Originator;
use onem2m_http_binding::{HttpHandler, IncomingRequest};
use onem2m_primitive::{ResponsePrimitive, ResponseStatusCode, debug_info};
use tracing::debug;

use crate::poa::PoaRewriter;

/// The HTTP receiver's handler of a gateway: a request to
/// `<endpoint>/via-mqtt/<AE-ID>/...` (a `poa` the gateway wrote) goes to that AE over
/// MQTT, as the CSE's MQTT binding would send it (`to` is the AE-ID), in the
/// serialization the CSE asked the answer in; the AE's response is the HTTP answer.
#[derive(Debug, Clone)]
pub struct ForwardToMqtt {
    originator: Originator,
}

impl ForwardToMqtt {
    /// Publishes with `originator`, the gateway's MQTT binding (it speaks for the CSE).
    pub fn new(originator: Originator) -> Self {
        Self { originator }
    }
}

#[async_trait]
impl HttpHandler for ForwardToMqtt {
    async fn handle(&self, incoming: IncomingRequest) -> ResponsePrimitive {
        let IncomingRequest {
            primitive: mut request,
            response_format,
            ..
        } = incoming;
        let Some(ae_id) = PoaRewriter::ae_of_target(&request.to) else {
            return ResponsePrimitive::error(
                &request,
                ResponseStatusCode::NOT_FOUND,
                format!("gateway: {:?} is no AE behind this gateway", request.to),
            );
        };
        request.to = ae_id.clone();
        if let Some(pc) = request.pc.as_mut() {
            PoaRewriter::restore(pc);
        }
        debug!(op = request.op.name(), %ae_id, rqi = %request.rqi, "to the AE over MQTT");
        // What an error answer needs of the request (its rqi, fr, rvi), kept before the
        // request moves on.
        let unanswered =
            ResponsePrimitive::answering(&request, ResponseStatusCode::TARGET_NOT_REACHABLE);
        match self
            .originator
            .request_via_in(&ae_id, response_format.name(), request)
            .await
        {
            Ok(response) => response,
            Err(e) => ResponsePrimitive {
                rsc: e.status_code(),
                pc: Some(debug_info(format!("gateway: {e}"))),
                ..unanswered
            },
        }
    }
}
