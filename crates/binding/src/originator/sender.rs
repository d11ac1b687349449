//! The originator handle: sends requests and awaits their responses.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use onem2m_mqtt_proto::{QoS, Topic};
use onem2m_primitive::{
    Id, Operation, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, Timestamp,
};
use onem2m_serialization::Serializer;
use tracing::debug;

use super::response_deadline;
use crate::Error;
use crate::link::Link;
use crate::same_entity::same_entity;
use crate::topic::{Entity, Hop, Role};

/// Sends requests over the binding and returns their responses; clone it freely (all
/// clones share one connection and one map of pending requests).
///
/// ```no_run
/// # async fn run(binding: onem2m_binding::Binding) -> Result<(), onem2m_binding::Error> {
/// use onem2m_primitive::RequestPrimitive;
///
/// let originator = binding.originator();
/// let response = originator
///     .request(RequestPrimitive::retrieve("cse-in", "CAE01", ""))
///     .await?;
/// println!("{}", response.rsc);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Originator {
    link: Arc<Link>,
}

impl std::fmt::Debug for Originator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Originator")
            .field("entity", &self.link.current().entity)
            .field("pending", &self.link.pending.len())
            .finish()
    }
}

impl Originator {
    pub(crate) fn new(link: Arc<Link>) -> Self {
        Self { link }
    }

    /// Sends `request` and waits for its response.
    ///
    /// Fills in what was left empty: `rqi` with a fresh identifier, `fr` with this
    /// entity's ID (except on an AE create, where an absent `fr` means "no
    /// preference"). The request goes to the MQTT peer of this hop: an AE's registrar;
    /// for a CSE, the entity `to` names (the CSE it is on, or the AE), else its
    /// registrar. [`Originator::request_via`] names the peer explicitly.
    ///
    /// Waits until the request expiration timestamp `rqet` if there is one, else the
    /// default request timeout, then fails with [`Error::Timeout`] (status 5103); a
    /// request whose `rqet` has already passed is not sent at all and fails so at
    /// once. A request with `rt` = no response returns once the broker has taken it,
    /// with a local 1000 ACCEPTED. Thousands of requests may be outstanding at once,
    /// up to the pending limit ([`Error::PendingFull`]).
    ///
    /// Cancel safety: dropping the future forgets the request; its response, should it
    /// come, is logged and dropped.
    pub async fn request(&self, request: RequestPrimitive) -> Result<ResponsePrimitive, Error> {
        let current = self.link.current();
        let receiver = receiver_for(&current.entity, &request.to)?;
        self.request_via(&receiver, request).await
    }

    /// Sends `request` to the MQTT peer `receiver` (an AE-ID or CSE-ID) and waits for its
    /// response, as [`Originator::request`] does.
    pub async fn request_via(
        &self,
        receiver: &str,
        request: RequestPrimitive,
    ) -> Result<ResponsePrimitive, Error> {
        let serializer = Arc::clone(self.link.serializers.default_serializer());
        self.send_via(receiver, serializer, request).await
    }

    /// Sends `request` to the MQTT peer `receiver` in the serialization named
    /// `serialization` (`xml`, `json`, `cbor`, or one added to the builder), and waits for
    /// its response, as [`Originator::request`] does. A gateway uses it to pass a
    /// request on in the serialization it arrived in.
    pub async fn request_via_in(
        &self,
        receiver: &str,
        serialization: &str,
        request: RequestPrimitive,
    ) -> Result<ResponsePrimitive, Error> {
        let serializer = self
            .link
            .serializers
            .get(Some(serialization))
            .cloned()
            .ok_or_else(|| {
                Error::Config(format!(
                    "no {serialization} serializer: add it to the builder (add_serializer)"
                ))
            })?;
        self.send_via(receiver, serializer, request).await
    }

    /// How many times a request has been sent again under its `rqi`
    /// ([`BindingBuilder::retry`](crate::BindingBuilder::retry)), over the binding's life.
    pub fn retries(&self) -> u64 {
        self.link.retries.load(Ordering::Relaxed)
    }

    async fn send_via(
        &self,
        receiver: &str,
        serializer: Arc<dyn Serializer>,
        mut request: RequestPrimitive,
    ) -> Result<ResponsePrimitive, Error> {
        let entity = self.link.current().entity;
        let me = entity.id.clone().ok_or(Error::NotRegistered(
            "an entity without an ID can only register",
        ))?;
        fill_originator(&mut request, &me);
        let topic = self.link.scheme.request_topic(&Hop {
            originator: &me,
            receiver,
            to: &request.to,
            serialization: serializer.name(),
        })?;
        self.exchange_in(topic, serializer.as_ref(), request).await
    }

