//! A resource as the tree keeps it: one of the typed resources of `onem2m-primitive`.

use onem2m_primitive::resources::{
    Ae, CommonAttributes, Container, ContentInstance, CseBase, Resource, Subscription,
};
use onem2m_primitive::{Map, ResourceType, Value};

/// The resource types the demo CSE hosts.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredResource {
    /// The root, `m2m:cb`.
    CseBase(CseBase),
    /// A registered AE, `m2m:ae`.
    Ae(Ae),
    /// `m2m:cnt`.
    Container(Container),
    /// `m2m:cin`.
    ContentInstance(ContentInstance),
    /// `m2m:sub`.
    Subscription(Subscription),
}

/// Attributes the hosting CSE sets and an update may not touch.
const READ_ONLY: &[&str] = &[
    "rn", "ty", "ri", "pi", "ct", "lt", "aei", "cni", "cbs", "st", "cs", "csi", "cst", "srt", "cr",
];

impl StoredResource {
    /// Reads create or update content `pc` as a resource of type `ty`.
    pub(crate) fn from_content(ty: ResourceType, pc: &Value) -> Result<Self, String> {
        let read = || -> Result<Self, onem2m_primitive::Error> {
            Ok(match ty {
                ResourceType::AE => Self::Ae(Ae::from_content(pc)?),
                ResourceType::CONTAINER => Self::Container(Container::from_content(pc)?),
                ResourceType::CONTENT_INSTANCE => {
                    Self::ContentInstance(ContentInstance::from_content(pc)?)
                }
                ResourceType::SUBSCRIPTION => Self::Subscription(Subscription::from_content(pc)?),
                ResourceType::CSE_BASE => Self::CseBase(CseBase::from_content(pc)?),
                other => {
                    return Err(onem2m_primitive::Error::InvalidContent {
                        what: "pc",
                        reason: format!("the demo CSE does not host {other}"),
                    });
                }
            })
        };
        read().map_err(|e| e.to_string())
    }

    /// The resource type.
    pub fn ty(&self) -> ResourceType {
        match self {
            Self::CseBase(_) => ResourceType::CSE_BASE,
            Self::Ae(_) => ResourceType::AE,
            Self::Container(_) => ResourceType::CONTAINER,
            Self::ContentInstance(_) => ResourceType::CONTENT_INSTANCE,
            Self::Subscription(_) => ResourceType::SUBSCRIPTION,
        }
    }

    /// The universal and common attributes.
    pub fn common(&self) -> &CommonAttributes {
        match self {
            Self::CseBase(r) => &r.common,
            Self::Ae(r) => &r.common,
            Self::Container(r) => &r.common,
            Self::ContentInstance(r) => &r.common,
            Self::Subscription(r) => &r.common,
        }
    }

    pub(crate) fn common_mut(&mut self) -> &mut CommonAttributes {
        match self {
            Self::CseBase(r) => &mut r.common,
            Self::Ae(r) => &mut r.common,
            Self::Container(r) => &mut r.common,
            Self::ContentInstance(r) => &mut r.common,
            Self::Subscription(r) => &mut r.common,
        }
    }

    /// The resource as primitive content, `{"m2m:<type>": {...}}`, members in XSD order.
    pub fn to_content(&self) -> Value {
        match self {
            Self::CseBase(r) => r.to_content(),
            Self::Ae(r) => r.to_content(),
            Self::Container(r) => r.to_content(),
            Self::ContentInstance(r) => r.to_content(),
            Self::Subscription(r) => r.to_content(),
        }
    }

    fn to_map(&self) -> Map {
        match self {
            Self::CseBase(r) => r.to_map(),
            Self::Ae(r) => r.to_map(),
            Self::Container(r) => r.to_map(),
            Self::ContentInstance(r) => r.to_map(),
            Self::Subscription(r) => r.to_map(),
        }
    }

    /// The resource with the members of `changes` (the inside of update content) laid
    /// over its own; a `null` member removes the attribute. Read-only attributes are
    /// refused, and the result must still read as the same type.
    pub(crate) fn updated_with(&self, changes: &Map) -> Result<Self, String> {
        let mut members = self.to_map();
        for (name, value) in changes.iter() {
            if READ_ONLY.contains(&name) {
                return Err(format!("attribute {name} cannot be updated"));
            }
            match value {
                Value::Null => {
                    members.remove(name);
                }
                other => members.insert(name, other.clone()),
            }
        }
        let mut root = Map::with_capacity(1);
        root.push(self.short_name(), members);
        Self::from_content(self.ty(), &Value::Map(root))
    }

    fn short_name(&self) -> &'static str {
        match self {
            Self::CseBase(_) => CseBase::SHORT_NAME,
            Self::Ae(_) => Ae::SHORT_NAME,
            Self::Container(_) => Container::SHORT_NAME,
            Self::ContentInstance(_) => ContentInstance::SHORT_NAME,
            Self::Subscription(_) => Subscription::SHORT_NAME,
        }
    }
}
