//! Response status codes `rsc` (TS-0004 6.6.3): the full list, with names and classes.

use std::fmt;

/// A oneM2M response status code.
///
/// A newtype rather than a closed enum: a peer may send a code from a later release, and
/// a receiver must still be able to carry it. The associated constants name every code
/// TS-0004 defines; [`ResponseStatusCode::name`] looks a code up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResponseStatusCode(pub u16);

/// The class of a status code, from its first digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusCategory {
    /// 1xxx: the request was accepted and is being processed.
    Informational,
    /// 2xxx: the request succeeded.
    Success,
    /// 4xxx: the originator made an error.
    OriginatorError,
    /// 5xxx: the receiver failed.
    ReceiverError,
    /// 6xxx: a network or external object failed.
    NetworkError,
    /// Any other value.
    Unknown,
}

impl ResponseStatusCode {
    /// `1000` ACCEPTED.
    pub const ACCEPTED: Self = Self(1000);
    /// `1001` ACCEPTED_NON_BLOCKING_REQUEST_SYNCH.
    pub const ACCEPTED_NON_BLOCKING_REQUEST_SYNCH: Self = Self(1001);
    /// `1002` ACCEPTED_NON_BLOCKING_REQUEST_ASYNCH.
    pub const ACCEPTED_NON_BLOCKING_REQUEST_ASYNCH: Self = Self(1002);
    /// `2000` OK.
    pub const OK: Self = Self(2000);
    /// `2001` CREATED.
    pub const CREATED: Self = Self(2001);
    /// `2002` DELETED.
    pub const DELETED: Self = Self(2002);
    /// `2004` UPDATED.
    pub const UPDATED: Self = Self(2004);
    /// `4000` BAD_REQUEST.
    pub const BAD_REQUEST: Self = Self(4000);
    /// `4001` RELEASE_VERSION_NOT_SUPPORTED.
    pub const RELEASE_VERSION_NOT_SUPPORTED: Self = Self(4001);
    /// `4004` NOT_FOUND.
    pub const NOT_FOUND: Self = Self(4004);
    /// `4005` OPERATION_NOT_ALLOWED.
    pub const OPERATION_NOT_ALLOWED: Self = Self(4005);
    /// `4008` REQUEST_TIMEOUT.
    pub const REQUEST_TIMEOUT: Self = Self(4008);
    /// `4015` UNSUPPORTED_MEDIA_TYPE.
    pub const UNSUPPORTED_MEDIA_TYPE: Self = Self(4015);
    /// `4101` SUBSCRIPTION_CREATOR_HAS_NO_PRIVILEGE.
    pub const SUBSCRIPTION_CREATOR_HAS_NO_PRIVILEGE: Self = Self(4101);
    /// `4102` CONTENTS_UNACCEPTABLE.
    pub const CONTENTS_UNACCEPTABLE: Self = Self(4102);
    /// `4103` ORIGINATOR_HAS_NO_PRIVILEGE.
    pub const ORIGINATOR_HAS_NO_PRIVILEGE: Self = Self(4103);
    /// `4104` GROUP_REQUEST_IDENTIFIER_EXISTS.
    pub const GROUP_REQUEST_IDENTIFIER_EXISTS: Self = Self(4104);
    /// `4105` CONFLICT.
    pub const CONFLICT: Self = Self(4105);
    /// `4106` ORIGINATOR_NOT_AUTHENTICATED.
    pub const ORIGINATOR_NOT_AUTHENTICATED: Self = Self(4106);
    /// `4107` SECURITY_ASSOCIATION_REQUIRED.
    pub const SECURITY_ASSOCIATION_REQUIRED: Self = Self(4107);
    /// `4108` INVALID_CHILD_RESOURCE_TYPE.
    pub const INVALID_CHILD_RESOURCE_TYPE: Self = Self(4108);
    /// `4109` NO_MEMBERS.
    pub const NO_MEMBERS: Self = Self(4109);
    /// `4110` GROUP_MEMBER_TYPE_INCONSISTENT.
    pub const GROUP_MEMBER_TYPE_INCONSISTENT: Self = Self(4110);
    /// `4111` ESPRIM_UNSUPPORTED_OPTION.
    pub const ESPRIM_UNSUPPORTED_OPTION: Self = Self(4111);
    /// `4112` ESPRIM_UNKNOWN_KEY_ID.
    pub const ESPRIM_UNKNOWN_KEY_ID: Self = Self(4112);
    /// `4113` ESPRIM_UNKNOWN_ORIG_RAND_ID.
    pub const ESPRIM_UNKNOWN_ORIG_RAND_ID: Self = Self(4113);
    /// `4114` ESPRIM_UNKNOWN_RECV_RAND_ID.
    pub const ESPRIM_UNKNOWN_RECV_RAND_ID: Self = Self(4114);
    /// `4115` ESPRIM_BAD_MAC.
    pub const ESPRIM_BAD_MAC: Self = Self(4115);
    /// `4116` ESPRIM_IMPERSONATION_ERROR.
    pub const ESPRIM_IMPERSONATION_ERROR: Self = Self(4116);
    /// `4117` ORIGINATOR_HAS_ALREADY_REGISTERED.
    pub const ORIGINATOR_HAS_ALREADY_REGISTERED: Self = Self(4117);
    /// `4118` ONTOLOGY_NOT_AVAILABLE.
    pub const ONTOLOGY_NOT_AVAILABLE: Self = Self(4118);
    /// `4119` LINKED_SEMANTICS_NOT_AVAILABLE.
    pub const LINKED_SEMANTICS_NOT_AVAILABLE: Self = Self(4119);
    /// `4120` INVALID_SEMANTICS.
    pub const INVALID_SEMANTICS: Self = Self(4120);
    /// `4121` MASHUP_MEMBER_NOT_FOUND.
    pub const MASHUP_MEMBER_NOT_FOUND: Self = Self(4121);
    /// `4122` INVALID_TRIGGER_PURPOSE.
    pub const INVALID_TRIGGER_PURPOSE: Self = Self(4122);
    /// `4123` ILLEGAL_TRANSACTION_STATE_TRANSITION_ATTEMPTED.
    pub const ILLEGAL_TRANSACTION_STATE_TRANSITION_ATTEMPTED: Self = Self(4123);
    /// `4124` BLOCKING_SUBSCRIPTION_ALREADY_EXISTS.
    pub const BLOCKING_SUBSCRIPTION_ALREADY_EXISTS: Self = Self(4124);
    /// `4125` SPECIALIZATION_SCHEMA_NOT_FOUND.
    pub const SPECIALIZATION_SCHEMA_NOT_FOUND: Self = Self(4125);
    /// `4126` APP_RULE_VALIDATION_FAILED.
    pub const APP_RULE_VALIDATION_FAILED: Self = Self(4126);
    /// `4127` OPERATION_DENIED_BY_REMOTE_ENTITY.
    pub const OPERATION_DENIED_BY_REMOTE_ENTITY: Self = Self(4127);
    /// `4128` SERVICE_SUBSCRIPTION_NOT_ESTABLISHED.
    pub const SERVICE_SUBSCRIPTION_NOT_ESTABLISHED: Self = Self(4128);
    /// `4142` INVALID_PROCESS_CONFIGURATION.
    pub const INVALID_PROCESS_CONFIGURATION: Self = Self(4142);
    /// `4143` INVALID_SPARQL_QUERY.
    pub const INVALID_SPARQL_QUERY: Self = Self(4143);
    /// `5000` INTERNAL_SERVER_ERROR.
    pub const INTERNAL_SERVER_ERROR: Self = Self(5000);
    /// `5001` NOT_IMPLEMENTED.
    pub const NOT_IMPLEMENTED: Self = Self(5001);
    /// `5103` TARGET_NOT_REACHABLE.
    pub const TARGET_NOT_REACHABLE: Self = Self(5103);
    /// `5105` RECEIVER_HAS_NO_PRIVILEGE.
    pub const RECEIVER_HAS_NO_PRIVILEGE: Self = Self(5105);
    /// `5106` ALREADY_EXISTS.
    pub const ALREADY_EXISTS: Self = Self(5106);
    /// `5107` REMOTE_ENTITY_NOT_REACHABLE.
    pub const REMOTE_ENTITY_NOT_REACHABLE: Self = Self(5107);
    /// `5203` TARGET_NOT_SUBSCRIBABLE.
    pub const TARGET_NOT_SUBSCRIBABLE: Self = Self(5203);
    /// `5204` SUBSCRIPTION_VERIFICATION_INITIATION_FAILED.
    pub const SUBSCRIPTION_VERIFICATION_INITIATION_FAILED: Self = Self(5204);
    /// `5205` SUBSCRIPTION_HOST_HAS_NO_PRIVILEGE.
    pub const SUBSCRIPTION_HOST_HAS_NO_PRIVILEGE: Self = Self(5205);
    /// `5206` NON_BLOCKING_SYNCH_REQUEST_NOT_SUPPORTED.
    pub const NON_BLOCKING_SYNCH_REQUEST_NOT_SUPPORTED: Self = Self(5206);
    /// `5207` NOT_ACCEPTABLE.
    pub const NOT_ACCEPTABLE: Self = Self(5207);
    /// `5208` DISCOVERY_DENIED_BY_IPE.
    pub const DISCOVERY_DENIED_BY_IPE: Self = Self(5208);
    /// `5209` GROUP_MEMBERS_NOT_RESPONDED.
    pub const GROUP_MEMBERS_NOT_RESPONDED: Self = Self(5209);
    /// `5210` ESPRIM_DECRYPTION_ERROR.
    pub const ESPRIM_DECRYPTION_ERROR: Self = Self(5210);
    /// `5211` ESPRIM_ENCRYPTION_ERROR.
    pub const ESPRIM_ENCRYPTION_ERROR: Self = Self(5211);
    /// `5212` SPARQL_UPDATE_ERROR.
    pub const SPARQL_UPDATE_ERROR: Self = Self(5212);
    /// `5214` TARGET_HAS_NO_SESSION_CAPABILITY.
    pub const TARGET_HAS_NO_SESSION_CAPABILITY: Self = Self(5214);
    /// `5215` SESSION_IS_ONLINE.
    pub const SESSION_IS_ONLINE: Self = Self(5215);
    /// `5216` JOIN_MULTICAST_GROUP_FAILED.
    pub const JOIN_MULTICAST_GROUP_FAILED: Self = Self(5216);
    /// `5217` LEAVE_MULTICAST_GROUP_FAILED.
    pub const LEAVE_MULTICAST_GROUP_FAILED: Self = Self(5217);
    /// `5218` TRIGGERING_DISABLED_FOR_RECIPIENT.
    pub const TRIGGERING_DISABLED_FOR_RECIPIENT: Self = Self(5218);
    /// `5219` UNABLE_TO_REPLACE_REQUEST.
    pub const UNABLE_TO_REPLACE_REQUEST: Self = Self(5219);
    /// `5220` UNABLE_TO_RECALL_REQUEST.
    pub const UNABLE_TO_RECALL_REQUEST: Self = Self(5220);
    /// `5221` CROSS_RESOURCE_OPERATION_FAILURE.
    pub const CROSS_RESOURCE_OPERATION_FAILURE: Self = Self(5221);
    /// `5222` TRANSACTION_PROCESSING_IS_INCOMPLETE.
    pub const TRANSACTION_PROCESSING_IS_INCOMPLETE: Self = Self(5222);
    /// `6003` EXTERNAL_OBJECT_NOT_REACHABLE.
    pub const EXTERNAL_OBJECT_NOT_REACHABLE: Self = Self(6003);
    /// `6005` EXTERNAL_OBJECT_NOT_FOUND.
    pub const EXTERNAL_OBJECT_NOT_FOUND: Self = Self(6005);
    /// `6010` MAX_NUMBER_OF_MEMBER_EXCEEDED.
    pub const MAX_NUMBER_OF_MEMBER_EXCEEDED: Self = Self(6010);
    /// `6020` MGMT_SESSION_CANNOT_BE_ESTABLISHED.
    pub const MGMT_SESSION_CANNOT_BE_ESTABLISHED: Self = Self(6020);
    /// `6021` MGMT_SESSION_ESTABLISHMENT_TIMEOUT.
    pub const MGMT_SESSION_ESTABLISHMENT_TIMEOUT: Self = Self(6021);
    /// `6022` INVALID_CMDTYPE.
    pub const INVALID_CMDTYPE: Self = Self(6022);
    /// `6023` INVALID_ARGUMENTS.
    pub const INVALID_ARGUMENTS: Self = Self(6023);
    /// `6024` INSUFFICIENT_ARGUMENTS.
    pub const INSUFFICIENT_ARGUMENTS: Self = Self(6024);
    /// `6025` MGMT_CONVERSION_ERROR.
    pub const MGMT_CONVERSION_ERROR: Self = Self(6025);
    /// `6026` MGMT_CANCELLATION_FAILED.
    pub const MGMT_CANCELLATION_FAILED: Self = Self(6026);
    /// `6028` ALREADY_COMPLETE.
    pub const ALREADY_COMPLETE: Self = Self(6028);
    /// `6029` MGMT_COMMAND_NOT_CANCELLABLE.
    pub const MGMT_COMMAND_NOT_CANCELLABLE: Self = Self(6029);
    /// `6030` EXTERNAL_OBJECT_NOT_REACHABLE_BEFORE_RQET_TIMEOUT.
    pub const EXTERNAL_OBJECT_NOT_REACHABLE_BEFORE_RQET_TIMEOUT: Self = Self(6030);
    /// `6031` EXTERNAL_OBJECT_NOT_REACHABLE_BEFORE_OET_TIMEOUT.
    pub const EXTERNAL_OBJECT_NOT_REACHABLE_BEFORE_OET_TIMEOUT: Self = Self(6031);

