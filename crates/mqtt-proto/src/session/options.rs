//! CONNECT options and session tuning.

use std::time::Duration;

use bytes::Bytes;

use crate::codec::{ByteStr, Will};

/// When a received QoS 1 or 2 message is acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AckMode {
    /// PUBACK (QoS 1) or PUBREC (QoS 2) is queued as the message is delivered.
    #[default]
    Automatic,
    /// The application calls [`Session::ack`](crate::Session::ack) once it
    /// has handled the message ("PUBACK after the handler returns"). Until
    /// then the broker still owns the message and redelivers it after a
    /// reconnect.
    Manual,
}

/// How a [`Session`](crate::Session) connects and behaves. The defaults
/// follow the oneM2M MQTT binding: clean session off, no Will, QoS 1/2
/// messages kept until acknowledged.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SessionOptions {
    /// Client identifier (an AE-ID or CSE-ID in oneM2M). May be empty only
    /// with `clean_session` (MQTT-3.1.3-7).
    pub client_id: ByteStr,
    /// Ask the broker to discard any previous session. Default: false.
    pub clean_session: bool,
    /// Keep-alive interval: whole seconds up to 65,535; zero disables
    /// PINGREQ. Default: 60 s (the binding asks for 0 or at least 10 s).
    pub keep_alive: Duration,
    /// How long to wait for PINGRESP before the connection is declared dead.
    /// `None` (the default) waits one keep-alive interval, so a half-open
    /// link is detected when the second ping would be due.
    pub ping_timeout: Option<Duration>,
    /// How long to wait for CONNACK. Default: 30 s.
    pub connect_timeout: Duration,
    /// User name. Default: none.
    pub username: Option<ByteStr>,
    /// Password; needs a user name (MQTT-3.1.2-22). Default: none.
    pub password: Option<Bytes>,
    /// Last Will. Default: none, as the binding asks.
    pub will: Option<Will>,
    /// Maximum outgoing QoS 1/2 messages awaiting acknowledgement; a
    /// further publish returns [`Error::WindowFull`](crate::Error::WindowFull).
    /// Default: 100.
    pub max_inflight: u16,
    /// When received messages are acknowledged. Default: automatic.
    pub ack_mode: AckMode,
}

impl SessionOptions {
    /// Options with the defaults listed on each field.
    pub fn new(client_id: ByteStr) -> Self {
        Self {
            client_id,
            clean_session: false,
            keep_alive: Duration::from_secs(60),
            ping_timeout: None,
            connect_timeout: Duration::from_secs(30),
            username: None,
            password: None,
            will: None,
            max_inflight: 100,
            ack_mode: AckMode::Automatic,
        }
    }

    pub(crate) fn keep_alive_secs(&self) -> Result<u16, crate::Error> {
        let secs = self.keep_alive.as_secs();
        if self.keep_alive.subsec_nanos() != 0 || secs > u64::from(u16::MAX) {
            return Err(crate::Error::InvalidOptions(
                "keep_alive must be whole seconds, at most 65535",
            ));
        }
        Ok(secs as u16)
    }
}
