//! Notifications the CSE owes its subscribers after a request, and where each goes.

use onem2m_primitive::RequestPrimitive;

/// Where a notification is delivered, from one entry of a subscription's `nu`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotificationTarget {
    /// An AE-ID or CSE-ID: a oneM2M NOTIFY request over MQTT to that entity (TS-0010:
    /// `/oneM2M/req/<cse>/<entity>/<type>`), which answers it.
    Entity(String),
    /// `mqtt://host[:port]/<topic>`: the NOTIFY request published on `<topic>` (the URI's
    /// path without its leading `/`, percent-decoded; TS-0010 6.6), in JSON, with no
    /// response expected. The host is not checked: the CSE publishes on its own broker.
    Topic(String),
}

/// One notification to send: the NOTIFY request (its `rqi` left for the originator to
/// fill) and its destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// The destination.
    pub target: NotificationTarget,
    /// The NOTIFY request, `pc` = `{"m2m:sgn": {...}}`.
    pub request: RequestPrimitive,
}

impl NotificationTarget {
    /// Reads one `nu` entry. An MQTT URI without a path and other URI schemes (`http`,
    /// `coap`) are not supported: `None`.
    pub fn parse(nu: &str) -> Option<Self> {
        let lower = nu.to_ascii_lowercase();
        let rest = if lower.starts_with("mqtt://") {
            &nu["mqtt://".len()..]
        } else if lower.starts_with("mqtts://") {
            &nu["mqtts://".len()..]
        } else if lower.contains("://") {
            return None;
        } else {
            return Some(Self::Entity(nu.to_owned()));
        };
        let path = &rest[rest.find('/')?..];
        let topic = percent_decode(path.strip_prefix('/').unwrap_or(path))?;
        (!topic.is_empty()).then_some(Self::Topic(topic))
    }
}

/// `%2f` → `/` and the like; `None` on a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_an_entity_and_an_mqtt_uri_path_is_a_topic() {
        assert_eq!(
            NotificationTarget::parse("CdemoAE"),
            Some(NotificationTarget::Entity("CdemoAE".into()))
        );
        assert_eq!(
            NotificationTarget::parse("mqtt://127.0.0.1:1883/%2fbla"),
            Some(NotificationTarget::Topic("/bla".into()))
        );
        assert_eq!(
            NotificationTarget::parse("MQTT://broker/sensors/data"),
            Some(NotificationTarget::Topic("sensors/data".into()))
        );
        assert_eq!(NotificationTarget::parse("mqtt://broker"), None);
        assert_eq!(NotificationTarget::parse("mqtt://broker/%zz"), None);
        assert_eq!(NotificationTarget::parse("http://x/y"), None);
    }
}
