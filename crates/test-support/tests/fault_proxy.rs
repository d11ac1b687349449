//! The fault proxy against a small echo server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::time::Duration;

use onem2m_test_support::FaultProxy;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

async fn echo_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (mut r, mut w) = s.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    addr
}

async fn echo(stream: &mut TcpStream, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    stream.write_all(bytes).await?;
    let mut got = vec![0; bytes.len()];
    stream.read_exact(&mut got).await?;
    Ok(got)
}

#[tokio::test]
async fn relays_bytes_both_ways() {
    let proxy = FaultProxy::start(echo_server().await).await.unwrap();
    let mut client = TcpStream::connect(proxy.addr()).await.unwrap();
    assert_eq!(echo(&mut client, b"hello").await.unwrap(), b"hello");
    assert_eq!(proxy.live_connections(), 1);
}

#[tokio::test]
async fn cut_all_drops_live_connections_but_not_later_ones() {
    let proxy = FaultProxy::start(echo_server().await).await.unwrap();
    let mut a = TcpStream::connect(proxy.addr()).await.unwrap();
    let mut b = TcpStream::connect(proxy.addr()).await.unwrap();
    echo(&mut a, b"1").await.unwrap();
    echo(&mut b, b"2").await.unwrap();
    proxy.cut_all();
    for s in [&mut a, &mut b] {
        let mut buf = [0; 1];
        // Reset or end of stream, promptly.
        let read = timeout(Duration::from_secs(5), s.read(&mut buf))
            .await
            .unwrap();
        assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    }
    let mut c = TcpStream::connect(proxy.addr()).await.unwrap();
    assert_eq!(echo(&mut c, b"3").await.unwrap(), b"3");
}

#[tokio::test]
async fn blackhole_swallows_bytes_and_keeps_the_connection_open() {
    let proxy = FaultProxy::start(echo_server().await).await.unwrap();
    let mut client = TcpStream::connect(proxy.addr()).await.unwrap();
    echo(&mut client, b"before").await.unwrap();
    proxy.set_blackhole(true);
    assert!(
        timeout(Duration::from_millis(300), echo(&mut client, b"lost"))
            .await
            .is_err()
    );
    proxy.set_blackhole(false);
    let mut fresh = TcpStream::connect(proxy.addr()).await.unwrap();
    assert_eq!(echo(&mut fresh, b"after").await.unwrap(), b"after");
    assert_eq!(proxy.live_connections(), 2);
}

#[tokio::test]
async fn refuse_closes_new_connections() {
    let proxy = FaultProxy::start(echo_server().await).await.unwrap();
    proxy.set_refuse(true);
    let mut client = TcpStream::connect(proxy.addr()).await.unwrap();
    let mut buf = [0; 1];
    let read = timeout(Duration::from_secs(5), client.read(&mut buf))
        .await
        .unwrap();
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    assert_eq!(proxy.accepted_connections(), 1);
}
