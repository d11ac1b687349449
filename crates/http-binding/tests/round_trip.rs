//! Property tests: primitive → HTTP → primitive is the identity, for requests and
//! responses with every parameter that has an HTTP form present or absent, in each body
//! format.
//!
//! What is generated stays inside what the mapping can carry (docs/http-binding.md):
//! header values are visible ASCII without outer spaces; `+`-joined items hold no `+`
//! or space; attribute filter names are not other query fields; a partial retrieve names
//! one attribute in `to` or two or more in `m2m:atrl`; `ty` only on a Create; content is
//! a one-member map of text, integers, booleans and lists that XML reads back unchanged;
//! a response's `to` is absent (not carried).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use onem2m_http_binding::{BodyFormat, HttpMapping};
use onem2m_primitive::{
    AbsRelTimestamp, ContentStatus, DesiredIdentifierResultType, EventCategory, Map, Operation,
    ReleaseVersion, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode,
    ResponseType, ResponseTypeInfo, ResultContent, Timestamp, Value,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

/// Text a header carries unchanged: visible ASCII with inner spaces.
fn header_text() -> impl Strategy<Value = String> {
    "[!-~]([ !-~]{0,16}[!-~])?"
}

/// An ID or name: no space, no `+`, `&` or `#`.
fn token() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9_.:-]{0,12}"
}

/// Free text for the query: anything, percent-encoded on the way.
fn query_text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 +&=#%/?é]{1,16}"
}

fn format() -> impl Strategy<Value = BodyFormat> {
    select(BodyFormat::ALL.to_vec())
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (0i64..253_402_300_800, 0u32..1_000_000).prop_map(|(secs, micros)| {
        Timestamp::from_unix_micros(secs * 1_000_000 + i64::from(micros))
    })
}

fn abs_rel() -> impl Strategy<Value = AbsRelTimestamp> {
    prop_oneof![
        any::<i64>().prop_map(AbsRelTimestamp::Relative),
        timestamp().prop_map(AbsRelTimestamp::Absolute),
        (0u32..100, 0u32..60)
            .prop_map(|(h, s)| { AbsRelTimestamp::parse(&format!("PT{h}H{s}S")).unwrap() }),
    ]
}

/// `to` in its three forms, with characters the path percent-encodes (no segment `.`
/// or `..`, no CSE-relative first segment `_`: both refused).
fn target() -> impl Strategy<Value = String> {
    (
        select(vec!["", "/", "//sp.example.com/"]),
        "[A-Za-z0-9][A-Za-z0-9 _.:%?é-]{0,8}",
        vec("[A-Za-z0-9 _:%?é-][A-Za-z0-9 _.:%?é-]{0,7}", 0..3),
    )
        .prop_map(|(prefix, first, rest)| {
            let mut to = format!("{prefix}{first}");
            for segment in rest {
                to.push('/');
                to.push_str(&segment);
            }
            to
        })
}

/// Content every serialization reads back unchanged.
fn content() -> impl Strategy<Value = Value> {
    prop_oneof![
        (token(), 0i64..1000, vec(token(), 1..3)).prop_map(|(rn, mni, lbl)| {
            members([(
                "m2m:cnt",
                members([("rn", rn.into()), ("mni", mni.into()), ("lbl", lbl.into())]),
            )])
        }),
        ("[A-Za-z0-9<>&\"][A-Za-z0-9 <>&\".]{0,20}", any::<bool>()).prop_map(|(con, rr)| {
            members([(
                "m2m:cin",
                members([
                    ("con", con.into()),
                    ("cnf", "text/plain:0".into()),
                    ("rr", rr.into()),
                ]),
            )])
        }),
        header_text().prop_map(|text| members([("m2m:dbg", text.into())])),
    ]
}

fn members<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Map(members.into_iter().collect::<Map>())
}

