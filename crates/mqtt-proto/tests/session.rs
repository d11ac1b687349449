//! The client session against a scripted broker with a fake clock: connect,
//! keep-alive, QoS 0/1/2 both ways, the in-flight window, subscriptions and
//! what happens to unacknowledged work across reconnects.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use bytes::Bytes;
use common::*;
use onem2m_mqtt_proto::*;

fn qos1(b: &mut Broker, t: &'static str) -> PacketId {
    b.session
        .publish(topic(t), payload(t), QoS::AtLeastOnce, false)
        .unwrap()
        .unwrap()
}

fn qos2(b: &mut Broker, t: &'static str) -> PacketId {
    b.session
        .publish(topic(t), payload(t), QoS::ExactlyOnce, false)
        .unwrap()
        .unwrap()
}

fn incoming(qos: QoS, pkid: Option<u16>, dup: bool, t: &'static str) -> Packet {
    Packet::Publish(Publish {
        dup,
        qos,
        retain: false,
        topic: topic(t),
        pkid: pkid.map(id),
        payload: payload("data"),
    })
}

// ---- CONNECT / CONNACK ---------------------------------------------------------

#[test]
fn connect_carries_the_options_with_no_will_and_clean_session_off_by_default() {
    let mut o = options("CAE-1");
    o.keep_alive = Duration::from_secs(30);
    o.username = Some(ByteStr::from_static("user").unwrap());
    o.password = Some(Bytes::from_static(b"secret"));
    let mut b = Broker::new(o);
    let Connected {
        connect,
        sent: after,
        events,
    } = b.connect(true);
    assert_eq!(connect.client_id, "CAE-1");
    assert!(!connect.clean_session);
    assert_eq!(connect.keep_alive, 30);
    assert_eq!(connect.will, None);
    assert_eq!(connect.username.as_ref().unwrap(), "user");
    assert_eq!(connect.password.as_deref(), Some(&b"secret"[..]));
    assert!(after.is_empty());
    assert_eq!(
        events,
        [Event::Connected {
            session_present: true
        }]
    );
    assert!(b.session.is_connected());
}

#[test]
fn every_connack_refusal_becomes_a_typed_error_and_disconnects() {
    for refusal in [
        ConnectRefusal::UnacceptableProtocolVersion,
        ConnectRefusal::IdentifierRejected,
        ConnectRefusal::ServerUnavailable,
        ConnectRefusal::BadUserNameOrPassword,
        ConnectRefusal::NotAuthorized,
    ] {
        let mut b = Broker::new(options("c"));
        b.session.connect(b.now).unwrap();
        b.received();
        let err = b
            .send(Packet::ConnAck(ConnAck {
                session_present: false,
                code: ConnectReturnCode::Refused(refusal),
            }))
            .unwrap_err();
        assert!(
            matches!(err, Error::ConnectionRefused(r) if r == refusal),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .contains(&format!("return code {}", refusal as u8))
        );
        assert_eq!(b.session.state(), SessionState::Disconnected);
        assert!(b.events().is_empty());
    }
}

#[test]
fn no_connack_within_the_connect_timeout_fails_the_connection() {
    let mut o = options("c");
    o.connect_timeout = Duration::from_secs(5);
    let mut b = Broker::new(o);
    b.session.connect(b.now).unwrap();
    b.received();
    assert_eq!(
        b.session.poll_timeout(),
        Some(b.now + Duration::from_secs(5))
    );
    b.advance(Duration::from_secs(5));
    assert!(matches!(b.tick(), Err(Error::ConnectTimeout { .. })));
    assert_eq!(b.session.state(), SessionState::Disconnected);
}

#[test]
fn a_session_present_answer_to_a_clean_session_connect_is_a_protocol_violation() {
    let mut o = options("c");
    o.clean_session = true;
    let mut b = Broker::new(o);
    b.session.connect(b.now).unwrap();
    b.received();
    let err = b
        .send(Packet::ConnAck(ConnAck {
            session_present: true,
            code: ConnectReturnCode::Accepted,
        }))
        .unwrap_err();
    assert!(matches!(err, Error::ProtocolViolation { .. }));
}

