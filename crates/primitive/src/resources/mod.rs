//! Typed resources (placeholder, being written).
