//! Bad oneM2M input end to end: a CSE on the embedded broker, and a raw MQTT peer
//! publishing malformed, hostile or invalid requests on its request topics. Each case
//! asserts the exact answer (status code and `rqi`, on the right topic) or that the
//! request is dropped unanswered; the handler never runs for any of them, and a good
//! request sent right after each on the same connection is still answered.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;

use binding_common::{CSE_ID, Echo, STEP, addr_of, raw_client};
use onem2m_binding::Binding;
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use onem2m_serialization::{CborSerializer, JsonSerializer, Serializer, XmlSerializer};
use onem2m_test_support::raw_mqtt::{RawMqttClient, publish};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// The request topic of the AE `/id-in/CAE01` to the CSE, per serialization.
const JSON: &str = "/oneM2M/req/id-in:CAE01/id-in/json";
const XML: &str = "/oneM2M/req/id-in:CAE01/id-in/xml";
const CBOR: &str = "/oneM2M/req/id-in:CAE01/id-in/cbor";
const JSON_ANSWER: &str = "/oneM2M/resp/id-in:CAE01/id-in/json";
const XML_ANSWER: &str = "/oneM2M/resp/id-in:CAE01/id-in/xml";
const CBOR_ANSWER: &str = "/oneM2M/resp/id-in:CAE01/id-in/cbor";

/// What a bad request must get.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    /// A response with this status, for this `rqi` (`None`: the request could not be
    /// read far enough to know it), on this topic.
    Answer(ResponseStatusCode, Option<&'static str>, &'static str),
    /// Nothing: dropped (no `rqi` to answer, an unreadable topic, or no response wanted).
    Dropped,
}

struct Case {
    name: &'static str,
    topic: &'static str,
    payload: Vec<u8>,
    outcome: Outcome,
}

fn case(
    name: &'static str,
    topic: &'static str,
    payload: impl Into<Vec<u8>>,
    outcome: Outcome,
) -> Case {
    Case {
        name,
        topic,
        payload: payload.into(),
        outcome,
    }
}

