//! The connection task: every message the MQTT client receives goes through the
//! receiver's pipeline, and each decision is carried out here.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Weak};

use bytes::Bytes;
use futures_util::FutureExt;
use onem2m_mqtt_proto::{QoS, Topic};
use onem2m_primitive::{ResponsePrimitive, ResponseStatusCode};
use tracing::{debug, warn};

use crate::driver::{AckHandle, ClientEvent, Delivery, Incoming, MqttClient};
use crate::in_flight::InFlightGuard;
use crate::link::Link;
use crate::receiver::{Accepted, Arrival, Decision, Outgoing};

/// Reads `incoming` until the client stops or the binding is dropped.
pub(crate) async fn run(link: Weak<Link>, mut incoming: Incoming) {
    while let Some(event) = incoming.recv().await {
        let Some(link) = link.upgrade() else {
            return;
        };
        match event {
            ClientEvent::Message(delivery) => on_delivery(&link, delivery),
            ClientEvent::Connected { session_present } => {
                debug!(session_present, "connected to the broker");
            }
            ClientEvent::SessionLost { republished } => {
                warn!(
                    republished,
                    "the broker lost the session; requests were published again"
                );
            }
            ClientEvent::Disconnected { error, retry_in } => {
                warn!(%error, ?retry_in, "disconnected from the broker");
            }
            ClientEvent::ResubscribeRefused { filters } => {
                warn!(?filters, "the broker refused to subscribe again");
            }
        }
    }
}

fn on_delivery(link: &Arc<Link>, mut delivery: Delivery) {
    let at = Arrival::now();
    let ack = delivery.take_ack();
    let topic = delivery.topic.as_str();
    let decision = link.pipeline().on_message(topic, &delivery.payload, at);
    match decision {
        Decision::Response(response) => {
            ack_now(ack);
            deliver_response(link, topic, response);
        }
        Decision::Drop(dropped) => {
            ack_now(ack);
            if dropped.warn {
                warn!(topic, reason = %dropped.reason, "message dropped");
            } else {
                debug!(topic, reason = %dropped.reason, "message dropped");
            }
        }
        Decision::Respond(outgoing) => {
            let Some(running) = link.in_flight.start() else {
                return closing(topic, outgoing.rqi.as_deref());
            };
            publish_then_ack(link, Some(outgoing), ack, running);
        }
        Decision::Handle(accepted)
            if link.in_flight.running() >= link.settings.max_concurrent_requests =>
        {
            overloaded(link, &accepted, ack);
        }
        Decision::Handle(accepted) => {
            let Some(running) = link.in_flight.start() else {
                link.pipeline().abandon(&accepted);
                return closing(topic, Some(&accepted.request.rqi));
            };
            let ack = if link.settings.ack_after_handler {
                ack
            } else {
                ack_now(ack);
                None
            };
            tokio::spawn(handle(Arc::clone(link), accepted, ack, running));
        }
    }
}

/// Answers a request that arrived while as many as the limit are being handled: 5000,
/// without the handler, so that memory stays bounded under a flood.
fn overloaded(link: &Arc<Link>, accepted: &Accepted, ack: Option<AckHandle>) {
    let limit = link.settings.max_concurrent_requests;
    let response = ResponsePrimitive::error(
        &accepted.request,
        ResponseStatusCode::INTERNAL_SERVER_ERROR,
        format!("{limit} requests are already being handled: try again later"),
    );
    let Some(running) = link.in_flight.start() else {
        link.pipeline().abandon(accepted);
        return closing(&accepted.context.topic, Some(&accepted.request.rqi));
    };
    warn!(rqi = %accepted.request.rqi, limit, "request refused: too many being handled");
    let outgoing = link.pipeline().finish(accepted, response);
    publish_then_ack(link, outgoing, ack, running);
}

