//! Hand-written MQTT 3.1.1 packets, to test transports and brokers without the
//! project's own MQTT session.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// How long any single expected packet may take to arrive.
pub const PACKET_TIMEOUT: Duration = Duration::from_secs(5);

/// CONNACK accepting a clean session: `20 02 00 00`.
pub const CONNACK_ACCEPTED: [u8; 4] = [0x20, 0x02, 0x00, 0x00];

/// PINGRESP: `d0 00`.
pub const PINGRESP: [u8; 2] = [0xd0, 0x00];

/// CONNECT with protocol level 4 (3.1.1), no credentials and no Will.
pub fn connect(client_id: &str, clean_session: bool, keep_alive_secs: u16) -> Vec<u8> {
    let mut body = Vec::new();
    put_str(&mut body, "MQTT");
    body.push(4);
    body.push(if clean_session { 0x02 } else { 0x00 });
    body.extend_from_slice(&keep_alive_secs.to_be_bytes());
    put_str(&mut body, client_id);
    packet(0x10, &body)
}

/// SUBSCRIBE to one topic filter.
pub fn subscribe(packet_id: u16, filter: &str, qos: u8) -> Vec<u8> {
    let mut body = packet_id.to_be_bytes().to_vec();
    put_str(&mut body, filter);
    body.push(qos);
    packet(0x82, &body)
}

/// PUBLISH; `packet_id` is ignored for QoS 0.
pub fn publish(topic: &str, payload: &[u8], qos: u8, packet_id: u16) -> Vec<u8> {
    let mut body = Vec::new();
    put_str(&mut body, topic);
    if qos > 0 {
        body.extend_from_slice(&packet_id.to_be_bytes());
    }
    body.extend_from_slice(payload);
    packet(0x30 | (qos << 1), &body)
}

/// PUBACK.
pub fn puback(packet_id: u16) -> Vec<u8> {
    packet(0x40, &packet_id.to_be_bytes())
}

/// PINGREQ: `c0 00`.
pub fn pingreq() -> Vec<u8> {
    vec![0xc0, 0x00]
}

/// DISCONNECT: `e0 00`.
pub fn disconnect() -> Vec<u8> {
    vec![0xe0, 0x00]
}

/// A fixed header (type and flags, remaining length) followed by `body`.
pub fn packet(first_byte: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first_byte];
    let mut len = body.len();
    loop {
        let mut byte = (len % 128) as u8;
        len /= 128;
        if len > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if len == 0 {
            break;
        }
    }
    out.extend_from_slice(body);
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    let len = u16::try_from(s.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&s.as_bytes()[..usize::from(len)]);
}

/// One packet as read from the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPacket {
    /// Type and flags.
    pub first_byte: u8,
    /// Everything after the remaining length.
    pub body: Vec<u8>,
}

impl RawPacket {
    /// The packet as it was on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        packet(self.first_byte, &self.body)
    }
}

/// A PUBLISH received by [`RawMqttClient::expect_publish`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedPublish {
    /// Topic name.
    pub topic: String,
    /// Payload.
    pub payload: Vec<u8>,
    /// QoS (0, 1 or 2).
    pub qos: u8,
    /// Packet id (0 for QoS 0).
    pub packet_id: u16,
    /// The DUP flag.
    pub dup: bool,
}

/// A scripted MQTT 3.1.1 client over any byte stream: each step writes its
/// packet, flushes once (one WebSocket frame), and checks the exact answer.
/// Every read is bounded by [`PACKET_TIMEOUT`].
#[derive(Debug)]
pub struct RawMqttClient<S> {
    stream: S,
}

impl<S: AsyncRead + AsyncWrite + Unpin> RawMqttClient<S> {
    /// A client on a connected stream (nothing is sent yet).
    pub fn new(stream: S) -> Self {
        Self { stream }
    }

    /// The stream, for tests that go off script.
    pub fn stream(&mut self) -> &mut S {
        &mut self.stream
    }

    /// Gives the stream back.
    pub fn into_stream(self) -> S {
        self.stream
    }

