//! The JSON serialization (placeholder, being written).

/// The JSON serializer.
#[derive(Debug, Clone, Default)]
pub struct JsonSerializer {}
