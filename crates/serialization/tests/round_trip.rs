//! Property tests: any request or response primitive, with every parameter present or
//! absent and content made of schema-known resources, comes back unchanged through each
//! serializer: `decode(encode(p)) == p`.
//!
//! What is generated stays inside what XML can tell apart, because XML text carries no
//! type and no "empty" (restrictions checked against `xml/schema.rs`):
//! - strings are never empty and never start or end with whitespace (an empty element is
//!   null, and a decoder may trim);
//! - items of `xs:list` values (`lbl`, `poa`, `nu`, `srv`, `rids`, ...) contain no
//!   whitespace (the separator), and such lists are never empty;
//! - every member name inside content is one whose XML type the XML mapping knows, or,
//!   for the trees the schema does not describe (`aus`, `ati`, `tqf`, `asri`), a name it
//!   does not know and therefore reads as text: those trees hold only maps and text;
//! - maps are never empty (`<x/>` is null) and a resource always has its `rn` attribute;
//! - no floats (XML has no float/integer distinction in untyped text).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use onem2m_primitive::{
    AbsRelTimestamp, ContentStatus, DesiredIdentifierResultType, EventCategory, IsoDuration, Map,
    Operation, ReleaseVersion, RequestPrimitive, ResourceType, ResponsePrimitive,
    ResponseStatusCode, ResponseType, ResponseTypeInfo, ResultContent, Timestamp, Value,
};
use onem2m_serialization::{CborSerializer, JsonSerializer, Serializer, XmlSerializer};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------- scalars ----------------------------

/// Free text: spaces inside, XML-special and non-ASCII characters, nothing at the edges.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9&<>'\"éü漢]([A-Za-z0-9 &<>'\"éü漢.,:/_-]{0,20}[A-Za-z0-9&<>'\"éü漢])?"
}

/// An item of an `xs:list`, an ID or a name: no whitespace.
fn token() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9_.:-]{0,12}"
}

/// A resource name (`rn` is an XML attribute of type xs:NCName).
fn resource_name() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_.-]{0,12}"
}

fn uri() -> impl Strategy<Value = String> {
    "(mqtt|mqtts|http)://[a-z]{1,8}(\\.[a-z]{2,5})?(:[0-9]{1,4})?(/[A-Za-z0-9_-]{1,6}){0,2}"
}

fn target() -> impl Strategy<Value = String> {
    "(/|//[a-z]{1,6}\\.com/)?[A-Za-z0-9_-]{1,8}(/[A-Za-z0-9_-]{1,8}){0,3}"
}

fn tokens() -> impl Strategy<Value = Vec<String>> {
    vec(token(), 1..4)
}

/// A timestamp written with 0 to 6 fraction digits, between 1970 and 9999.
fn timestamp() -> impl Strategy<Value = Timestamp> {
    (0i64..253_402_300_800, 0usize..=6, 0u32..1_000_000).prop_map(|(secs, digits, fraction)| {
        let whole = Timestamp::from_unix_secs(secs).to_string();
        let text = match digits {
            0 => whole,
            d => format!("{whole},{:0d$}", fraction % 10u32.pow(d as u32)),
        };
        Timestamp::parse(&text).unwrap()
    })
}

fn abs_rel_timestamp() -> impl Strategy<Value = AbsRelTimestamp> {
    prop_oneof![
        timestamp().prop_map(AbsRelTimestamp::Absolute),
        any::<i64>().prop_map(AbsRelTimestamp::Relative),
        select(&["PT2S", "P1DT2H", "PT0.5S", "-PT2S", "P2W", "PT1H30M"][..])
            .prop_map(|d| AbsRelTimestamp::Duration(IsoDuration::parse(d).unwrap())),
    ]
}

fn release_version() -> impl Strategy<Value = ReleaseVersion> {
    prop_oneof![
        select(
            &[
                ReleaseVersion::V1,
                ReleaseVersion::V2,
                ReleaseVersion::V2a,
                ReleaseVersion::V3,
                ReleaseVersion::V4,
                ReleaseVersion::V5,
            ][..]
        ),
        "([6-9][a-z]?|x[0-9]{1,3})".prop_map(ReleaseVersion::Other),
    ]
}

