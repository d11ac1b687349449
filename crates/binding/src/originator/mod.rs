//! The originator: sending requests over MQTT and awaiting their responses by `rqi`.
//!
//! [`Originator`] is the handle applications use. The parts below it are free of IO:
//! [`PendingRequests`] correlates responses with waiting requests, bounded by the
//! pending limit; [`response_deadline`] decides how long to wait; [`RequestIds`] makes
//! the `rqi` of requests sent without one; [`RetryPolicy`] says when a request is sent
//! again under the same `rqi`.

mod deadline;
mod pending;
mod request_id;
mod retry;
mod sender;

pub use deadline::response_deadline;
pub use pending::{PendingRequests, PendingResponse};
pub use request_id::RequestIds;
pub use retry::RetryPolicy;
pub use sender::Originator;
