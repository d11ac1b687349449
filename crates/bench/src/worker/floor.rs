//! The broker's floor: the same two broker hops as a oneM2M exchange (request to the
//! receiver, response back), with no oneM2M work and the least client work possible.
//!
//! Each originator is a raw MQTT 3.1.1 connection that publishes QoS 1 on
//! `bench/req/<i>` and reads its echo on `bench/resp/<i>`; one echo connection answers
//! every request with a PUBACK and the same payload on the response topic. Packets are
//! built by hand and written in one `write` per batch of received packets; the payload
//! is as long as our JSON request and carries its send time.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use onem2m_serialization::{JsonSerializer, Serializer};
use onem2m_test_support::raw_mqtt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

use crate::Error;
use crate::drive::{Progress, report};
use crate::exchange::request;
use crate::latency::Latencies;
use crate::spec::{Stack, WorkerReport, WorkerSpec};
use crate::usage::process_cpu_time;

/// Where the send times in the payloads count from.
static EPOCH: OnceLock<Instant> = OnceLock::new();

const REQUEST_PREFIX: &str = "bench/req/";
const RESPONSE_PREFIX: &str = "bench/resp/";

/// Runs the floor for the spec (TCP only).
pub async fn run(spec: &WorkerSpec) -> Result<WorkerReport, Error> {
    let addr = spec
        .url
        .strip_prefix("mqtt://")
        .ok_or_else(|| {
            setup(format!(
                "the floor runs over mqtt:// only, not {}",
                spec.url
            ))
        })?
        .to_owned();
    let payload_len = JsonSerializer::new()
        .encode_request(&request(0))
        .map(|b| b.len())
        .unwrap_or(200);
    let echo = connect(&addr, "bench-floor-echo", &format!("{REQUEST_PREFIX}+")).await?;
    tokio::spawn(serve_echo(echo));
    let originators = spec.originators.max(1);
    let mut conns = Vec::with_capacity(originators);
    for i in 0..originators {
        let filter = format!("{RESPONSE_PREFIX}{i}");
        let stream = connect(&addr, &format!("bench-floor-{i}"), &filter).await?;
        conns.push(Originator {
            stream,
            request_topic: format!("{REQUEST_PREFIX}{i}"),
            payload_len,
            next_id: 0,
            buffer: Vec::with_capacity(64 * 1024),
        });
    }
    let lanes = spread(spec.in_flight.max(1), originators);
    let conns = phase(conns, &lanes, spec.warmup, None).await?.0;
    let progress = Progress::start(spec.count);
    let cpu = process_cpu_time();
    let start = Instant::now();
    let (_, latencies) = phase(conns, &lanes, spec.count, Some(&progress)).await?;
    progress.finish(spec.count);
    Ok(report(
        Stack::Floor,
        &latencies,
        start.elapsed(),
        process_cpu_time() - cpu,
    ))
}

fn setup(cause: String) -> Error {
    Error::Setup {
        stack: "floor".into(),
        cause,
    }
}

fn lost(cause: impl std::fmt::Display) -> Error {
    Error::Request {
        stack: "floor".into(),
        cause: cause.to_string(),
    }
}

/// `total` split as evenly as possible over `parts`.
fn spread(total: usize, parts: usize) -> Vec<usize> {
    (0..parts)
        .map(|i| total / parts + usize::from(i < total % parts))
        .collect()
}

async fn connect(addr: &str, client_id: &str, filter: &str) -> Result<TcpStream, Error> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| setup(format!("connecting to {addr}: {e}")))?;
    stream.set_nodelay(true).map_err(|e| setup(e.to_string()))?;
    let mut client = raw_mqtt::RawMqttClient::new(stream);
    client
        .connect(client_id)
        .await
        .map_err(|e| setup(format!("CONNECT {client_id}: {e}")))?;
    client
        .subscribe(1, filter, 1)
        .await
        .map_err(|e| setup(format!("SUBSCRIBE {filter}: {e}")))?;
    Ok(client.into_stream())
}

