//! Receiver-side validation (placeholder, being written).
