//! The checks a receiver applies to a request before it executes it, each answered with
//! the status code TS-0004 prescribes (TS-0004 7.2.1.1, 7.3.2, 7.3.3; `ts-0010-facts.md`
//! §3.1, §3.6).
//!
//! Where TS-0004 leaves a choice, the rules follow ACME, the reference peer:
//!
//! | Rule | Status |
//! |---|---|
//! | `rvi` missing, or a release this crate does not speak | 4001 |
//! | `rqi` or `to` empty, `to` not an identifier | 4000 |
//! | `fr` absent or empty, except on an AE create (`op`=1, `ty`=2) | 4000 |
//! | create without `ty`; `ty` on any other operation | 4000 |
//! | create, update or notify without `pc`; delete with `pc` | 4000 |
//! | `rqet` or `rset` reached | 4008 |
//! | `rset` before `rqet` | 4000 |
//! | `oet` not before `rqet`, or not before `rset` | 4000 |
//!
//! Relative times (`rqet`, `rset`, `oet`) count from the originating timestamp `ot` when
//! the request has one, else from the time the request arrived. Time is always a
//! parameter: nothing here reads a clock.

use crate::id::Id;
use crate::operation::Operation;
use crate::request::RequestPrimitive;
use crate::resource_type::ResourceType;
use crate::response::ResponsePrimitive;
use crate::status_code::ResponseStatusCode;
use crate::time::Timestamp;

/// Why a receiver refuses a request, and the status code to answer with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{rsc}: {reason}")]
pub struct Rejection {
    /// The response status code.
    pub rsc: ResponseStatusCode,
    /// An explanation for the originator (sent as `m2m:dbg`).
    pub reason: String,
}

impl Rejection {
    /// A rejection with status `rsc`.
    pub fn new(rsc: ResponseStatusCode, reason: impl Into<String>) -> Self {
        Self {
            rsc,
            reason: reason.into(),
        }
    }

    fn bad_request(reason: impl Into<String>) -> Self {
        Self::new(ResponseStatusCode::BAD_REQUEST, reason)
    }

    fn timeout(reason: impl Into<String>) -> Self {
        Self::new(ResponseStatusCode::REQUEST_TIMEOUT, reason)
    }

    /// The error response to `request`: its `rqi` and `rvi`, this status code and the
    /// reason as `{"m2m:dbg": ...}`.
    pub fn into_response(self, request: &RequestPrimitive) -> ResponsePrimitive {
        ResponsePrimitive::error(request, self.rsc, self.reason)
    }
}

/// Applies every check of this module, in the order ACME applies them: release version,
/// mandatory parameters, then times. `arrival` is when the request reached this receiver,
/// `now` is the current time (they differ when the request waited in a queue).
///
/// ```
/// use onem2m_primitive::{RequestPrimitive, Timestamp, ResponseStatusCode};
/// use onem2m_primitive::validate::validate_request;
///
/// let now = Timestamp::from_unix_secs(1_800_000_000);
/// let mut req = RequestPrimitive::retrieve("cse-in/myAE", "CmyAE", "r1");
/// assert!(validate_request(&req, now, now).is_ok());
/// req.rvi = None;
/// let rejection = validate_request(&req, now, now).unwrap_err();
/// assert_eq!(rejection.rsc, ResponseStatusCode::RELEASE_VERSION_NOT_SUPPORTED);
/// ```
pub fn validate_request(
    req: &RequestPrimitive,
    arrival: Timestamp,
    now: Timestamp,
) -> Result<(), Rejection> {
    check_release_version(req)?;
    check_parameters(req)?;
    check_expiry(req, arrival, now)?;
    check_time_order(req, arrival)
}

/// The release version check: `rvi` must be present (4001, as ACME answers a request
/// without it) and name a release this crate speaks (4001).
pub fn check_release_version(req: &RequestPrimitive) -> Result<(), Rejection> {
    match &req.rvi {
        None => Err(Rejection::new(
            ResponseStatusCode::RELEASE_VERSION_NOT_SUPPORTED,
            "release version indicator (rvi) is missing: Release 1 is not supported",
        )),
        Some(rvi) if !rvi.is_supported() => Err(Rejection::new(
            ResponseStatusCode::RELEASE_VERSION_NOT_SUPPORTED,
            format!("release version \"{rvi}\" is not supported"),
        )),
        Some(_) => Ok(()),
    }
}

