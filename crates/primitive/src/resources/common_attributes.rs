//! The attributes every resource type shares (TS-0001 9.6.1.3, universal and common
//! attributes), in the order of the XSD's `m2m:resource` and `m2m:regularResource`.

use crate::error::Error;
use crate::resource_type::ResourceType;
use crate::time::Timestamp;

use super::attribute_reader::AttributeReader;
use super::attribute_writer::AttributeWriter;

/// The XSD order of the shared attributes. `rn` is an XML attribute of the resource
/// element, so it comes first; `daci`, `at`, `aa` and `ast` are not typed here but keep
/// their place when a resource carries them.
pub(crate) const ORDER: &[&str] = &[
    "rn", "ty", "ri", "pi", "ct", "lt", "lbl", "acpi", "et", "daci", "at", "aa", "ast",
];

/// The universal and common attributes, flattened into each resource's member map.
///
/// Every field is optional: an originator sends only what it sets (often just `rn`),
/// the hosting CSE fills in the rest.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommonAttributes {
    /// `rn` resourceName.
    pub rn: Option<String>,
    /// `ty` resourceType (read-only; a CSE sends it in responses).
    pub ty: Option<ResourceType>,
    /// `ri` resourceID.
    pub ri: Option<String>,
    /// `pi` parentID (the empty string for a CSEBase).
    pub pi: Option<String>,
    /// `ct` creationTime.
    pub ct: Option<Timestamp>,
    /// `lt` lastModifiedTime.
    pub lt: Option<Timestamp>,
    /// `et` expirationTime.
    pub et: Option<Timestamp>,
    /// `lbl` labels.
    pub lbl: Option<Vec<String>>,
    /// `acpi` accessControlPolicyIDs.
    pub acpi: Option<Vec<String>>,
}

impl CommonAttributes {
    /// Common attributes with just a resource name, the usual content of a create.
    pub fn named(rn: impl Into<String>) -> Self {
        Self {
            rn: Some(rn.into()),
            ..Self::default()
        }
    }

    /// Takes the shared attributes out of `r`; `expected` is the type the structure
    /// stands for, which a `ty` member must match.
    pub(crate) fn read(
        r: &mut AttributeReader,
        expected: Option<ResourceType>,
    ) -> Result<Self, Error> {
        let ty = match r.int("ty")? {
            None => None,
            Some(code) => {
                let ty = u32::try_from(code)
                    .ok()
                    .filter(|c| *c > 0)
                    .map(ResourceType)
                    .ok_or_else(|| r.error("ty", format!("{code} is not a resource type")))?;
                if let Some(expected) = expected
                    && expected != ty
                {
                    return Err(r.error("ty", format!("{ty} in content of type {expected}")));
                }
                Some(ty)
            }
        };
        Ok(Self {
            rn: r.string("rn")?,
            ty,
            ri: r.string("ri")?,
            pi: r.string("pi")?,
            ct: r.timestamp("ct")?,
            lt: r.timestamp("lt")?,
            et: r.timestamp("et")?,
            lbl: r.strings("lbl")?,
            acpi: r.strings("acpi")?,
        })
    }

    /// Writes the shared attributes that are set.
    pub(crate) fn write(&self, w: &mut AttributeWriter) {
        w.put("rn", self.rn.clone());
        w.put("ty", self.ty.map(|t| i64::from(t.code())));
        w.put("ri", self.ri.clone());
        w.put("pi", self.pi.clone());
        w.put("ct", self.ct.map(|t| t.to_string()));
        w.put("lt", self.lt.map(|t| t.to_string()));
        w.put("et", self.et.map(|t| t.to_string()));
        w.put("lbl", self.lbl.clone());
        w.put("acpi", self.acpi.clone());
    }
}
