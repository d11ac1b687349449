//! A PUBLISH too large for the codec: skipped and acknowledged instead of ending the
//! connection.
//!
//! MQTT 3.1.1 gives a client no way to refuse one message. Closing the connection
//! (what any other decode error does) would be worse than useless here: the broker
//! delivers an unacknowledged QoS 1 message again on the next connection, which then
//! fails the same way, for ever, and nothing else gets through. So the driver drops
//! the message's bytes as they arrive, without buffering them, and sends PUBACK.

use onem2m_mqtt_proto::PacketId;

/// What the start of the read buffer says about a packet the codec found too large.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OversizeHead {
    /// A QoS 0 or 1 PUBLISH: skip it, and acknowledge it if it has a packet id.
    Skip {
        /// The packet id to acknowledge (QoS 1).
        pkid: Option<PacketId>,
        /// The topic, lossily, for the log.
        topic: String,
    },
    /// The topic or packet id has not arrived yet.
    NeedMore,
    /// Anything else (another packet type, QoS 2 whose PUBREC needs the session, a
    /// malformed header): the connection cannot go on.
    Fatal,
}

/// Reads the fixed header, topic and packet id of the PUBLISH at the start of `buf`.
pub(crate) fn oversize_head(buf: &[u8]) -> OversizeHead {
    let Some(&byte1) = buf.first() else {
        return OversizeHead::NeedMore;
    };
    let qos = (byte1 >> 1) & 0x03;
    if byte1 >> 4 != 3 || qos > 1 {
        return OversizeHead::Fatal;
    }
    // The remaining length: up to four bytes, the last without the high bit.
    let Some(length_bytes) = buf.iter().skip(1).take(4).position(|b| b & 0x80 == 0) else {
        return if buf.len() >= 5 {
            OversizeHead::Fatal
        } else {
            OversizeHead::NeedMore
        };
    };
    let topic_at = 2 + length_bytes;
    let Some(len) = buf.get(topic_at..topic_at + 2) else {
        return OversizeHead::NeedMore;
    };
    let topic_len = usize::from(u16::from_be_bytes([len[0], len[1]]));
    let pkid_at = topic_at + 2 + topic_len;
    let id_len = if qos == 1 { 2 } else { 0 };
    let Some(head) = buf.get(topic_at + 2..pkid_at + id_len) else {
        return OversizeHead::NeedMore;
    };
    let (topic, id) = head.split_at(topic_len);
    let pkid = match id {
        [hi, lo] => match PacketId::new(u16::from_be_bytes([*hi, *lo])) {
            Some(pkid) => Some(pkid),
            None => return OversizeHead::Fatal,
        },
        _ => None,
    };
    OversizeHead::Skip {
        pkid,
        topic: String::from_utf8_lossy(topic).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_qos1_publish_head_gives_its_packet_id_and_topic() {
        // PUBLISH QoS 1, remaining length 300 (two bytes), topic "/t", packet id 7.
        let buf = [0x32, 0xac, 0x02, 0x00, 0x02, b'/', b't', 0x00, 0x07, b'x'];
        assert_eq!(
            oversize_head(&buf),
            OversizeHead::Skip {
                pkid: PacketId::new(7),
                topic: "/t".into()
            }
        );
    }

    #[test]
    fn a_head_cut_short_needs_more_and_anything_else_is_fatal() {
        assert_eq!(oversize_head(&[0x30, 0xff]), OversizeHead::NeedMore);
        assert_eq!(
            oversize_head(&[0x32, 0x10, 0x00, 0x02, b'/', b't', 0x00]),
            OversizeHead::NeedMore
        );
        assert_eq!(
            oversize_head(&[0x30, 0x10, 0x00, 0x02, b'/', b't']),
            OversizeHead::Skip {
                pkid: None,
                topic: "/t".into()
            }
        );
        assert_eq!(oversize_head(&[0x34, 0x10]), OversizeHead::Fatal, "QoS 2");
        assert_eq!(
            oversize_head(&[0x90, 0x10]),
            OversizeHead::Fatal,
            "not a PUBLISH"
        );
        assert_eq!(
            oversize_head(&[0x32, 0x10, 0x00, 0x01, b'/', 0x00, 0x00]),
            OversizeHead::Fatal,
            "packet id 0"
        );
        assert_eq!(
            oversize_head(&[0x30, 0xff, 0xff, 0xff, 0xff, 0x01]),
            OversizeHead::Fatal
        );
    }
}
