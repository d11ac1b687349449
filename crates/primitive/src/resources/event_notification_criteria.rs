//! `m2m:eventNotificationCriteria`, the `enc` of a subscription: which events notify.

use crate::error::Error;
use crate::value::Map;

use super::attribute_reader::AttributeReader;
use super::attribute_writer::AttributeWriter;
use super::notification_event_type::{self, NotificationEventType};

/// The XSD order of the criteria; only `net` is typed, the others keep their place.
const ORDER: &[&str] = &[
    "crb", "cra", "ms", "us", "sts", "stb", "exb", "exa", "sza", "szb", "net", "om", "atr", "chty",
    "md",
];

/// Which events a subscription reports. Only the event types are typed; the other
/// criteria (time and size filters, `atr`, `chty`, ...) stay in `extra`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventNotificationCriteria {
    /// `net` notificationEventType: the events to report (TS-0004 default: update).
    pub net: Option<Vec<NotificationEventType>>,
    /// The other criteria, kept as received.
    pub extra: Map,
}

impl EventNotificationCriteria {
    /// Criteria reporting the given event types.
    pub fn events(net: impl IntoIterator<Item = NotificationEventType>) -> Self {
        Self {
            net: Some(net.into_iter().collect()),
            extra: Map::new(),
        }
    }

    pub(crate) fn to_map(&self) -> Map {
        let mut w = AttributeWriter::new();
        w.put(
            "net",
            self.net.as_deref().map(notification_event_type::to_values),
        );
        w.finish(&self.extra, &[ORDER])
    }

    pub(crate) fn from_map(map: &Map) -> Result<Self, Error> {
        let mut r = AttributeReader::new("m2m:eventNotificationCriteria", map);
        Ok(Self {
            net: notification_event_type::read_list(&mut r, "net")?,
            extra: r.finish(),
        })
    }
}
