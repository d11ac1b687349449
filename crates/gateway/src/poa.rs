//! The pointOfAccess rewriting: an AE that registers through the gateway is given a
//! `poa` on the gateway's HTTP endpoint, so that the CSE's requests to it come to the
//! gateway, and the AE reads back the `poa` it wrote.
//!
//! The rewritten URL carries everything needed to undo it, so the gateway keeps no
//! state and any member of a group of gateways can serve any AE:
//! `<endpoint>/via-mqtt/<AE-ID>/<original poa>...`, each part hex-encoded, because
//! HTTP stacks on the way (the CSE's among them) may decode or re-encode percent
//! escapes but leave `[0-9a-f]` alone.

use onem2m_primitive::{Map, Value};

/// The path segment that marks a gateway endpoint in a `poa`.
const MARKER: &str = "via-mqtt";
/// The member of an AE's representation that holds its points of access.
const POA: &str = "poa";
/// The root of an AE's representation in content.
const AE: &str = "m2m:ae";

/// Rewrites the `poa` of AEs to the gateway's endpoint and back.
///
/// ```
/// use onem2m_gateway::PoaRewriter;
/// use onem2m_primitive::{Map, Value};
///
/// let rewriter = PoaRewriter::new("http://127.0.0.1:8081");
/// let mut ae = Map::new();
/// ae.insert("poa", Value::List(vec!["mqtt://127.0.0.1:1883".into()]));
/// let mut pc = Value::Map([("m2m:ae", Value::Map(ae.clone()))].into_iter().collect::<Map>());
///
/// rewriter.rewrite_ae(&mut pc, "CmyAE");
/// let poa = &pc.as_map().unwrap().get("m2m:ae").unwrap().as_map().unwrap().get("poa").unwrap();
/// let url = poa.as_list().unwrap()[0].as_str().unwrap();
/// assert!(url.starts_with("http://127.0.0.1:8081/via-mqtt/"));
/// assert_eq!(PoaRewriter::ae_of_target(&url["http://127.0.0.1:8081/".len()..]).as_deref(), Some("CmyAE"));
///
/// PoaRewriter::restore(&mut pc);
/// assert_eq!(pc, Value::Map([("m2m:ae", Value::Map(ae))].into_iter().collect::<Map>()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoaRewriter {
    endpoint: String,
}

impl PoaRewriter {
    /// Rewrites to `endpoint`, the gateway's HTTP URL as the CSE reaches it
    /// (`http://host:port`, a trailing `/` is dropped).
    pub fn new(endpoint: impl Into<String>) -> Self {
        let mut endpoint = endpoint.into();
        while endpoint.ends_with('/') {
            endpoint.pop();
        }
        Self { endpoint }
    }

    /// The endpoint rewritten `poa`s point to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The `poa` that sends the CSE's requests for `ae_id` to the gateway, and
    /// remembers `originals`.
    pub fn poa_for(&self, ae_id: &str, originals: &[String]) -> String {
        let mut url = format!("{}/{MARKER}/{}", self.endpoint, hex_encode(ae_id));
        for original in originals {
            url.push('/');
            url.push_str(&hex_encode(original));
        }
        url
    }

    /// Sets the `poa` of the AE representation in `pc` (`m2m:ae`) to the gateway's
    /// endpoint for `ae_id`, remembering the AE's own points of access (which may be
    /// none: the AE is then reachable through the gateway all the same). Returns
    /// whether `pc` held an AE representation.
    pub fn rewrite_ae(&self, pc: &mut Value, ae_id: &str) -> bool {
        let Some(ae) = ae_representation(pc) else {
            return false;
        };
        // In place: the AE reads its attributes back in the order it wrote them.
        let originals = ae.get(POA).cloned().map(strings).unwrap_or_default();
        ae.insert(
            POA,
            Value::List(vec![Value::Text(self.poa_for(ae_id, &originals))]),
        );
        true
    }

    /// Whether the AE representation in `pc` sets its `poa` (an update that does not
    /// leaves it alone).
    pub fn sets_poa(pc: &Value) -> bool {
        pc.as_map()
            .and_then(|pc| pc.get(AE))
            .and_then(Value::as_map)
            .is_some_and(|ae| ae.contains_key(POA))
    }

    /// Puts back, anywhere in `pc`, the points of access that gateway `poa`s stand for
    /// (of any gateway: members of a group rewrite to different endpoints). A `poa`
    /// that only held a gateway endpoint for an AE without one of its own is removed.
    pub fn restore(pc: &mut Value) {
        match pc {
            Value::Map(map) => restore_in(map),
            Value::List(items) => items.iter_mut().for_each(Self::restore),
            _ => {}
        }
    }