    /// Publishes `request` on `topic` and waits for the response with its `rqi`.
    pub(crate) async fn exchange(
        &self,
        topic: String,
        request: RequestPrimitive,
    ) -> Result<ResponsePrimitive, Error> {
        let serializer = Arc::clone(self.link.serializers.default_serializer());
        self.exchange_in(topic, serializer.as_ref(), request).await
    }

    /// [`exchange`](Self::exchange) with the payload in `serializer`'s format.
    async fn exchange_in(
        &self,
        topic: String,
        serializer: &dyn Serializer,
        mut request: RequestPrimitive,
    ) -> Result<ResponsePrimitive, Error> {
        let link = &self.link;
        if request.rqi.is_empty() {
            request.rqi = link.request_ids.next_id();
        }
        let payload = serializer.encode_request(&request)?;
        if let Some(limit) = link.settings.max_message_size
            && payload.len() > limit
        {
            return Err(Error::MessageTooLarge {
                size: payload.len(),
                limit,
            });
        }
        let mqtt_topic = Topic::try_from(topic.as_str())?;
        let deadline = response_deadline(&request, link.settings.request_timeout, Timestamp::now());
        if deadline.is_zero() {
            // Expired before it was sent: a receiver may only answer 4008, and whether
            // that answer or the timer came first would be a race.
            return Err(Error::Timeout {
                rqi: request.rqi,
                after: Duration::ZERO,
            });
        }
        let waiter = if request.wants_no_response() {
            None
        } else {
            Some(link.pending.register(&request.rqi)?)
        };
        debug!(
            op = request.op.name(),
            to = %request.to,
            fr = request.fr.as_deref().unwrap_or(""),
            rqi = %request.rqi,
            %topic,
            "request sent"
        );
        let client = link.current().client;
        let retry = link.settings.retry;
        let exchange = async {
            client
                .publish(mqtt_topic.clone(), Bytes::clone(&payload), QoS::AtLeastOnce)
                .await?;
            let Some(waiter) = waiter else {
                return Ok(ResponsePrimitive::answering(
                    &request,
                    ResponseStatusCode::ACCEPTED,
                ));
            };
            let mut response = std::pin::pin!(waiter.receive());
            if let Some(retry) = retry {
                for attempt in 1..=retry.max_retries() {
                    match tokio::time::timeout(retry.after(), &mut response).await {
                        Ok(result) => return result,
                        Err(_) => {
                            link.retries.fetch_add(1, Ordering::Relaxed);
                            debug!(rqi = %request.rqi, attempt, "no response yet: request sent again");
                            client
                                .publish(
                                    mqtt_topic.clone(),
                                    Bytes::clone(&payload),
                                    QoS::AtLeastOnce,
                                )
                                .await?;
                        }
                    }
                }
            }
            response.await
        };
        match tokio::time::timeout(deadline, exchange).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                rqi: request.rqi.clone(),
                after: round_to_millis(deadline),
            }),
        }
    }
}

