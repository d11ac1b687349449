//! Why a topic could not be built or read.

use onem2m_primitive::Error as PrimitiveError;

use super::RouteKind;

/// Why a [`TopicScheme`](super::TopicScheme) could not build a topic or read a route from one.
///
/// The parse variants name the topic (cut to 128 characters by [`TopicError::excerpt`],
/// since a topic comes from the network and may be 64 KiB long) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TopicError {
    /// The topic does not start with the scheme's prefix.
    #[error("topic {topic:?} does not start with the prefix {prefix:?}")]
    MissingPrefix {
        /// The topic received.
        topic: String,
        /// The prefix the scheme expects (empty for none).
        prefix: String,
    },
    /// A level that must be a fixed word (`oneM2M`, `req`, ...) is something else.
    #[error("topic {topic:?}: expected {expected} but found {found:?}")]
    WrongLiteral {
        /// The topic received.
        topic: String,
        /// What the level must be.
        expected: &'static str,
        /// What it is.
        found: String,
    },
    /// The level naming the kind of message is no kind the scheme knows.
    #[error("topic {topic:?}: unknown message kind {found:?}")]
    UnknownKind {
        /// The topic received.
        topic: String,
        /// The level found where the kind belongs.
        found: String,
    },
    /// The topic has too many or too few levels.
    #[error("topic {topic:?} has {found} levels after the prefix; expected {expected}")]
    LevelCount {
        /// The topic received.
        topic: String,
        /// How many levels the scheme expects.
        expected: &'static str,
        /// How many it has.
        found: usize,
    },
    /// A level is empty (`//` in the topic).
    #[error("topic {topic:?}: the {level} level is empty")]
    EmptyLevel {
        /// The topic received.
        topic: String,
        /// Which level (`originator`, `receiver`, `type`, ...).
        level: &'static str,
    },
    /// A level does not read back as what it should carry (an ID, a Credential-ID, ...).
    #[error("topic {topic:?}: the {level} level is unreadable: {source}")]
    InvalidLevel {
        /// The topic received.
        topic: String,
        /// Which level.
        level: &'static str,
        /// Why it does not read back.
        source: PrimitiveError,
    },
    /// A value cannot be put into a topic (an ID that is not one, a serialization name
    /// with `/` or a wildcard, ...).
    #[error("cannot put the {what} into a topic: {source}")]
    Unmappable {
        /// What was to be put in (`originator`, `receiver`, `to`, `serialization`, ...).
        what: &'static str,
        /// Why not.
        source: PrimitiveError,
    },
    /// A topic needs a piece of information that was not given.
    #[error("cannot build the topic: the {what} needs {needed}")]
    MissingContext {
        /// What could not be written.
        what: &'static str,
        /// What would have made it possible.
        needed: &'static str,
    },
    /// A response topic was asked for a route that is itself a response.
    #[error("a {kind:?} is not answered: only requests get a response topic")]
    NotARequest {
        /// The kind of the route given.
        kind: RouteKind,
    },
    /// A topic prefix that cannot stand before the scheme's levels.
    #[error("invalid topic prefix {prefix:?}: {reason}")]
    InvalidPrefix {
        /// The prefix given.
        prefix: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A shared-subscription group name that is not a single topic level.
    #[error(
        "invalid shared-subscription group {group:?}: it must be one non-empty topic level without wildcards"
    )]
    InvalidShareGroup {
        /// The group given.
        group: String,
    },
    /// A filter that carries both requests to the entity and responses to its own
    /// requests, so that sharing it would hand a member another member's responses.
    #[error(
        "the {scheme} scheme carries requests and responses on the one filter {filter:?}, which cannot be shared"
    )]
    Unshareable {
        /// The filter.
        filter: String,
        /// The scheme's name.
        scheme: &'static str,
    },
}

impl TopicError {
    /// Cuts a topic for an error message, so that a 64 KiB topic does not become a 64 KiB
    /// log line. Implementations of [`TopicScheme`](super::TopicScheme) use it too.
    pub fn excerpt(topic: &str) -> String {
        onem2m_primitive::error::excerpt(topic, 128)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_topics_are_cut_in_messages() {
        let topic = "a/".repeat(1000);
        let err = TopicError::EmptyLevel {
            topic: TopicError::excerpt(&topic),
            level: "type",
        };
        assert!(err.to_string().len() < 200, "{err}");
        assert_eq!(TopicError::excerpt("/oneM2M/req"), "/oneM2M/req");
        // Cutting respects character boundaries.
        assert!(TopicError::excerpt(&"é".repeat(300)).ends_with('…'));
    }
}
