//! The event category `ec` (TS-0004 6.3.4.2.x: 2, 3, 4 or 100-999).

use crate::error::Error;

/// A request's event category: 2 immediate, 3 best effort, 4 latest, or a value of
/// 100-999 defined by the service provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventCategory(u16);

impl EventCategory {
    /// `2`: immediate.
    pub const IMMEDIATE: Self = Self(2);
    /// `3`: best effort.
    pub const BEST_EFFORT: Self = Self(3);
    /// `4`: latest.
    pub const LATEST: Self = Self(4);

    /// The event category for `code`, checked against the values TS-0004 allows.
    pub fn new(code: i64) -> Result<Self, Error> {
        match code {
            2..=4 | 100..=999 => Ok(Self(code as u16)),
            _ => Err(Error::OutOfRange {
                what: "event category",
                value: code.to_string(),
            }),
        }
    }

    /// The numeric code.
    pub const fn code(self) -> u16 {
        self.0
    }
}