    /// Writes bytes and flushes.
    pub async fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).await?;
        self.stream.flush().await
    }

    /// Reads one whole packet.
    pub async fn read_packet(&mut self) -> io::Result<RawPacket> {
        tokio::time::timeout(PACKET_TIMEOUT, read_packet(&mut self.stream))
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no MQTT packet within 5 s"))?
    }

    /// Sends CONNECT with a clean session and keep-alive 60 s and expects
    /// exactly `20 02 00 00`.
    pub async fn connect(&mut self, client_id: &str) -> io::Result<()> {
        self.send(&connect(client_id, true, 60)).await?;
        self.expect_packet("CONNACK", &CONNACK_ACCEPTED).await
    }

    /// Sends SUBSCRIBE and expects a SUBACK granting `qos`.
    pub async fn subscribe(&mut self, packet_id: u16, filter: &str, qos: u8) -> io::Result<()> {
        self.send(&subscribe(packet_id, filter, qos)).await?;
        let [hi, lo] = packet_id.to_be_bytes();
        self.expect_packet("SUBACK", &[0x90, 0x03, hi, lo, qos])
            .await
    }

    /// Sends a QoS 1 PUBLISH and expects its PUBACK.
    pub async fn publish_qos1(
        &mut self,
        packet_id: u16,
        topic: &str,
        payload: &[u8],
    ) -> io::Result<()> {
        self.send(&publish(topic, payload, 1, packet_id)).await?;
        self.expect_packet("PUBACK", &puback(packet_id)).await
    }

    /// Waits for a PUBLISH (and acknowledges it if QoS 1).
    pub async fn expect_publish(&mut self) -> io::Result<ReceivedPublish> {
        let p = self.read_packet().await?;
        if p.first_byte & 0xf0 != 0x30 {
            return Err(unexpected("PUBLISH", &p.to_bytes()));
        }
        let received =
            parse_publish(&p).ok_or_else(|| unexpected("a well-formed PUBLISH", &p.to_bytes()))?;
        if received.qos == 1 {
            self.send(&puback(received.packet_id)).await?;
        }
        Ok(received)
    }

    /// Sends PINGREQ and expects PINGRESP.
    pub async fn ping(&mut self) -> io::Result<()> {
        self.send(&pingreq()).await?;
        self.expect_packet("PINGRESP", &PINGRESP).await
    }

    /// Sends DISCONNECT and shuts the stream down.
    pub async fn disconnect(mut self) -> io::Result<()> {
        self.send(&disconnect()).await?;
        self.stream.shutdown().await
    }

    async fn expect_packet(&mut self, what: &str, expected: &[u8]) -> io::Result<()> {
        let got = self.read_packet().await?.to_bytes();
        if got == expected {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "expected {what} {}, got {}",
                hex(expected),
                hex(&got)
            )))
        }
    }
}

/// Connects a subscriber and a publisher over the given streams, publishes one
/// QoS 1 message, and checks that the PUBACK comes back and the subscriber
/// receives exactly that message; then pings and disconnects both. Client ids
/// and the topic are unique per call.
pub async fn pub_sub_round_trip<P, S>(publisher: P, subscriber: S) -> io::Result<()>
where
    P: AsyncRead + AsyncWrite + Unpin,
    S: AsyncRead + AsyncWrite + Unpin,
{
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tag = format!("{}-{n}", std::process::id());
    let topic = format!("onem2m/test/{tag}");
    let payload = format!("round trip {tag}").into_bytes();

    let mut sub = RawMqttClient::new(subscriber);
    sub.connect(&format!("rt-sub-{tag}")).await?;
    sub.subscribe(1, &topic, 1).await?;
    let mut publ = RawMqttClient::new(publisher);
    publ.connect(&format!("rt-pub-{tag}")).await?;
    publ.publish_qos1(7, &topic, &payload).await?;
    let got = sub.expect_publish().await?;
    if (got.topic.as_str(), got.payload.as_slice(), got.qos)
        != (topic.as_str(), payload.as_slice(), 1)
    {
        return Err(io::Error::other(format!("subscriber received {got:?}")));
    }
    publ.ping().await?;
    sub.ping().await?;
    publ.disconnect().await?;
    sub.disconnect().await
}

