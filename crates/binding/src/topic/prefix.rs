//! The topic levels a pointOfAccess path puts before `/oneM2M` (TS-0010 6.6).

use std::fmt;

use super::TopicError;

/// Levels that come before a scheme's own levels, such as `abc/def` for an entity whose
/// pointOfAccess is `mqtt://host/abc/def` (TS-0010 6.6): it then listens on
/// `abc/def/oneM2M/req/+/<id>/#`. The empty prefix (the default) adds nothing.
///
/// ```
/// use onem2m_binding::topic::TopicPrefix;
///
/// let prefix = TopicPrefix::new("/abc/def").unwrap();
/// assert_eq!(prefix.as_str(), "abc/def");
/// assert_eq!(prefix.strip("abc/def/oneM2M/req"), Some("/oneM2M/req"));
/// assert!(TopicPrefix::new("abc/+").is_err());
/// assert!(TopicPrefix::new("/").unwrap().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TopicPrefix(String);

impl TopicPrefix {
    /// Reads a prefix from a pointOfAccess path (`/abc/def`) or plain levels (`abc/def`).
    ///
    /// One leading and one trailing `/` are dropped, as a URI path always starts with
    /// one. The path must already be percent-decoded. Refused: empty levels, `+`, `#`
    /// and NUL, and a leading `$` (topics starting with `$` belong to the broker).
    pub fn new(path: &str) -> Result<Self, TopicError> {
        let invalid = |reason| TopicError::InvalidPrefix {
            prefix: TopicError::excerpt(path),
            reason,
        };
        let trimmed = path.strip_prefix('/').unwrap_or(path);
        let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
        if trimmed.is_empty() {
            return Ok(Self::default());
        }
        if trimmed.starts_with('$') {
            return Err(invalid(
                "topics starting with '$' are reserved for the broker",
            ));
        }
        for level in trimmed.split('/') {
            if level.is_empty() {
                return Err(invalid("a level is empty ('//')"));
            }
            if level.contains(['+', '#', '\0']) {
                return Err(invalid("'+', '#' and NUL cannot appear in a topic"));
            }
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The levels, `/`-separated, without a leading or trailing `/` (empty for none).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the empty prefix.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What follows the prefix in `topic`, starting with the `/` that ends the prefix;
    /// `None` if `topic` does not start with the prefix's levels. With the empty prefix
    /// this is the whole topic.
    pub fn strip<'t>(&self, topic: &'t str) -> Option<&'t str> {
        topic
            .strip_prefix(self.0.as_str())
            .filter(|rest| self.is_empty() || rest.starts_with('/'))
    }
}

impl fmt::Display for TopicPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn poa_paths_and_plain_levels_give_the_same_prefix() {
        for path in ["/abc/def", "abc/def", "/abc/def/", "abc/def/"] {
            assert_eq!(
                TopicPrefix::new(path).unwrap().as_str(),
                "abc/def",
                "{path}"
            );
        }
        for empty in ["", "/", "//"] {
            assert!(TopicPrefix::new(empty).unwrap().is_empty(), "{empty:?}");
        }
    }

    #[test]
    fn prefixes_that_would_break_a_topic_are_refused() {
        for bad in [
            "a//b",
            "///a",
            "a/+",
            "#",
            "a/b#",
            "a\0",
            "$SYS",
            "/$share/g",
        ] {
            let err = TopicPrefix::new(bad).unwrap_err();
            assert!(
                matches!(err, TopicError::InvalidPrefix { .. }),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn strip_needs_whole_levels() {
        let prefix = TopicPrefix::new("abc").unwrap();
        assert_eq!(prefix.strip("abc/oneM2M"), Some("/oneM2M"));
        assert_eq!(prefix.strip("abcd/oneM2M"), None);
        assert_eq!(prefix.strip("/oneM2M"), None);
        assert_eq!(TopicPrefix::default().strip("/oneM2M"), Some("/oneM2M"));
    }
}