/// A JSON retrieve from CAE01 with `rqi` and the extra members `extra` (`,"k":v...`).
fn json_request(rqi: &str, extra: &str) -> Vec<u8> {
    format!(r#"{{"op":2,"to":"cse-in","fr":"CAE01","rqi":"{rqi}","rvi":"3"{extra}}}"#).into_bytes()
}

/// The same as XML, with `extra` elements before the closing tag.
fn xml_request(rqi: &str, extra: &str) -> String {
    format!(
        r#"<m2m:rqp xmlns:m2m="http://www.onem2m.org/xml/protocols"><op>2</op><to>cse-in</to><fr>CAE01</fr><rqi>{rqi}</rqi><rvi>3</rvi>{extra}</m2m:rqp>"#
    )
}

/// A CBOR retrieve from CAE01 with `rqi`, whose last member is `pc` with the raw CBOR
/// item `pc` (so that the item can be anything, well-formed or not).
fn cbor_request(rqi: &str, pc: &[u8]) -> Vec<u8> {
    let mut out = vec![0xa6];
    for (key, value) in [
        ("op", None),
        ("to", Some("cse-in")),
        ("fr", Some("CAE01")),
        ("rqi", Some(rqi)),
        ("rvi", Some("3")),
    ] {
        cbor_text(&mut out, key);
        match value {
            Some(text) => cbor_text(&mut out, text),
            None => out.push(0x02),
        }
    }
    cbor_text(&mut out, "pc");
    out.extend_from_slice(pc);
    out
}

fn cbor_text(out: &mut Vec<u8>, text: &str) {
    let len = u8::try_from(text.len()).unwrap();
    assert!(len < 24);
    out.push(0x60 | len);
    out.extend_from_slice(text.as_bytes());
}

/// The classic "billion laughs": ten levels of ten references each.
fn billion_laughs() -> String {
    let mut doctype = String::from(r#"<!DOCTYPE m2m:rqp [<!ENTITY lol0 "lol">"#);
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        doctype.push_str(&format!(r#"<!ENTITY lol{i} "{refs}">"#));
    }
    doctype.push(']');
    doctype.push('>');
    format!(
        "{doctype}{}",
        xml_request("x-lol", "<pc><m2m:dbg>&lol9;</m2m:dbg></pc>")
    )
}

fn cases() -> Vec<Case> {
    use Outcome::{Answer, Dropped};
    let bad = ResponseStatusCode::BAD_REQUEST;
    let json_400 = |rqi| Answer(bad, Some(rqi), JSON_ANSWER);
    let xml_400 = |rqi| Answer(bad, Some(rqi), XML_ANSWER);
    let cbor_400 = |rqi| Answer(bad, Some(rqi), CBOR_ANSWER);
    let truncated_cbor = {
        let whole = CborSerializer::new()
            .encode_request(&RequestPrimitive::retrieve("cse-in", "CAE01", "c-trunc"))
            .unwrap();
        whole[..whole.len() - 2].to_vec()
    };
    vec![
        // Topics.
        case("too many topic levels", "/oneM2M/req/id-in:CAE01/id-in/json/extra", json_request("t-levels", ""), Dropped),
        case("an empty originator level", "/oneM2M/req//id-in/json", json_request("t-empty", ""), Dropped),
        case("an unknown kind level", "/oneM2M/request/id-in:CAE01/id-in/json", json_request("t-kind", ""), Dropped),
        case(
            "an unknown serialization suffix",
            "/oneM2M/req/id-in:CAE01/id-in/bson",
            json_request("t-bson", ""),
            Answer(ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE, None, XML_ANSWER),
        ),
        case(
            "a suffix in the wrong case",
            "/oneM2M/req/id-in:CAE01/id-in/JSON",
            json_request("t-case", ""),
            Answer(ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE, None, XML_ANSWER),
        ),
        // JSON.
        case("JSON: not JSON at all", JSON, "hello", Dropped),
        case("JSON: an empty payload", JSON, "", Dropped),
        case("JSON: truncated", JSON, r#"{"op":2,"to":"cse-in","fr":"CAE01","rqi":"j-trunc","rvi":"3""#, json_400("j-trunc")),
        case("JSON: invalid UTF-8 in a string", JSON, [&br#"{"op":2,"to":"cse-in","fr":"CAE01","rqi":"j-utf8","rvi":"3","pc":{"m2m:dbg":""#[..], b"\xff\xfe", br#""}}"#].concat(), json_400("j-utf8")),
        case("JSON: nesting 10,000 deep", JSON, json_request("j-deep", &format!(r#","pc":{}{}"#, "[".repeat(10_000), "]".repeat(10_000))), json_400("j-deep")),
        case("JSON: an operation out of range", JSON, r#"{"op":99,"to":"cse-in","fr":"CAE01","rqi":"j-op","rvi":"3"}"#, json_400("j-op")),
        case("JSON: a number too large for any type", JSON, r#"{"op":1e400,"to":"cse-in","fr":"CAE01","rqi":"j-huge","rvi":"3"}"#, json_400("j-huge")),
        case("JSON: missing to", JSON, r#"{"op":2,"fr":"CAE01","rqi":"j-noto","rvi":"3"}"#, json_400("j-noto")),
        case("JSON: missing op", JSON, r#"{"to":"cse-in","fr":"CAE01","rqi":"j-noop","rvi":"3"}"#, json_400("j-noop")),
        case("JSON: missing rqi", JSON, r#"{"op":2,"to":"cse-in","fr":"CAE01","rvi":"3"}"#, Dropped),
        case("JSON: missing fr on a retrieve", JSON, r#"{"op":2,"to":"cse-in","rqi":"j-nofr","rvi":"3"}"#, json_400("j-nofr")),
        case(
            "JSON: missing rvi",
            JSON,
            r#"{"op":2,"to":"cse-in","fr":"CAE01","rqi":"j-norvi"}"#,
            Answer(ResponseStatusCode::RELEASE_VERSION_NOT_SUPPORTED, Some("j-norvi"), JSON_ANSWER),
        ),
        case(
            "JSON: expired rqet",
            JSON,
            json_request("j-expired", r#","rqet":"20200101T000000""#),
            Answer(ResponseStatusCode::REQUEST_TIMEOUT, Some("j-expired"), JSON_ANSWER),
        ),
        case(
            "JSON: expired rset",
            JSON,
            json_request("j-rset", r#","rset":"20200101T000000""#),
            Answer(ResponseStatusCode::REQUEST_TIMEOUT, Some("j-rset"), JSON_ANSWER),
        ),
        case("JSON: badly formatted rqet", JSON, json_request("j-rqet-text", r#","rqet":"tomorrow""#), json_400("j-rqet-text")),
        case("JSON: badly formatted ot", JSON, json_request("j-ot", r#","ot":"20261345T256100""#), json_400("j-ot")),
        case(
            "JSON: a spoofed originator",
            JSON,
            r#"{"op":2,"to":"cse-in","fr":"/id-in/CAE02","rqi":"j-spoof","rvi":"3"}"#,
            Answer(ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE, Some("j-spoof"), JSON_ANSWER),
        ),
        case(
            "JSON: the CSE's own ID as originator",
            JSON,
            r#"{"op":2,"to":"cse-in","fr":"/id-in","rqi":"j-self","rvi":"3"}"#,
            Answer(ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE, Some("j-self"), JSON_ANSWER),
        ),
        case("JSON: a spoofed originator wanting no response", JSON, r#"{"op":2,"to":"cse-in","fr":"/id-in/CAE02","rqi":"j-quiet","rvi":"3","rt":{"rtv":5}}"#, Dropped),
        // XML.
        case("XML: not XML at all", XML, "{not xml", Dropped),
        case("XML: truncated", XML, &xml_request("x-trunc", "")[..130], xml_400("x-trunc")),
        case("XML: mismatched tags", XML, xml_request("x-tags", "<pc><m2m:dbg>a</pc></m2m:dbg>"), xml_400("x-tags")),
        case("XML: entity expansion (billion laughs)", XML, billion_laughs(), xml_400("x-lol")),
        case(
            "XML: an external entity",
            XML,
            format!(r#"<!DOCTYPE m2m:rqp [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>{}"#, xml_request("x-xxe", "<pc><m2m:dbg>&xxe;</m2m:dbg></pc>")),
            xml_400("x-xxe"),
        ),
        case("XML: nesting 10,000 deep", XML, xml_request("x-deep", &format!("<pc>{}{}</pc>", "<a>".repeat(10_000), "</a>".repeat(10_000))), xml_400("x-deep")),
        case("XML: a response on a request topic", XML, r#"<m2m:rsp xmlns:m2m="http://www.onem2m.org/xml/protocols"><rsc>2000</rsc><rqi>x-rsp</rqi></m2m:rsp>"#, xml_400("x-rsp")),
        case("XML: badly formatted rqet", XML, xml_request("x-rqet", "<rqet>not-a-time</rqet>"), xml_400("x-rqet")),
        // CBOR.
        case("CBOR: an empty payload", CBOR, "", Dropped),
        case("CBOR: truncated", CBOR, truncated_cbor, cbor_400("c-trunc")),
        case("CBOR: an array instead of a map", CBOR, [0x83, 0x01, 0x02, 0x03], Dropped),
        case("CBOR: nesting 10,000 deep", CBOR, cbor_request("c-deep", &[vec![0x81; 10_000], vec![0x80]].concat()), cbor_400("c-deep")),
        case("CBOR: a byte string announcing 2^62 bytes", CBOR, cbor_request("c-huge", &[0x5b, 0x40, 0, 0, 0, 0, 0, 0, 0]), cbor_400("c-huge")),
        case("CBOR: a map announcing 2^32 entries", CBOR, cbor_request("c-map", &[0xbb, 0, 0, 0, 1, 0, 0, 0, 0]), cbor_400("c-map")),
        case("CBOR: invalid UTF-8 in a text string", CBOR, cbor_request("c-utf8", &[0x62, 0xff, 0xfe]), cbor_400("c-utf8")),
    ]
}

/// Publishes `payload` on `topic` at QoS 1 without waiting for the PUBACK (which the
/// reading loop skips), so that an early answer is never mistaken for it.
async fn send(peer: &mut RawMqttClient<TcpStream>, packet_id: u16, topic: &str, payload: &[u8]) {
    peer.send(&publish(topic, payload, 1, packet_id))
        .await
        .unwrap();
}

/// A response seen by the peer, with its topic.
type Seen = (String, ResponsePrimitive);

/// Collects the responses that arrive until `enough` says so.
async fn answers_until(
    peer: &mut RawMqttClient<TcpStream>,
    enough: impl Fn(&[Seen]) -> bool,
) -> Vec<Seen> {
    let mut seen = Vec::new();
    timeout(STEP, async {
        while !enough(&seen) {
            // Not a PUBLISH (a PUBACK of ours), or the raw client's 5 s read limit.
            let Ok(publish) = peer.expect_publish().await else {
                continue;
            };
            let codec: Box<dyn Serializer> = match publish.topic.rsplit('/').next() {
                Some("json") => Box::new(JsonSerializer::new()),
                Some("cbor") => Box::new(CborSerializer::new()),
                _ => Box::new(XmlSerializer::new()),
            };
            let response = codec
                .decode_response(&publish.payload)
                .unwrap_or_else(|e| panic!("undecodable answer on {}: {e}", publish.topic));
            seen.push((publish.topic, response));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("not every answer came in time; seen {seen:?}"));
    seen
}

/// The CSE `/id-in` on `broker`, serving with `echo`.
async fn cse(broker: &EmbeddedBroker, echo: &Echo) -> Binding {
    Binding::builder()
        .cse_id(CSE_ID)
        .url(&broker.url())
        .unwrap()
        .handler(echo.handler())
        .build()
        .await
        .unwrap()
}

fn answers(seen: &[Seen], rqi: &str) -> bool {
    seen.iter().any(|(_, r)| r.rqi.as_deref() == Some(rqi))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_request_gets_its_own_answer_and_the_next_good_one_is_served() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
        .await
        .unwrap();
    let echo = Echo::default();
    let cse = cse(&broker, &echo).await;
    let mut peer = raw_client(addr_of(&broker.url()), "bad-peer", "/oneM2M/resp/#").await;
    let cases = cases();
    assert!(cases.len() >= 35, "{} cases", cases.len());
    let good_payload = |rqi: &str| json_request(rqi, "");

    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let n = u16::try_from(2 * i + 1).unwrap();
        let good = format!("good-{i}");
        send(&mut peer, n, case.topic, &case.payload).await;
        send(&mut peer, n + 1, JSON, &good_payload(&good)).await;
        let expected: Vec<_> = match case.outcome {
            Outcome::Answer(rsc, rqi, topic) => vec![(rsc, rqi, topic)],
            Outcome::Dropped => Vec::new(),
        };
        // A rejection may be published after the good request's answer: wait for both.
        let seen = answers_until(&mut peer, |seen| {
            let as_wanted = |(rsc, rqi, topic): &(ResponseStatusCode, Option<&str>, &str)| {
                seen.iter()
                    .any(|(t, r)| (r.rsc, r.rqi.as_deref(), t.as_str()) == (*rsc, *rqi, *topic))
            };
            answers(seen, &good) && expected.iter().all(as_wanted)
        })
        .await;
        let (good_answers, seen): (Vec<Seen>, Vec<Seen>) = seen
            .into_iter()
            .partition(|(_, r)| r.rqi.as_deref() == Some(good.as_str()));
        assert_eq!(
            good_answers
                .iter()
                .map(|(t, r)| (t.as_str(), r.rsc))
                .collect::<Vec<_>>(),
            [(JSON_ANSWER, ResponseStatusCode::OK)],
            "{}: the good request after it",
            case.name
        );
        let got: Vec<_> = seen
            .iter()
            .map(|(topic, r)| (r.rsc, r.rqi.as_deref(), topic.as_str()))
            .collect();
        if got != expected {
            failures.push(format!("{}: expected {expected:?}, got {got:?}", case.name));
        }
        if let Some((_, answer)) = seen.first()
            && let Some(text) = answer.debug_message()
        {
            assert!(!text.contains("root:"), "{}: leaked {text}", case.name);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(echo.calls(), cases.len(), "the handler ran a bad request");
    cse.shutdown().await;
    broker.shutdown().await.unwrap();
}