/// Filter criteria with every kind of member.
fn filter_criteria() -> impl Strategy<Value = Value> {
    let attribute = |names: Vec<&'static str>| {
        vec(
            (select(names), query_text())
                .prop_map(|(nm, val)| members([("nm", nm.into()), ("val", val.into())])),
            1..3,
        )
        .prop_map(Value::List)
    };
    (
        option::of(1i64..=3),
        option::of(0i64..1000),
        option::of(vec(select(vec![2i64, 3, 4, 23]), 1..4)),
        option::of(vec(query_text(), 0..3)),
        option::of(timestamp()),
        option::of(query_text()),
        option::of(attribute(vec!["cr", "rn", "con", "cnf", "api"])),
        option::of(attribute(vec!["ty", "lbl", "rn"])),
        option::of(attribute(vec!["rn", "fu"])),
    )
        .prop_map(|(fu, lim, ty, lbl, crb, smf, atr, catr, patr)| {
            let mut fc = Map::new();
            let ints = |items: Vec<i64>| Value::List(items.into_iter().map(Value::Int).collect());
            let texts =
                |items: Vec<String>| Value::List(items.into_iter().map(Value::Text).collect());
            if let Some(ty) = ty {
                fc.push("ty", ints(ty));
            }
            if let Some(atr) = atr {
                fc.push("atr", atr);
            }
            if let Some(fu) = fu {
                fc.push("fu", fu);
            }
            if let Some(lbl) = lbl {
                fc.push("lbl", texts(lbl));
            }
            if let Some(crb) = crb {
                fc.push("crb", crb.to_string());
            }
            if let Some(catr) = catr {
                fc.push("catr", catr);
            }
            if let Some(lim) = lim {
                fc.push("lim", lim);
            }
            if let Some(smf) = smf {
                fc.push("smf", smf);
            }
            if let Some(patr) = patr {
                fc.push("patr", patr);
            }
            Value::Map(fc)
        })
        .prop_filter("filter criteria with at least one member", |fc| {
            fc.as_map().is_some_and(|fc| !fc.is_empty())
        })
}

fn release() -> impl Strategy<Value = ReleaseVersion> {
    select(vec!["2", "2a", "3", "4", "5"]).prop_map(ReleaseVersion::parse)
}

/// The operation, `ty`, `to` and `pc`, consistent with each other.
fn operation_target_content()
-> impl Strategy<Value = (Operation, Option<ResourceType>, String, Option<Value>)> {
    let attribute_list = vec(select(vec!["ri", "lbl", "rr", "ct"]), 2..4)
        .prop_map(|names| members([("m2m:atrl", names.into())]));
    prop_oneof![
        (
            target(),
            select(vec![2u32, 3, 4, 23]),
            option::of(content())
        )
            .prop_map(|(to, ty, pc)| (Operation::Create, Some(ResourceType(ty)), to, pc)),
        (target(), option::of(content())).prop_map(|(to, pc)| (Operation::Retrieve, None, to, pc)),
        (target(), select(vec!["rr", "lbl"])).prop_map(|(to, attribute)| (
            Operation::Retrieve,
            None,
            format!("{to}#{attribute}"),
            None
        )),
        (target(), attribute_list).prop_map(|(to, pc)| (Operation::Retrieve, None, to, Some(pc))),
        (target(), option::of(content())).prop_map(|(to, pc)| (Operation::Update, None, to, pc)),
        target().prop_map(|to| (Operation::Delete, None, to, None)),
        (target(), option::of(content())).prop_map(|(to, pc)| (Operation::Notify, None, to, pc)),
    ]
}

