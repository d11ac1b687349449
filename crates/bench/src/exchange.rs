//! The oneM2M exchange every stack performs, so that they do the same work: an AE
//! creates a contentInstance at its registrar CSE (JSON request primitive on the request
//! topic), the CSE decodes it and answers 2001 with the content echoed (JSON response
//! primitive on the response topic), the AE matches the response by `rqi`.

use onem2m_primitive::{Map, RequestPrimitive, ResourceType, Value};

/// The receiver's CSE-ID.
pub const CSE_ID: &str = "/id-in";
/// The target of every request.
pub const TARGET: &str = "cse-in/bench";
/// `cnf` of the contentInstance.
pub const CONTENT_FORMAT: &str = "text/plain:0";
/// `con` of the contentInstance: a sensor reading of typical size.
pub const CONTENT: &str =
    "{\"temperature\":21.5,\"humidity\":48,\"unit\":\"C\",\"sensor\":\"bench-0001\"}";

/// The AE-ID of originator `index`.
pub fn ae_id(index: usize) -> String {
    format!("CAE{index:04}")
}

/// The request originator `index` sends (its `rqi` is left for the originator to set).
pub fn request(index: usize) -> RequestPrimitive {
    let mut cin = Map::with_capacity(2);
    cin.insert("cnf", CONTENT_FORMAT);
    cin.insert("con", CONTENT);
    let mut pc = Map::with_capacity(1);
    pc.insert("m2m:cin", cin);
    RequestPrimitive::create(
        TARGET,
        ae_id(index),
        "",
        ResourceType::CONTENT_INSTANCE,
        Value::Map(pc),
    )
}