/// Publishes a response decided without the handler (if there is one to send), then
/// acknowledges the request; `running` keeps shutdown waiting until it is done.
fn publish_then_ack(
    link: &Arc<Link>,
    outgoing: Option<Outgoing>,
    ack: Option<AckHandle>,
    running: InFlightGuard,
) {
    let client = link.current().client;
    tokio::spawn(async move {
        if let Some(outgoing) = outgoing {
            publish(&client, outgoing).await;
        }
        ack_now(ack);
        drop(running);
    });
}

/// A request that arrived while the binding closes is left unacknowledged: the broker
/// keeps it for the next connection.
fn closing(topic: &str, rqi: Option<&str>) {
    debug!(
        topic,
        rqi = rqi.unwrap_or(""),
        "request left to the broker: the binding is closing"
    );
}

fn deliver_response(link: &Link, topic: &str, response: Box<ResponsePrimitive>) {
    debug!(
        rqi = response.rqi.as_deref().unwrap_or(""),
        rsc = response.rsc.code(),
        topic,
        "response received"
    );
    if let Err(response) = link.pending.resolve(*response) {
        let rqi = response.rqi.as_deref().unwrap_or("");
        let rsc = response.rsc.code();
        const DROPPED: &str =
            "response nobody waits for (timed out, or never sent from here): dropped";
        if link.settings.expects_stray_responses {
            debug!(rqi, rsc, topic, "{DROPPED}");
        } else {
            warn!(rqi, rsc, topic, "{DROPPED}");
        }
    }
}

/// Runs the handler (a panic becomes a 5000 response), then publishes the response
/// and acknowledges the request.
async fn handle(
    link: Arc<Link>,
    mut accepted: Box<Accepted>,
    ack: Option<AckHandle>,
    running: InFlightGuard,
) {
    let request = accepted.take_request();
    debug!(
        op = request.op.name(),
        to = %request.to,
        fr = request.fr.as_deref().unwrap_or(""),
        rqi = %request.rqi,
        topic = %accepted.context.topic,
        "request received"
    );
    let response = match &link.handler {
        Some(handler) => {
            let context = accepted.context.clone();
            // In this task: a task of its own per request cost a spawn and a wake-up.
            match AssertUnwindSafe(handler.handle(request, context))
                .catch_unwind()
                .await
            {
                Ok(response) => response,
                Err(panic) => ResponsePrimitive::error(
                    &accepted.request,
                    ResponseStatusCode::INTERNAL_SERVER_ERROR,
                    format!("the handler panicked: {}", panic_message(panic.as_ref())),
                ),
            }
        }
        None => ResponsePrimitive::error(
            &accepted.request,
            ResponseStatusCode::NOT_IMPLEMENTED,
            "this entity serves no requests",
        ),
    };
    let outgoing = link.pipeline().finish(&accepted, response);
    if let Some(outgoing) = outgoing {
        let client = link.current().client;
        publish(&client, outgoing).await;
    }
    ack_now(ack);
    drop(running);
}

/// The text a panic carried, if it is one.
fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

async fn publish(client: &MqttClient, outgoing: Outgoing) {
    let Outgoing {
        topic,
        payload,
        rqi,
        rsc,
    } = outgoing;
    let rqi = rqi.unwrap_or_default();
    let mqtt_topic = match Topic::try_from(topic.as_str()) {
        Ok(t) => t,
        Err(e) => {
            warn!(%topic, %rqi, error = %e, "response topic refused by MQTT: not sent");
            return;
        }
    };
    match client
        .publish(mqtt_topic, Bytes::clone(&payload), QoS::AtLeastOnce)
        .await
    {
        Ok(()) => debug!(%rqi, rsc = rsc.code(), %topic, "response sent"),
        Err(e) => warn!(%rqi, rsc = rsc.code(), %topic, error = %e, "response not sent"),
    }
}

fn ack_now(ack: Option<AckHandle>) {
    if let Some(ack) = ack {
        ack.ack();
    }
}
