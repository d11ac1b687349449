//! Identifiers (placeholder, being written).
