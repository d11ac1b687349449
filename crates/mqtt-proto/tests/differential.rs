//! Differential tests against mqttbytes 0.6, the oracle: for every packet
//! type, what our codec encodes mqttbytes decodes to the same packet, what
//! mqttbytes encodes ours decodes to the same packet, and both encoders
//! produce the same bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bytes::{Bytes, BytesMut};
use onem2m_mqtt_proto::*;
use proptest::prelude::*;

fn qos() -> impl Strategy<Value = QoS> {
    prop_oneof![
        Just(QoS::AtMostOnce),
        Just(QoS::AtLeastOnce),
        Just(QoS::ExactlyOnce)
    ]
}

fn pkid() -> impl Strategy<Value = PacketId> {
    (1u16..=u16::MAX).prop_map(|n| PacketId::new(n).unwrap())
}

fn topic() -> impl Strategy<Value = Topic> {
    "[a-zA-Z0-9_:/ é€-]{1,40}".prop_map(|s| Topic::try_from(s).unwrap())
}

fn filter() -> impl Strategy<Value = TopicFilter> {
    (
        prop::collection::vec(prop_oneof![Just("+".to_owned()), "[a-z0-9é]{0,6}"], 1..5),
        any::<bool>(),
    )
        .prop_map(|(levels, hash)| {
            let mut f = levels.join("/");
            if f.is_empty() {
                f.push('x');
            }
            if hash {
                f.push_str("/#");
            }
            TopicFilter::try_from(f).unwrap()
        })
}

fn payload() -> impl Strategy<Value = Bytes> {
    prop::collection::vec(any::<u8>(), 0..300).prop_map(Bytes::from)
}

fn byte_str(re: &'static str) -> impl Strategy<Value = ByteStr> {
    re.prop_map(|s| ByteStr::try_from(s).unwrap())
}

fn connect() -> impl Strategy<Value = Packet> {
    (
        byte_str("[a-zA-Z0-9:-]{0,30}"),
        any::<bool>(),
        any::<u16>(),
        prop::option::of((topic(), payload(), qos(), any::<bool>())),
        // mqttbytes reads a password as a string and drops empty fields.
        prop::option::of((
            byte_str("[a-zA-Z0-9é]{1,12}"),
            prop::option::of("[ -~]{1,12}"),
        )),
    )
        .prop_map(|(client_id, clean, keep_alive, will, login)| {
            let (username, password) = match login {
                None => (None, None),
                Some((u, p)) => (Some(u), p.map(Bytes::from)),
            };
            Packet::Connect(Box::new(Connect {
                client_id,
                clean_session: clean,
                keep_alive,
                will: will.map(|(topic, message, qos, retain)| Will {
                    topic,
                    message,
                    qos,
                    retain,
                }),
                username,
                password,
            }))
        })
}

fn connack() -> impl Strategy<Value = Packet> {
    (any::<bool>(), 0u8..=5).prop_map(|(present, code)| {
        Packet::ConnAck(ConnAck {
            // MQTT-3.2.2-4: a refusal never has a session.
            session_present: present && code == 0,
            code: ConnectReturnCode::from_u8(code).unwrap(),
        })
    })
}

fn publish() -> impl Strategy<Value = Packet> {
    (
        qos(),
        any::<bool>(),
        any::<bool>(),
        topic(),
        pkid(),
        payload(),
    )
        .prop_map(|(qos, dup, retain, topic, id, payload)| {
            let qos0 = qos == QoS::AtMostOnce;
            Packet::Publish(Publish {
                dup: dup && !qos0,
                qos,
                retain,
                topic,
                pkid: (!qos0).then_some(id),
                payload,
            })
        })
}

fn subscribe() -> impl Strategy<Value = Packet> {
    (pkid(), prop::collection::vec((filter(), qos()), 1..6)).prop_map(|(pkid, filters)| {
        Packet::Subscribe(Subscribe {
            pkid,
            filters: filters
                .into_iter()
                .map(|(f, q)| SubscribeFilter::new(f, q))
                .collect(),
        })
    })
}

