//! Watching the wire: a raw MQTT client subscribed to `#` that hands over every
//! message, and the one-line form the demo prints each one in. It shows the true topic
//! and bytes, not what the binding meant to send.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use onem2m_binding::driver::{ClientConfig, MqttClient};
use onem2m_binding::{RouteKind, TopicScheme};
use onem2m_mqtt_proto::{ByteStr, QoS, SessionOptions, SubscribeFilter, TopicFilter};
use onem2m_primitive::ResponseStatusCode;
use onem2m_transport::{TlsOptions, transport_for_url};
use tokio::sync::mpsc;

use crate::failure::{Context, Failure};
use crate::settings::Serialization;

/// One MQTT message as the observer received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireMessage {
    /// The topic it was published on.
    pub topic: String,
    /// The payload bytes.
    pub payload: Bytes,
}

/// A raw MQTT client subscribed to every topic.
#[derive(Debug)]
pub struct WireObserver {
    client: MqttClient,
    messages: mpsc::UnboundedReceiver<WireMessage>,
}

impl WireObserver {
    /// Connects to `url` as `client_id`, subscribes to `#` and returns once the broker
    /// granted the subscription, so nothing published afterwards is missed.
    pub async fn start(url: &str, client_id: &str, wait: Duration) -> Result<Self, Failure> {
        let what = format!("watching the broker at {url}");
        let transport = transport_for_url(url, &TlsOptions::new()).context(what.clone())?;
        let mut options = SessionOptions::new(ByteStr::try_from(client_id).context(what.clone())?);
        options.clean_session = true;
        let config = ClientConfig::new(Arc::from(transport), options);
        let (client, mut incoming) = MqttClient::start(config).context(what.clone())?;
        let (tx, messages) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(delivery) = incoming.next_message().await {
                let message = WireMessage {
                    topic: delivery.topic.as_str().to_owned(),
                    payload: delivery.payload.clone(),
                };
                delivery.ack();
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let ready = async {
            client.connected().await.map_err(|e| e.to_string())?;
            let all = TopicFilter::try_from("#").map_err(|e| e.to_string())?;
            client
                .subscribe(vec![SubscribeFilter::new(all, QoS::AtMostOnce)])
                .await
                .map_err(|e| e.to_string())
        };
        match tokio::time::timeout(wait, ready).await {
            Ok(Ok(_)) => Ok(Self { client, messages }),
            Ok(Err(e)) => {
                client.shutdown().await;
                Err(Failure::new(what, e))
            }
            Err(_) => {
                client.shutdown().await;
                Err(Failure::new(what, format!("no connection within {wait:?}")))
            }
        }
    }

    /// The next message, or `None` when none arrives within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<WireMessage> {
        tokio::time::timeout(wait, self.messages.recv())
            .await
            .ok()
            .flatten()
    }

    /// Disconnects.
    pub async fn shutdown(self) {
        self.client.shutdown().await;
    }
}

/// A message, described for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireLine {
    /// `→ <topic>  <payload>` for a request, `← <rsc> <topic>  <payload>` for a
    /// response, `· <topic>  <payload>` for anything else.
    pub text: String,
    /// The `rqi` and status of a response, to tell when an exchange is complete and
    /// how it ended.
    pub response: Option<(String, ResponseStatusCode)>,
}

/// Turns messages into [`WireLine`]s for one scheme and serialization.
pub struct WireFormat {
    scheme: Box<dyn TopicScheme>,
    serialization: Serialization,
    width: usize,
}

impl std::fmt::Debug for WireFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WireFormat")
            .field("scheme", &self.scheme.name())
            .field("serialization", &self.serialization)
            .field("width", &self.width)
            .finish()
    }
}

impl WireFormat {
    /// Lines for topics of `scheme`, payloads cut after `width` characters (0: never).
    pub fn new(scheme: Box<dyn TopicScheme>, serialization: Serialization, width: usize) -> Self {
        Self {
            scheme,
            serialization,
            width,
        }
    }

