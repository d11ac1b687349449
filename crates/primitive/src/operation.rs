//! The operation `op` of a request (TS-0004 6.3.4.2.5).

use crate::code_enum::code_enum;

code_enum! {
    /// What a request asks the receiver to do. The default is retrieve, the one
    /// operation that needs no content.
    #[derive(Default)]
    pub enum Operation: "operation" {
        /// Create a resource (`op` = 1).
        Create = 1 => "CREATE",
        /// Retrieve a resource, or discover with `fc.fu` = 1 (`op` = 2).
        #[default]
        Retrieve = 2 => "RETRIEVE",
        /// Update a resource (`op` = 3).
        Update = 3 => "UPDATE",
        /// Delete a resource (`op` = 4).
        Delete = 4 => "DELETE",
        /// Notify a subscriber (`op` = 5).
        Notify = 5 => "NOTIFY",
    }
}