/// The oneM2M request/response pattern, `rounds` times: an originator publishes
/// a QoS 1 request, a receiver gets it and publishes a QoS 1 response, the
/// originator gets that. Returns the median time of one exchange.
///
/// This is the pattern that exposes a broker without TCP_NODELAY: the response
/// PUBLISH waits behind the unacknowledged PUBACK until the originator's delayed
/// ACK fires, about 44 ms per exchange instead of about 0.1 ms.
pub async fn request_response_median<O, R>(
    originator: O,
    receiver: R,
    rounds: u16,
) -> io::Result<Duration>
where
    O: AsyncRead + AsyncWrite + Unpin,
    R: AsyncRead + AsyncWrite + Unpin,
{
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let tag = format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let (req, resp) = (format!("rr/{tag}/req"), format!("rr/{tag}/resp"));
    let mut x = RawMqttClient::new(originator);
    x.connect(&format!("rr-originator-{tag}")).await?;
    x.subscribe(1, &resp, 1).await?;
    let mut y = RawMqttClient::new(receiver);
    y.connect(&format!("rr-receiver-{tag}")).await?;
    y.subscribe(1, &req, 1).await?;
    let mut times = Vec::new();
    for id in 1..=rounds.max(1) {
        let started = std::time::Instant::now();
        x.publish_qos1(id, &req, b"request").await?;
        y.expect_publish().await?;
        y.publish_qos1(id, &resp, b"response").await?;
        x.expect_publish().await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}

async fn read_packet<R: AsyncRead + Unpin>(r: &mut R) -> io::Result<RawPacket> {
    let first_byte = r.read_u8().await?;
    let mut len = 0usize;
    for shift in [0, 7, 14, 21] {
        let byte = r.read_u8().await?;
        len |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            let mut body = vec![0; len];
            r.read_exact(&mut body).await?;
            return Ok(RawPacket { first_byte, body });
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "remaining length longer than 4 bytes",
    ))
}

fn parse_publish(p: &RawPacket) -> Option<ReceivedPublish> {
    let qos = (p.first_byte >> 1) & 0x03;
    let topic_len = usize::from(u16::from_be_bytes([*p.body.first()?, *p.body.get(1)?]));
    let topic = String::from_utf8(p.body.get(2..2 + topic_len)?.to_vec()).ok()?;
    let mut rest = &p.body[2 + topic_len..];
    let mut packet_id = 0;
    if qos > 0 {
        packet_id = u16::from_be_bytes([*rest.first()?, *rest.get(1)?]);
        rest = &rest[2..];
    }
    Some(ReceivedPublish {
        topic,
        payload: rest.to_vec(),
        qos,
        packet_id,
        dup: p.first_byte & 0x08 != 0,
    })
}

fn unexpected(what: &str, got: &[u8]) -> io::Error {
    io::Error::other(format!("expected {what}, got {}", hex(got)))
}

/// Bytes as `20 02 00 00`.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn connect_packet_matches_the_spec_example() {
        // MQTT 3.1.1 §3.1: CONNECT, protocol name "MQTT", level 4, clean session.
        let bytes = connect("a", true, 60);
        assert_eq!(hex(&bytes), "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61");
    }

    #[test]
    fn remaining_length_uses_continuation_bytes() {
        assert_eq!(&packet(0x30, &[0; 127])[..2], &[0x30, 0x7f]);
        assert_eq!(&packet(0x30, &[0; 128])[..3], &[0x30, 0x80, 0x01]);
        assert_eq!(&packet(0x30, &[0; 16_384])[..4], &[0x30, 0x80, 0x80, 0x01]);
    }

    #[tokio::test]
    async fn packets_read_back_as_written() {
        let bytes = publish("t/1", b"hello", 1, 9);
        let mut reader = &bytes[..];
        let p = read_packet(&mut reader).await.unwrap();
        assert_eq!(p.to_bytes(), bytes);
        let got = parse_publish(&p).unwrap();
        assert_eq!(
            (
                got.topic.as_str(),
                got.payload.as_slice(),
                got.qos,
                got.packet_id
            ),
            ("t/1", &b"hello"[..], 1, 9)
        );
    }
}
