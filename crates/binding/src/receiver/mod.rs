//! The receiver: serving requests that arrive over MQTT with a [`Handler`].
//!
//! [`Pipeline`] holds the protocol logic without IO (which checks run, in which order,
//! and what is answered); the binding's connection task feeds it every message and
//! runs the handler for each [`Decision::Handle`]. `docs/binding.md` lists the checks
//! with their status codes.

mod context;
mod duplicate_cache;
mod handler;
mod originator_check;
mod pipeline;
mod request_id_recovery;

pub use context::RequestContext;
pub use duplicate_cache::{DuplicateCache, RequestKey, Seen};
pub use handler::Handler;
pub use originator_check::OriginatorCheck;
pub use pipeline::{
    Accepted, Arrival, DEFAULT_DUPLICATE_CAPACITY, DEFAULT_DUPLICATE_TTL, Decision, Dropped,
    Outgoing, Pipeline,
};