    /// Every code TS-0004 defines, with its name, in code order.
    pub const ALL: &'static [(ResponseStatusCode, &'static str)] = &[
        (Self::ACCEPTED, "ACCEPTED"),
        (
            Self::ACCEPTED_NON_BLOCKING_REQUEST_SYNCH,
            "ACCEPTED_NON_BLOCKING_REQUEST_SYNCH",
        ),
        (
            Self::ACCEPTED_NON_BLOCKING_REQUEST_ASYNCH,
            "ACCEPTED_NON_BLOCKING_REQUEST_ASYNCH",
        ),
        (Self::OK, "OK"),
        (Self::CREATED, "CREATED"),
        (Self::DELETED, "DELETED"),
        (Self::UPDATED, "UPDATED"),
        (Self::BAD_REQUEST, "BAD_REQUEST"),
        (
            Self::RELEASE_VERSION_NOT_SUPPORTED,
            "RELEASE_VERSION_NOT_SUPPORTED",
        ),
        (Self::NOT_FOUND, "NOT_FOUND"),
        (Self::OPERATION_NOT_ALLOWED, "OPERATION_NOT_ALLOWED"),
        (Self::REQUEST_TIMEOUT, "REQUEST_TIMEOUT"),
        (Self::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE"),
        (
            Self::SUBSCRIPTION_CREATOR_HAS_NO_PRIVILEGE,
            "SUBSCRIPTION_CREATOR_HAS_NO_PRIVILEGE",
        ),
        (Self::CONTENTS_UNACCEPTABLE, "CONTENTS_UNACCEPTABLE"),
        (
            Self::ORIGINATOR_HAS_NO_PRIVILEGE,
            "ORIGINATOR_HAS_NO_PRIVILEGE",
        ),
        (
            Self::GROUP_REQUEST_IDENTIFIER_EXISTS,
            "GROUP_REQUEST_IDENTIFIER_EXISTS",
        ),
        (Self::CONFLICT, "CONFLICT"),
        (
            Self::ORIGINATOR_NOT_AUTHENTICATED,
            "ORIGINATOR_NOT_AUTHENTICATED",
        ),
        (
            Self::SECURITY_ASSOCIATION_REQUIRED,
            "SECURITY_ASSOCIATION_REQUIRED",
        ),
        (
            Self::INVALID_CHILD_RESOURCE_TYPE,
            "INVALID_CHILD_RESOURCE_TYPE",
        ),
        (Self::NO_MEMBERS, "NO_MEMBERS"),
        (
            Self::GROUP_MEMBER_TYPE_INCONSISTENT,
            "GROUP_MEMBER_TYPE_INCONSISTENT",
        ),
        (Self::ESPRIM_UNSUPPORTED_OPTION, "ESPRIM_UNSUPPORTED_OPTION"),
        (Self::ESPRIM_UNKNOWN_KEY_ID, "ESPRIM_UNKNOWN_KEY_ID"),
        (
            Self::ESPRIM_UNKNOWN_ORIG_RAND_ID,
            "ESPRIM_UNKNOWN_ORIG_RAND_ID",
        ),
        (
            Self::ESPRIM_UNKNOWN_RECV_RAND_ID,
            "ESPRIM_UNKNOWN_RECV_RAND_ID",
        ),
        (Self::ESPRIM_BAD_MAC, "ESPRIM_BAD_MAC"),
        (
            Self::ESPRIM_IMPERSONATION_ERROR,
            "ESPRIM_IMPERSONATION_ERROR",
        ),
        (
            Self::ORIGINATOR_HAS_ALREADY_REGISTERED,
            "ORIGINATOR_HAS_ALREADY_REGISTERED",
        ),
        (Self::ONTOLOGY_NOT_AVAILABLE, "ONTOLOGY_NOT_AVAILABLE"),
        (
            Self::LINKED_SEMANTICS_NOT_AVAILABLE,
            "LINKED_SEMANTICS_NOT_AVAILABLE",
        ),
        (Self::INVALID_SEMANTICS, "INVALID_SEMANTICS"),
        (Self::MASHUP_MEMBER_NOT_FOUND, "MASHUP_MEMBER_NOT_FOUND"),
        (Self::INVALID_TRIGGER_PURPOSE, "INVALID_TRIGGER_PURPOSE"),
        (
            Self::ILLEGAL_TRANSACTION_STATE_TRANSITION_ATTEMPTED,
            "ILLEGAL_TRANSACTION_STATE_TRANSITION_ATTEMPTED",
        ),
        (
            Self::BLOCKING_SUBSCRIPTION_ALREADY_EXISTS,
            "BLOCKING_SUBSCRIPTION_ALREADY_EXISTS",
        ),
        (
            Self::SPECIALIZATION_SCHEMA_NOT_FOUND,
            "SPECIALIZATION_SCHEMA_NOT_FOUND",
        ),
        (
            Self::APP_RULE_VALIDATION_FAILED,
            "APP_RULE_VALIDATION_FAILED",
        ),
        (
            Self::OPERATION_DENIED_BY_REMOTE_ENTITY,
            "OPERATION_DENIED_BY_REMOTE_ENTITY",
        ),
        (
            Self::SERVICE_SUBSCRIPTION_NOT_ESTABLISHED,
            "SERVICE_SUBSCRIPTION_NOT_ESTABLISHED",
        ),
        (
            Self::INVALID_PROCESS_CONFIGURATION,
            "INVALID_PROCESS_CONFIGURATION",
        ),
        (Self::INVALID_SPARQL_QUERY, "INVALID_SPARQL_QUERY"),
        (Self::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERROR"),
        (Self::NOT_IMPLEMENTED, "NOT_IMPLEMENTED"),
        (Self::TARGET_NOT_REACHABLE, "TARGET_NOT_REACHABLE"),
        (Self::RECEIVER_HAS_NO_PRIVILEGE, "RECEIVER_HAS_NO_PRIVILEGE"),
        (Self::ALREADY_EXISTS, "ALREADY_EXISTS"),
        (
            Self::REMOTE_ENTITY_NOT_REACHABLE,
            "REMOTE_ENTITY_NOT_REACHABLE",
        ),
        (Self::TARGET_NOT_SUBSCRIBABLE, "TARGET_NOT_SUBSCRIBABLE"),
        (
            Self::SUBSCRIPTION_VERIFICATION_INITIATION_FAILED,
            "SUBSCRIPTION_VERIFICATION_INITIATION_FAILED",
        ),
        (
            Self::SUBSCRIPTION_HOST_HAS_NO_PRIVILEGE,
            "SUBSCRIPTION_HOST_HAS_NO_PRIVILEGE",
        ),
        (
            Self::NON_BLOCKING_SYNCH_REQUEST_NOT_SUPPORTED,
            "NON_BLOCKING_SYNCH_REQUEST_NOT_SUPPORTED",
        ),
        (Self::NOT_ACCEPTABLE, "NOT_ACCEPTABLE"),
        (Self::DISCOVERY_DENIED_BY_IPE, "DISCOVERY_DENIED_BY_IPE"),
        (
            Self::GROUP_MEMBERS_NOT_RESPONDED,
            "GROUP_MEMBERS_NOT_RESPONDED",
        ),
        (Self::ESPRIM_DECRYPTION_ERROR, "ESPRIM_DECRYPTION_ERROR"),
        (Self::ESPRIM_ENCRYPTION_ERROR, "ESPRIM_ENCRYPTION_ERROR"),
        (Self::SPARQL_UPDATE_ERROR, "SPARQL_UPDATE_ERROR"),
        (
            Self::TARGET_HAS_NO_SESSION_CAPABILITY,
            "TARGET_HAS_NO_SESSION_CAPABILITY",
        ),
        (Self::SESSION_IS_ONLINE, "SESSION_IS_ONLINE"),
        (
            Self::JOIN_MULTICAST_GROUP_FAILED,
            "JOIN_MULTICAST_GROUP_FAILED",
        ),
        (
            Self::LEAVE_MULTICAST_GROUP_FAILED,
            "LEAVE_MULTICAST_GROUP_FAILED",
        ),
        (
            Self::TRIGGERING_DISABLED_FOR_RECIPIENT,
            "TRIGGERING_DISABLED_FOR_RECIPIENT",
        ),
        (Self::UNABLE_TO_REPLACE_REQUEST, "UNABLE_TO_REPLACE_REQUEST"),
        (Self::UNABLE_TO_RECALL_REQUEST, "UNABLE_TO_RECALL_REQUEST"),
        (
            Self::CROSS_RESOURCE_OPERATION_FAILURE,
            "CROSS_RESOURCE_OPERATION_FAILURE",
        ),
        (
            Self::TRANSACTION_PROCESSING_IS_INCOMPLETE,
            "TRANSACTION_PROCESSING_IS_INCOMPLETE",
        ),
        (
            Self::EXTERNAL_OBJECT_NOT_REACHABLE,
            "EXTERNAL_OBJECT_NOT_REACHABLE",
        ),
        (Self::EXTERNAL_OBJECT_NOT_FOUND, "EXTERNAL_OBJECT_NOT_FOUND"),
        (
            Self::MAX_NUMBER_OF_MEMBER_EXCEEDED,
            "MAX_NUMBER_OF_MEMBER_EXCEEDED",
        ),
        (
            Self::MGMT_SESSION_CANNOT_BE_ESTABLISHED,
            "MGMT_SESSION_CANNOT_BE_ESTABLISHED",
        ),
        (
            Self::MGMT_SESSION_ESTABLISHMENT_TIMEOUT,
            "MGMT_SESSION_ESTABLISHMENT_TIMEOUT",
        ),
        (Self::INVALID_CMDTYPE, "INVALID_CMDTYPE"),
        (Self::INVALID_ARGUMENTS, "INVALID_ARGUMENTS"),
        (Self::INSUFFICIENT_ARGUMENTS, "INSUFFICIENT_ARGUMENTS"),
        (Self::MGMT_CONVERSION_ERROR, "MGMT_CONVERSION_ERROR"),
        (Self::MGMT_CANCELLATION_FAILED, "MGMT_CANCELLATION_FAILED"),
        (Self::ALREADY_COMPLETE, "ALREADY_COMPLETE"),
        (
            Self::MGMT_COMMAND_NOT_CANCELLABLE,
            "MGMT_COMMAND_NOT_CANCELLABLE",
        ),
        (
            Self::EXTERNAL_OBJECT_NOT_REACHABLE_BEFORE_RQET_TIMEOUT,
            "EXTERNAL_OBJECT_NOT_REACHABLE_BEFORE_RQET_TIMEOUT",
        ),
        (
            Self::EXTERNAL_OBJECT_NOT_REACHABLE_BEFORE_OET_TIMEOUT,
            "EXTERNAL_OBJECT_NOT_REACHABLE_BEFORE_OET_TIMEOUT",
        ),
    ];

    /// The numeric code.
    pub const fn code(self) -> u16 {
        self.0
    }

    /// The TS-0004 name of this code, or `None` for a code TS-0004 does not define.
    pub fn name(self) -> Option<&'static str> {
        Self::ALL
            .binary_search_by_key(&self, |(c, _)| *c)
            .ok()
            .map(|i| Self::ALL[i].1)
    }

    /// The class of this code.
    pub const fn category(self) -> StatusCategory {
        match self.0 / 1000 {
            1 => StatusCategory::Informational,
            2 => StatusCategory::Success,
            4 => StatusCategory::OriginatorError,
            5 => StatusCategory::ReceiverError,
            6 => StatusCategory::NetworkError,
            _ => StatusCategory::Unknown,
        }
    }

    /// Whether the code reports success (1xxx or 2xxx).
    pub const fn is_success(self) -> bool {
        matches!(
            self.category(),
            StatusCategory::Informational | StatusCategory::Success
        )
    }

    /// Whether the code reports an error (4xxx, 5xxx or 6xxx).
    pub const fn is_error(self) -> bool {
        !self.is_success()
    }
}

impl fmt::Display for ResponseStatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} {}", self.0, name),
            None => write!(f, "{} (unknown status code)", self.0),
        }
    }
}

impl From<u16> for ResponseStatusCode {
    fn from(code: u16) -> Self {
        Self(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_so_lookup_works() {
        assert!(ResponseStatusCode::ALL.windows(2).all(|w| w[0].0 < w[1].0));
        for (code, name) in ResponseStatusCode::ALL {
            assert_eq!(code.name(), Some(*name));
        }
    }

    #[test]
    fn categories_follow_first_digit() {
        assert_eq!(
            ResponseStatusCode::CREATED.category(),
            StatusCategory::Success
        );
        assert_eq!(
            ResponseStatusCode::REQUEST_TIMEOUT.category(),
            StatusCategory::OriginatorError
        );
        assert_eq!(
            ResponseStatusCode::TARGET_NOT_REACHABLE.category(),
            StatusCategory::ReceiverError
        );
        assert!(ResponseStatusCode::ACCEPTED.is_success());
        assert!(ResponseStatusCode(6003).is_error());
        assert_eq!(ResponseStatusCode(4999).name(), None);
        assert_eq!(ResponseStatusCode(4008).to_string(), "4008 REQUEST_TIMEOUT");
    }
}
