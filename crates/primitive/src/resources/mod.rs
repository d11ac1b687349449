//! Typed views of the primitive content (`pc`) the MQTT binding carries most: the
//! resources an AE works with (`m2m:ae`, `m2m:cb`, `m2m:cnt`, `m2m:cin`, `m2m:sub`), the
//! notification `m2m:sgn` and the error text `m2m:dbg`.
//!
//! Each type converts to and from the [`Value`] tree, so it works with every
//! serialization. Attributes a type does not know are kept in its `extra` map and written
//! back, so a CSE's response survives a decode/encode round trip; members are written in
//! XSD order, which XML requires (see the order tables in each file).
//!
//! ```
//! use onem2m_primitive::resources::{Container, Resource};
//!
//! let mut cnt = Container::named("data");
//! cnt.mni = Some(10);
//! let pc = cnt.to_content(); // {"m2m:cnt": {"rn": "data", "mni": 10}}
//! assert_eq!(Container::from_content(&pc).unwrap(), cnt);
//! ```

mod ae;
mod attribute_reader;
mod attribute_writer;
mod common_attributes;
mod container;
mod content_instance;
mod cse_base;
mod debug_info;
mod event_notification_criteria;
mod notification;
mod notification_event_type;
mod subscription;
#[cfg(test)]
mod test_values;

pub use ae::Ae;
pub use common_attributes::CommonAttributes;
pub use container::Container;
pub use content_instance::ContentInstance;
pub use cse_base::CseBase;
pub use debug_info::DebugInfo;
pub use event_notification_criteria::EventNotificationCriteria;
pub use notification::{Notification, NotificationEvent};
pub use notification_event_type::NotificationEventType;
pub use subscription::Subscription;

use crate::error::Error;
use crate::resource_type::ResourceType;
use crate::value::{Map, Value};

/// A structure that travels in `pc` under one root member (`{"m2m:ae": {...}}`).
pub trait Resource: Sized {
    /// The root member's name, with its namespace prefix (`m2m:ae`).
    const SHORT_NAME: &'static str;
    /// The resource type, or `None` for content that is not a resource (`m2m:sgn`).
    const TYPE: Option<ResourceType>;

    /// The members, in XSD order.
    fn to_map(&self) -> Map;

    /// Reads the members; fails with [`Error::InvalidContent`] on a member of the wrong
    /// type. Unknown members are kept.
    fn from_map(map: &Map) -> Result<Self, Error>;

    /// The primitive content carrying this structure: `{"<SHORT_NAME>": {...}}`.
    fn to_content(&self) -> Value {
        let mut root = Map::with_capacity(1);
        root.push(Self::SHORT_NAME, self.to_map());
        Value::Map(root)
    }

    /// Reads the structure from primitive content `{"<SHORT_NAME>": {...}}`. The root
    /// member is also found without its `m2m:` prefix, which some XML decoders drop.
    fn from_content(pc: &Value) -> Result<Self, Error> {
        match content_root(pc, Self::SHORT_NAME)? {
            Value::Map(map) => Self::from_map(map),
            other => Err(Error::InvalidContent {
                what: Self::SHORT_NAME,
                reason: format!("expected a map, found {}", other.kind()),
            }),
        }
    }
}

/// The value of the root member `short_name` of primitive content `pc`.
pub(crate) fn content_root<'a>(
    pc: &'a Value,
    short_name: &'static str,
) -> Result<&'a Value, Error> {
    let missing = |found: &str| Error::InvalidContent {
        what: short_name,
        reason: format!("content has no {short_name} member ({found})"),
    };
    let Value::Map(root) = pc else {
        return Err(missing(&format!("it is a {}", pc.kind())));
    };
    let unprefixed = short_name.strip_prefix("m2m:").unwrap_or(short_name);
    root.get(short_name)
        .or_else(|| root.get(unprefixed))
        .ok_or_else(|| {
            let names: Vec<&str> = root.iter().map(|(k, _)| k).take(4).collect();
            missing(&format!("members: {}", names.join(", ")))
        })
}
