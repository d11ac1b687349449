//! Shared pieces of the driver tests: client configs and a scripted broker
//! peer over the in-memory transport.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use onem2m_binding::driver::{ClientConfig, ClientEvent, Incoming, ReconnectPolicy};
use onem2m_mqtt_proto::{
    ByteStr, Codec, ConnAck, ConnectReturnCode, OwnCodec, Packet, QoS, SessionOptions,
    SubscribeFilter, Topic, TopicFilter,
};
use onem2m_transport::Transport;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::time::timeout;

/// Upper bound for any single wait in a test.
pub const STEP: Duration = Duration::from_secs(10);

pub fn topic(s: &str) -> Topic {
    Topic::try_from(s).unwrap()
}

pub fn filter(s: &str) -> SubscribeFilter {
    SubscribeFilter::new(TopicFilter::try_from(s).unwrap(), QoS::AtLeastOnce)
}

pub fn options(client_id: &str) -> SessionOptions {
    SessionOptions::new(ByteStr::try_from(client_id).unwrap())
}

/// A config with quick reconnects, for tests.
pub fn config(transport: Arc<dyn Transport>, options: SessionOptions) -> ClientConfig {
    ClientConfig::new(transport, options)
        .reconnect(ReconnectPolicy::new(
            Duration::from_millis(20),
            Duration::from_millis(200),
        ))
        .shutdown_timeout(Duration::from_secs(2))
}

/// Waits for the next message, skipping connection events.
pub async fn next_message(incoming: &mut Incoming) -> onem2m_binding::driver::Delivery {
    timeout(STEP, incoming.next_message())
        .await
        .expect("no message in time")
        .expect("driver stopped")
}

/// Waits for an event matching `pred`, skipping others.
pub async fn wait_event(
    incoming: &mut Incoming,
    pred: impl Fn(&ClientEvent) -> bool,
) -> ClientEvent {
    timeout(STEP, async {
        loop {
            let e = incoming.recv().await.expect("driver stopped");
            if pred(&e) {
                return e;
            }
        }
    })
    .await
    .expect("event not seen in time")
}

/// The broker side of one in-memory connection, scripted by the test.
pub struct Peer {
    stream: DuplexStream,
    codec: OwnCodec,
    buf: BytesMut,
}

impl Peer {
    pub fn new(stream: DuplexStream) -> Self {
        Self {
            stream,
            codec: OwnCodec::new(),
            buf: BytesMut::new(),
        }
    }

    /// The next packet, or `None` at end of stream.
    pub async fn try_recv(&mut self) -> Option<Packet> {
        loop {
            if let Some(p) = self.codec.decode(&mut self.buf).unwrap() {
                return Some(p);
            }
            let n = self.stream.read_buf(&mut self.buf).await.ok()?;
            if n == 0 {
                return None;
            }
        }
    }

    pub async fn recv(&mut self) -> Packet {
        timeout(STEP, self.try_recv())
            .await
            .expect("no packet from the client in time")
            .expect("client closed the connection")
    }

    /// Next packet other than PINGREQ (answered).
    pub async fn recv_skipping_pings(&mut self) -> Packet {
        loop {
            match self.recv().await {
                Packet::PingReq => self.send(Packet::PingResp).await,
                p => return p,
            }
        }
    }

    /// Asserts nothing but pings arrives for `d`.
    pub async fn expect_silence(&mut self, d: Duration) {
        if let Ok(p) = timeout(d, self.recv_skipping_pings()).await {
            panic!("unexpected packet {p:?}");
        }
    }

    pub async fn send(&mut self, p: Packet) {
        let mut out = BytesMut::new();
        self.codec.encode(&p, &mut out).unwrap();
        self.stream.write_all(&out).await.unwrap();
    }

    /// Reads CONNECT and accepts it.
    pub async fn accept(&mut self, session_present: bool) -> Box<onem2m_mqtt_proto::Connect> {
        let Packet::Connect(c) = self.recv().await else {
            panic!("expected CONNECT");
        };
        self.send(Packet::ConnAck(ConnAck {
            session_present,
            code: ConnectReturnCode::Accepted,
        }))
        .await;
        c
    }

    /// Asserts the client closes the stream (after what it sent so far).
    pub async fn expect_eof(&mut self) {
        let end = timeout(STEP, self.try_recv())
            .await
            .expect("stream not closed");
        assert!(end.is_none(), "expected end of stream, got {end:?}");
    }

    pub fn stream(&mut self) -> &mut DuplexStream {
        &mut self.stream
    }
}

pub fn payload(s: &str) -> Bytes {
    Bytes::copy_from_slice(s.as_bytes())
}