fn round_to_millis(d: Duration) -> Duration {
    Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The MQTT peer a request to `to` goes to: an AE talks to its registrar only; a CSE
/// sends to the CSE or AE that `to` names, else to its registrar.
fn receiver_for(me: &Entity, to: &str) -> Result<String, Error> {
    let registrar = || {
        me.registrar.clone().ok_or_else(|| {
            Error::Config(format!(
                "no MQTT peer for a request to {to:?}: set a registrar, or use request_via"
            ))
        })
    };
    if me.role == Role::Ae {
        return registrar();
    }
    let my_id = me.id.as_deref().unwrap_or("");
    let target = match Id::parse(to) {
        Ok(Id::Cse(cse)) => Some(cse.to_string()),
        Ok(Id::Ae(ae)) => match ae.csi() {
            // A C-type AE below another CSE is reached through that CSE.
            Some(csi) if !same_entity(&format!("/{csi}"), my_id) => Some(format!("/{csi}")),
            _ => Some(to.to_owned()),
        },
        Ok(id @ Id::Resource(_)) => id.cse_id().map(|cse| cse.to_string()),
        Err(_) => None,
    };
    match target {
        Some(target) if !same_entity(&target, my_id) => Ok(target),
        _ => registrar(),
    }
}

/// Sets `fr` to `me` when it is absent or empty. An empty `fr` is only meaningful on
/// an AE create (the CSE assigns the AE-ID); anywhere else it means "from me".
fn fill_originator(request: &mut RequestPrimitive, me: &str) {
    let is_ae_create = request.op == Operation::Create && request.ty == Some(ResourceType::AE);
    if request.fr.as_deref().is_none_or(str::is_empty) && !is_ae_create {
        request.fr = Some(me.to_owned());
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn an_absent_or_empty_originator_is_filled_in_except_on_an_ae_create() {
        let mut retrieve = RequestPrimitive::retrieve("cse-in", "", "r1");
        fill_originator(&mut retrieve, "CAE01");
        assert_eq!(retrieve.fr.as_deref(), Some("CAE01"));
        retrieve.fr = None;
        fill_originator(&mut retrieve, "CAE01");
        assert_eq!(retrieve.fr.as_deref(), Some("CAE01"));
        let mut own = RequestPrimitive::retrieve("cse-in", "Cother", "r2");
        fill_originator(&mut own, "CAE01");
        assert_eq!(own.fr.as_deref(), Some("Cother"), "an explicit fr is kept");
        let mut ae_create = RequestPrimitive::create(
            "cse-in",
            "",
            "r3",
            ResourceType::AE,
            onem2m_primitive::Value::Null,
        );
        fill_originator(&mut ae_create, "CAE01");
        assert_eq!(
            ae_create.fr.as_deref(),
            Some(""),
            "empty asks the CSE for an AE-ID"
        );
    }

    #[test]
    fn an_ae_always_talks_to_its_registrar() {
        let ae = Entity::ae("CAE01").with_registrar("/id-in");
        for to in ["cse-in/myAE", "/id-mn/cse-mn", "//sp.com/in2/x", "CAE02"] {
            assert_eq!(receiver_for(&ae, to).unwrap(), "/id-in");
        }
    }

    #[test]
    fn a_cse_sends_to_the_entity_the_target_names() {
        let cse = Entity::cse("/id-in");
        assert_eq!(receiver_for(&cse, "CAE01").unwrap(), "CAE01");
        assert_eq!(receiver_for(&cse, "/id-in/CAE01").unwrap(), "/id-in/CAE01");
        assert_eq!(receiver_for(&cse, "/id-mn/CAE01").unwrap(), "/id-mn");
        assert_eq!(receiver_for(&cse, "/id-mn/cse-mn/cnt").unwrap(), "/id-mn");
        assert_eq!(receiver_for(&cse, "/SAE01").unwrap(), "/SAE01");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_expired_before_it_is_sent_times_out_unpublished() {
        use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
        use onem2m_primitive::AbsRelTimestamp;

        let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
            .await
            .unwrap();
        // A CSE that would answer anything: a response could only come if the
        // request went out.
        let cse = crate::Binding::builder()
            .cse_id("/id-in")
            .url(&broker.url())
            .unwrap()
            .handler(|req: RequestPrimitive, _ctx| async move {
                ResponsePrimitive::answering(&req, ResponseStatusCode::REQUEST_TIMEOUT)
            })
            .build()
            .await
            .unwrap();
        let ae = crate::Binding::builder()
            .ae_id("CAE01")
            .registrar("/id-in")
            .url(&broker.url())
            .unwrap()
            .build()
            .await
            .unwrap();
        for n in 0..20 {
            let mut late = RequestPrimitive::retrieve("cse-in", "CAE01", format!("late-{n}"));
            late.rqet = Some(AbsRelTimestamp::Absolute(Timestamp::now().add_millis(-1)));
            match ae.originator().request(late).await {
                Err(Error::Timeout { after, .. }) => assert_eq!(after, Duration::ZERO),
                other => panic!("an expired request went out: {other:?}"),
            }
        }
        ae.shutdown().await;
        cse.shutdown().await;
        broker.shutdown().await.unwrap();
    }

    #[test]
    fn a_cse_without_registrar_cannot_send_to_itself() {
        let cse = Entity::cse("/id-in");
        assert!(receiver_for(&cse, "cse-in/x").is_err());
        let mn = Entity::cse("/id-mn").with_registrar("/id-in");
        assert_eq!(receiver_for(&mn, "cse-mn/x").unwrap(), "/id-in");
    }
}
