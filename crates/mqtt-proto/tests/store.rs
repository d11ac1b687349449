//! Session stores: what `FileStore` keeps across a process restart, how it
//! survives a torn write, and a session resuming from it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;

use bytes::Bytes;
use common::*;
use onem2m_mqtt_proto::*;

fn message(pkid: u16, t: &'static str, qos: QoS) -> StoredMessage {
    StoredMessage {
        pkid: id(pkid),
        topic: topic(t),
        payload: Bytes::from(format!("payload of {t}")),
        qos,
        retain: pkid.is_multiple_of(2),
        released: false,
    }
}

/// Runs the same script on any store and returns what it loads afterwards.
fn exercise(store: &mut dyn SessionStore) -> StoredState {
    store
        .put_outgoing(&message(3, "a", QoS::AtLeastOnce))
        .unwrap();
    store
        .put_outgoing(&message(1, "b", QoS::ExactlyOnce))
        .unwrap();
    store
        .put_outgoing(&message(2, "c", QoS::AtLeastOnce))
        .unwrap();
    store.mark_released(id(1)).unwrap();
    store.remove_outgoing(id(3)).unwrap();
    store.put_incoming(id(9)).unwrap();
    store.put_incoming(id(4)).unwrap();
    store.remove_incoming(id(9)).unwrap();
    store.load().unwrap()
}

fn expected() -> StoredState {
    let mut b = message(1, "b", QoS::ExactlyOnce);
    b.released = true;
    StoredState {
        outgoing: vec![b, message(2, "c", QoS::AtLeastOnce)],
        incoming: vec![id(4)],
    }
}

#[test]
fn memory_store_keeps_order_and_release_state() {
    assert_eq!(exercise(&mut MemoryStore::new()), expected());
}

#[test]
fn file_store_reopened_after_drop_recovers_unacked_messages_and_incoming_qos2_ids() {
    let dir = TempDir::new("reopen");
    let path = dir.file("session.log");
    {
        let mut store = FileStore::open(&path).unwrap();
        assert_eq!(exercise(&mut store), expected());
    }
    let mut reopened = FileStore::open(&path).unwrap();
    assert_eq!(reopened.load().unwrap(), expected());
    // And again, after the compaction done by the first reopen.
    drop(reopened);
    assert_eq!(FileStore::open(&path).unwrap().load().unwrap(), expected());
}

#[test]
fn file_store_without_sync_keeps_everything_across_a_process_restart() {
    let dir = TempDir::new("nosync");
    let path = dir.file("session.log");
    {
        let mut store = FileStore::open_with(&path, SyncPolicy::Never).unwrap();
        exercise(&mut store);
    }
    assert_eq!(FileStore::open(&path).unwrap().load().unwrap(), expected());
}

#[test]
fn a_record_torn_by_a_crash_is_dropped_and_the_rest_recovered() {
    let dir = TempDir::new("torn");
    let path = dir.file("session.log");
    {
        let mut store = FileStore::open(&path).unwrap();
        exercise(&mut store);
    }
    let intact = std::fs::read(&path).unwrap();
    // A crash in the middle of appending: half a record at the end.
    {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(&[0, 0, 0, 40, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3])
            .unwrap();
    }
    assert_eq!(FileStore::open(&path).unwrap().load().unwrap(), expected());
    // A full-length record whose checksum does not match is dropped too.
    let mut corrupted = intact.clone();
    let last = corrupted.len() - 1;
    corrupted[last] ^= 0xFF;
    std::fs::write(&path, &corrupted).unwrap();
    let state = FileStore::open(&path).unwrap().load().unwrap();
    // The last record (remove incoming 9) is lost: 9 is still there.
    assert_eq!(state.incoming, vec![id(4), id(9)]);
}

#[test]
fn a_file_that_is_not_a_session_log_is_refused() {
    let dir = TempDir::new("corrupt");
    let path = dir.file("session.log");
    std::fs::write(&path, b"hello world, not a log").unwrap();
    assert!(matches!(
        FileStore::open(&path),
        Err(Error::StoreCorrupt(_))
    ));
}

