//! Limits a decoder enforces on untrusted input, before it allocates.

/// Bounds on what a decoder accepts. The defaults take any primitive a real peer sends
/// and refuse the shapes that only an attacker sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest document accepted, in bytes (default 8 MiB; the binding's MQTT packet
    /// limit is usually smaller and is checked first).
    pub max_document: usize,
    /// Deepest nesting of maps and lists inside the primitive (default 64).
    pub max_depth: usize,
    /// Most members or items in one map or list (default 100,000).
    pub max_items: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_document: 8 * 1024 * 1024,
            max_depth: 64,
            max_items: 100_000,
        }
    }
}