    /// The AE-ID a request to the gateway's endpoint is for, from its target (the
    /// request's `to`: the path without its leading `/`, percent-decoded). What
    /// follows the AE-ID is ignored: ACME, for one, appends the AE's resource ID to
    /// the `poa` it sends a notification to.
    pub fn ae_of_target(to: &str) -> Option<String> {
        let mut segments = to.trim_start_matches('/').split('/');
        segments.find(|s| *s == MARKER)?;
        hex_decode(segments.next()?).filter(|ae_id| !ae_id.is_empty())
    }
}

/// The `m2m:ae` map in `pc`, if any.
fn ae_representation(pc: &mut Value) -> Option<&mut Map> {
    match pc {
        Value::Map(map) => match map.get_mut(AE) {
            Some(Value::Map(ae)) => Some(ae),
            _ => None,
        },
        _ => None,
    }
}

fn restore_in(map: &mut Map) {
    let mut drop_poa = false;
    for (key, value) in map.iter_mut() {
        if key == POA {
            drop_poa = restore_poa(value);
        } else {
            PoaRewriter::restore(value);
        }
    }
    if drop_poa {
        map.remove(POA);
    }
}

/// Replaces each gateway URL of a `poa` list by the originals it carries; returns
/// whether nothing but gateway URLs without originals was there.
fn restore_poa(poa: &mut Value) -> bool {
    let Value::List(entries) = poa else {
        return false;
    };
    let mut had_gateway = false;
    let mut restored = Vec::with_capacity(entries.len());
    for entry in entries.drain(..) {
        match entry.as_str().and_then(parse_url) {
            Some((_, originals)) => {
                had_gateway = true;
                restored.extend(originals.into_iter().map(Value::Text));
            }
            None => restored.push(entry),
        }
    }
    *entries = restored;
    had_gateway && entries.is_empty()
}

/// The AE-ID and originals of a gateway URL `http(s)://authority/.../via-mqtt/...`.
fn parse_url(url: &str) -> Option<(String, Vec<String>)> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let (_, path) = rest.split_once('/')?;
    parse_path(path)
}

/// The AE-ID and originals of a path `<prefix...>/via-mqtt/<hex>/<hex>...` (no leading
/// `/`). The prefix lets a gateway sit behind a reverse proxy's path.
fn parse_path(path: &str) -> Option<(String, Vec<String>)> {
    let segments: Vec<&str> = path.split('/').collect();
    let marker = segments.iter().position(|s| *s == MARKER)?;
    let mut parts = segments[marker + 1..].iter().map(|s| hex_decode(s));
    // The AE-ID may be empty: the gateway writes a poa before the CSE has
    // assigned one, and it must still be restorable.
    let ae_id = parts.next()??;
    let originals = parts.collect::<Option<Vec<_>>>()?;
    Some((ae_id, originals))
}

/// The text entries of a `poa` value (a list, or leniently a single string).
fn strings(value: Value) -> Vec<String> {
    match value {
        Value::List(items) => items
            .into_iter()
            .filter_map(|v| v.into_lenient_string().ok())
            .collect(),
        Value::Null => Vec::new(),
        other => other.into_lenient_string().into_iter().collect(),
    }
}

