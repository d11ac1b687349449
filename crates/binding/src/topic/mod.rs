//! Topic schemes: where on MQTT a oneM2M primitive is published, and what a topic says.
//!
//! MQTT only moves bytes between topics; a [`TopicScheme`] decides the topics. Two
//! schemes come with the crate:
//!
//! | Scheme | Request | Response |
//! |---|---|---|
//! | [`Ts0010Scheme`] (default) | `/oneM2M/req/<originator>/<receiver>/<type>` | `/oneM2M/resp/<originator>/<receiver>/<type>` |
//! | [`DraftScheme`] | `/oneM2M/<to>/req` | `/oneM2M/<originator>/resp` |
//!
//! Both map IDs to topic levels with [`onem2m_primitive::topic_level`]. A scheme's
//! [`TopicScheme::subscriptions`] match its own request and response topics, which
//! [`filter_matches`] checks the way a broker does. `docs/topic-schemes.md` explains both
//! schemes with examples; `examples/custom_topic_scheme.rs` writes a third.
//!
//! ```
//! use onem2m_binding::topic::{Entity, Hop, RouteKind, TopicScheme, Ts0010Scheme, filter_matches};
//!
//! let scheme = Ts0010Scheme::new();
//! let hop = Hop { originator: "/id-in/CAE01", receiver: "/id-in", to: "cse-in/myAE", serialization: "json" };
//! let topic = scheme.request_topic(&hop).unwrap();
//! assert_eq!(topic, "/oneM2M/req/id-in:CAE01/id-in/json");
//!
//! let route = scheme.parse(&topic).unwrap();
//! assert_eq!(route.kind, RouteKind::Request);
//! assert_eq!(route.originator.as_deref(), Some("/id-in/CAE01"));
//! let answer = scheme.response_topic(&route, "json").unwrap();
//! assert_eq!(answer, "/oneM2M/resp/id-in:CAE01/id-in/json");
//!
//! let cse = scheme.subscriptions(&Entity::cse("/id-in")).unwrap();
//! assert!(cse.iter().any(|filter| filter_matches(filter, &topic)));
//! ```

mod draft;
mod entity;
mod error;
mod filter;
mod prefix;
mod qualify;
mod route;
mod scheme;
mod shared;
mod ts0010;

pub use draft::DraftScheme;
pub use entity::{Entity, Role};
pub use error::TopicError;
pub use filter::filter_matches;
pub use prefix::TopicPrefix;
pub use route::{Route, RouteKind};
pub use scheme::{Hop, TopicScheme};
pub use shared::SharedSubscriptions;
pub use ts0010::{AeIdForm, Ts0010Scheme};
