//! The response type `rt` of a request (TS-0004 6.3.4.2.6) and its `nu` list.

use crate::code_enum::code_enum;

code_enum! {
    /// How the originator wants the response delivered (`rt.rtv`); blocking by default.
    #[derive(Default)]
    pub enum ResponseType: "response type" {
        /// Acknowledge at once, the result is fetched later.
        NonBlockingRequestSynch = 1 => "nonBlockingRequestSynch",
        /// Acknowledge at once, the result is sent to `nu` later.
        NonBlockingRequestAsynch = 2 => "nonBlockingRequestAsynch",
        /// Answer once the operation is done (the default).
        #[default]
        BlockingRequest = 3 => "blockingRequest",
        /// The receiver chooses between blocking and non-blocking.
        FlexBlocking = 4 => "flexBlocking",
        /// No response at all.
        NoResponse = 5 => "noResponse",
    }
}

/// The `rt` parameter: the response type and, for non-blocking asynchronous requests,
/// where to send the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseTypeInfo {
    /// `rtv`: the response type.
    pub rtv: ResponseType,
    /// `nu`: notification URIs for the result (only with `rtv` = 2).
    pub nu: Vec<String>,
}

impl ResponseTypeInfo {
    /// A response type without notification URIs.
    pub fn new(rtv: ResponseType) -> Self {
        Self {
            rtv,
            nu: Vec::new(),
        }
    }
}
