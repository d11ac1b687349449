//! Our codec against mqttbytes 0.6 (its native API, the baseline) in the
//! same run: PUBLISH decode and encode at 64 B, 1 KiB and 64 KiB payloads,
//! and a mixed stream of all packet types a client sees.
//!
//! Decoding reads a buffer holding a batch of packets, as a connection's read
//! buffer does; filling the buffer is setup, not measured. Figures are per
//! packet (criterion's "elements").
//!
//! What one decode does on each side, so that the comparison is like for like:
//! - ours: `OwnCodec::decode(&mut BytesMut)` in place: the fixed header, every
//!   check, one `split_to(frame).freeze()` of the read buffer, then the topic
//!   and payload as two slices of it (no copy).
//! - mqttbytes: `v4::read(&mut BytesMut, max)` in place too: its API does not
//!   force a copy of the frame. It splits the frame off the same way, slices
//!   the payload, and copies the topic into a fresh `String` (allocation,
//!   copy, UTF-8 check). The drop of each packet (for mqttbytes, freeing that
//!   `String`) is inside the measurement on both sides.
//! - Both are called directly, without `dyn`, and neither call is inlined
//!   into the loop (`OwnCodec::decode` is not `#[inline]`); the driver calls
//!   ours through `Box<dyn Codec>`, one indirect call more.
//! - Both get the same 1 MiB size limit and the same bytes (our encoder's
//!   output; setup checks that mqttbytes decodes them). Ours checks more:
//!   wildcards and U+0000 in the topic, reserved flags, DUP at QoS 0.
//!
//! Wall time (criterion):
//! `cargo bench -p onem2m-mqtt-proto --bench codec -- --warm-up-time 1 --measurement-time 2`
//!
//! Instructions per packet (callgrind, repeatable on a busy 2-core machine):
//! `CODEC_CALLGRIND=all cargo bench -p onem2m-mqtt-proto --bench codec`
//! re-runs this binary under `valgrind --tool=callgrind` once per case,
//! counting only inside the `measured_*` functions, and prints a table.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark's setup may panic

use std::hint::black_box;
use std::process::Command;

use bytes::{Bytes, BytesMut};
use criterion::{BatchSize, Criterion, Throughput};
use mqttbytes::v4 as mb;
use onem2m_mqtt_proto::{
    Codec, ConnAck, ConnectReturnCode, MqttBytesCodec, OwnCodec, Packet, PacketId, Publish, QoS,
    SubAck, Subscribe, SubscribeFilter, SubscribeReturnCode, Topic, TopicFilter, Unsubscribe,
};

const TOPIC: &str = "/oneM2M/req/CAE-sensor-0001/CSE-IN-01/json";
const LIMIT: usize = 1 << 20;

fn id(n: u16) -> PacketId {
    PacketId::new(n).expect("non-zero")
}

fn publish(payload_len: usize) -> Packet {
    Packet::Publish(Publish {
        dup: false,
        qos: QoS::AtLeastOnce,
        retain: false,
        topic: Topic::from_static(TOPIC).expect("valid topic"),
        pkid: Some(id(42)),
        payload: Bytes::from(vec![0x5A; payload_len]),
    })
}

/// A stream of what a client typically receives and sends, all 14 types
/// but CONNECT, weighted towards PUBLISH and acks.
fn mixed() -> Vec<Packet> {
    let filter = |s: &'static str| TopicFilter::from_static(s).expect("valid filter");
    vec![
        Packet::ConnAck(ConnAck {
            session_present: true,
            code: ConnectReturnCode::Accepted,
        }),
        Packet::Subscribe(Subscribe {
            pkid: id(1),
            filters: vec![
                SubscribeFilter::new(filter("/oneM2M/req/+/CAE-sensor-0001/#"), QoS::AtLeastOnce),
                SubscribeFilter::new(filter("/oneM2M/resp/CAE-sensor-0001/+/+"), QoS::AtLeastOnce),
            ],
        }),
        Packet::SubAck(SubAck {
            pkid: id(1),
            return_codes: vec![
                SubscribeReturnCode::Success(QoS::AtLeastOnce),
                SubscribeReturnCode::Failure,
            ],
        }),
        publish(256),
        Packet::PubAck(id(42)),
        publish(64),
        Packet::PubRec(id(43)),
        Packet::PubRel(id(43)),
        Packet::PubComp(id(43)),
        Packet::Publish(Publish::at_most_once(
            Topic::from_static("/oneM2M/resp/CSE-IN-01/CAE-sensor-0001/xml").expect("valid"),
            Bytes::from(vec![0x33; 512]),
        )),
        Packet::PingReq,
        Packet::PingResp,
        Packet::Unsubscribe(Unsubscribe {
            pkid: id(2),
            filters: vec![filter("/oneM2M/req/+/CAE-sensor-0001/#")],
        }),
        Packet::UnsubAck(id(2)),
        Packet::Disconnect,
    ]
}