fn hex_encode(text: &str) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(text.len() * 2);
    for byte in text.bytes() {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

fn hex_decode(hex: &str) -> Option<String> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn ae_pc(poa: Option<Vec<&str>>) -> Value {
        let mut ae = Map::new();
        ae.insert("rn", "myAE");
        if let Some(poa) = poa {
            ae.insert(
                "poa",
                Value::List(poa.into_iter().map(Value::from).collect()),
            );
        }
        Value::Map([("m2m:ae", Value::Map(ae))].into_iter().collect())
    }

    fn poa_of(pc: &Value) -> Option<Vec<String>> {
        let ae = pc.as_map()?.get("m2m:ae")?.as_map()?;
        Some(
            ae.get("poa")?
                .as_list()?
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect(),
        )
    }

    #[test]
    fn several_points_of_access_become_one_gateway_url_and_come_back_in_order() {
        let rewriter = PoaRewriter::new("http://gw:8081/");
        let original = ae_pc(Some(vec!["mqtt://b:1883", "http://ae.example/x?y=1&z"]));
        let mut pc = original.clone();
        assert!(rewriter.rewrite_ae(&mut pc, "/id-in/Cae"));
        let poa = poa_of(&pc).unwrap();
        assert_eq!(poa.len(), 1);
        assert!(poa[0].starts_with("http://gw:8081/via-mqtt/"), "{poa:?}");
        assert!(
            poa[0]["http://gw:8081/via-mqtt/".len()..]
                .bytes()
                .all(|b| b == b'/' || b.is_ascii_hexdigit()),
            "only hex digits survive every HTTP stack: {poa:?}"
        );
        PoaRewriter::restore(&mut pc);
        assert_eq!(pc, original);
    }

    #[test]
    fn a_poa_written_before_the_cse_assigned_the_ae_id_is_restorable() {
        let rewriter = PoaRewriter::new("http://gw:8081");
        let original = ae_pc(Some(vec!["mqtt://b:1883"]));
        let mut pc = original.clone();
        rewriter.rewrite_ae(&mut pc, "");
        PoaRewriter::restore(&mut pc);
        assert_eq!(pc, original);
    }

    #[test]
    fn an_ae_without_a_poa_gets_the_gateway_and_reads_back_none() {
        let rewriter = PoaRewriter::new("http://gw:8081");
        let original = ae_pc(None);
        let mut pc = original.clone();
        rewriter.rewrite_ae(&mut pc, "Cae");
        assert_eq!(poa_of(&pc).unwrap().len(), 1);
        PoaRewriter::restore(&mut pc);
        assert_eq!(pc, original);
    }

    #[test]
    fn the_target_of_a_request_to_the_endpoint_names_the_ae() {
        let rewriter = PoaRewriter::new("http://gw:8081");
        let url = rewriter.poa_for("Cae/with slash", &["mqtt://x".to_owned()]);
        let path = &url["http://gw:8081/".len()..];
        assert_eq!(
            PoaRewriter::ae_of_target(path).as_deref(),
            Some("Cae/with slash")
        );
        assert_eq!(
            PoaRewriter::ae_of_target(&format!("/proxy/{path}")).as_deref(),
            Some("Cae/with slash"),
            "a path prefix (reverse proxy) is allowed"
        );
        assert_eq!(
            PoaRewriter::ae_of_target(&format!("{path}/Cae")).as_deref(),
            Some("Cae/with slash"),
            "what a CSE appends is ignored"
        );
        for bad in [
            "cse-in/myAE",
            "via-mqtt",
            "via-mqtt/",
            "via-mqtt/zz",
            "via-mqtt/4",
        ] {
            assert_eq!(PoaRewriter::ae_of_target(bad), None, "{bad}");
        }
    }

    #[test]
    fn restore_reaches_representations_nested_anywhere_and_leaves_other_poas_alone() {
        let rewriter = PoaRewriter::new("http://gw:1");
        let mut ae = ae_pc(Some(vec!["mqtt://b"]));
        rewriter.rewrite_ae(&mut ae, "Cae");
        let other = Value::from("http://elsewhere/notify");
        let mut list = Map::new();
        list.insert(
            "m2m:ae",
            Value::List(vec![ae.as_map().unwrap().get("m2m:ae").unwrap().clone()]),
        );
        list.insert("poa", Value::List(vec![other.clone()]));
        let mut pc = Value::Map(
            [(
                "m2m:sgn",
                Value::Map([("nev", Value::Map(list))].into_iter().collect()),
            )]
            .into_iter()
            .collect(),
        );
        PoaRewriter::restore(&mut pc);
        let nev = pc
            .as_map()
            .unwrap()
            .get("m2m:sgn")
            .unwrap()
            .as_map()
            .unwrap()
            .get("nev")
            .unwrap()
            .as_map()
            .unwrap();
        let restored = nev.get("m2m:ae").unwrap().as_list().unwrap()[0]
            .as_map()
            .unwrap();
        assert_eq!(
            restored.get("poa"),
            Some(&Value::List(vec!["mqtt://b".into()]))
        );
        assert_eq!(nev.get("poa"), Some(&Value::List(vec![other])));
    }

    #[test]
    fn content_without_an_ae_is_not_rewritten() {
        let rewriter = PoaRewriter::new("http://gw:1");
        let mut pc = Value::Map([("m2m:cnt", Value::Map(Map::new()))].into_iter().collect());
        let before = pc.clone();
        assert!(!rewriter.rewrite_ae(&mut pc, "Cae"));
        assert_eq!(pc, before);
    }

    #[test]
    fn hex_survives_any_text() {
        for text in ["", "Cae", "/id-in/Cä", "mqtt://h:1/p?q=%20"] {
            assert_eq!(hex_decode(&hex_encode(text)).as_deref(), Some(text));
        }
        assert_eq!(hex_decode("ff"), None, "not UTF-8");
        assert_eq!(hex_decode("abc"), None);
    }
}