struct Originator {
    stream: TcpStream,
    request_topic: String,
    payload_len: usize,
    next_id: u16,
    buffer: Vec<u8>,
}

impl Originator {
    fn packet_id(&mut self) -> u16 {
        self.next_id = self.next_id.checked_add(1).unwrap_or(1);
        self.next_id
    }

    fn push_request(&mut self, out: &mut Vec<u8>) {
        let epoch = *EPOCH.get_or_init(Instant::now);
        let sent = u64::try_from(epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let mut payload = vec![b' '; self.payload_len.max(8)];
        payload[..8].copy_from_slice(&sent.to_be_bytes());
        let id = self.packet_id();
        out.extend_from_slice(&raw_mqtt::publish(&self.request_topic, &payload, 1, id));
    }
}

/// Every originator sends its share of `total` with its lanes in flight; returns the
/// connections for the next phase and the latencies.
async fn phase(
    conns: Vec<Originator>,
    lanes: &[usize],
    total: u64,
    progress: Option<&Progress>,
) -> Result<(Vec<Originator>, Latencies), Error> {
    let quotas = spread(usize::try_from(total).unwrap_or(usize::MAX), conns.len());
    let mut tasks = JoinSet::new();
    for (i, ((conn, &lanes), quota)) in conns.into_iter().zip(lanes).zip(quotas).enumerate() {
        let progress = progress.cloned();
        tasks.spawn(async move {
            let (conn, latencies) = originate(conn, lanes, quota as u64, progress).await?;
            Ok::<_, Error>((i, conn, latencies))
        });
    }
    let mut back = Vec::new();
    let mut all = Latencies::new()?;
    while let Some(joined) = tasks.join_next().await {
        let (i, conn, round_trips) = joined.map_err(lost)??;
        for round_trip in round_trips {
            all.record(round_trip);
        }
        back.push((i, conn));
    }
    back.sort_by_key(|(i, _)| *i);
    Ok((back.into_iter().map(|(_, c)| c).collect(), all))
}

/// One originator's share of a phase; the raw round trips (a histogram per connection
/// would cost 400 KiB each, in the peak memory measured).
async fn originate(
    mut conn: Originator,
    lanes: usize,
    quota: u64,
    progress: Option<Progress>,
) -> Result<(Originator, Vec<Duration>), Error> {
    let mut latencies = Vec::with_capacity(usize::try_from(quota).unwrap_or(0));
    let epoch = *EPOCH.get_or_init(Instant::now);
    let mut out = Vec::with_capacity(16 * 1024);
    let mut sent = 0u64;
    let mut done = 0u64;
    while sent < quota.min(lanes.max(1) as u64) {
        conn.push_request(&mut out);
        sent += 1;
    }
    conn.stream.write_all(&out).await.map_err(lost)?;
    let mut read = vec![0u8; 64 * 1024];
    while done < quota {
        let n = tokio::time::timeout(Duration::from_secs(60), conn.stream.read(&mut read))
            .await
            .map_err(|_| lost("no echo within 60 s"))?
            .map_err(lost)?;
        if n == 0 {
            return Err(lost("the broker closed the connection"));
        }
        conn.buffer.extend_from_slice(&read[..n]);
        out.clear();
        let mut at = 0;
        while let Some((first, body, len)) = next_packet(&conn.buffer[at..]) {
            if first >> 4 == 3 {
                let publish = parse_publish(first, body).ok_or_else(|| lost("bad PUBLISH"))?;
                if let Some(id) = publish.packet_id {
                    out.extend_from_slice(&raw_mqtt::puback(id));
                }
                let stamp: [u8; 8] = publish
                    .payload
                    .get(..8)
                    .and_then(|s| s.try_into().ok())
                    .ok_or_else(|| lost("short echo"))?;
                let sent_at = Duration::from_nanos(u64::from_be_bytes(stamp));
                latencies.push(epoch.elapsed().saturating_sub(sent_at));
                done += 1;
                if let Some(p) = &progress {
                    p.tick();
                }
                if sent < quota {
                    conn.push_request(&mut out);
                    sent += 1;
                }
            }
            at += len;
        }
        conn.buffer.drain(..at);
        if !out.is_empty() {
            conn.stream.write_all(&out).await.map_err(lost)?;
        }
    }
    Ok((conn, latencies))
}

/// Answers every request until the connection closes.
async fn serve_echo(mut stream: TcpStream) {
    let mut buffer = Vec::with_capacity(64 * 1024);
    let mut read = vec![0u8; 64 * 1024];
    let mut out = Vec::with_capacity(64 * 1024);
    let mut next_id = 0u16;
    loop {
        let n = match stream.read(&mut read).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        buffer.extend_from_slice(&read[..n]);
        out.clear();
        let mut at = 0;
        while let Some((first, body, len)) = next_packet(&buffer[at..]) {
            if first >> 4 == 3
                && let Some(publish) = parse_publish(first, body)
            {
                if let Some(id) = publish.packet_id {
                    out.extend_from_slice(&raw_mqtt::puback(id));
                }
                let lane = publish.topic.strip_prefix(REQUEST_PREFIX).unwrap_or("0");
                next_id = next_id.checked_add(1).unwrap_or(1);
                let topic = format!("{RESPONSE_PREFIX}{lane}");
                out.extend_from_slice(&raw_mqtt::publish(&topic, publish.payload, 1, next_id));
            }
            at += len;
        }
        buffer.drain(..at);
        if !out.is_empty() && stream.write_all(&out).await.is_err() {
            return;
        }
    }
}

/// The first whole packet of `buf`: its first byte, its body and its length on the
/// wire; `None` until it has arrived completely.
fn next_packet(buf: &[u8]) -> Option<(u8, &[u8], usize)> {
    let (&first, rest) = buf.split_first()?;
    let mut remaining = 0usize;
    for (i, &byte) in rest.iter().take(4).enumerate() {
        remaining |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            let header = 2 + i;
            let body = buf.get(header..header + remaining)?;
            return Some((first, body, header + remaining));
        }
    }
    None
}

