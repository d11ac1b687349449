//! `m2m:dbg` (debugInfo): the text a receiver puts in an error response.

use std::fmt;

use crate::error::Error;
use crate::response::debug_info;
use crate::value::Value;

use super::content_root;

/// The explanation carried by an error response, `{"m2m:dbg": "..."}`.
///
/// Not a [`super::Resource`]: its content is a string, not a map of attributes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct DebugInfo(pub String);

impl DebugInfo {
    /// The root member's name.
    pub const SHORT_NAME: &'static str = "m2m:dbg";

    /// The primitive content `{"m2m:dbg": text}`.
    pub fn to_content(&self) -> Value {
        debug_info(self.0.clone())
    }

    /// Reads `{"m2m:dbg": text}`.
    pub fn from_content(pc: &Value) -> Result<Self, Error> {
        match content_root(pc, Self::SHORT_NAME)? {
            Value::Text(text) => Ok(Self(text.clone())),
            other => Err(Error::InvalidContent {
                what: Self::SHORT_NAME,
                reason: format!("expected a string, found {}", other.kind()),
            }),
        }
    }
}

impl fmt::Display for DebugInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::resources::test_values::vmap;

    #[test]
    fn acme_missing_rvi_text_round_trips() {
        // Capture 19 (json-missing-rvi).
        let text = "release Version Indicator is missing in request, falling back to RVI='1'. \
                    But Release Version '1' is not supported. Use RVI with one of ['2a', '3', '4', '5'].";
        let pc = vmap! {"m2m:dbg" => text};
        let dbg = DebugInfo::from_content(&pc).unwrap();
        assert_eq!(dbg.0, text);
        assert_eq!(dbg.to_content(), pc);
    }

    #[test]
    fn non_text_debug_info_is_refused() {
        assert!(DebugInfo::from_content(&vmap! {"m2m:dbg" => 4}).is_err());
        assert!(DebugInfo::from_content(&vmap! {"m2m:ae" => "x"}).is_err());
    }
}