fn request() -> impl Strategy<Value = RequestPrimitive> {
    let identity = (
        operation_target_content(),
        option::of(header_text()),
        header_text(),
        option::of(release()),
        option::of(header_text()),
        option::of(token()),
    );
    let times = (
        option::of(timestamp()),
        option::of(abs_rel()),
        option::of(abs_rel()),
        option::of(abs_rel()),
        option::of(abs_rel()),
        option::of(select(vec![2i64, 3, 4, 100, 999])),
    );
    let handling = (
        option::of((1i64..=5, vec(token(), 0..3))),
        option::of(0i64..=10),
        option::of(any::<bool>()),
        option::of(1i64..=2),
        option::of(filter_criteria()),
        option::of(vec(query_text(), 0..3)),
        option::of(any::<bool>()),
    );
    let security = (
        option::of(vec("[A-Za-z0-9_-]{1,8}(\\.[A-Za-z0-9_-]{1,8}){2,4}", 1..3)),
        option::of(vec(token(), 0..3)),
        option::of(vec(token(), 0..3)),
        option::of(any::<bool>()),
        option::of(vec(token(), 0..3)),
        option::of(any::<bool>()),
        option::of(vec("[A-Za-z0-9_=-]{1,16}", 1..3)),
        option::of(any::<bool>()),
    );
    (identity, times, handling, security).prop_map(
        |(
            ((op, ty, to, pc), fr, rqi, rvi, vsi, gid),
            (ot, rqet, rset, oet, rp, ec),
            (rt, rcn, da, drt, fc, rids, sqi),
            (tkns, tids, ltids, tqi, grtm, asi, aus, auri),
        )| RequestPrimitive {
            op,
            to,
            fr,
            rqi,
            ty,
            pc,
            rids,
            ot,
            rqet,
            rset,
            oet,
            rt: rt.map(|(rtv, nu)| ResponseTypeInfo {
                rtv: ResponseType::try_from(rtv).unwrap(),
                nu,
            }),
            rp,
            rcn: rcn.map(|code| ResultContent::try_from(code).unwrap()),
            ec: ec.map(|code| EventCategory::new(code).unwrap()),
            da,
            gid,
            fc,
            drt: drt.map(|code| DesiredIdentifierResultType::try_from(code).unwrap()),
            tkns,
            tids,
            ltids,
            tqi,
            grtm,
            asi,
            aus: aus.map(Value::from),
            auri,
            sqi,
            rvi,
            vsi,
        },
    )
}

fn response() -> impl Strategy<Value = ResponsePrimitive> {
    let assignments =
        vec(("[A-Za-z0-9_-]{1,8}", "[A-Za-z0-9_:/-]{1,12}"), 1..3).prop_map(|pairs| {
            let entries = pairs
                .into_iter()
                .map(|(lti, tkid)| members([("lti", lti.into()), ("tkid", tkid.into())]))
                .collect();
            members([("ltia", Value::List(entries))])
        });
    (
        (
            select(
                ResponseStatusCode::ALL
                    .iter()
                    .map(|(rsc, _)| *rsc)
                    .collect::<Vec<_>>(),
            ),
            option::of(header_text()),
            option::of(content()),
            option::of(header_text()),
            option::of(timestamp()),
            option::of(abs_rel()),
        ),
        (
            option::of(select(vec![2i64, 3, 4, 100])),
            option::of(1i64..=2),
            option::of(0u64..1_000_000_000),
            option::of(assignments),
            option::of(header_text()),
            option::of(release()),
            option::of(header_text()),
        ),
    )
        .prop_map(
            |((rsc, rqi, pc, fr, ot, rset), (ec, cnst, cnot, ati, asri, rvi, vsi))| {
                ResponsePrimitive {
                    rsc,
                    rqi,
                    pc,
                    to: None,
                    fr,
                    ot,
                    rset,
                    ec: ec.map(|code| EventCategory::new(code).unwrap()),
                    cnst: cnst.map(|code| ContentStatus::try_from(code).unwrap()),
                    cnot,
                    ati,
                    tqf: None,
                    asri: asri.map(Value::Text),
                    rvi,
                    vsi,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_request_comes_back_from_http_unchanged(req in request(), format in format()) {
        let mapping = HttpMapping::new();
        let http = mapping.request_to_http(&req, format).unwrap();
        let back = mapping.request_from_http(&http).unwrap();
        prop_assert_eq!(back.primitive, req, "{:?}", http);
        prop_assert_eq!(back.response_format, format);
    }

    #[test]
    fn a_response_comes_back_from_http_unchanged(
        rsp in response(),
        answering in select(vec![Operation::Create, Operation::Retrieve, Operation::Notify]),
        format in format(),
    ) {
        let mapping = HttpMapping::new();
        let http = mapping.response_to_http(&rsp, answering, format).unwrap();
        let back = mapping.response_from_http(&http).unwrap();
        prop_assert_eq!(back, rsp, "{:?}", http);
    }
}
