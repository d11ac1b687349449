//! Two Mosquittos bridged together (the MQTT binding draft's clause 6.1, option 2:
//! each party uses its own server, and the servers are bridged).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tokio::sync::oneshot;

use crate::raw_mqtt::{RawMqttClient, publish};
use crate::{Error, Mosquitto, MosquittoOptions, MosquittoStart};

/// The topics a oneM2M bridge carries: everything under `/oneM2M/`. The leading
/// slash makes the first topic level empty, so the pattern must start with it
/// (`oneM2M/#` would match none of the binding's topics).
pub const ONEM2M_TOPICS: &str = "/oneM2M/#";

/// Where the bridge probes travel (inside [`ONEM2M_TOPICS`], outside every
/// topic a oneM2M entity subscribes to).
const PROBE_TOPIC: &str = "/oneM2M/bridge-probe";

/// A Mosquitto `connection` section: a bridge from the broker whose configuration
/// it is to the broker at `127.0.0.1:remote_port`, carrying `pattern` in both
/// directions at QoS 1, over a persistent session (`cleansession false`), and
/// announcing itself as a bridge (`try_private`) so that the remote Mosquitto does
/// not send back what came over the bridge.
pub fn bridge_section(name: &str, remote_port: u16, pattern: &str) -> String {
    let mut section = String::new();
    let _ = write!(
        section,
        "connection {name}\n\
         address 127.0.0.1:{remote_port}\n\
         bridge_protocol_version mqttv311\n\
         try_private true\n\
         cleansession false\n\
         remote_clientid {name}\n\
         notifications false\n\
         start_type automatic\n\
         restart_timeout 1\n\
         keepalive_interval 10\n\
         topic {pattern} both 1\n"
    );
    section
}

/// The result of [`BridgedBrokers::start`].
#[derive(Debug)]
#[must_use]
pub enum BridgedStart {
    /// Both brokers run, and the bridge is configured (see
    /// [`BridgedBrokers::wait_until_bridged`]).
    Running(Box<BridgedBrokers>),
    /// Mosquitto is not installed (see [`skip_or_fail`](crate::skip_or_fail)).
    Skip {
        /// Why, for the SKIPPED line.
        reason: String,
    },
}

/// Two private Mosquittos: `remote`, a plain one, and `local`, bridged to it with
/// [`bridge_section`] for [`ONEM2M_TOPICS`]. A client of either reaches the clients
/// of the other on the oneM2M topics.
#[derive(Debug)]
pub struct BridgedBrokers {
    /// The broker the bridge connects to.
    pub remote: Mosquitto,
    /// The broker with the bridge section.
    pub local: Mosquitto,
}

impl BridgedBrokers {
    /// Starts `remote`, then `local` bridged to it. The bridge connects in the
    /// background: wait for it with [`wait_until_bridged`](Self::wait_until_bridged).
    pub fn start() -> Result<BridgedStart, Error> {
        let remote = match Mosquitto::start()? {
            MosquittoStart::Running(broker) => broker,
            MosquittoStart::Skip { reason } => return Ok(BridgedStart::Skip { reason }),
        };
        let options = MosquittoOptions {
            extra_config: bridge_section("onem2m-bridge", remote.ports().mqtt, ONEM2M_TOPICS),
            ..MosquittoOptions::default()
        };
        let local = match Mosquitto::start_with(options)? {
            MosquittoStart::Running(broker) => broker,
            MosquittoStart::Skip { reason } => return Ok(BridgedStart::Skip { reason }),
        };
        Ok(BridgedStart::Running(Box::new(Self { remote, local })))
    }

    /// Waits until a message crosses the bridge in each direction: probes are
    /// published on one broker, over and over, until a subscriber on the other
    /// receives one. Fails after `limit` with both brokers' logs.
    pub async fn wait_until_bridged(&self, limit: Duration) -> Result<(), Error> {
        let deadline = Instant::now() + limit;
        for (from, to, direction) in [
            (&self.remote, &self.local, "remote-to-local"),
            (&self.local, &self.remote, "local-to-remote"),
        ] {
            let crossed = probe(from.ports().mqtt, to.ports().mqtt, direction, deadline).await;
            if let Err(problem) = crossed {
                return Err(Error::io(format!(
                    "the bridge did not carry a probe {direction} within {limit:?}; \
                     remote log:\n{}\nlocal log:\n{}",
                    self.remote.log(),
                    self.local.log()
                ))(problem));
            }
        }
        Ok(())
    }
}

/// Publishes probes on the broker at `from_port` until the broker at `to_port`
/// delivers one.
async fn probe(
    from_port: u16,
    to_port: u16,
    direction: &str,
    deadline: Instant,
) -> std::io::Result<()> {
    let topic = format!("{PROBE_TOPIC}/{direction}");
    let mut subscriber = raw_client(to_port, &format!("probe-sub-{direction}")).await?;
    subscriber.subscribe(1, &topic, 0).await?;
    let (arrived_tx, mut arrived) = oneshot::channel();
    let watch_topic = topic.clone();
    let watcher = tokio::spawn(async move {
        loop {
            match subscriber.expect_publish().await {
                Ok(p) if p.topic == watch_topic => {
                    let _ = arrived_tx.send(());
                    return;
                }
                Ok(_) => {}
                // Nothing within the raw client's own timeout: keep listening.
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => return,
            }
        }
    });
    let mut publisher = raw_client(from_port, &format!("probe-pub-{direction}")).await?;
    let outcome = loop {
        publisher.send(&publish(&topic, b"probe", 0, 0)).await?;
        let wait = Duration::from_millis(100);
        match tokio::time::timeout(wait, &mut arrived).await {
            Ok(Ok(())) => break Ok(()),
            Ok(Err(_)) => break Err(std::io::Error::other("the probe subscriber failed")),
            Err(_) if Instant::now() >= deadline => {
                break Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "no probe crossed",
                ));
            }
            Err(_) => {}
        }
    };
    watcher.abort();
    let _ = publisher.disconnect().await;
    outcome
}

async fn raw_client(port: u16, client_id: &str) -> std::io::Result<RawMqttClient<TcpStream>> {
    let stream = TcpStream::connect(("127.0.0.1", port)).await?;
    stream.set_nodelay(true)?;
    let mut client = RawMqttClient::new(stream);
    client.connect(client_id).await?;
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_bridges_the_onem2m_topics_both_ways_at_qos_1() {
        let section = bridge_section("b1", 1883, ONEM2M_TOPICS);
        assert!(section.starts_with("connection b1\naddress 127.0.0.1:1883\n"));
        assert!(section.contains("\ntopic /oneM2M/# both 1\n"));
        assert!(section.contains("\ncleansession false\n"));
        assert!(section.contains("\ntry_private true\n"));
    }
}