#[test]
fn a_packet_other_than_connack_first_is_a_protocol_violation() {
    let mut b = Broker::new(options("c"));
    b.session.connect(b.now).unwrap();
    b.received();
    assert!(matches!(
        b.send(Packet::PingResp),
        Err(Error::ProtocolViolation { .. })
    ));
    assert_eq!(b.session.state(), SessionState::Disconnected);
}

#[test]
fn packets_only_a_client_sends_are_protocol_violations_from_the_server() {
    for p in [Packet::PingReq, Packet::Disconnect] {
        let mut b = Broker::new(options("c"));
        b.connect(false);
        assert!(matches!(b.send(p), Err(Error::ProtocolViolation { .. })));
        assert!(!b.session.is_connected());
    }
}

#[test]
fn options_that_contradict_the_spec_are_refused() {
    let mut o = options("c");
    o.password = Some(Bytes::from_static(b"p"));
    assert!(matches!(
        Session::new(o, MemoryStore::new()),
        Err(Error::InvalidOptions(_))
    ));
    let o = options("");
    assert!(matches!(
        Session::new(o, MemoryStore::new()),
        Err(Error::InvalidOptions(_))
    ));
    let mut o = options("c");
    o.keep_alive = Duration::from_millis(1500);
    assert!(Session::new(o, MemoryStore::new()).is_err());
}

// ---- keep-alive ----------------------------------------------------------------------

#[test]
fn keep_alive_pings_when_idle_and_declares_the_link_dead_without_pingresp() {
    let mut o = options("c");
    o.keep_alive = Duration::from_secs(10);
    let mut b = Broker::new(o);
    let start = b.now;
    b.connect(false);
    assert_eq!(
        b.session.poll_timeout(),
        Some(start + Duration::from_secs(10))
    );

    b.advance(Duration::from_secs(9));
    b.tick().unwrap();
    assert!(b.received().is_empty());

    b.advance(Duration::from_secs(1));
    b.tick().unwrap();
    assert_eq!(b.received(), [Packet::PingReq]);
    b.send(Packet::PingResp).unwrap();
    assert_eq!(
        b.session.poll_timeout(),
        Some(start + Duration::from_secs(20))
    );

    // Second ping: the broker (or the network) stays silent.
    b.advance(Duration::from_secs(10));
    b.tick().unwrap();
    assert_eq!(b.received(), [Packet::PingReq]);
    b.advance(Duration::from_secs(9));
    b.tick().unwrap();
    b.advance(Duration::from_secs(1));
    let err = b.tick().unwrap_err();
    assert!(matches!(err, Error::KeepAliveTimeout { waited } if waited == Duration::from_secs(10)));
    assert_eq!(b.session.state(), SessionState::Disconnected);
}

#[test]
fn sending_anything_postpones_the_next_ping() {
    let mut o = options("c");
    o.keep_alive = Duration::from_secs(10);
    let mut b = Broker::new(o);
    let start = b.now;
    b.connect(false);
    b.advance(Duration::from_secs(6));
    qos1(&mut b, "t");
    b.received();
    assert_eq!(
        b.session.poll_timeout(),
        Some(start + Duration::from_secs(16))
    );
}

#[test]
fn a_ping_timeout_shorter_than_keep_alive_is_honoured() {
    let mut o = options("c");
    o.keep_alive = Duration::from_secs(60);
    o.ping_timeout = Some(Duration::from_secs(5));
    let mut b = Broker::new(o);
    b.connect(false);
    b.advance(Duration::from_secs(60));
    b.tick().unwrap();
    assert_eq!(b.received(), [Packet::PingReq]);
    b.advance(Duration::from_secs(5));
    assert!(matches!(b.tick(), Err(Error::KeepAliveTimeout { .. })));
}

#[test]
fn keep_alive_zero_disables_pings() {
    let mut o = options("c");
    o.keep_alive = Duration::ZERO;
    let mut b = Broker::new(o);
    let connect = b.connect(false).connect;
    assert_eq!(connect.keep_alive, 0);
    assert_eq!(b.session.poll_timeout(), None);
    b.advance(Duration::from_secs(100_000));
    b.session.handle_timeout(b.now).unwrap();
    assert!(b.received().is_empty());
}