/// The presence rules of TS-0004 Table 7.2.1.1-1 for `rqi`, `to`, `fr`, `ty` and `pc`
/// (all 4000).
pub fn check_parameters(req: &RequestPrimitive) -> Result<(), Rejection> {
    if req.rqi.is_empty() {
        return Err(Rejection::bad_request(
            "request identifier (rqi) is missing",
        ));
    }
    if req.to.is_empty() {
        return Err(Rejection::bad_request("target (to) is missing"));
    }
    if let Err(e) = Id::parse(&req.to) {
        return Err(Rejection::bad_request(format!("target (to): {e}")));
    }
    let is_create = req.op == Operation::Create;
    let is_ae_create = is_create && req.ty == Some(ResourceType::AE);
    if req.fr.as_deref().is_none_or(str::is_empty) && !is_ae_create {
        return Err(Rejection::bad_request(
            "originator (fr) is missing: it may be omitted only when creating an AE",
        ));
    }
    match (is_create, req.ty) {
        (true, None) => {
            return Err(Rejection::bad_request(
                "resource type (ty) is missing in a create request",
            ));
        }
        (false, Some(ty)) => {
            return Err(Rejection::bad_request(format!(
                "resource type (ty = {}) is not permitted in a {} request",
                ty.code(),
                req.op.name()
            )));
        }
        _ => {}
    }
    match (req.op, req.pc.is_some()) {
        (Operation::Create | Operation::Update | Operation::Notify, false) => {
            Err(Rejection::bad_request(format!(
                "content (pc) is missing in a {} request",
                req.op.name()
            )))
        }
        (Operation::Delete, true) => Err(Rejection::bad_request(
            "content (pc) is not permitted in a DELETE request",
        )),
        _ => Ok(()),
    }
}

/// The expiry check a receiver makes as soon as a request arrives, since it may have
/// waited in the broker (TS-0010 6.4.3): 4008 if the request expiration timestamp `rqet`
/// or the result expiration timestamp `rset` has been reached at `now`.
pub fn check_expiry(
    req: &RequestPrimitive,
    arrival: Timestamp,
    now: Timestamp,
) -> Result<(), Rejection> {
    let base = req.ot.unwrap_or(arrival);
    if let Some(rqet) = &req.rqet
        && rqet.is_expired(base, now)
    {
        return Err(Rejection::timeout(format!(
            "request expired at {} (request expiration timestamp {rqet})",
            rqet.resolve(base)
        )));
    }
    if let Some(rset) = &req.rset
        && rset.is_expired(base, now)
    {
        return Err(Rejection::timeout(format!(
            "result expired at {} (result expiration timestamp {rset})",
            rset.resolve(base)
        )));
    }
    Ok(())
}