fn event_category() -> impl Strategy<Value = EventCategory> {
    prop_oneof![2i64..=4, 100i64..=999].prop_map(|c| EventCategory::new(c).unwrap())
}

// ---------------------------- content ----------------------------

fn v_text() -> BoxedStrategy<Value> {
    text().prop_map(Value::Text).boxed()
}

fn v_token() -> BoxedStrategy<Value> {
    token().prop_map(Value::Text).boxed()
}

fn v_int() -> BoxedStrategy<Value> {
    any::<i64>().prop_map(Value::Int).boxed()
}

fn v_small(range: std::ops::RangeInclusive<i64>) -> BoxedStrategy<Value> {
    range.prop_map(Value::Int).boxed()
}

fn v_bool() -> BoxedStrategy<Value> {
    any::<bool>().prop_map(Value::Bool).boxed()
}

fn v_time() -> BoxedStrategy<Value> {
    timestamp().prop_map(|t| Value::Text(t.to_string())).boxed()
}

fn v_tokens() -> BoxedStrategy<Value> {
    tokens().prop_map(Value::from).boxed()
}

fn v_uris() -> BoxedStrategy<Value> {
    vec(uri(), 1..3).prop_map(Value::from).boxed()
}

fn v_ints(range: std::ops::RangeInclusive<i64>) -> BoxedStrategy<Value> {
    vec(range, 1..5).prop_map(Value::from).boxed()
}

fn v_releases() -> BoxedStrategy<Value> {
    vec(select(&["2", "2a", "3", "4", "5"][..]), 1..4)
        .prop_map(Value::from)
        .boxed()
}