// ---- publishing -------------------------------------------------------------------

#[test]
fn qos0_publish_is_sent_once_and_not_kept() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let r = b
        .session
        .publish(topic("a"), payload("x"), QoS::AtMostOnce, true)
        .unwrap();
    assert_eq!(r, None);
    let sent = b.received();
    let p = publish_in(&sent[0]);
    assert!(p.retain && p.pkid.is_none() && !p.dup);
    assert_eq!(b.session.in_flight(), 0);
}

#[test]
fn qos0_publish_while_disconnected_is_refused() {
    let mut b = Broker::new(options("c"));
    assert!(matches!(
        b.session
            .publish(topic("a"), payload("x"), QoS::AtMostOnce, false),
        Err(Error::InvalidState { .. })
    ));
}

#[test]
fn qos1_publish_completes_on_puback() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let pkid = qos1(&mut b, "a");
    let sent = b.received();
    assert_eq!(pkid_of(&sent[0]), pkid);
    assert!(!publish_in(&sent[0]).dup);
    assert_eq!(b.session.in_flight(), 1);
    b.send(Packet::PubAck(pkid)).unwrap();
    assert!(b.events().contains(&Event::Published { pkid }));
    assert_eq!(b.session.in_flight(), 0);
}

#[test]
fn qos2_publish_goes_through_pubrec_pubrel_pubcomp() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let pkid = qos2(&mut b, "a");
    assert_eq!(publish_in(&b.received()[0]).qos, QoS::ExactlyOnce);
    b.send(Packet::PubRec(pkid)).unwrap();
    assert_eq!(b.received(), [Packet::PubRel(pkid)]);
    assert!(
        !b.events()
            .iter()
            .any(|e| matches!(e, Event::Published { .. }))
    );
    b.send(Packet::PubComp(pkid)).unwrap();
    assert_eq!(b.events(), [Event::Published { pkid }]);
    assert_eq!(b.session.in_flight(), 0);
}

#[test]
fn lost_puback_means_the_publish_is_resent_with_dup_after_a_reconnect_with_session() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let pkid = qos1(&mut b, "a");
    b.received(); // the PUBACK never comes back
    b.cut();
    b.events();

    let resent = b.connect(true).sent;
    assert_eq!(resent.len(), 1);
    let p = publish_in(&resent[0]);
    assert_eq!(p.pkid, Some(pkid));
    assert!(p.dup, "a resent PUBLISH carries DUP (MQTT-3.3.1-1)");
    assert_eq!(p.payload, payload("a"));
    b.send(Packet::PubAck(pkid)).unwrap();
    assert!(b.events().contains(&Event::Published { pkid }));
}

#[test]
fn reconnect_with_session_resends_publish_and_pubrel_in_their_original_order() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let a = qos2(&mut b, "a");
    let c = qos1(&mut b, "b");
    let d = qos2(&mut b, "c");
    b.received();
    b.send(Packet::PubRec(a)).unwrap();
    assert_eq!(b.received(), [Packet::PubRel(a)]);
    b.cut();

    let resent = b.connect(true).sent;
    assert_eq!(resent.len(), 3);
    assert_eq!(resent[0], Packet::PubRel(a));
    assert_eq!(pkid_of(&resent[1]), c);
    assert!(publish_in(&resent[1]).dup);
    assert_eq!(pkid_of(&resent[2]), d);
    assert!(publish_in(&resent[2]).dup);
}

#[test]
fn a_message_queued_but_never_handed_out_is_resent_without_dup() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let pkid = qos1(&mut b, "a");
    b.cut(); // before poll_transmit
    let resent = b.connect(true).sent;
    let p = publish_in(&resent[0]);
    assert_eq!(p.pkid, Some(pkid));
    assert!(!p.dup);
}

