//! The serializers a binding speaks, found by the name a topic announces.

use std::sync::Arc;

use onem2m_serialization::{CborSerializer, JsonSerializer, Serializer, XmlSerializer};

/// The serializers a binding reads and writes, by [`Serializer::name`], and the one its
/// originator writes requests in.
///
/// A receiver answers in the serialization a request was sent in (TS-0010 6.5.3), so it
/// needs every format a peer may use, not only the configured one: a set starts with
/// the three built-in formats (`xml`, `json`, `cbor`) and the configured default, which
/// replaces a built-in of the same name. A topic without a type level (a Release 1 peer,
/// or the draft's scheme) is read with the default.
#[derive(Clone)]
pub struct SerializerSet {
    default: Arc<dyn Serializer>,
    all: Vec<Arc<dyn Serializer>>,
}

impl SerializerSet {
    /// The built-in formats plus `default`, which the originator writes in.
    pub fn new(default: Arc<dyn Serializer>) -> Self {
        let set = Self {
            default: default.clone(),
            all: vec![
                Arc::new(XmlSerializer::new()),
                Arc::new(JsonSerializer::new()),
                Arc::new(CborSerializer::new()),
            ],
        };
        set.with(default)
    }

    /// The same set with `serializer` added (replacing one of the same name).
    pub fn with(mut self, serializer: Arc<dyn Serializer>) -> Self {
        self.all.retain(|s| s.name() != serializer.name());
        if self.default.name() == serializer.name() {
            self.default = serializer.clone();
        }
        self.all.push(serializer);
        self
    }

    /// The serializer requests are written in.
    pub fn default_serializer(&self) -> &Arc<dyn Serializer> {
        &self.default
    }

    /// The serializer for the type a topic announces; the default for `None`, and
    /// `None` for a name no serializer has.
    pub fn get(&self, name: Option<&str>) -> Option<&Arc<dyn Serializer>> {
        match name {
            None => Some(&self.default),
            Some(name) => self.all.iter().find(|s| s.name() == name),
        }
    }

    /// The names of every serializer in the set.
    pub fn names(&self) -> Vec<&'static str> {
        self.all.iter().map(|s| s.name()).collect()
    }
}

impl std::fmt::Debug for SerializerSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SerializerSet")
            .field("default", &self.default.name())
            .field("all", &self.names())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_format_is_found_by_its_topic_name() {
        let set = SerializerSet::new(Arc::new(JsonSerializer::new()));
        for name in ["xml", "json", "cbor"] {
            assert_eq!(set.get(Some(name)).map(|s| s.name()), Some(name));
        }
        assert!(set.get(Some("yaml")).is_none());
        assert!(
            set.get(Some("JSON")).is_none(),
            "topic levels are case-sensitive"
        );
    }

    #[test]
    fn a_topic_without_a_type_is_read_with_the_default() {
        let set = SerializerSet::new(Arc::new(CborSerializer::new()));
        assert_eq!(set.get(None).map(|s| s.name()), Some("cbor"));
        assert_eq!(
            set.names().len(),
            3,
            "the default replaces the built-in cbor"
        );
    }
}
