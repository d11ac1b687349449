//! UTF-8 strings, topic names and topic filters, validated once and kept as
//! `Bytes` so that a decoded topic is a slice of the read buffer.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use bytes::Bytes;

use super::topic_scan::is_plain;
use crate::Error;

/// Longest string or binary field MQTT can carry (a 16-bit length prefix).
pub const MAX_FIELD_LEN: usize = u16::MAX as usize;

/// A UTF-8 string as MQTT 3.1.1 defines it (section 1.5.3): well-formed,
/// without U+0000, at most 65,535 bytes. Backed by [`Bytes`], so cloning it
/// or decoding it does not copy.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ByteStr(Bytes);

impl ByteStr {
    /// Wraps a static string without copying it.
    pub fn from_static(s: &'static str) -> Result<Self, Error> {
        Self::from_utf8(Bytes::from_static(s.as_bytes()))
    }

    /// Validates `bytes` and takes them over without copying.
    pub fn from_utf8(bytes: Bytes) -> Result<Self, Error> {
        Self::from_field(bytes, "string")
    }

    pub(crate) fn from_field(bytes: Bytes, field: &'static str) -> Result<Self, Error> {
        validate_mqtt_str(&bytes, field)?;
        Ok(Self(bytes))
    }

    /// The string. Re-checks UTF-8, which the constructor already guaranteed
    /// (this crate forbids `unsafe`, so the unchecked conversion is not used).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The backing buffer.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Checks the rules of MQTT 1.5.3 on a string field.
fn validate_mqtt_str(bytes: &[u8], field: &'static str) -> Result<(), Error> {
    if bytes.len() > MAX_FIELD_LEN {
        return Err(Error::FieldTooLong {
            field,
            len: bytes.len(),
        });
    }
    if std::str::from_utf8(bytes).is_err() {
        return Err(Error::InvalidUtf8 { field });
    }
    if bytes.contains(&0) {
        return Err(Error::NullCharacter { field });
    }
    Ok(())
}

impl TryFrom<String> for ByteStr {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        Self::from_utf8(Bytes::from(s))
    }
}