fn suback() -> impl Strategy<Value = Packet> {
    let code = prop_oneof![
        qos().prop_map(SubscribeReturnCode::Success),
        Just(SubscribeReturnCode::Failure)
    ];
    (pkid(), prop::collection::vec(code, 1..6))
        .prop_map(|(pkid, return_codes)| Packet::SubAck(SubAck { pkid, return_codes }))
}

fn unsubscribe() -> impl Strategy<Value = Packet> {
    (pkid(), prop::collection::vec(filter(), 1..6))
        .prop_map(|(pkid, filters)| Packet::Unsubscribe(Unsubscribe { pkid, filters }))
}

/// The three differential checks on one packet.
fn check(packet: &Packet) -> Result<(), TestCaseError> {
    let own = OwnCodec::new();
    let theirs = MqttBytesCodec::new();

    let mut ours_wire = BytesMut::new();
    own.encode(packet, &mut ours_wire).unwrap();
    let mut theirs_wire = BytesMut::new();
    theirs.encode(packet, &mut theirs_wire).unwrap();
    prop_assert_eq!(&ours_wire[..], &theirs_wire[..], "encoders disagree");

    // Ours encodes, theirs decodes.
    let mut buf = ours_wire.clone();
    let decoded = MqttBytesCodec::new().decode(&mut buf).unwrap();
    prop_assert_eq!(decoded.as_ref(), Some(packet));
    prop_assert!(buf.is_empty());

    // Theirs encodes, ours decodes.
    let mut buf = theirs_wire;
    let decoded = OwnCodec::new().decode(&mut buf).unwrap();
    prop_assert_eq!(decoded.as_ref(), Some(packet));
    prop_assert!(buf.is_empty());
    Ok(())
}

fn ack(make: fn(PacketId) -> Packet) -> impl Strategy<Value = Packet> {
    pkid().prop_map(make)
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn connect_matches_mqttbytes(p in connect()) { check(&p)?; }

    #[test]
    fn connack_matches_mqttbytes(p in connack()) { check(&p)?; }

    #[test]
    fn publish_matches_mqttbytes(p in publish()) { check(&p)?; }

    #[test]
    fn puback_matches_mqttbytes(p in ack(Packet::PubAck)) { check(&p)?; }

    #[test]
    fn pubrec_matches_mqttbytes(p in ack(Packet::PubRec)) { check(&p)?; }

    #[test]
    fn pubrel_matches_mqttbytes(p in ack(Packet::PubRel)) { check(&p)?; }

    #[test]
    fn pubcomp_matches_mqttbytes(p in ack(Packet::PubComp)) { check(&p)?; }

    #[test]
    fn subscribe_matches_mqttbytes(p in subscribe()) { check(&p)?; }

    #[test]
    fn suback_matches_mqttbytes(p in suback()) { check(&p)?; }

    #[test]
    fn unsubscribe_matches_mqttbytes(p in unsubscribe()) { check(&p)?; }

    #[test]
    fn unsuback_matches_mqttbytes(p in ack(Packet::UnsubAck)) { check(&p)?; }

    /// Arbitrary bytes: whenever both codecs accept a packet they agree on it.
    #[test]
    fn on_arbitrary_bytes_both_codecs_agree_when_both_accept(
        wire in prop::collection::vec(any::<u8>(), 0..64)
    ) {
        let ours = OwnCodec::new().decode(&mut BytesMut::from(&wire[..]));
        let theirs = MqttBytesCodec::new().decode(&mut BytesMut::from(&wire[..]));
        if let (Ok(Some(a)), Ok(Some(b))) = (ours, theirs) {
            prop_assert_eq!(a, b);
        }
    }
}

#[test]
fn pingreq_pingresp_disconnect_match_mqttbytes() {
    for p in [Packet::PingReq, Packet::PingResp, Packet::Disconnect] {
        check(&p).unwrap();
    }
}

#[test]
fn mqttbytes_codec_is_usable_as_a_trait_object() {
    let mut codecs: Vec<Box<dyn Codec>> =
        vec![Box::new(OwnCodec::new()), Box::new(MqttBytesCodec::new())];
    for codec in &mut codecs {
        let mut buf = BytesMut::new();
        codec
            .encode(&Packet::PubAck(PacketId::new(3).unwrap()), &mut buf)
            .unwrap();
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Packet::PubAck(PacketId::new(3).unwrap())),
            "{}",
            codec.name()
        );
    }
}