fn encode_all(packets: &[Packet], times: usize) -> BytesMut {
    let codec = OwnCodec::new();
    let mut out = BytesMut::new();
    for _ in 0..times {
        for p in packets {
            codec.encode(p, &mut out).expect("encodable");
        }
    }
    out
}

/// The same packets as mqttbytes' own types, converted once by decoding.
fn theirs(wire: &BytesMut) -> Vec<mb::Packet> {
    let mut buf = wire.clone();
    let mut out = Vec::new();
    while !buf.is_empty() {
        out.push(mb::read(&mut buf, LIMIT).expect("mqttbytes decodes our bytes"));
    }
    out
}

fn write_theirs(p: &mb::Packet, out: &mut BytesMut) {
    let r = match p {
        mb::Packet::Connect(c) => c.write(out),
        mb::Packet::ConnAck(c) => c.write(out),
        mb::Packet::Publish(c) => c.write(out),
        mb::Packet::PubAck(c) => c.write(out),
        mb::Packet::PubRec(c) => c.write(out),
        mb::Packet::PubRel(c) => c.write(out),
        mb::Packet::PubComp(c) => c.write(out),
        mb::Packet::Subscribe(c) => c.write(out),
        mb::Packet::SubAck(c) => c.write(out),
        mb::Packet::Unsubscribe(c) => c.write(out),
        mb::Packet::UnsubAck(c) => c.write(out),
        mb::Packet::PingReq => mb::PingReq.write(out),
        mb::Packet::PingResp => mb::PingResp.write(out),
        mb::Packet::Disconnect => mb::Disconnect.write(out),
    };
    black_box(r.is_ok());
}

#[inline(never)]
fn measured_decode_own(codec: &mut OwnCodec, buf: &mut BytesMut) {
    while let Ok(Some(p)) = codec.decode(buf) {
        black_box(p);
    }
}

#[inline(never)]
fn measured_decode_mqttbytes(buf: &mut BytesMut) {
    while let Ok(p) = mb::read(buf, LIMIT) {
        black_box(p);
    }
}

#[inline(never)]
fn measured_encode_own(codec: &OwnCodec, packets: &[Packet], out: &mut BytesMut) {
    out.clear();
    for p in packets {
        black_box(codec.encode(p, out).is_ok());
    }
}

#[inline(never)]
fn measured_encode_mqttbytes(packets: &[mb::Packet], out: &mut BytesMut) {
    out.clear();
    for p in packets {
        write_theirs(p, out);
    }
}

/// One workload: `packets` repeated `batch` times in a read buffer.
struct Case {
    name: &'static str,
    packets: Vec<Packet>,
    batch: usize,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "publish_64B",
            packets: vec![publish(64)],
            batch: 100,
        },
        Case {
            name: "publish_1KiB",
            packets: vec![publish(1024)],
            batch: 100,
        },
        Case {
            name: "publish_64KiB",
            packets: vec![publish(65536)],
            batch: 16,
        },
        Case {
            name: "mixed",
            packets: mixed(),
            batch: 20,
        },
    ]
}