impl TryFrom<&str> for ByteStr {
    type Error = Error;
    fn try_from(s: &str) -> Result<Self, Error> {
        Self::from_utf8(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl FromStr for ByteStr {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::try_from(s)
    }
}

impl Deref for ByteStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ByteStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for ByteStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ByteStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for ByteStr {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for ByteStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

/// Defines a validated newtype over [`ByteStr`] with the same conversions.
macro_rules! checked_str {
    ($(#[$doc:meta])* $name:ident, $check:path) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(ByteStr);

        impl $name {
            /// Wraps a static string without copying it.
            pub fn from_static(s: &'static str) -> Result<Self, Error> {
                Self::from_bytes(Bytes::from_static(s.as_bytes()))
            }

            /// Validates `bytes` and takes them over without copying.
            pub fn from_bytes(bytes: Bytes) -> Result<Self, Error> {
                $check(&bytes)?;
                Ok(Self(ByteStr(bytes)))
            }

            /// Wraps bytes the caller has just validated with the same check.
            #[allow(dead_code)] // used for `Topic` only
            pub(crate) fn from_validated(bytes: Bytes) -> Self {
                Self(ByteStr(bytes))
            }

            /// Validates an MQTT string.
            pub fn from_byte_str(s: ByteStr) -> Result<Self, Error> {
                $check(s.as_bytes())?;
                Ok(Self(s))
            }

            /// The string.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            /// As a plain MQTT string.
            pub fn as_byte_str(&self) -> &ByteStr {
                &self.0
            }

            /// The raw bytes.
            pub fn as_bytes(&self) -> &[u8] {
                self.0.as_bytes()
            }

            /// The backing buffer.
            pub fn into_bytes(self) -> Bytes {
                self.0.into_bytes()
            }

            /// Length in bytes (without the UTF-8 re-check `Deref` implies).
            pub fn len(&self) -> usize {
                self.0.len()
            }

            /// Whether it is empty (never, for a valid value).
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self, Error> {
                Self::from_bytes(Bytes::from(s))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(s: &str) -> Result<Self, Error> {
                Self::from_bytes(Bytes::copy_from_slice(s.as_bytes()))
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                Self::try_from(s)
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_bytes() == other.as_bytes()
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_bytes() == other.as_bytes()
            }
        }
    };
}

checked_str!(
    /// A topic name (MQTT 4.7): the topic of a PUBLISH or a Will. Non-empty,
    /// no `+` or `#`, and an MQTT string.
    Topic,
    validate_topic_name
);

checked_str!(
    /// A topic filter (MQTT 4.7): what a SUBSCRIBE or UNSUBSCRIBE names.
    /// Non-empty; `+` only as a whole level, `#` only as the whole last level.
    TopicFilter,
    validate_topic_filter
);

/// Checks a topic name in one pass: this runs for every PUBLISH decoded.
#[inline(always)]
pub(crate) fn validate_topic_name(bytes: &[u8]) -> Result<(), Error> {
    const FIELD: &str = "topic name";
    if bytes.is_empty() {
        return Err(Error::InvalidTopicName {
            reason: "empty topic name",
        });
    }
    if bytes.len() > MAX_FIELD_LEN {
        return Err(Error::FieldTooLong {
            field: FIELD,
            len: bytes.len(),
        });
    }
    if is_plain(bytes) {
        return Ok(());
    }
    check_unusual_topic_name(bytes)
}

/// The exact checks for a topic name that is not plain ASCII: out of line,
/// since it is either an error or a topic with non-ASCII characters.
#[cold]
#[inline(never)]
fn check_unusual_topic_name(bytes: &[u8]) -> Result<(), Error> {
    const FIELD: &str = "topic name";
    if bytes.contains(&0) {
        return Err(Error::NullCharacter { field: FIELD });
    }
    if bytes.iter().any(|&b| matches!(b, b'+' | b'#')) {
        return Err(Error::InvalidTopicName {
            reason: "wildcard in a topic name",
        });
    }
    if std::str::from_utf8(bytes).is_err() {
        return Err(Error::InvalidUtf8 { field: FIELD });
    }
    Ok(())
}

/// Checks a topic filter (MQTT 4.7.1).
pub(crate) fn validate_topic_filter(bytes: &[u8]) -> Result<(), Error> {
    validate_mqtt_str(bytes, "topic filter")?;
    if bytes.is_empty() {
        return Err(Error::InvalidTopicFilter {
            reason: "empty topic filter",
        });
    }
    let mut levels = bytes.split(|&b| b == b'/').peekable();
    while let Some(level) = levels.next() {
        if level.contains(&b'#') && (level != b"#" || levels.peek().is_some()) {
            return Err(Error::InvalidTopicFilter {
                reason: "'#' must be the whole last level",
            });
        }
        if level.contains(&b'+') && level != b"+" {
            return Err(Error::InvalidTopicFilter {
                reason: "'+' must be a whole level",
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn topic_names_reject_wildcards_empty_and_null() {
        assert!(Topic::try_from("a/b/c").is_ok());
        assert!(Topic::try_from("/").is_ok());
        assert!(Topic::try_from("caf\u{e9}/x").is_ok());
        assert!(Topic::try_from("").is_err());
        assert!(Topic::try_from("a/+/c").is_err());
        assert!(Topic::try_from("a/#").is_err());
        assert!(matches!(
            Topic::try_from("a\0b"),
            Err(Error::NullCharacter { .. })
        ));
        assert!(matches!(
            Topic::from_bytes(Bytes::from_static(b"a\xffb")),
            Err(Error::InvalidUtf8 { .. })
        ));
    }

    #[test]
    fn the_word_at_a_time_scan_finds_a_bad_byte_at_every_position_and_length() {
        for len in 1..40 {
            let clean = vec![b'a'; len];
            assert!(validate_topic_name(&clean).is_ok());
            for pos in 0..len {
                for (bad, null) in [(b'+', false), (b'#', false), (0, true)] {
                    let mut t = clean.clone();
                    t[pos] = bad;
                    let err = validate_topic_name(&t).unwrap_err();
                    assert_eq!(matches!(err, Error::NullCharacter { .. }), null);
                }
                let mut t = clean.clone();
                t[pos] = 0xFF;
                assert!(matches!(
                    validate_topic_name(&t),
                    Err(Error::InvalidUtf8 { .. })
                ));
            }
        }
        // Bytes that differ from '+' or '#' by one bit, and multi-byte UTF-8.
        assert!(validate_topic_name("*,\"\x22$/é€😀/\x7f".as_bytes()).is_ok());
    }

    #[test]
    fn topic_filters_accept_wildcards_only_in_valid_positions() {
        for ok in [
            "#",
            "+",
            "a/#",
            "a/+/b",
            "+/+",
            "/+",
            "a//#",
            "sport/tennis/+/#",
        ] {
            assert!(TopicFilter::try_from(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a#", "a/#/b", "a/b#", "a+", "a/+b/c", "##", "+#"] {
            assert!(TopicFilter::try_from(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn byte_str_rejects_null_and_overlong() {
        assert!(ByteStr::try_from("x\0").is_err());
        let long = "a".repeat(MAX_FIELD_LEN + 1);
        assert!(matches!(
            ByteStr::try_from(long),
            Err(Error::FieldTooLong { .. })
        ));
        assert_eq!(ByteStr::try_from("abc").unwrap(), "abc");
    }
}
