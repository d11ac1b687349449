//! The WebSocket byte-stream adapter and upgrade, in memory against a
//! tokio-tungstenite server on a duplex pipe.

#![allow(clippy::unwrap_used, clippy::expect_used)]
// tungstenite's handshake callback type returns a whole HTTP response as its error.
#![allow(clippy::result_large_err)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use onem2m_test_support::raw_mqtt::{self, RawMqttClient};
use onem2m_transport::tokio_tungstenite::tungstenite::handshake::server::{
    ErrorResponse, Request, Response,
};
use onem2m_transport::tokio_tungstenite::tungstenite::http::HeaderValue;
use onem2m_transport::tokio_tungstenite::tungstenite::{Bytes, Message};
use onem2m_transport::tokio_tungstenite::{WebSocketStream, accept_hdr_async};
use onem2m_transport::{ByteStream, Duplex, Error, TlsOptions, Transport, WebSocket};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::time::timeout;

const STEP: Duration = Duration::from_secs(5);

/// What the server saw of the upgrade request.
#[derive(Debug, Default, Clone)]
struct Upgrade {
    path: String,
    protocol: Option<String>,
}

/// A client stream through `WebSocket::over(Duplex)` and the server's end.
/// `agree` says whether the server answers the `mqtt` subprotocol.
async fn ws_pair_at(
    url: &str,
    agree: bool,
) -> (
    Result<Box<dyn ByteStream>, Error>,
    Option<WebSocketStream<DuplexStream>>,
    Upgrade,
) {
    let (duplex, mut listener) = Duplex::new();
    let transport = WebSocket::over(duplex, url).unwrap();
    let seen = Arc::new(Mutex::new(Upgrade::default()));
    let seen_by_server = Arc::clone(&seen);
    let server = async move {
        let stream = listener.accept().await.unwrap();
        let callback =
            move |req: &Request, mut resp: Response| -> Result<Response, ErrorResponse> {
                let protocol = req
                    .headers()
                    .get("Sec-WebSocket-Protocol")
                    .map(|v| v.to_str().unwrap().to_owned());
                *seen_by_server.lock().unwrap() = Upgrade {
                    path: req.uri().to_string(),
                    protocol,
                };
                if agree {
                    resp.headers_mut()
                        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static("mqtt"));
                }
                Ok(resp)
            };
        accept_hdr_async(stream, callback).await.ok()
    };
    let (client, server) = timeout(STEP, async { tokio::join!(transport.connect(), server) })
        .await
        .unwrap();
    let upgrade = seen.lock().unwrap().clone();
    (client, server, upgrade)
}

async fn ws_pair() -> (Box<dyn ByteStream>, WebSocketStream<DuplexStream>) {
    let (client, server, _) = ws_pair_at("ws://broker.test/mqtt", true).await;
    (client.unwrap(), server.unwrap())
}

