//! The HTTP status of a response from its `rsc` (TS-0009 6.3.2, Table 6.3.2-1), and an
//! `rsc` from an HTTP status when a response has no `X-M2M-RSC`.
//!
//! The table's text was not available in the copy of TS-0009 V3.9.1 this was written
//! from; the rows follow the published table as far as known and were compared with
//! ACME (`etc/ResponseStatusCodes.py`). Where the two differ, the choice is noted on the
//! row and in `docs/http-binding.md`. A code not in the table takes its class's status.

use http::StatusCode;
use onem2m_primitive::{ResponseStatusCode as Rsc, StatusCategory};

/// The HTTP status for `rsc`.
pub fn http_status(rsc: Rsc) -> StatusCode {
    match rsc {
        Rsc::ACCEPTED
        | Rsc::ACCEPTED_NON_BLOCKING_REQUEST_SYNCH
        | Rsc::ACCEPTED_NON_BLOCKING_REQUEST_ASYNCH => StatusCode::ACCEPTED,
        Rsc::OK | Rsc::DELETED | Rsc::UPDATED => StatusCode::OK,
        Rsc::CREATED => StatusCode::CREATED,
        Rsc::BAD_REQUEST
        | Rsc::CONTENTS_UNACCEPTABLE
        | Rsc::GROUP_MEMBER_TYPE_INCONSISTENT
        | Rsc::INVALID_SEMANTICS
        | Rsc::INVALID_PROCESS_CONFIGURATION
        | Rsc::INVALID_SPARQL_QUERY
        | Rsc::MAX_NUMBER_OF_MEMBER_EXCEEDED
        | Rsc::INVALID_CMDTYPE
        | Rsc::INVALID_ARGUMENTS
        | Rsc::INSUFFICIENT_ARGUMENTS
        | Rsc::ALREADY_COMPLETE
        | Rsc::MGMT_COMMAND_NOT_CANCELLABLE => StatusCode::BAD_REQUEST,
        Rsc::NOT_FOUND
        | Rsc::TARGET_NOT_REACHABLE
        | Rsc::REMOTE_ENTITY_NOT_REACHABLE
        | Rsc::EXTERNAL_OBJECT_NOT_REACHABLE
        | Rsc::EXTERNAL_OBJECT_NOT_FOUND
        | Rsc::MASHUP_MEMBER_NOT_FOUND
        | Rsc::SPECIALIZATION_SCHEMA_NOT_FOUND => StatusCode::NOT_FOUND,
        Rsc::OPERATION_NOT_ALLOWED => StatusCode::METHOD_NOT_ALLOWED,
        // ACME answers 504 Gateway Timeout; 408 is the published table's status as far
        // as we know it, and HTTP's own name for the same thing.
        Rsc::REQUEST_TIMEOUT => StatusCode::REQUEST_TIMEOUT,
        Rsc::UNSUPPORTED_MEDIA_TYPE => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Rsc::GROUP_REQUEST_IDENTIFIER_EXISTS
        | Rsc::CONFLICT
        | Rsc::UNABLE_TO_RECALL_REQUEST
        | Rsc::ILLEGAL_TRANSACTION_STATE_TRANSITION_ATTEMPTED
        | Rsc::BLOCKING_SUBSCRIPTION_ALREADY_EXISTS => StatusCode::CONFLICT,
        // The published TS-0009 table, as far as we know it (its text is not in our
        // copy), puts ALREADY_EXISTS with the privilege errors (403); ACME answers 409.
        // 409 is kept: it is what an HTTP client expects for "exists", and the exact
        // code travels in X-M2M-RSC anyway.
        Rsc::ALREADY_EXISTS => StatusCode::CONFLICT,
        Rsc::NOT_ACCEPTABLE => StatusCode::NOT_ACCEPTABLE,
        Rsc::NOT_IMPLEMENTED
        | Rsc::RELEASE_VERSION_NOT_SUPPORTED
        | Rsc::NON_BLOCKING_SYNCH_REQUEST_NOT_SUPPORTED => StatusCode::NOT_IMPLEMENTED,
        rsc => match rsc.category() {
            StatusCategory::Informational => StatusCode::ACCEPTED,
            StatusCategory::Success => StatusCode::OK,
            // Every other originator error is a refusal: missing privilege,
            // authentication, security association, a rule or policy.
            StatusCategory::OriginatorError => StatusCode::FORBIDDEN,
            // RECEIVER_HAS_NO_PRIVILEGE, TARGET_NOT_SUBSCRIBABLE, the subscription host's
            // privilege and IPE discovery are refusals too.
            _ if matches!(
                rsc,
                Rsc::RECEIVER_HAS_NO_PRIVILEGE
                    | Rsc::TARGET_NOT_SUBSCRIBABLE
                    | Rsc::SUBSCRIPTION_HOST_HAS_NO_PRIVILEGE
                    | Rsc::DISCOVERY_DENIED_BY_IPE
            ) =>
            {
                StatusCode::FORBIDDEN
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        },
    }
}

/// The `rsc` a response without `X-M2M-RSC` stands for: the most general code with that
/// HTTP status (such a response comes from HTTP machinery, a proxy or a server that is
/// not a CSE, rather than from a oneM2M entity).
pub fn rsc_from_http_status(status: StatusCode) -> Rsc {
    match status {
        StatusCode::OK => Rsc::OK,
        StatusCode::CREATED => Rsc::CREATED,
        StatusCode::ACCEPTED => Rsc::ACCEPTED,
        StatusCode::NOT_FOUND => Rsc::NOT_FOUND,
        StatusCode::METHOD_NOT_ALLOWED => Rsc::OPERATION_NOT_ALLOWED,
        StatusCode::NOT_ACCEPTABLE => Rsc::NOT_ACCEPTABLE,
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => Rsc::REQUEST_TIMEOUT,
        StatusCode::CONFLICT => Rsc::CONFLICT,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Rsc::UNSUPPORTED_MEDIA_TYPE,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Rsc::ORIGINATOR_HAS_NO_PRIVILEGE,
        StatusCode::NOT_IMPLEMENTED => Rsc::NOT_IMPLEMENTED,
        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE => Rsc::TARGET_NOT_REACHABLE,
        s if s.is_success() => Rsc::OK,
        s if s.is_client_error() => Rsc::BAD_REQUEST,
        _ => Rsc::INTERNAL_SERVER_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TS-0009 6.3.2 and 6.4.17: several codes share a status (4000 and 4102 are 400).
    #[test]
    fn ts_0009_6_3_2_status_codes_follow_table_6_3_2_1() {
        for (rsc, status) in [
            (Rsc::ACCEPTED, 202),
            (Rsc::ACCEPTED_NON_BLOCKING_REQUEST_ASYNCH, 202),
            (Rsc::OK, 200),
            (Rsc::CREATED, 201),
            (Rsc::DELETED, 200),
            (Rsc::UPDATED, 200),
            (Rsc::BAD_REQUEST, 400),
            (Rsc::CONTENTS_UNACCEPTABLE, 400),
            (Rsc::NOT_FOUND, 404),
            (Rsc::OPERATION_NOT_ALLOWED, 405),
            (Rsc::REQUEST_TIMEOUT, 408),
            (Rsc::UNSUPPORTED_MEDIA_TYPE, 415),
            (Rsc::SUBSCRIPTION_CREATOR_HAS_NO_PRIVILEGE, 403),
            (Rsc::ORIGINATOR_HAS_NO_PRIVILEGE, 403),
            (Rsc::ORIGINATOR_HAS_ALREADY_REGISTERED, 403),
            (Rsc::INVALID_CHILD_RESOURCE_TYPE, 403),
            (Rsc::GROUP_REQUEST_IDENTIFIER_EXISTS, 409),
            (Rsc::CONFLICT, 409),
            (Rsc::ALREADY_EXISTS, 409),
            (Rsc::INTERNAL_SERVER_ERROR, 500),
            (Rsc::NOT_IMPLEMENTED, 501),
            (Rsc::TARGET_NOT_REACHABLE, 404),
            (Rsc::RECEIVER_HAS_NO_PRIVILEGE, 403),
            (Rsc::TARGET_NOT_SUBSCRIBABLE, 403),
            (Rsc::SUBSCRIPTION_VERIFICATION_INITIATION_FAILED, 500),
            (Rsc::NON_BLOCKING_SYNCH_REQUEST_NOT_SUPPORTED, 501),
            (Rsc::NOT_ACCEPTABLE, 406),
            (Rsc::EXTERNAL_OBJECT_NOT_FOUND, 404),
            (Rsc::MAX_NUMBER_OF_MEMBER_EXCEEDED, 400),
            (Rsc::INVALID_ARGUMENTS, 400),
            (Rsc::MGMT_SESSION_CANNOT_BE_ESTABLISHED, 500),
        ] {
            assert_eq!(http_status(rsc).as_u16(), status, "{rsc:?}");
        }
    }

    #[test]
    fn every_known_code_and_any_unknown_one_has_a_status() {
        for (rsc, _) in Rsc::ALL {
            let status = http_status(*rsc);
            assert!(status.as_u16() >= 200, "{rsc:?}");
        }
        assert_eq!(http_status(Rsc(4999)), StatusCode::FORBIDDEN);
        assert_eq!(http_status(Rsc(7000)), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(http_status(Rsc(0)), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_status_without_x_m2m_rsc_maps_to_its_most_general_code() {
        assert_eq!(rsc_from_http_status(StatusCode::NOT_FOUND), Rsc::NOT_FOUND);
        assert_eq!(
            rsc_from_http_status(StatusCode::GATEWAY_TIMEOUT),
            Rsc::REQUEST_TIMEOUT
        );
        assert_eq!(
            rsc_from_http_status(StatusCode::IM_A_TEAPOT),
            Rsc::BAD_REQUEST
        );
        assert_eq!(
            rsc_from_http_status(StatusCode::BAD_GATEWAY),
            Rsc::TARGET_NOT_REACHABLE
        );
        assert_eq!(rsc_from_http_status(StatusCode::NO_CONTENT), Rsc::OK);
    }
}
