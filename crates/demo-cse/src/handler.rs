//! The demo CSE on MQTT: the binding's handler around [`DemoCse`], and the sending of
//! notifications.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use async_trait::async_trait;
use onem2m_binding::driver::MqttClient;
use onem2m_binding::{Binding, BindingBuilder, Handler, Originator, RequestContext, RouteKind};
use onem2m_mqtt_proto::{QoS, Topic};
use onem2m_primitive::{
    Operation, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode,
};
use onem2m_serialization::{JsonSerializer, Serializer};
use tracing::{info, warn};

use crate::cse::DemoCse;
use crate::notice::{Notice, NotificationTarget};

/// Serves requests with a [`DemoCse`] and sends the notifications they trigger once the
/// binding is up ([`serve`] wires both).
#[derive(Clone)]
pub struct DemoCseHandler {
    cse: Arc<Mutex<DemoCse>>,
    sender: Arc<OnceLock<NotificationSender>>,
}

impl std::fmt::Debug for DemoCseHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoCseHandler").finish_non_exhaustive()
    }
}

/// The handles notifications go out with.
#[derive(Clone)]
struct NotificationSender {
    originator: Originator,
    client: MqttClient,
}

impl DemoCseHandler {
    /// A handler for `cse`. Until [`DemoCseHandler::send_with`] is called, notifications
    /// are dropped with a warning.
    pub fn new(cse: DemoCse) -> Self {
        Self {
            cse: Arc::new(Mutex::new(cse)),
            sender: Arc::new(OnceLock::new()),
        }
    }

    /// Sends notifications through `binding` (the CSE's own) from now on.
    pub fn send_with(&self, binding: &Binding) {
        let _ = self.sender.set(NotificationSender {
            originator: binding.originator(),
            client: binding.mqtt_client(),
        });
    }

    /// Runs `f` on the CSE (for inspection in tests and tools).
    pub fn with_cse<T>(&self, f: impl FnOnce(&DemoCse) -> T) -> T {
        f(&self.cse.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[async_trait]
impl Handler for DemoCseHandler {
    async fn handle(&self, request: RequestPrimitive, ctx: RequestContext) -> ResponsePrimitive {
        let registration = request.op == Operation::Create && request.ty == Some(ResourceType::AE);
        if ctx.route.kind == RouteKind::RegistrationRequest && !registration {
            return ResponsePrimitive::error(
                &request,
                ResponseStatusCode::BAD_REQUEST,
                "only an AE create may be sent on a registration topic",
            );
        }
        let executed = self
            .cse
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .execute(&request);
        info!(
            op = %request.op, to = %request.to, fr = request.fr.as_deref().unwrap_or(""),
            rsc = executed.response.rsc.code(), "demo CSE executed a request"
        );
        if !executed.notifications.is_empty() {
            match self.sender.get() {
                Some(sender) => {
                    for notice in executed.notifications {
                        tokio::spawn(sender.clone().send(notice));
                    }
                }
                None => warn!("notifications dropped: the CSE has no binding to send them"),
            }
        }
        executed.response
    }
}

impl NotificationSender {
    async fn send(self, notice: Notice) {
        match notice.target {
            NotificationTarget::Entity(entity) => {
                match self.originator.request(notice.request).await {
                    Ok(response) => {
                        info!(to = %entity, rsc = response.rsc.code(), "notification answered");
                    }
                    Err(e) => warn!(to = %entity, error = %e, "notification not delivered"),
                }
            }
            NotificationTarget::Topic(topic) => {
                let published = async {
                    let payload = JsonSerializer::new()
                        .encode_request(&notice.request)
                        .map_err(|e| e.to_string())?;
                    let topic = Topic::try_from(topic.clone()).map_err(|e| e.to_string())?;
                    self.client
                        .publish(topic, payload, QoS::AtLeastOnce)
                        .await
                        .map_err(|e| e.to_string())
                };
                if let Err(error) = published.await {
                    warn!(%topic, %error, "notification not published");
                }
            }
        }
    }
}

/// Puts `cse` on MQTT: builds `builder` (URL, scheme and serialization already set) as
/// the CSE `cse.options().cse_id` with a [`DemoCseHandler`], and lets the handler send
/// notifications through the new binding.
pub async fn serve(
    builder: BindingBuilder,
    cse: DemoCse,
) -> Result<(Binding, DemoCseHandler), onem2m_binding::Error> {
    let cse_id = cse.options().cse_id.clone();
    let handler = DemoCseHandler::new(cse);
    let binding = builder
        .cse_id(cse_id)
        .handler(handler.clone())
        .build()
        .await?;
    handler.send_with(&binding);
    Ok((binding, handler))
}