struct Publish<'a> {
    topic: &'a str,
    packet_id: Option<u16>,
    payload: &'a [u8],
}

fn parse_publish(first: u8, body: &[u8]) -> Option<Publish<'_>> {
    let (len, rest) = body.split_first_chunk::<2>()?;
    let (topic, rest) = rest.split_at_checked(usize::from(u16::from_be_bytes(*len)))?;
    let topic = std::str::from_utf8(topic).ok()?;
    let (packet_id, payload) = if (first >> 1) & 3 > 0 {
        let (id, payload) = rest.split_first_chunk::<2>()?;
        (Some(u16::from_be_bytes(*id)), payload)
    } else {
        (None, rest)
    };
    Some(Publish {
        topic,
        packet_id,
        payload,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn splits_packets_and_reads_a_publish() {
        let mut wire = raw_mqtt::publish("bench/resp/3", b"12345678xyz", 1, 7);
        wire.extend_from_slice(&raw_mqtt::puback(9));
        let (first, body, len) = next_packet(&wire).unwrap();
        let publish = parse_publish(first, body).unwrap();
        assert_eq!(publish.topic, "bench/resp/3");
        assert_eq!(publish.packet_id, Some(7));
        assert_eq!(publish.payload, b"12345678xyz");
        let (first, _, rest) = next_packet(&wire[len..]).unwrap();
        assert_eq!((first, rest), (0x40, 4));
        assert!(next_packet(&wire[..len - 1]).is_none());
    }

    #[test]
    fn spreads_evenly() {
        assert_eq!(spread(10, 3), vec![4, 3, 3]);
        assert_eq!(spread(1, 2), vec![1, 0]);
    }
}