#[test]
fn reconnect_without_session_republishes_under_fresh_ids_without_dup_and_says_so() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let a = qos1(&mut b, "a");
    let c = qos2(&mut b, "b");
    let released = qos2(&mut b, "c");
    b.received();
    b.send(Packet::PubRec(released)).unwrap();
    b.received();
    b.cut();
    b.events();

    let Connected {
        sent: resent,
        events,
        ..
    } = b.connect(false);
    let Some(Event::SessionLost { republished }) = events
        .iter()
        .find(|e| matches!(e, Event::SessionLost { .. }))
    else {
        panic!("expected SessionLost, got {events:?}");
    };
    assert_eq!(republished.len(), 2);
    assert_eq!(republished[0].old, a);
    assert_eq!(republished[1].old, c);
    for r in republished {
        assert_ne!(r.old, r.new);
        assert!(![a, c, released].contains(&r.new));
    }
    // The broker had taken the QoS 2 message it PUBREC'd: not sent again.
    assert!(events.contains(&Event::Published { pkid: released }));
    assert_eq!(
        events.last(),
        Some(&Event::Connected {
            session_present: false
        })
    );

    assert_eq!(resent.len(), 2);
    for (packet, r) in resent.iter().zip(republished) {
        let p = publish_in(packet);
        assert_eq!(p.pkid, Some(r.new));
        assert!(!p.dup);
    }
    assert_eq!(publish_in(&resent[0]).topic, "a");
    assert_eq!(publish_in(&resent[1]).topic, "b");

    b.send(Packet::PubAck(republished[0].new)).unwrap();
    assert_eq!(
        b.events(),
        [Event::Published {
            pkid: republished[0].new
        }]
    );
}

#[test]
fn the_first_connection_of_a_clean_session_reports_no_session_loss() {
    let mut o = options("c");
    o.clean_session = true;
    let mut b = Broker::new(o);
    // Published while connecting: goes out after CONNACK with its own id.
    b.session.connect(b.now).unwrap();
    b.received();
    let pkid = qos1(&mut b, "a");
    b.send(Packet::ConnAck(ConnAck {
        session_present: false,
        code: ConnectReturnCode::Accepted,
    }))
    .unwrap();
    assert_eq!(
        b.events(),
        [Event::Connected {
            session_present: false
        }]
    );
    let sent = b.received();
    assert_eq!(pkid_of(&sent[0]), pkid);
}

#[test]
fn a_full_window_refuses_publishes_until_an_ack_makes_room() {
    let mut o = options("c");
    o.max_inflight = 2;
    let mut b = Broker::new(o);
    b.connect(false);
    let first = qos1(&mut b, "a");
    qos2(&mut b, "b");
    assert!(matches!(
        b.session
            .publish(topic("c"), payload("c"), QoS::AtLeastOnce, false),
        Err(Error::WindowFull { limit: 2 })
    ));
    // QoS 0 is not windowed.
    assert!(
        b.session
            .publish(topic("c"), payload("c"), QoS::AtMostOnce, false)
            .is_ok()
    );
    assert_eq!(b.received().len(), 3);
    b.send(Packet::PubAck(first)).unwrap();
    assert!(
        b.session
            .publish(topic("c"), payload("c"), QoS::AtLeastOnce, false)
            .is_ok()
    );
}

#[test]
fn the_window_also_bounds_messages_published_while_disconnected() {
    let mut o = options("c");
    o.max_inflight = 3;
    let mut b = Broker::new(o);
    for t in ["a", "b", "c"] {
        qos1(&mut b, t);
    }
    assert!(matches!(
        b.session
            .publish(topic("d"), payload("d"), QoS::AtLeastOnce, false),
        Err(Error::WindowFull { .. })
    ));
    let sent = b.connect(false).sent;
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|p| !publish_in(p).dup));
}

#[test]
fn an_ack_for_an_unknown_or_mismatched_id_is_ignored() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let q2 = qos2(&mut b, "a");
    b.received();
    b.send(Packet::PubAck(q2)).unwrap(); // PUBACK for a QoS 2 message
    b.send(Packet::PubAck(id(999))).unwrap();
    b.send(Packet::PubComp(q2)).unwrap(); // PUBCOMP before PUBREC
    assert!(b.events().is_empty());
    assert_eq!(b.session.in_flight(), 1);
}

// ---- receiving ------------------------------------------------------------------------

