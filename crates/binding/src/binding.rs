//! The binding: one entity's connection to the broker, its originator and receiver,
//! and the registration and deregistration procedures.

use std::sync::Arc;

use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use tokio::sync::Mutex;
use tracing::info;

use crate::Error;
use crate::builder::{BindingBuilder, Connector, client_id, spawn_dispatch, subscribe};
use crate::driver::MqttClient;
use crate::link::{Current, Link};
use crate::originator::Originator;
use crate::topic::Entity;

/// A oneM2M entity (AE or CSE) on MQTT: it sends requests with its
/// [`originator`](Binding::originator) and serves the requests addressed to it with the
/// builder's [`Handler`](crate::receiver::Handler). Made by [`Binding::builder`].
pub struct Binding {
    link: Arc<Link>,
    connector: Connector,
    /// Serializes registration, deregistration and shutdown.
    procedures: Mutex<()>,
}

impl std::fmt::Debug for Binding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let current = self.link.current();
        f.debug_struct("Binding")
            .field("entity", &current.entity)
            .field("client_id", &current.client_id)
            .field("scheme", &self.link.scheme.name())
            .field("serializers", &self.link.serializers)
            .finish_non_exhaustive()
    }
}

/// The outcome of a successful [`Binding::register_ae`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Registration {
    /// The AE-ID the registrar assigned (`aei` of the created AE), now the entity's ID.
    pub ae_id: String,
    /// The MQTT client id the binding connects with from now on (`A::<aei>`).
    pub client_id: String,
    /// The registrar's response.
    pub response: ResponsePrimitive,
}

impl Binding {
    /// A builder with every default (see [`BindingBuilder`]).
    pub fn builder() -> BindingBuilder {
        BindingBuilder::new()
    }

    pub(crate) fn new(link: Arc<Link>, connector: Connector) -> Self {
        Self {
            link,
            connector,
            procedures: Mutex::new(()),
        }
    }

    /// A handle that sends requests; clone it freely.
    pub fn originator(&self) -> Originator {
        Originator::new(Arc::clone(&self.link))
    }

    /// The entity the binding speaks for now.
    pub fn entity(&self) -> Entity {
        self.link.current().entity
    }

    /// The MQTT client id in use.
    pub fn client_id(&self) -> String {
        self.link.current().client_id
    }

    /// The MQTT client underneath, for what the binding does not cover (its
    /// connection status, raw publishes).
    pub fn mqtt_client(&self) -> MqttClient {
        self.link.current().client
    }

    /// Registers this AE with its registrar over the registration topics (TS-0010
    /// 6.4.4: `reg_req`/`reg_resp` with the Credential-ID as originator level), and
    /// from then on works under the AE-ID assigned.
    ///
    /// `request` is the AE create (`op` 1, `ty` 2, `pc` `{"m2m:ae": {...}}`); its `fr`
    /// says which AE-ID to ask for: absent (no preference), `"C"` or `"S"` (assigned by
    /// the registrar or the SP), or a stem for a re-registration. An empty `rqi` is
    /// filled in.
    ///
    /// On a 2001 response with an `aei`, the binding leaves the registration session
    /// for good (disconnect, connect with Clean Session, disconnect: nothing is left at
    /// the broker under the Credential-ID) and connects as `A::<aei>` with the
    /// configured clean-session flag and session store, subscribed to the AE's request
    /// and response topics. Any other response is [`Error::RegistrationRefused`] and
    /// the binding stays unregistered.
    pub async fn register_ae(&self, request: RequestPrimitive) -> Result<Registration, Error> {
        let _procedure = self.procedures.lock().await;
        let current = self.link.current();
        let (Some(credential_id), Some(registrar), None) = (
            current.entity.credential_id.clone(),
            current.entity.registrar.clone(),
            current.entity.id.as_ref(),
        ) else {
            return Err(Error::NotRegistered(
                "register_ae needs a binding built with registration(credential_id) that has not registered yet",
            ));
        };
        let serialization = self.link.serializers.default_serializer().name();
        let topic = self.link.scheme.registration_request_topic(
            &credential_id,
            &registrar,
            serialization,
        )?;
        let response = self.originator().exchange(topic, request).await?;
        if response.rsc != ResponseStatusCode::CREATED {
            return Err(Error::RegistrationRefused {
                rsc: response.rsc,
                message: response.debug_message().unwrap_or_default().to_owned(),
            });
        }
        let ae_id = assigned_ae_id(&response).ok_or_else(|| Error::RegistrationRefused {
            rsc: response.rsc,
            message: "the response carries no AE-ID (m2m:ae/aei)".into(),
        })?;
        let entity = Entity::ae(ae_id.clone()).with_registrar(registrar);
        let client_id = client_id(&entity)?;
        info!(%ae_id, %client_id, "registered; reconnecting under the assigned AE-ID");
        current.client.close_session().await;
        let (client, incoming) = self.connector.start(&entity, &client_id).await?;
        self.link.replace(Current {
            client: client.clone(),
            entity: entity.clone(),
            client_id: client_id.clone(),
        });
        spawn_dispatch(&self.link, incoming);
        subscribe(&client, self.link.scheme.as_ref(), &entity).await?;
        Ok(Registration {
            ae_id,
            client_id,
            response,
        })
    }

    /// Leaves the MQTT session for good, as TS-0010 6.3.3 (the draft's 6.1) says:
    /// disconnect, connect again with Clean Session set, disconnect. The broker then
    /// holds nothing for this client id: no subscriptions, and none of the messages it
    /// had queued for it. Handlers still running get up to the drain timeout
    /// ([`BindingBuilder::drain_timeout`]) to answer first. Requests still awaiting a
    /// response fail with [`Error::Closed`]; the binding is unusable afterwards.
    ///
    /// This is the MQTT side only: deleting the AE resource at the registrar is a
    /// request the application sends first, if it wants to.
    pub async fn deregister(&self) {
        let _procedure = self.procedures.lock().await;
        self.link
            .in_flight
            .close(self.link.settings.drain_timeout)
            .await;
        self.link.current().client.close_session().await;
        self.link.pending.close_all();
    }

    /// Disconnects and stops, keeping the session at the broker (requests sent to this
    /// entity meanwhile are queued there for its next connection). Requests still
    /// awaiting a response fail with [`Error::Closed`].
    ///
    /// Requests arriving from now on are left to the broker, unacknowledged, for the
    /// next connection; the handlers still running get up to the drain timeout
    /// ([`BindingBuilder::drain_timeout`]) to answer, so that their requests are
    /// acknowledged and not run again by the next connection.
    pub async fn shutdown(&self) {
        let _procedure = self.procedures.lock().await;
        self.link
            .in_flight
            .close(self.link.settings.drain_timeout)
            .await;
        self.link.current().client.shutdown().await;
        self.link.pending.close_all();
    }
}

/// The `aei` of the AE a registration created.
fn assigned_ae_id(response: &ResponsePrimitive) -> Option<String> {
    let ae = response.pc.as_ref()?.as_map()?.get("m2m:ae")?.as_map()?;
    let aei = ae.get("aei")?.as_str()?;
    (!aei.is_empty()).then(|| aei.to_owned())
}
