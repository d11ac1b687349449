//! A demo CSE on the oneM2M MQTT binding: an example of a CSE stack, **not a full CSE**.
//!
//! [`DemoCse`] keeps an in-memory resource tree (a `<CSEBase>` `cse-in` with CSE-ID
//! `/id-in` by default, `<AE>`, `<container>`, `<contentInstance>`, `<subscription>`) and
//! executes requests on it without any IO: a request in, its response and the
//! notifications it triggers out, with `ct`/`lt` from a [`Clock`]. [`serve`] puts it on
//! MQTT with the binding: a [`DemoCseHandler`] answers the requests the receiver passes,
//! registers AEs that come over `reg_req`, and sends each notification as a NOTIFY
//! request to the AE named in the subscription's `nu` (or publishes it on the topic of an
//! `mqtt://host/topic` `nu`).
//!
//! What it leaves out (no access control, no expiration, `rcn` 0 and 1 only, ...) is
//! listed on [`DemoCse`]. `m2m cse` runs it; `m2m demo` talks to it.
//!
//! ```
//! use std::sync::Arc;
//! use onem2m_demo_cse::{DemoCse, DemoCseOptions, SystemClock};
//! use onem2m_primitive::{RequestPrimitive, ResponseStatusCode};
//!
//! let mut cse = DemoCse::new(DemoCseOptions::default(), Arc::new(SystemClock));
//! let executed = cse.execute(&RequestPrimitive::retrieve("cse-in", "CAdmin", "r1"));
//! assert_eq!(executed.response.rsc, ResponseStatusCode::OK);
//! ```

mod clock;
mod cse;
mod handler;
mod notice;
mod stored;
mod tree;

#[cfg(test)]
mod tests;

pub use clock::{Clock, SteppingClock, SystemClock};
pub use cse::{DemoCse, DemoCseOptions, Executed};
pub use handler::{DemoCseHandler, serve};
pub use notice::{Notice, NotificationTarget};
pub use stored::StoredResource;
