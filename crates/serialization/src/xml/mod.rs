//! The XML serialization (placeholder, being written).

/// The XML serializer.
#[derive(Debug, Clone, Default)]
pub struct XmlSerializer {}