    /// The line for `message`.
    pub fn line(&self, message: &WireMessage) -> WireLine {
        let route = self.scheme.parse(&message.topic).ok();
        let serialization = route
            .as_ref()
            .and_then(|r| r.serialization.as_deref())
            .and_then(Serialization::from_name)
            .unwrap_or(self.serialization);
        let payload = self.payload_text(&message.payload, serialization);
        match route.map(|r| r.kind) {
            Some(RouteKind::Request | RouteKind::RegistrationRequest) => WireLine {
                text: format!("→ {}  {payload}", message.topic),
                response: None,
            },
            Some(RouteKind::Response | RouteKind::RegistrationResponse) => {
                match serialization.serializer().decode_response(&message.payload) {
                    Ok(response) => WireLine {
                        text: format!("← {} {}  {payload}", response.rsc, message.topic),
                        response: response.rqi.map(|rqi| (rqi, response.rsc)),
                    },
                    Err(e) => WireLine {
                        text: format!("← (undecodable: {e}) {}  {payload}", message.topic),
                        response: None,
                    },
                }
            }
            None => WireLine {
                text: format!("· {}  {payload}", message.topic),
                response: None,
            },
        }
    }

    fn payload_text(&self, payload: &[u8], serialization: Serialization) -> String {
        let text = match (serialization, std::str::from_utf8(payload)) {
            (Serialization::Json | Serialization::Xml, Ok(text)) => {
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            _ => {
                let hex: String = payload.iter().map(|b| format!("{b:02x}")).collect();
                format!("<{} bytes> {hex}", payload.len())
            }
        };
        cut(&text, self.width)
    }
}

/// `text` cut after `width` characters, with `…` where it was cut.
fn cut(text: &str, width: usize) -> String {
    match text.char_indices().nth(width) {
        Some((end, _)) if width > 0 => format!("{}…", &text[..end]),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use onem2m_binding::Ts0010Scheme;
    use onem2m_primitive::{RequestPrimitive, ResponsePrimitive};

    fn format(width: usize) -> WireFormat {
        WireFormat::new(Box::new(Ts0010Scheme::new()), Serialization::Json, width)
    }

    #[test]
    fn a_request_shows_its_topic_and_payload() {
        let payload = Serialization::Json
            .serializer()
            .encode_request(&RequestPrimitive::retrieve("cse-in", "CAE01", "r1"))
            .unwrap();
        let line = format(0).line(&WireMessage {
            topic: "/oneM2M/req/id-in:CAE01/id-in/json".into(),
            payload,
        });
        assert!(
            line.text
                .starts_with("→ /oneM2M/req/id-in:CAE01/id-in/json  {\"op\":2,")
        );
        assert_eq!(line.response, None);
    }

    #[test]
    fn a_response_shows_its_status_and_is_cut_to_width() {
        let response = ResponsePrimitive::new(ResponseStatusCode::CREATED, "r1");
        let payload = Serialization::Json
            .serializer()
            .encode_response(&response)
            .unwrap();
        let line = format(10).line(&WireMessage {
            topic: "/oneM2M/resp/id-in:CAE01/id-in/json".into(),
            payload,
        });
        assert_eq!(
            line.text,
            "← 2001 CREATED /oneM2M/resp/id-in:CAE01/id-in/json  {\"rsc\":200…"
        );
        assert_eq!(
            line.response,
            Some(("r1".to_owned(), ResponseStatusCode::CREATED))
        );
    }

    #[test]
    fn cbor_is_shown_as_hex() {
        let line = format(12).line(&WireMessage {
            topic: "other/topic".into(),
            payload: Bytes::from_static(&[0xa1, 0x62, 0x6f, 0x70, 0x02]),
        });
        assert_eq!(line.text, "· other/topic  <5 bytes> a1…");
    }
}