#[test]
fn the_log_is_compacted_as_it_grows() {
    let dir = TempDir::new("compact");
    let path = dir.file("session.log");
    let mut store = FileStore::open_with(&path, SyncPolicy::Never).unwrap();
    let big = Bytes::from(vec![7u8; 16 * 1024]);
    for round in 0..200u16 {
        let mut m = message(round % 50 + 1, "t", QoS::AtLeastOnce);
        m.payload = big.clone();
        store.put_outgoing(&m).unwrap();
        store.remove_outgoing(m.pkid).unwrap();
    }
    store
        .put_outgoing(&message(60, "kept", QoS::AtLeastOnce))
        .unwrap();
    // 200 × 16 KiB were appended; compaction keeps the file near its content.
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size < 2 * 1024 * 1024, "log is {size} bytes");
    drop(store);
    let state = FileStore::open(&path).unwrap().load().unwrap();
    assert_eq!(state.outgoing, vec![message(60, "kept", QoS::AtLeastOnce)]);
}

#[test]
fn after_a_restart_the_session_resends_unacked_messages_with_dup() {
    let dir = TempDir::new("restart");
    let path = dir.file("session.log");
    let (q1, q2, released);
    {
        let mut b = Broker::with_store(options("CAE1"), FileStore::open(&path).unwrap());
        b.connect(false);
        q1 = b
            .session
            .publish(topic("a"), payload("one"), QoS::AtLeastOnce, false)
            .unwrap()
            .unwrap();
        q2 = b
            .session
            .publish(topic("b"), payload("two"), QoS::ExactlyOnce, true)
            .unwrap()
            .unwrap();
        released = b
            .session
            .publish(topic("c"), payload("three"), QoS::ExactlyOnce, false)
            .unwrap()
            .unwrap();
        let acked = b
            .session
            .publish(topic("d"), payload("four"), QoS::AtLeastOnce, false)
            .unwrap()
            .unwrap();
        b.received();
        b.send(Packet::PubAck(acked)).unwrap();
        b.send(Packet::PubRec(released)).unwrap();
        // An incoming QoS 2 message answered with PUBREC, not yet released.
        b.send(Packet::Publish(Publish {
            dup: false,
            qos: QoS::ExactlyOnce,
            retain: false,
            topic: topic("in"),
            pkid: Some(id(42)),
            payload: payload("x"),
        }))
        .unwrap();
        b.received();
        // The process dies here.
    }

    let mut b = Broker::with_store(options("CAE1"), FileStore::open(&path).unwrap());
    assert_eq!(b.session.in_flight(), 3);
    let resent = b.connect(true).sent;
    assert_eq!(resent.len(), 3);
    let p = publish_in(&resent[0]);
    assert_eq!(
        (p.pkid, p.dup, &p.payload[..]),
        (Some(q1), true, &b"one"[..])
    );
    let p = publish_in(&resent[1]);
    assert_eq!((p.pkid, p.dup, p.retain), (Some(q2), true, true));
    assert_eq!(resent[2], Packet::PubRel(released));

    // The broker redelivers the incoming QoS 2 message: not delivered twice.
    b.send(Packet::Publish(Publish {
        dup: true,
        qos: QoS::ExactlyOnce,
        retain: false,
        topic: topic("in"),
        pkid: Some(id(42)),
        payload: payload("x"),
    }))
    .unwrap();
    assert_eq!(b.received(), [Packet::PubRec(id(42))]);
    assert!(b.events().is_empty());

    // New publishes after the restart do not reuse the stored ids.
    let fresh = b
        .session
        .publish(topic("e"), payload("five"), QoS::AtLeastOnce, false)
        .unwrap()
        .unwrap();
    assert!(![q1, q2, released].contains(&fresh));
}
