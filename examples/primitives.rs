//! Builds an AE-registration request and its response, and sends both through each
//! serialization (XML, JSON, CBOR): encode, print, decode, and check nothing changed.
//!
//! Run with `cargo run -p onem2m-examples --example primitives`.

use onem2m_primitive::{
    AbsRelTimestamp, Map, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode,
    Value,
};
use onem2m_serialization::{CborSerializer, JsonSerializer, Serializer, XmlSerializer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut ae = Map::new();
    ae.insert("rn", "lightSensor");
    ae.insert("api", "Nlight.example.com");
    ae.insert("rr", true);
    ae.insert("srv", Value::from(vec!["3"]));
    let mut pc = Map::new();
    pc.insert("m2m:ae", ae.clone());
    let mut request = RequestPrimitive::create(
        "cse-in",
        "CLightSensor",
        "req-1",
        ResourceType::AE,
        pc.into(),
    );
    request.rqet = Some(AbsRelTimestamp::Relative(10_000));

    ae.insert("ri", "CLightSensor");
    ae.insert("aei", "CLightSensor");
    let mut created = Map::new();
    created.insert("m2m:ae", ae);
    let response = ResponsePrimitive::answering(&request, ResponseStatusCode::CREATED)
        .with_content(created.into());

    let serializers: [&dyn Serializer; 3] = [
        &XmlSerializer::new(),
        &JsonSerializer::new(),
        &CborSerializer::new(),
    ];
    for ser in serializers {
        let req_bytes = ser.encode_request(&request)?;
        let rsp_bytes = ser.encode_response(&response)?;
        println!(
            "== {} ({} / {})",
            ser.name(),
            ser.request_media_type(),
            ser.response_media_type()
        );
        println!(
            "request  ({:4} bytes): {}",
            req_bytes.len(),
            printable(&req_bytes)
        );
        println!(
            "response ({:4} bytes): {}",
            rsp_bytes.len(),
            printable(&rsp_bytes)
        );
        let req_back = ser.decode_request(&req_bytes)?;
        let rsp_back = ser.decode_response(&rsp_bytes)?;
        if req_back != request || rsp_back != response {
            return Err(format!("{} changed the primitive on the way back", ser.name()).into());
        }
        println!("decoded back unchanged: rsc {}", rsp_back.rsc);
    }
    Ok(())
}

/// Text formats print as text; CBOR prints as hex.
fn printable(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
    }
}
