//! The CBOR serialization (placeholder, being written).

/// The CBOR serializer.
#[derive(Debug, Clone, Default)]
pub struct CborSerializer {}