type Member = (&'static str, BoxedStrategy<Value>);

/// A map holding each member of `spec` or not, in the order of `spec`.
fn members(spec: Vec<Member>) -> impl Strategy<Value = Map> {
    let optional: Vec<_> = spec
        .into_iter()
        .map(|(name, value)| option::of(value).prop_map(move |v| v.map(|v| (name, v))))
        .collect();
    optional.prop_map(|present| present.into_iter().flatten().collect::<Map>())
}

/// `{"m2m:<root>": {rn, common attributes, specific attributes}}` in XSD order.
fn resource(root: &'static str, ty: i64, specific: Vec<Member>) -> BoxedStrategy<Value> {
    let mut spec: Vec<Member> = vec![
        ("ty", Just(Value::Int(ty)).boxed()),
        ("ri", v_token()),
        ("pi", v_token()),
        ("ct", v_time()),
        ("lt", v_time()),
        ("lbl", v_tokens()),
    ];
    if root != "m2m:cb" {
        spec.push(("et", v_time()));
    }
    spec.extend(specific);
    (resource_name(), members(spec))
        .prop_map(move |(rn, attributes)| {
            let mut body = Map::with_capacity(attributes.len() + 1);
            body.push("rn", rn);
            for (name, value) in attributes {
                body.push(name, value);
            }
            let mut outer = Map::with_capacity(1);
            outer.push(root, body);
            Value::Map(outer)
        })
        .boxed()
}

fn ae() -> BoxedStrategy<Value> {
    resource(
        "m2m:ae",
        2,
        vec![
            ("apn", v_text()),
            ("api", v_token()),
            ("aei", v_token()),
            ("poa", v_uris()),
            ("rr", v_bool()),
            (
                "csz",
                vec(select(&["application/json", "application/cbor"][..]), 1..3)
                    .prop_map(Value::from)
                    .boxed(),
            ),
            ("srv", v_releases()),
        ],
    )
}

fn container() -> BoxedStrategy<Value> {
    resource(
        "m2m:cnt",
        3,
        vec![
            ("st", v_int()),
            ("mni", v_int()),
            ("mbs", v_int()),
            ("mia", v_int()),
            ("cni", v_int()),
            ("cbs", v_int()),
            ("disr", v_bool()),
        ],
    )
}

fn content_instance() -> BoxedStrategy<Value> {
    resource(
        "m2m:cin",
        4,
        vec![
            ("st", v_int()),
            ("cnf", v_text()),
            ("cs", v_int()),
            ("con", v_text()),
        ],
    )
}

fn subscription() -> BoxedStrategy<Value> {
    let enc = v_ints(1..=8)
        .prop_map(|net| {
            let mut m = Map::new();
            m.push("net", net);
            Value::Map(m)
        })
        .boxed();
    resource(
        "m2m:sub",
        23,
        vec![
            ("enc", enc),
            ("exc", v_int()),
            ("nu", v_uris()),
            ("nct", v_small(1..=4)),
            ("su", v_token()),
        ],
    )
}

fn cse_base() -> BoxedStrategy<Value> {
    resource(
        "m2m:cb",
        5,
        vec![
            ("cst", v_small(1..=3)),
            (
                "csi",
                token().prop_map(|t| Value::Text(format!("/{t}"))).boxed(),
            ),
            ("srt", v_ints(1..=60)),
            ("poa", v_uris()),
            ("srv", v_releases()),
        ],
    )
}

/// `m2m:sgn` whose `nev.rep` is a resource (`net` is one integer here, a list in `enc`).
fn notification() -> BoxedStrategy<Value> {
    let rep = prop_oneof![ae(), container(), content_instance()];
    (rep, v_small(1..=8), uri())
        .prop_map(|(rep, net, sur)| {
            let mut nev = Map::new();
            nev.push("rep", rep);
            nev.push("net", net);
            let mut sgn = Map::new();
            sgn.push("nev", nev);
            sgn.push("sur", sur);
            let mut outer = Map::new();
            outer.push("m2m:sgn", sgn);
            Value::Map(outer)
        })
        .boxed()
}

fn debug_info() -> BoxedStrategy<Value> {
    text().prop_map(onem2m_primitive::debug_info).boxed()
}

fn content() -> BoxedStrategy<Value> {
    prop_oneof![
        ae(),
        container(),
        content_instance(),
        subscription(),
        cse_base(),
        notification(),
        debug_info()
    ]
    .boxed()
}

/// `fc`: filter criteria with members of known type (`ty` repeats inside `fc`).
fn filter_criteria() -> impl Strategy<Value = Value> {
    (
        select(&[1i64, 2, 3][..]),
        members(vec![
            ("crb", v_time()),
            ("cra", v_time()),
            ("lbl", v_tokens()),
            ("ty", v_ints(1..=60)),
            ("lim", v_int()),
            ("lvl", v_int()),
            ("ofst", v_int()),
        ]),
    )
        .prop_map(|(fu, rest)| {
            let mut fc = rest;
            fc.push("fu", fu);
            Value::Map(fc)
        })
}

/// A tree the XML schema does not describe: maps with unique names it does not know,
/// and text leaves.
fn opaque_tree() -> impl Strategy<Value = Value> {
    let map_of = |inner: BoxedStrategy<Value>| {
        proptest::collection::btree_map("zz[a-z]{1,4}", inner, 1..4)
            .prop_map(|m| Value::Map(m.into_iter().collect::<Map>()))
    };
    let tree = text()
        .prop_map(Value::Text)
        .prop_recursive(2, 8, 3, move |inner| map_of(inner.boxed()));
    map_of(tree.boxed())
}

// ---------------------------- primitives ----------------------------

fn request() -> impl Strategy<Value = RequestPrimitive> {
    let frame = (
        select(Operation::ALL),
        target(),
        option::of(token()),
        text(),
        option::of((1u32..=u32::MAX).prop_map(ResourceType)),
        option::of(content()),
        option::of(tokens()),
        option::of(timestamp()),
        option::of(abs_rel_timestamp()),
        option::of(abs_rel_timestamp()),
        option::of(abs_rel_timestamp()),
    );
    let options = (
        option::of(
            (select(ResponseType::ALL), vec(uri(), 0..3))
                .prop_map(|(rtv, nu)| ResponseTypeInfo { rtv, nu }),
        ),
        option::of(abs_rel_timestamp()),
        option::of(select(ResultContent::ALL)),
        option::of(event_category()),
        option::of(any::<bool>()),
        option::of(text()),
        option::of(filter_criteria()),
        option::of(select(DesiredIdentifierResultType::ALL)),
        option::of(tokens()),
        option::of(tokens()),
        option::of(tokens()),
    );
    let tail = (
        option::of(any::<bool>()),
        option::of(tokens()),
        option::of(any::<bool>()),
        option::of(opaque_tree()),
        option::of(any::<bool>()),
        option::of(any::<bool>()),
        option::of(release_version()),
        option::of(text()),
    );
    (frame, options, tail).prop_map(
        |(
            (op, to, fr, rqi, ty, pc, rids, ot, rqet, rset, oet),
            (rt, rp, rcn, ec, da, gid, fc, drt, tkns, tids, ltids),
            (tqi, grtm, asi, aus, auri, sqi, rvi, vsi),
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
            rt,
            rp,
            rcn,
            ec,
            da,
            gid,
            fc,
            drt,
            tkns,
            tids,
            ltids,
            tqi,
            grtm,
            asi,
            aus,
            auri,
            sqi,
            rvi,
            vsi,
        },
    )
}

fn response() -> impl Strategy<Value = ResponsePrimitive> {
    (
        (
            (1000u16..=9999).prop_map(ResponseStatusCode),
            option::of(text()),
            option::of(content()),
            option::of(target()),
            option::of(token()),
            option::of(timestamp()),
            option::of(abs_rel_timestamp()),
            option::of(event_category()),
        ),
        (
            option::of(select(ContentStatus::ALL)),
            option::of((0..=i64::MAX).prop_map(|n| n as u64)),
            option::of(opaque_tree()),
            option::of(opaque_tree()),
            option::of(opaque_tree()),
            option::of(release_version()),
            option::of(text()),
        ),
    )
        .prop_map(
            |((rsc, rqi, pc, to, fr, ot, rset, ec), (cnst, cnot, ati, tqf, asri, rvi, vsi))| {
                ResponsePrimitive {
                    rsc,
                    rqi,
                    pc,
                    to,
                    fr,
                    ot,
                    rset,
                    ec,
                    cnst,
                    cnot,
                    ati,
                    tqf,
                    asri,
                    rvi,
                    vsi,
                }
            },
        )
}

fn request_round_trip(s: &dyn Serializer, req: &RequestPrimitive) -> Result<(), TestCaseError> {
    let bytes = s
        .encode_request(req)
        .map_err(|e| TestCaseError::fail(format!("{} encode: {e:?}", s.name())))?;
    let back = s.decode_request(&bytes).map_err(|e| {
        TestCaseError::fail(format!(
            "{} decode: {e:?}\n{}",
            s.name(),
            String::from_utf8_lossy(&bytes)
        ))
    })?;
    prop_assert_eq!(
        &back,
        req,
        "{} payload: {}",
        s.name(),
        String::from_utf8_lossy(&bytes)
    );
    Ok(())
}

fn response_round_trip(s: &dyn Serializer, rsp: &ResponsePrimitive) -> Result<(), TestCaseError> {
    let bytes = s
        .encode_response(rsp)
        .map_err(|e| TestCaseError::fail(format!("{} encode: {e:?}", s.name())))?;
    let back = s.decode_response(&bytes).map_err(|e| {
        TestCaseError::fail(format!(
            "{} decode: {e:?}\n{}",
            s.name(),
            String::from_utf8_lossy(&bytes)
        ))
    })?;
    prop_assert_eq!(
        &back,
        rsp,
        "{} payload: {}",
        s.name(),
        String::from_utf8_lossy(&bytes)
    );
    Ok(())
}

proptest! {
    // No regression file: proptest cannot place one for an integration test (it looks for
    // a lib.rs beside it), and a failure prints the shrunk primitive anyway.
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_request_round_trips_through_json(req in request()) {
        request_round_trip(&JsonSerializer::new(), &req)?;
    }

    #[test]
    fn any_request_round_trips_through_xml(req in request()) {
        request_round_trip(&XmlSerializer::new(), &req)?;
    }

    #[test]
    fn any_request_round_trips_through_cbor(req in request()) {
        request_round_trip(&CborSerializer::new(), &req)?;
    }

    #[test]
    fn any_response_round_trips_through_json(rsp in response()) {
        response_round_trip(&JsonSerializer::new(), &rsp)?;
    }

    #[test]
    fn any_response_round_trips_through_xml(rsp in response()) {
        response_round_trip(&XmlSerializer::new(), &rsp)?;
    }

    #[test]
    fn any_response_round_trips_through_cbor(rsp in response()) {
        response_round_trip(&CborSerializer::new(), &rsp)?;
    }
}
