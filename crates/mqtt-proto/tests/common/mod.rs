//! Shared by the session and store tests: a scripted broker with a fake
//! clock, and a temporary directory.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use onem2m_mqtt_proto::*;

/// The test plays the broker: it reads what the client sent and scripts the
/// answers. Every packet crosses the codec as bytes in both directions, and
/// time only moves when the test says so.
pub struct Broker {
    pub session: Session,
    codec: OwnCodec,
    pub now: Instant,
}

impl Broker {
    pub fn new(options: SessionOptions) -> Self {
        Self::with_store(options, MemoryStore::new())
    }

    pub fn with_store(options: SessionOptions, store: impl SessionStore + 'static) -> Self {
        Self {
            session: Session::new(options, store).unwrap(),
            codec: OwnCodec::new(),
            now: Instant::now(),
        }
    }

    pub fn advance(&mut self, by: Duration) {
        self.now += by;
    }

    /// Fires the session's timer if it is due, as a driver would.
    pub fn tick(&mut self) -> Result<(), Error> {
        match self.session.poll_timeout() {
            Some(deadline) if deadline <= self.now => self.session.handle_timeout(self.now),
            _ => Ok(()),
        }
    }

    /// Everything the client has to send now, as the broker decodes it.
    pub fn received(&mut self) -> Vec<Packet> {
        let mut wire = BytesMut::new();
        while let Some(p) = self.session.poll_transmit(self.now) {
            self.codec.encode(&p, &mut wire).unwrap();
        }
        let mut packets = Vec::new();
        while let Some(p) = self.codec.decode(&mut wire).unwrap() {
            packets.push(p);
        }
        assert!(wire.is_empty());
        packets
    }

    /// The broker sends `packet` to the client.
    pub fn send(&mut self, packet: Packet) -> Result<(), Error> {
        let mut wire = BytesMut::new();
        self.codec.encode(&packet, &mut wire).unwrap();
        let decoded = self.codec.decode(&mut wire).unwrap().unwrap();
        self.session.handle_packet(decoded, self.now)
    }

    pub fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.session.poll_event()).collect()
    }

    /// CONNECT, then CONNACK accepted: returns the CONNECT, what the client
    /// sent right after the CONNACK and the events it raised.
    pub fn connect(&mut self, session_present: bool) -> Connected {
        self.session.connect(self.now).unwrap();
        let sent = self.received();
        let [Packet::Connect(connect)] = &sent[..] else {
            panic!("expected CONNECT, got {sent:?}");
        };
        self.send(Packet::ConnAck(ConnAck {
            session_present,
            code: ConnectReturnCode::Accepted,
        }))
        .unwrap();
        Connected {
            connect: Connect::clone(connect),
            sent: self.received(),
            events: self.events(),
        }
    }

    /// The transport dies.
    pub fn cut(&mut self) {
        self.session.connection_lost();
    }
}

/// What [`Broker::connect`] saw.
pub struct Connected {
    pub connect: Connect,
    pub sent: Vec<Packet>,
    pub events: Vec<Event>,
}

pub fn options(client_id: &'static str) -> SessionOptions {
    SessionOptions::new(ByteStr::from_static(client_id).unwrap())
}

pub fn id(n: u16) -> PacketId {
    PacketId::new(n).unwrap()
}

pub fn topic(s: &'static str) -> Topic {
    Topic::from_static(s).unwrap()
}

pub fn filter(s: &'static str) -> TopicFilter {
    TopicFilter::from_static(s).unwrap()
}

pub fn payload(s: &'static str) -> Bytes {
    Bytes::from_static(s.as_bytes())
}

/// The packet id of a PUBLISH, PUBREL...
pub fn pkid_of(p: &Packet) -> PacketId {
    match p {
        Packet::Publish(p) => p.pkid.unwrap(),
        Packet::PubAck(i)
        | Packet::PubRec(i)
        | Packet::PubRel(i)
        | Packet::PubComp(i)
        | Packet::UnsubAck(i) => *i,
        Packet::Subscribe(s) => s.pkid,
        Packet::Unsubscribe(u) => u.pkid,
        other => panic!("no packet id in {other:?}"),
    }
}

pub fn publish_in(p: &Packet) -> &Publish {
    match p {
        Packet::Publish(p) => p,
        other => panic!("expected PUBLISH, got {other:?}"),
    }
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "onem2m-mqtt-proto-{}-{}-{name}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
