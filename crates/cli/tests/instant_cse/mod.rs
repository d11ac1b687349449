//! An HTTP CSE that answers at once, to put in front of the gateways where the CSE's
//! own cost would hide theirs: an AE create gets the AE-ID it asked for, anything
//! else 2000 OK.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use onem2m_http_binding::{HttpServer, IncomingRequest};
use onem2m_primitive::{
    Map, Operation, ResourceType, ResponsePrimitive, ResponseStatusCode, Value,
};

/// Starts it on a free loopback port.
pub async fn start() -> HttpServer {
    HttpServer::bind("127.0.0.1:0".parse().unwrap(), answer)
        .await
        .unwrap()
}

async fn answer(incoming: IncomingRequest) -> ResponsePrimitive {
    let request = &incoming.primitive;
    if request.op != Operation::Create || request.ty != Some(ResourceType::AE) {
        return ResponsePrimitive::answering(request, ResponseStatusCode::OK);
    }
    let rn = request
        .pc
        .as_ref()
        .and_then(Value::as_map)
        .and_then(|pc| pc.get("m2m:ae"))
        .and_then(Value::as_map)
        .and_then(|ae| ae.get("rn"))
        .cloned()
        .unwrap_or(Value::Null);
    let mut ae = Map::new();
    ae.insert("aei", request.fr.clone().unwrap_or_default());
    ae.insert("rn", rn);
    ResponsePrimitive::answering(request, ResponseStatusCode::CREATED).with_content(Value::Map(
        [("m2m:ae", Value::Map(ae))].into_iter().collect(),
    ))
}
