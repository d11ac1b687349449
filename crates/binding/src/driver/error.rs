//! The driver's one error type.

use onem2m_mqtt_proto::ConnectRefusal;

/// What can go wrong between the application and the broker.
///
/// Connection-level errors (`Transport`, `Io`, `ConnectionClosed`, a refused
/// CONNECT) are not returned from `publish`: the driver reconnects and reports
/// them as [`ClientEvent::Disconnected`](crate::driver::ClientEvent::Disconnected).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client was shut down (or every handle dropped) before the request
    /// finished. A QoS 1/2 message accepted earlier stays in the session
    /// store and is resent by the next client on the same store.
    #[error("the MQTT client is shut down")]
    Closed,
    /// `try_publish`: the in-flight window (or the publish queue) is full.
    #[error("the in-flight window is full")]
    Full,
    /// A QoS 0 message was published while no connection was up; QoS 0 is
    /// never stored.
    #[error("not connected: a QoS 0 message is only sent on a live connection")]
    NotConnected,
    /// SUBACK answered 0x80 for these filters; the others were granted.
    #[error("the broker refused the subscription to {}", .filters.join(", "))]
    SubscriptionRefused {
        /// The refused filters.
        filters: Vec<String>,
    },
    /// `MqttClient::start` was called outside a tokio runtime.
    #[error("no tokio runtime: MqttClient::start must be called from within one")]
    NoRuntime,
    /// A configuration value is out of range.
    #[error("invalid client configuration: {0}")]
    InvalidConfig(&'static str),
    /// The MQTT layer: codec, session or session store (for example
    /// `PacketTooLarge` naming both sizes, or a refused CONNECT).
    #[error(transparent)]
    Mqtt(#[from] onem2m_mqtt_proto::Error),
    /// The transport could not connect (DNS, TCP, TLS, WebSocket upgrade).
    #[error(transparent)]
    Transport(#[from] onem2m_transport::Error),
    /// Reading from or writing to the connection failed.
    #[error("connection lost: {0}")]
    Io(#[source] std::io::Error),
    /// The broker closed the connection.
    #[error("the broker closed the connection")]
    ConnectionClosed,
}

impl Error {
    /// Whether retrying soon cannot help: certificate and TLS configuration
    /// errors, a URL that names the wrong transport, and CONNACK refusals other
    /// than "server unavailable" (bad credentials, not authorized, identifier
    /// rejected). The driver still retries them, but with the delay kept in
    /// the upper half of the backoff range, and reports each failure.
    pub fn is_permanent(&self) -> bool {
        use onem2m_transport::Error as T;
        match self {
            Self::Transport(e) => matches!(
                e,
                T::TlsHandshake { .. }
                    | T::TlsConfig(_)
                    | T::ReadFile { .. }
                    | T::BadPem { .. }
                    | T::InvalidServerName(_)
                    | T::SchemeMismatch { .. }
                    | T::InvalidUrl { .. }
                    | T::UnsupportedScheme { .. }
                    | T::WebSocketSubprotocol { .. }
            ),
            Self::Mqtt(onem2m_mqtt_proto::Error::ConnectionRefused(refusal)) => {
                !matches!(refusal, ConnectRefusal::ServerUnavailable)
            }
            _ => false,
        }
    }
}