#[test]
fn incoming_qos1_is_delivered_and_acknowledged_automatically() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    b.send(incoming(QoS::AtLeastOnce, Some(4), false, "in"))
        .unwrap();
    assert_eq!(b.received(), [Packet::PubAck(id(4))]);
    let events = b.events();
    assert!(matches!(&events[0], Event::Message(p) if p.topic == "in" && p.pkid == Some(id(4))));
}

#[test]
fn a_duplicate_qos2_message_is_delivered_once() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    b.send(incoming(QoS::ExactlyOnce, Some(5), false, "in"))
        .unwrap();
    assert_eq!(b.received(), [Packet::PubRec(id(5))]);
    assert_eq!(b.events().len(), 1);

    // The PUBREC was lost: the broker sends the PUBLISH again with DUP.
    b.send(incoming(QoS::ExactlyOnce, Some(5), true, "in"))
        .unwrap();
    assert_eq!(b.received(), [Packet::PubRec(id(5))]);
    assert!(b.events().is_empty(), "duplicate delivered twice");

    b.send(Packet::PubRel(id(5))).unwrap();
    assert_eq!(b.received(), [Packet::PubComp(id(5))]);

    // After PUBREL the id is free: a new message with it is delivered.
    b.send(incoming(QoS::ExactlyOnce, Some(5), false, "in"))
        .unwrap();
    assert_eq!(b.events().len(), 1);
}

#[test]
fn duplicate_qos2_suppression_survives_a_reconnect_with_session() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    b.send(incoming(QoS::ExactlyOnce, Some(8), false, "in"))
        .unwrap();
    b.received();
    b.events();
    b.cut();
    b.connect(true);
    b.events();
    b.send(incoming(QoS::ExactlyOnce, Some(8), true, "in"))
        .unwrap();
    assert_eq!(b.received(), [Packet::PubRec(id(8))]);
    assert!(b.events().is_empty());
}

#[test]
fn a_pubrel_for_an_unknown_id_is_still_completed() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    b.send(Packet::PubRel(id(77))).unwrap();
    assert_eq!(b.received(), [Packet::PubComp(id(77))]);
}

#[test]
fn manual_ack_mode_acknowledges_only_after_the_application_does() {
    let mut o = options("c");
    o.ack_mode = AckMode::Manual;
    let mut b = Broker::new(o);
    b.connect(false);

    b.send(incoming(QoS::AtLeastOnce, Some(1), false, "q1"))
        .unwrap();
    b.send(incoming(QoS::ExactlyOnce, Some(2), false, "q2"))
        .unwrap();
    assert!(b.received().is_empty(), "acked before the handler returned");
    assert_eq!(b.events().len(), 2);

    // A duplicate of the QoS 2 message while it is being handled: dropped.
    b.send(incoming(QoS::ExactlyOnce, Some(2), true, "q2"))
        .unwrap();
    assert!(b.events().is_empty() && b.received().is_empty());

    b.session.ack(id(1)).unwrap();
    b.session.ack(id(2)).unwrap();
    assert_eq!(b.received(), [Packet::PubAck(id(1)), Packet::PubRec(id(2))]);
    assert!(matches!(
        b.session.ack(id(1)),
        Err(Error::UnknownPacketId(_))
    ));
    b.send(Packet::PubRel(id(2))).unwrap();
    assert_eq!(b.received(), [Packet::PubComp(id(2))]);
}

#[test]
fn qos0_messages_need_no_acknowledgement() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    b.send(incoming(QoS::AtMostOnce, None, false, "in"))
        .unwrap();
    assert!(b.received().is_empty());
    assert_eq!(b.events().len(), 1);
}

// ---- subscriptions -----------------------------------------------------------------

#[test]
fn subscribe_reports_granted_qos_and_the_0x80_failure() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let pkid = b
        .session
        .subscribe(vec![
            SubscribeFilter::new(filter("/oneM2M/resp/CAE1/+/json"), QoS::AtLeastOnce),
            SubscribeFilter::new(filter("forbidden/#"), QoS::AtLeastOnce),
        ])
        .unwrap();
    let sent = b.received();
    assert!(matches!(&sent[..], [Packet::Subscribe(s)] if s.pkid == pkid && s.filters.len() == 2));
    let codes = vec![
        SubscribeReturnCode::Success(QoS::AtLeastOnce),
        SubscribeReturnCode::Failure,
    ];
    b.send(Packet::SubAck(SubAck {
        pkid,
        return_codes: codes.clone(),
    }))
    .unwrap();
    assert_eq!(
        b.events(),
        [Event::Subscribed {
            pkid,
            return_codes: codes
        }]
    );
}