/// The consistency of the three times (ACME's rules, all 4000): the result cannot expire
/// before the request (`rset` < `rqet`), and the operation must be executed before either
/// expires (`oet` < `rqet`, `oet` < `rset`). An `oet` in the past is fine: it means "now".
pub fn check_time_order(req: &RequestPrimitive, arrival: Timestamp) -> Result<(), Rejection> {
    let base = req.ot.unwrap_or(arrival);
    let micros = |t: &crate::time::AbsRelTimestamp| t.resolve(base).unix_micros();
    if let (Some(rqet), Some(rset)) = (&req.rqet, &req.rset)
        && micros(rset) < micros(rqet)
    {
        return Err(Rejection::bad_request(format!(
            "result expiration timestamp ({rset}) is before the request expiration timestamp ({rqet})"
        )));
    }
    let Some(oet) = &req.oet else {
        return Ok(());
    };
    for (name, limit) in [("request", &req.rqet), ("result", &req.rset)] {
        if let Some(limit) = limit
            && micros(oet) >= micros(limit)
        {
            return Err(Rejection::bad_request(format!(
                "operation execution time ({oet}) is not before the {name} expiration timestamp ({limit})"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::release_version::ReleaseVersion;
    use crate::time::{AbsRelTimestamp, IsoDuration};
    use crate::value::{Map, Value};

    const RSC_BAD: ResponseStatusCode = ResponseStatusCode::BAD_REQUEST;
    const RSC_TIMEOUT: ResponseStatusCode = ResponseStatusCode::REQUEST_TIMEOUT;
    const RSC_RVI: ResponseStatusCode = ResponseStatusCode::RELEASE_VERSION_NOT_SUPPORTED;

    fn now() -> Timestamp {
        Timestamp::parse("20261124T215237").unwrap()
    }

    fn content() -> Value {
        let mut cnt = Map::new();
        cnt.insert("rn", "data");
        let mut pc = Map::new();
        pc.insert("m2m:cnt", cnt);
        Value::Map(pc)
    }

    fn retrieve() -> RequestPrimitive {
        RequestPrimitive::retrieve("cse-in/rigJsonAE", "CrigJson", "848994-05")
    }

    fn rsc(req: &RequestPrimitive) -> Option<ResponseStatusCode> {
        validate_request(req, now(), now()).err().map(|r| r.rsc)
    }

    fn abs(offset_ms: i64) -> AbsRelTimestamp {
        AbsRelTimestamp::Absolute(now().add_millis(offset_ms))
    }

    #[test]
    fn well_formed_requests_of_every_operation_pass() {
        let cnt = ResourceType::CONTAINER;
        for req in [
            RequestPrimitive::create("cse-in/myAE", "CmyAE", "r", cnt, content()),
            retrieve(),
            RequestPrimitive::update("cse-in/myAE/data", "CmyAE", "r", content()),
            RequestPrimitive::delete("cse-in/myAE", "CmyAE", "r"),
            RequestPrimitive::notify("CmyAE", "/id-in", "r", content()),
        ] {
            assert_eq!(rsc(&req), None, "{:?}", req.op);
        }
    }

    #[test]
    fn missing_rvi_is_4001_as_acme_answers() {
        let mut req = retrieve();
        req.rvi = None;
        assert_eq!(rsc(&req), Some(RSC_RVI));
    }

    #[test]
    fn unsupported_release_is_4001() {
        for rvi in [ReleaseVersion::V1, ReleaseVersion::Other("9".into())] {
            let mut req = retrieve();
            req.rvi = Some(rvi);
            assert_eq!(rsc(&req), Some(RSC_RVI));
        }
    }

    #[test]
    fn empty_rqi_or_to_is_4000() {
        let mut req = retrieve();
        req.rqi.clear();
        assert_eq!(rsc(&req), Some(RSC_BAD));
        let mut req = retrieve();
        req.to.clear();
        assert_eq!(rsc(&req), Some(RSC_BAD));
    }

    #[test]
    fn malformed_target_is_4000() {
        let mut req = retrieve();
        req.to = "cse-in//x".into();
        assert_eq!(rsc(&req), Some(RSC_BAD));
    }

    #[test]
    fn originator_may_be_absent_or_empty_only_on_ae_create() {
        for fr in [None, Some(String::new())] {
            let mut ae = RequestPrimitive::create("cse-in", "", "r", ResourceType::AE, content());
            ae.fr = fr.clone();
            assert_eq!(rsc(&ae), None, "AE create with fr {fr:?}");

            let mut cnt =
                RequestPrimitive::create("cse-in", "", "r", ResourceType::CONTAINER, content());
            cnt.fr = fr.clone();
            assert_eq!(rsc(&cnt), Some(RSC_BAD), "container create with fr {fr:?}");

            let mut get = retrieve();
            get.fr = fr;
            assert_eq!(rsc(&get), Some(RSC_BAD));
        }
    }

    #[test]
    fn create_needs_ty_and_other_operations_must_not_carry_it() {
        let mut create = RequestPrimitive::create("cse-in", "C", "r", ResourceType::AE, content());
        create.ty = None;
        assert_eq!(rsc(&create), Some(RSC_BAD));
        let mut get = retrieve();
        get.ty = Some(ResourceType::CONTAINER);
        assert_eq!(rsc(&get), Some(RSC_BAD));
    }

    #[test]
    fn content_presence_follows_the_operation() {
        let mut create = RequestPrimitive::create("cse-in", "C", "r", ResourceType::AE, content());
        create.pc = None;
        assert_eq!(rsc(&create), Some(RSC_BAD));
        let mut update = RequestPrimitive::update("cse-in/a", "C", "r", content());
        update.pc = None;
        assert_eq!(rsc(&update), Some(RSC_BAD));
        let mut notify = RequestPrimitive::notify("CmyAE", "/id-in", "r", content());
        notify.pc = None;
        assert_eq!(rsc(&notify), Some(RSC_BAD));
        let mut delete = RequestPrimitive::delete("cse-in/a", "C", "r");
        delete.pc = Some(content());
        assert_eq!(rsc(&delete), Some(RSC_BAD));
        let mut get = retrieve();
        get.pc = Some(content());
        assert_eq!(rsc(&get), None, "pc is optional on retrieve");
    }

    // The ACME expectations (tests/testRequests.py), `ts-0010-facts.md` §5.

    #[test]
    fn rqet_now_or_in_the_past_is_4008() {
        for rqet in [abs(0), abs(-10_000)] {
            let mut req = retrieve();
            req.rqet = Some(rqet);
            assert_eq!(rsc(&req), Some(RSC_TIMEOUT));
        }
    }

    #[test]
    fn rqet_minus_10000_ms_is_4008() {
        let mut req = retrieve();
        req.rqet = Some(AbsRelTimestamp::Relative(-10_000));
        assert_eq!(rsc(&req), Some(RSC_TIMEOUT));
    }

    #[test]
    fn rqet_in_the_future_passes() {
        for rqet in [abs(2_000), AbsRelTimestamp::Relative(2_000)] {
            let mut req = retrieve();
            req.rqet = Some(rqet);
            assert_eq!(rsc(&req), None);
        }
    }

    #[test]
    fn oet_after_rqet_is_4000() {
        let mut req = retrieve();
        req.rqet = Some(AbsRelTimestamp::Relative(1_000));
        req.oet = Some(AbsRelTimestamp::Relative(2_000));
        assert_eq!(rsc(&req), Some(RSC_BAD));
        req.oet = Some(AbsRelTimestamp::Relative(1_000));
        assert_eq!(
            rsc(&req),
            Some(RSC_BAD),
            "oet equal to rqet leaves no time to execute"
        );
        req.oet = Some(AbsRelTimestamp::Relative(500));
        assert_eq!(rsc(&req), None);
    }

    #[test]
    fn oet_after_rset_is_4000() {
        let mut req = retrieve();
        req.rset = Some(abs(1_000));
        req.oet = Some(abs(2_000));
        assert_eq!(rsc(&req), Some(RSC_BAD));
    }

    #[test]
    fn rset_before_rqet_is_4000() {
        let mut req = retrieve();
        req.rqet = Some(abs(5_000));
        req.rset = Some(abs(2_000));
        assert_eq!(rsc(&req), Some(RSC_BAD));
        req.rset = Some(abs(5_000));
        assert_eq!(rsc(&req), None, "rset equal to rqet is allowed");
    }

    #[test]
    fn rset_in_the_past_is_4008() {
        let mut req = retrieve();
        req.rset = Some(abs(-1_000));
        assert_eq!(rsc(&req), Some(RSC_TIMEOUT));
    }

    #[test]
    fn oet_as_an_iso_duration_or_in_the_past_passes() {
        let mut req = retrieve();
        req.oet = Some(AbsRelTimestamp::Duration(
            IsoDuration::parse("PT2S").unwrap(),
        ));
        assert_eq!(rsc(&req), None);
        req.oet = Some(AbsRelTimestamp::Relative(2_000));
        assert_eq!(rsc(&req), None);
        req.oet = Some(abs(-10_000));
        assert_eq!(rsc(&req), None, "an oet in the past means: execute now");
    }

    #[test]
    fn relative_times_count_from_ot_when_present() {
        let mut req = retrieve();
        req.rqet = Some(AbsRelTimestamp::Relative(5_000));
        // Sent 10 s ago: it expired 5 s ago although it only just arrived.
        req.ot = Some(now().add_millis(-10_000));
        assert_eq!(rsc(&req), Some(RSC_TIMEOUT));
        req.ot = None;
        assert_eq!(rsc(&req), None);
    }

    #[test]
    fn expiry_on_arrival_uses_the_arrival_time_as_base_and_now_as_clock() {
        let mut req = retrieve();
        req.rqet = Some(AbsRelTimestamp::Relative(1_000));
        let arrival = now();
        assert!(check_expiry(&req, arrival, arrival.add_millis(999)).is_ok());
        let rejection = check_expiry(&req, arrival, arrival.add_millis(1_000)).unwrap_err();
        assert_eq!(rejection.rsc, RSC_TIMEOUT);
    }

    #[test]
    fn rejection_becomes_an_error_response_with_debug_info() {
        let mut req = retrieve();
        req.rvi = None;
        let rejection = validate_request(&req, now(), now()).unwrap_err();
        let reason = rejection.reason.clone();
        let rsp = rejection.into_response(&req);
        assert_eq!(rsp.rsc, RSC_RVI);
        assert_eq!(rsp.rqi.as_deref(), Some("848994-05"));
        assert_eq!(rsp.to.as_deref(), Some("CrigJson"));
        assert_eq!(rsp.debug_message(), Some(reason.as_str()));
    }
}
