//! The broker a comparison runs through: a private Mosquitto (the harness of
//! onem2m-test-support: `set_tcp_nodelay true`, loopback listeners) or the embedded
//! broker, which then runs in the coordinator process, never in a worker.

use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_test_support::{Mosquitto, MosquittoOptions, MosquittoStart};

use crate::Error;

/// Mosquitto's stock queue for an offline or slow client is 1000 messages; a receiver
/// serving a thousand originators may have more waiting, and QoS 1 messages beyond the
/// limit are dropped.
const MOSQUITTO_EXTRA: &str = "max_queued_messages 100000";

/// Which broker to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokerKind {
    /// Debian's Mosquitto, started with its own configuration.
    Mosquitto,
    /// The embedded mqtt5 broker, in the coordinator process.
    Embedded,
}

/// A running broker.
#[derive(Debug)]
pub enum BenchBroker {
    /// Mosquitto (stopped on drop).
    Mosquitto(Box<Mosquitto>),
    /// The embedded broker (stopped on drop).
    Embedded(EmbeddedBroker),
}

impl BenchBroker {
    /// Starts the broker, WebSocket listener included.
    pub async fn start(kind: BrokerKind) -> Result<Self, Error> {
        match kind {
            BrokerKind::Mosquitto => {
                let options = MosquittoOptions {
                    extra_config: MOSQUITTO_EXTRA.to_owned(),
                    ..MosquittoOptions::default()
                };
                match Mosquitto::start_with(options) {
                    Ok(MosquittoStart::Running(m)) => Ok(Self::Mosquitto(Box::new(m))),
                    Ok(MosquittoStart::Skip { reason }) => Err(Error::Broker {
                        which: "mosquitto",
                        cause: format!("{reason} (install it, or use --broker embedded)"),
                    }),
                    Err(e) => Err(Error::Broker {
                        which: "mosquitto",
                        cause: e.to_string(),
                    }),
                }
            }
            BrokerKind::Embedded => {
                EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(true))
                    .await
                    .map(Self::Embedded)
                    .map_err(|e| Error::Broker {
                        which: "embedded",
                        cause: e.to_string(),
                    })
            }
        }
    }

    /// The broker's `mqtt://` URL.
    pub fn mqtt_url(&self) -> String {
        match self {
            Self::Mosquitto(m) => m.mqtt_url(),
            Self::Embedded(e) => e.url(),
        }
    }

    /// The broker's `ws://` URL.
    pub fn ws_url(&self) -> Option<String> {
        match self {
            Self::Mosquitto(m) => Some(m.ws_url()),
            Self::Embedded(e) => e.ws_url(),
        }
    }

    /// What the broker is, for the report (Mosquitto's version line).
    pub fn describe(&self) -> String {
        match self {
            Self::Mosquitto(_) => mosquitto_version()
                .map(|v| format!("{v}, set_tcp_nodelay true, {MOSQUITTO_EXTRA}"))
                .unwrap_or_else(|| "mosquitto".to_owned()),
            Self::Embedded(_) => "embedded mqtt5 0.49 (in the coordinator process)".to_owned(),
        }
    }
}

/// `mosquitto version 2.0.11` from `mosquitto -h`, which prints it first.
fn mosquitto_version() -> Option<String> {
    let binary = ["/usr/sbin/mosquitto", "mosquitto"]
        .into_iter()
        .find(|b| std::path::Path::new(b).exists())
        .unwrap_or("mosquitto");
    let out = std::process::Command::new(binary).arg("-h").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find(|l| l.contains("version"))
        .map(|l| l.trim().to_owned())
}