#[test]
fn a_suback_with_the_wrong_number_of_codes_is_a_protocol_violation() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let pkid = b
        .session
        .subscribe(vec![SubscribeFilter::new(filter("a"), QoS::AtMostOnce)])
        .unwrap();
    b.received();
    let err = b
        .send(Packet::SubAck(SubAck {
            pkid,
            return_codes: vec![SubscribeReturnCode::Failure; 2],
        }))
        .unwrap_err();
    assert!(matches!(err, Error::ProtocolViolation { .. }));
}

#[test]
fn unsubscribe_completes_on_unsuback() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let pkid = b.session.unsubscribe(vec![filter("a/+")]).unwrap();
    assert!(matches!(&b.received()[..], [Packet::Unsubscribe(u)] if u.pkid == pkid));
    b.send(Packet::UnsubAck(pkid)).unwrap();
    assert_eq!(b.events(), [Event::Unsubscribed { pkid }]);
}

#[test]
fn unacknowledged_subscriptions_are_sent_again_after_a_reconnect_before_messages() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let sub = b
        .session
        .subscribe(vec![SubscribeFilter::new(filter("a"), QoS::AtLeastOnce)])
        .unwrap();
    let msg = qos1(&mut b, "x");
    b.received();
    b.cut();
    let resent = b.connect(true).sent;
    assert_eq!(pkid_of(&resent[0]), sub);
    assert!(matches!(resent[0], Packet::Subscribe(_)));
    assert_eq!(pkid_of(&resent[1]), msg);
}

#[test]
fn packet_ids_are_never_shared_between_publishes_and_subscriptions_in_flight() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    let mut live = std::collections::HashSet::new();
    for i in 0..300u32 {
        let pkid = match i % 3 {
            0 => qos1(&mut b, "t"),
            1 => b
                .session
                .subscribe(vec![SubscribeFilter::new(filter("f"), QoS::AtMostOnce)])
                .unwrap(),
            _ => b.session.unsubscribe(vec![filter("f")]).unwrap(),
        };
        assert!(live.insert(pkid), "{pkid:?} reused while in flight");
        if i % 5 == 0 {
            // Acknowledge everything sent so far; those ids become free.
            for p in b.received() {
                let ack = match &p {
                    Packet::Publish(_) => Packet::PubAck(pkid_of(&p)),
                    Packet::Subscribe(s) => Packet::SubAck(SubAck {
                        pkid: s.pkid,
                        return_codes: vec![SubscribeReturnCode::Success(QoS::AtMostOnce)],
                    }),
                    Packet::Unsubscribe(u) => Packet::UnsubAck(u.pkid),
                    other => panic!("{other:?}"),
                };
                live.remove(&pkid_of(&p));
                b.send(ack).unwrap();
            }
        }
    }
}

// ---- disconnecting -------------------------------------------------------------------

#[test]
fn disconnect_flushes_what_is_queued_then_sends_disconnect_and_keeps_unacked_messages() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    b.send(incoming(QoS::AtLeastOnce, Some(3), false, "in"))
        .unwrap();
    let pkid = qos1(&mut b, "out");
    b.session.disconnect().unwrap();
    assert_eq!(b.session.state(), SessionState::Disconnecting);
    let sent = b.received();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0], Packet::PubAck(id(3)));
    assert_eq!(sent[2], Packet::Disconnect);
    assert_eq!(b.session.state(), SessionState::Disconnected);
    assert_eq!(b.session.in_flight(), 1);

    let resent = b.connect(true).sent;
    assert_eq!(pkid_of(&resent[0]), pkid);
}

#[test]
fn connect_twice_is_refused() {
    let mut b = Broker::new(options("c"));
    b.connect(false);
    assert!(matches!(
        b.session.connect(b.now),
        Err(Error::InvalidState { .. })
    ));
}
