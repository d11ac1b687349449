//! The desired identifier result type `drt` (TS-0004 6.3.4.2.x).

use crate::code_enum::code_enum;

code_enum! {
    /// Whether identifiers in a response are structured (hierarchical) or unstructured.
    pub enum DesiredIdentifierResultType: "desired identifier result type" {
        /// Structured, hierarchical identifiers (the default).
        Structured = 1 => "structured",
        /// Unstructured, non-hierarchical identifiers.
        Unstructured = 2 => "unstructured",
    }
}
