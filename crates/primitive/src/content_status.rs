//! The content status `cnst` of a retrieve response (TS-0004 6.3.4.2.x).

use crate::code_enum::code_enum;

code_enum! {
    /// Whether a retrieve response carries all of the content or a part of it.
    pub enum ContentStatus: "content status" {
        /// Only part of the content; `cnot` says where it starts.
        PartialContent = 1 => "PARTIAL_CONTENT",
        /// All of the content.
        FullContent = 2 => "FULL_CONTENT",
    }
}
