//! oneM2M request and response primitives: the data that the MQTT binding carries.
//!
//! This crate is the bottom of the onem2m-mqtt stack. It knows what a oneM2M request and
//! response are (TS-0004), how identifiers and timestamps look, and which checks a
//! receiver applies before it executes a request. It does no IO and knows no wire format:
//! the `onem2m-serialization` crate turns these types into XML, JSON or CBOR bytes, and
//! the binding crates move those bytes.
//!
//! ```
//! use onem2m_primitive::{RequestPrimitive, ResourceType, Value, Map};
//!
//! let mut cnt = Map::new();
//! cnt.insert("rn", "data");
//! let mut pc = Map::new();
//! pc.insert("m2m:cnt", cnt);
//! let req = RequestPrimitive::create("cse-in/myAE", "CmyAE", "req-1", ResourceType::CONTAINER, pc.into());
//! assert_eq!(req.ty.and_then(|t| t.short_name()).as_deref(), Some("cnt"));
//! ```

mod code_enum;
pub mod content_status;
pub mod error;
pub mod event_category;
pub mod id;
pub mod identifier_result_type;
pub mod operation;
pub mod release_version;
pub mod request;
pub mod resource_type;
pub mod resources;
pub mod response;
pub mod response_type;
pub mod result_content;
pub mod short_names;
pub mod status_code;
pub mod time;
pub mod validate;
pub mod value;

pub use content_status::ContentStatus;
pub use error::Error;
pub use event_category::EventCategory;
pub use identifier_result_type::DesiredIdentifierResultType;
pub use operation::Operation;
pub use release_version::ReleaseVersion;
pub use request::RequestPrimitive;
pub use resource_type::ResourceType;
pub use response::{ResponsePrimitive, debug_info};
pub use response_type::{ResponseType, ResponseTypeInfo};
pub use result_content::ResultContent;
pub use status_code::{ResponseStatusCode, StatusCategory};
pub use time::{AbsRelTimestamp, IsoDuration, Timestamp};
pub use value::{Key, Map, Value};
pub mod topic_level;

pub use id::{AeId, CredentialId, CseId, Id, Scope};
pub use resources::Resource;
pub use validate::{Rejection, validate_request};
