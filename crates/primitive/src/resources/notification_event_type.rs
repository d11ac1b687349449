//! The notification event type `net` (TS-0004 6.3.4.2.19).

use std::fmt;

use super::attribute_reader::AttributeReader;
use crate::error::Error;

/// What happened to a subscribed-to resource.
///
/// A newtype over the wire integer, like [`crate::ResourceType`]: later releases add
/// values, and a subscriber must still read a notification that carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NotificationEventType(pub u32);

const NAMES: &[(u32, &str)] = &[
    (1, "Update_of_Resource"),
    (2, "Delete_of_Resource"),
    (3, "Create_of_Direct_Child_Resource"),
    (4, "Delete_of_Direct_Child_Resource"),
    (5, "Retrieve_of_Container_Resource_With_No_Child_Resource"),
    (6, "Trigger_Received_For_AE_Resource"),
    (7, "Blocking_Update"),
    (8, "Report_on_generated_missing_data_points"),
];

impl NotificationEventType {
    /// `1`: the resource was updated (the default).
    pub const UPDATE: Self = Self(1);
    /// `2`: the resource was deleted.
    pub const DELETE: Self = Self(2);
    /// `3`: a direct child was created.
    pub const CREATE_CHILD: Self = Self(3);
    /// `4`: a direct child was deleted.
    pub const DELETE_CHILD: Self = Self(4);
    /// `5`: a container without children was retrieved.
    pub const RETRIEVE_EMPTY_CONTAINER: Self = Self(5);
    /// `6`: a trigger was received for an AE.
    pub const TRIGGER_RECEIVED: Self = Self(6);
    /// `7`: a blocking update.
    pub const BLOCKING_UPDATE: Self = Self(7);
    /// `8`: missing data points were detected in a time series.
    pub const MISSING_DATA_POINTS: Self = Self(8);

    /// The numeric code.
    pub const fn code(self) -> u32 {
        self.0
    }

    /// The TS-0004 name, or `None` for a code this crate does not know.
    pub fn name(self) -> Option<&'static str> {
        NAMES.iter().find(|(c, _)| *c == self.0).map(|(_, n)| *n)
    }
}

impl fmt::Display for NotificationEventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name} ({})", self.0),
            None => write!(f, "unknown notification event type ({})", self.0),
        }
    }
}

fn from_code(r: &AttributeReader, key: &str, code: i64) -> Result<NotificationEventType, Error> {
    u32::try_from(code)
        .ok()
        .filter(|c| *c > 0)
        .map(NotificationEventType)
        .ok_or_else(|| r.error(key, format!("{code} is not a notification event type")))
}

/// Reads one event type (`nev.net`).
pub(crate) fn read_one(
    r: &mut AttributeReader,
    key: &str,
) -> Result<Option<NotificationEventType>, Error> {
    r.int(key)?.map(|code| from_code(r, key, code)).transpose()
}

/// Reads a list of event types (`enc.net`).
pub(crate) fn read_list(
    r: &mut AttributeReader,
    key: &str,
) -> Result<Option<Vec<NotificationEventType>>, Error> {
    let Some(codes) = r.ints(key)? else {
        return Ok(None);
    };
    codes
        .into_iter()
        .map(|code| from_code(r, key, code))
        .collect::<Result<_, _>>()
        .map(Some)
}

/// The wire form of event types.
pub(crate) fn to_values(types: &[NotificationEventType]) -> Vec<i64> {
    types.iter().map(|t| i64::from(t.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_codes_and_keeps_unknown_ones() {
        assert_eq!(
            NotificationEventType::CREATE_CHILD.name(),
            Some("Create_of_Direct_Child_Resource")
        );
        assert_eq!(NotificationEventType(42).name(), None);
        assert_eq!(
            NotificationEventType(42).to_string(),
            "unknown notification event type (42)"
        );
    }
}