async fn next_message(server: &mut WebSocketStream<DuplexStream>) -> Message {
    timeout(STEP, server.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn upgrade_asks_for_the_mqtt_subprotocol_on_the_url_path() {
    let (client, _server, upgrade) =
        ws_pair_at("ws://broker.test:9001/custom/path?x=1", true).await;
    client.unwrap();
    assert_eq!(upgrade.path, "/custom/path?x=1");
    assert_eq!(upgrade.protocol.as_deref(), Some("mqtt"));
}

#[tokio::test]
async fn path_defaults_to_slash_mqtt() {
    let (_client, _server, upgrade) = ws_pair_at("ws://broker.test", true).await;
    assert_eq!(upgrade.path, "/mqtt");
}

#[tokio::test]
async fn server_that_does_not_agree_to_mqtt_is_refused() {
    let (client, _server, _) = ws_pair_at("ws://broker.test/mqtt", false).await;
    let err = client.err().unwrap();
    assert!(matches!(err, Error::WebSocketSubprotocol { .. }), "{err}");
    assert!(err.to_string().contains("subprotocol \"mqtt\""), "{err}");
}

#[tokio::test]
async fn a_packet_split_across_frames_reads_whole() {
    let (client, mut server) = ws_pair().await;
    let publish = raw_mqtt::publish("a/b", b"split across three frames", 1, 42);
    let expected = [raw_mqtt::CONNACK_ACCEPTED.to_vec(), publish.clone()];
    let wire: Vec<u8> = expected.concat();
    // Cut mid-header of the first packet and mid-payload of the second.
    for chunk in [&wire[..1], &wire[1..9], &wire[9..]] {
        server
            .send(Message::Binary(Bytes::copy_from_slice(chunk)))
            .await
            .unwrap();
    }
    let mut mqtt = RawMqttClient::new(client);
    assert_eq!(mqtt.read_packet().await.unwrap().to_bytes(), expected[0]);
    assert_eq!(mqtt.read_packet().await.unwrap().to_bytes(), expected[1]);
}

#[tokio::test]
async fn a_frame_with_several_packets_reads_as_several_packets() {
    let (client, mut server) = ws_pair().await;
    let packets = [
        raw_mqtt::CONNACK_ACCEPTED.to_vec(),
        raw_mqtt::PINGRESP.to_vec(),
        raw_mqtt::puback(7),
        raw_mqtt::publish("t", b"x", 0, 0),
    ];
    server
        .send(Message::Binary(packets.concat().into()))
        .await
        .unwrap();
    let mut mqtt = RawMqttClient::new(client);
    for expected in &packets {
        assert_eq!(&mqtt.read_packet().await.unwrap().to_bytes(), expected);
    }
}

#[tokio::test]
async fn small_reads_drain_a_frame_piece_by_piece() {
    let (mut client, mut server) = ws_pair().await;
    server
        .send(Message::Binary(Bytes::from_static(b"abcdef")))
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut byte = [0u8; 1];
    for _ in 0..6 {
        assert_eq!(
            timeout(STEP, client.read(&mut byte))
                .await
                .unwrap()
                .unwrap(),
            1
        );
        got.push(byte[0]);
    }
    assert_eq!(got, b"abcdef");
}

#[tokio::test]
async fn each_flush_sends_one_binary_frame() {
    let (mut client, mut server) = ws_pair().await;
    let connect = raw_mqtt::connect("ws-client", true, 30);
    // One packet written in two pieces, then flushed: one frame.
    client.write_all(&connect[..5]).await.unwrap();
    client.write_all(&connect[5..]).await.unwrap();
    client.flush().await.unwrap();
    client.write_all(&raw_mqtt::pingreq()).await.unwrap();
    client.flush().await.unwrap();
    assert_eq!(
        next_message(&mut server).await,
        Message::Binary(connect.into())
    );
    assert_eq!(
        next_message(&mut server).await,
        Message::Binary(raw_mqtt::pingreq().into())
    );
    // Two packets before one flush share a frame.
    client.write_all(&raw_mqtt::puback(1)).await.unwrap();
    client.write_all(&raw_mqtt::puback(2)).await.unwrap();
    client.flush().await.unwrap();
    let both = [raw_mqtt::puback(1), raw_mqtt::puback(2)].concat();
    assert_eq!(
        next_message(&mut server).await,
        Message::Binary(both.into())
    );
}

#[tokio::test]
async fn unflushed_writes_are_bounded_by_splitting_into_frames() {
    let (mut client, mut server) = ws_pair().await;
    let data: Vec<u8> = (0..3 * 1024 * 1024 / 2).map(|i| (i % 251) as u8).collect();
    let writer = async {
        for chunk in data.chunks(64 * 1024) {
            client.write_all(chunk).await.unwrap();
        }
        client.flush().await.unwrap();
    };
    let reader = async {
        let mut received = Vec::new();
        let mut frames = 0;
        while received.len() < data.len() {
            match next_message(&mut server).await {
                Message::Binary(b) => received.extend_from_slice(&b),
                other => panic!("unexpected {other:?}"),
            }
            frames += 1;
        }
        (received, frames)
    };
    let ((), (received, frames)) = timeout(STEP, async { tokio::join!(writer, reader) })
        .await
        .unwrap();
    assert!(received == data, "bytes differ");
    assert!(
        frames >= 2,
        "1.5 MiB without a flush went out in {frames} frame(s)"
    );
}

#[tokio::test]
async fn ping_is_answered_with_pong_while_reading() {
    let (mut client, mut server) = ws_pair().await;
    let reader = tokio::spawn(async move {
        let mut buf = [0u8; 4];
        client.read_exact(&mut buf).await.map(|_| buf)
    });
    server
        .send(Message::Ping(Bytes::from_static(b"are you there")))
        .await
        .unwrap();
    assert_eq!(
        next_message(&mut server).await,
        Message::Pong(Bytes::from_static(b"are you there"))
    );
    server
        .send(Message::Pong(Bytes::from_static(b"unsolicited")))
        .await
        .unwrap();
    server
        .send(Message::Binary(raw_mqtt::CONNACK_ACCEPTED.to_vec().into()))
        .await
        .unwrap();
    let got = timeout(STEP, reader).await.unwrap().unwrap().unwrap();
    assert_eq!(got, raw_mqtt::CONNACK_ACCEPTED);
}

#[tokio::test]
async fn close_frame_reads_as_end_of_stream() {
    let (mut client, mut server) = ws_pair().await;
    server
        .send(Message::Binary(Bytes::from_static(b"\xd0\x00")))
        .await
        .unwrap();
    server.close(None).await.unwrap();
    let mut all = Vec::new();
    timeout(STEP, client.read_to_end(&mut all))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(all, raw_mqtt::PINGRESP);
}

#[tokio::test]
async fn text_frame_is_a_read_error() {
    let (mut client, mut server) = ws_pair().await;
    server.send(Message::text("not mqtt")).await.unwrap();
    let mut buf = [0u8; 8];
    let err = timeout(STEP, client.read(&mut buf))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("binary frames"), "{err}");
}

#[tokio::test]
async fn shutdown_sends_a_close_frame() {
    let (mut client, mut server) = ws_pair().await;
    client.write_all(&raw_mqtt::disconnect()).await.unwrap();
    client.shutdown().await.unwrap();
    assert_eq!(
        next_message(&mut server).await,
        Message::Binary(raw_mqtt::disconnect().into())
    );
    assert!(matches!(next_message(&mut server).await, Message::Close(_)));
}

#[test]
fn ws_transport_refuses_a_wss_url() {
    let err = WebSocket::ws("wss://broker.example/mqtt").unwrap_err();
    assert!(
        matches!(
            err,
            Error::SchemeMismatch {
                transport: "ws",
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("wss://broker.example:443/mqtt"),
        "{err}"
    );
}

#[test]
fn wss_transport_refuses_a_ws_url_instead_of_going_cleartext() {
    let err = WebSocket::wss("ws://broker.example/mqtt", &TlsOptions::new()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::SchemeMismatch {
                transport: "wss",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("cleartext"), "{err}");
}

#[test]
fn websocket_over_a_cleartext_transport_refuses_wss() {
    let (duplex, _listener) = Duplex::new();
    let err = WebSocket::over(duplex.clone(), "wss://broker.test/mqtt").unwrap_err();
    assert!(matches!(err, Error::SchemeMismatch { .. }), "{err}");
    let err = WebSocket::over(duplex, "mqtt://broker.test").unwrap_err();
    assert!(matches!(err, Error::SchemeMismatch { .. }), "{err}");
}
