//! The request primitive (TS-0004 7.2.1.1, short names from 8.2.2).

use crate::event_category::EventCategory;
use crate::identifier_result_type::DesiredIdentifierResultType;
use crate::operation::Operation;
use crate::release_version::ReleaseVersion;
use crate::resource_type::ResourceType;
use crate::response_type::ResponseTypeInfo;
use crate::result_content::ResultContent;
use crate::time::{AbsRelTimestamp, Timestamp};
use crate::value::Value;

/// A oneM2M request: every parameter of TS-0004 Table 7.2.1.1-1, by its short name.
///
/// Only `op`, `to` and `rqi` are mandatory for every operation (`fr` may be absent only
/// on an AE create, and `rvi` is mandatory since Release 2 but absent from Release 1
/// peers); [`crate::validate`] checks the per-operation rules a receiver applies.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestPrimitive {
    /// `op`: the operation.
    pub op: Operation,
    /// `to`: the target resource (CSE-relative, SP-relative or absolute).
    pub to: String,
    /// `fr`: the originator's ID.
    pub fr: Option<String>,
    /// `rqi`: the request identifier that its response will carry.
    pub rqi: String,
    /// `ty`: the type of the resource to create.
    pub ty: Option<ResourceType>,
    /// `pc`: the primitive content, e.g. `{"m2m:ae": {...}}`.
    pub pc: Option<Value>,
    /// `rids`: role IDs.
    pub rids: Option<Vec<String>>,
    /// `ot`: originating timestamp.
    pub ot: Option<Timestamp>,
    /// `rqet`: request expiration timestamp.
    pub rqet: Option<AbsRelTimestamp>,
    /// `rset`: result expiration timestamp.
    pub rset: Option<AbsRelTimestamp>,
    /// `oet`: operation execution time.
    pub oet: Option<AbsRelTimestamp>,
    /// `rt`: response type and notification URIs.
    pub rt: Option<ResponseTypeInfo>,
    /// `rp`: result persistence.
    pub rp: Option<AbsRelTimestamp>,
    /// `rcn`: result content.
    pub rcn: Option<ResultContent>,
    /// `ec`: event category.
    pub ec: Option<EventCategory>,
    /// `da`: delivery aggregation.
    pub da: Option<bool>,
    /// `gid`: group request identifier.
    pub gid: Option<String>,
    /// `fc`: filter criteria (kept as a tree: it has more than forty optional members).
    pub fc: Option<Value>,
    /// `drt`: desired identifier result type.
    pub drt: Option<DesiredIdentifierResultType>,
    /// `tkns`: tokens.
    pub tkns: Option<Vec<String>>,
    /// `tids`: token IDs.
    pub tids: Option<Vec<String>>,
    /// `ltids`: local token IDs.
    pub ltids: Option<Vec<String>>,
    /// `tqi`: token request indicator.
    pub tqi: Option<bool>,
    /// `grtm`: group request target members.
    pub grtm: Option<Vec<String>>,
    /// `asi`: authorization signature indicator.
    pub asi: Option<bool>,
    /// `aus`: authorization signatures.
    pub aus: Option<Value>,
    /// `auri`: authorization relationship indicator.
    pub auri: Option<bool>,
    /// `sqi`: semantic query indicator.
    pub sqi: Option<bool>,
    /// `rvi`: release version indicator.
    pub rvi: Option<ReleaseVersion>,
    /// `vsi`: vendor information.
    pub vsi: Option<String>,
}

impl RequestPrimitive {
    /// A request with the mandatory parameters and `rvi` set to the default release.
    pub fn new(
        op: Operation,
        to: impl Into<String>,
        fr: impl Into<String>,
        rqi: impl Into<String>,
    ) -> Self {
        Self {
            op,
            to: to.into(),
            fr: Some(fr.into()),
            rqi: rqi.into(),
            rvi: Some(ReleaseVersion::default()),
            ..Self::default()
        }
    }

    /// A create request for a resource of type `ty` with content `pc`.
    pub fn create(
        to: impl Into<String>,
        fr: impl Into<String>,
        rqi: impl Into<String>,
        ty: ResourceType,
        pc: Value,
    ) -> Self {
        Self {
            ty: Some(ty),
            pc: Some(pc),
            ..Self::new(Operation::Create, to, fr, rqi)
        }
    }

    /// A retrieve request.
    pub fn retrieve(to: impl Into<String>, fr: impl Into<String>, rqi: impl Into<String>) -> Self {
        Self::new(Operation::Retrieve, to, fr, rqi)
    }

    /// An update request with content `pc`.
    pub fn update(
        to: impl Into<String>,
        fr: impl Into<String>,
        rqi: impl Into<String>,
        pc: Value,
    ) -> Self {
        Self {
            pc: Some(pc),
            ..Self::new(Operation::Update, to, fr, rqi)
        }
    }

    /// A delete request.
    pub fn delete(to: impl Into<String>, fr: impl Into<String>, rqi: impl Into<String>) -> Self {
        Self::new(Operation::Delete, to, fr, rqi)
    }

    /// A notify request with content `pc` (usually `{"m2m:sgn": {...}}`).
    pub fn notify(
        to: impl Into<String>,
        fr: impl Into<String>,
        rqi: impl Into<String>,
        pc: Value,
    ) -> Self {
        Self {
            pc: Some(pc),
            ..Self::new(Operation::Notify, to, fr, rqi)
        }
    }

    /// Whether the originator asked for no response at all (`rt.rtv` = 5).
    pub fn wants_no_response(&self) -> bool {
        self.rt
            .as_ref()
            .is_some_and(|rt| rt.rtv == crate::response_type::ResponseType::NoResponse)
    }
}
