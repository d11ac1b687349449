//! Encode+decode of typical primitives in each format (issue targets: CBOR < 1 µs,
//! JSON < 2 µs, XML < 3 µs for encode plus decode).
//!
//! Run with `cargo bench -p onem2m-serialization --bench serializers`.

#![allow(clippy::expect_used, missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use onem2m_primitive::{
    AbsRelTimestamp, Map, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode,
    Value,
};
use onem2m_serialization::{CborSerializer, JsonSerializer, Serializer, XmlSerializer};
use std::hint::black_box;

fn ae_create() -> RequestPrimitive {
    let mut ae = Map::new();
    ae.insert("rn", "lightSensor");
    ae.insert("api", "Nlight.example.com");
    ae.insert("rr", true);
    ae.insert("srv", Value::from(vec!["3"]));
    ae.insert("poa", Value::from(vec!["mqtt://127.0.0.1:1883"]));
    let mut pc = Map::new();
    pc.insert("m2m:ae", ae);
    let mut req = RequestPrimitive::create(
        "cse-in",
        "CLightSensor",
        "rqi-000123",
        ResourceType::AE,
        pc.into(),
    );
    req.rqet = Some(AbsRelTimestamp::Relative(10_000));
    req
}

fn cin_create() -> RequestPrimitive {
    let mut cin = Map::new();
    cin.insert("cnf", "text/plain:0");
    cin.insert("con", "21.5");
    cin.insert("lbl", Value::from(vec!["temperature", "room1"]));
    let mut pc = Map::new();
    pc.insert("m2m:cin", cin);
    let mut req = RequestPrimitive::create(
        "cse-in/lightSensor/data",
        "CLightSensor",
        "rqi-000124",
        ResourceType::CONTENT_INSTANCE,
        pc.into(),
    );
    req.rqet = Some(AbsRelTimestamp::Relative(10_000));
    req
}

fn created_response() -> ResponsePrimitive {
    let mut cin = Map::new();
    cin.insert("rn", "cin_1");
    cin.insert("ty", 4);
    cin.insert("ri", "cin8xdf");
    cin.insert("pi", "cnt74dS");
    cin.insert("ct", "20261124T215237,748702");
    cin.insert("cnf", "text/plain:0");
    cin.insert("cs", 4);
    cin.insert("con", "21.5");
    let mut pc = Map::new();
    pc.insert("m2m:cin", cin);
    ResponsePrimitive::new(ResponseStatusCode::CREATED, "rqi-000124").with_content(pc.into())
}

fn bench_format(c: &mut Criterion, ser: &dyn Serializer) {
    let mut group = c.benchmark_group(ser.name());
    for (label, req) in [("ae_create", ae_create()), ("cin_create", cin_create())] {
        let bytes = ser.encode_request(&req).expect("encodes");
        group.bench_function(format!("{label}/encode"), |b| {
            b.iter(|| ser.encode_request(black_box(&req)))
        });
        group.bench_function(format!("{label}/decode"), |b| {
            b.iter(|| ser.decode_request(black_box(&bytes)))
        });
        group.bench_function(format!("{label}/encode+decode"), |b| {
            b.iter(|| {
                let bytes = ser.encode_request(black_box(&req)).expect("encodes");
                ser.decode_request(&bytes)
            })
        });
    }
    let rsp = created_response();
    group.bench_function("cin_created_response/encode+decode", |b| {
        b.iter(|| {
            let bytes = ser.encode_response(black_box(&rsp)).expect("encodes");
            ser.decode_response(&bytes)
        })
    });
    group.finish();
}

fn serializers(c: &mut Criterion) {
    bench_format(c, &CborSerializer::new());
    bench_format(c, &JsonSerializer::new());
    bench_format(c, &XmlSerializer::new());
}

criterion_group!(benches, serializers);
criterion_main!(benches);