fn criterion_benches(c: &mut Criterion) {
    for case in cases() {
        let wire = encode_all(&case.packets, case.batch);
        let mut g = c.benchmark_group(format!("{}_decode", case.name));
        g.throughput(Throughput::Elements(
            (case.packets.len() * case.batch) as u64,
        ));
        g.bench_function("own", |b| {
            let mut codec = OwnCodec::new().with_max_packet_size(LIMIT);
            b.iter_batched_ref(
                || wire.clone(),
                |buf| measured_decode_own(&mut codec, buf),
                BatchSize::LargeInput,
            );
        });
        g.bench_function("mqttbytes", |b| {
            b.iter_batched_ref(
                || wire.clone(),
                measured_decode_mqttbytes,
                BatchSize::LargeInput,
            );
        });
        g.finish();

        let one = encode_all(&case.packets, 1);
        let native = theirs(&one);
        let mut g = c.benchmark_group(format!("{}_encode", case.name));
        g.throughput(Throughput::Elements(case.packets.len() as u64));
        g.bench_function("own", |b| {
            let codec = OwnCodec::new().with_max_packet_size(LIMIT);
            let mut out = BytesMut::with_capacity(one.len());
            b.iter(|| measured_encode_own(&codec, &case.packets, &mut out));
        });
        g.bench_function("mqttbytes", |b| {
            let mut out = BytesMut::with_capacity(one.len());
            b.iter(|| measured_encode_mqttbytes(&native, &mut out));
        });
        g.finish();
    }

    // The adaptor: mqttbytes behind our `Codec` trait, type conversion included.
    let wire = encode_all(&[publish(1024)], 100);
    let mut g = c.benchmark_group("publish_1KiB_decode");
    g.throughput(Throughput::Elements(100));
    g.bench_function("MqttBytesCodec", |b| {
        let mut codec = MqttBytesCodec::new().with_max_packet_size(LIMIT);
        b.iter_batched_ref(
            || wire.clone(),
            |buf| {
                while let Ok(Some(p)) = codec.decode(buf) {
                    black_box(p);
                }
            },
            BatchSize::LargeInput,
        );
    });
    g.finish();
}

/// Runs one measured function once, for callgrind; returns packets handled.
fn run_one(case: &Case, op: &str, codec: &str) -> usize {
    let wire = encode_all(&case.packets, case.batch);
    let one = encode_all(&case.packets, 1);
    let native = theirs(&one);
    let mut out = BytesMut::with_capacity(wire.len());
    let mut buf = wire.clone();
    match (op, codec) {
        ("decode", "own") => {
            measured_decode_own(&mut OwnCodec::new().with_max_packet_size(LIMIT), &mut buf)
        }
        ("decode", _) => measured_decode_mqttbytes(&mut buf),
        ("encode", "own") => {
            let c = OwnCodec::new().with_max_packet_size(LIMIT);
            for _ in 0..case.batch {
                measured_encode_own(&c, &case.packets, &mut out);
            }
        }
        _ => {
            for _ in 0..case.batch {
                measured_encode_mqttbytes(&native, &mut out);
            }
        }
    }
    case.packets.len() * case.batch
}

/// Re-runs this binary under callgrind for every case and prints
/// instructions per packet, ours against mqttbytes.
fn callgrind_table() {
    let exe = std::env::current_exe().expect("own path");
    let out_file = std::env::temp_dir().join(format!("codec-callgrind-{}.out", std::process::id()));
    println!("| case | ours (instr/packet) | mqttbytes (instr/packet) | mqttbytes / ours |");
    println!("|---|---:|---:|---:|");
    for case in cases() {
        for op in ["decode", "encode"] {
            let mut counts = Vec::new();
            for codec in ["own", "mqttbytes"] {
                let status = Command::new("valgrind")
                    .args(["--tool=callgrind", "--toggle-collect=*measured_*"])
                    .arg(format!("--callgrind-out-file={}", out_file.display()))
                    .arg(&exe)
                    .env("CODEC_CALLGRIND", format!("{}/{op}/{codec}", case.name))
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("valgrind runs (apt-get install valgrind)");
                assert!(status.success(), "valgrind failed on {}", case.name);
                let text = std::fs::read_to_string(&out_file).expect("callgrind output");
                let total: u64 = text
                    .lines()
                    .find_map(|l| l.strip_prefix("totals: ").or(l.strip_prefix("summary: ")))
                    .and_then(|v| v.split_whitespace().next()?.parse().ok())
                    .expect("callgrind totals");
                counts.push(total as f64 / (case.packets.len() * case.batch) as f64);
            }
            println!(
                "| {}_{op} | {:.0} | {:.0} | {:.2}× |",
                case.name,
                counts[0],
                counts[1],
                counts[1] / counts[0]
            );
        }
    }
    let _ = std::fs::remove_file(out_file);
}

fn main() {
    match std::env::var("CODEC_CALLGRIND").as_deref() {
        Ok("all") => callgrind_table(),
        Ok(spec) => {
            let mut parts = spec.split('/');
            let (name, op, codec) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            let case = cases()
                .into_iter()
                .find(|c| c.name == name)
                .expect("known case");
            black_box(run_one(&case, op, codec));
        }
        Err(_) => {
            let mut c = Criterion::default().configure_from_args();
            criterion_benches(&mut c);
            c.final_summary();
        }
    }
}
