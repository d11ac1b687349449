//! A TCP relay that can break the connections through it, for reliability tests.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::Error;

/// A loopback TCP proxy between the client under test and a broker, with
/// switches for the faults a real network produces:
///
/// - [`cut_all`](Self::cut_all): every live connection is reset at once (a
///   broker crash or a NAT timeout as the client sees it);
/// - [`set_blackhole`](Self::set_blackhole): bytes are read and dropped in both
///   directions while connections stay open (a half-open link, which only
///   keep-alive can detect);
/// - [`set_refuse`](Self::set_refuse): new connections are closed right after
///   accept (a broker that is down).
///
/// It relays bytes without looking at them, so it works for TLS and WebSocket
/// too. Dropping it stops the listener and cuts every connection.
#[derive(Debug)]
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept_task: JoinHandle<()>,
}

#[derive(Debug)]
struct Shared {
    target: SocketAddr,
    blackhole: AtomicBool,
    refuse: AtomicBool,
    cut: watch::Sender<u64>,
    live: AtomicUsize,
    accepted: AtomicUsize,
}

impl FaultProxy {
    /// Listens on a free loopback port and relays every connection to `target`.
    pub async fn start(target: SocketAddr) -> Result<Self, Error> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(Error::io("fault proxy: cannot bind a loopback port"))?;
        let addr = listener
            .local_addr()
            .map_err(Error::io("fault proxy: no local address"))?;
        let shared = Arc::new(Shared {
            target,
            blackhole: AtomicBool::new(false),
            refuse: AtomicBool::new(false),
            cut: watch::Sender::new(0),
            live: AtomicUsize::new(0),
            accepted: AtomicUsize::new(0),
        });
        let accept_task = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(Self {
            addr,
            shared,
            accept_task,
        })
    }

    /// The proxy's address (connect the client here).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Resets every live connection (both sides see the connection drop);
    /// later connections are relayed normally.
    pub fn cut_all(&self) {
        self.shared.cut.send_modify(|generation| *generation += 1);
    }

    /// While on, bytes in both directions are swallowed and connections stay
    /// open.
    pub fn set_blackhole(&self, on: bool) {
        self.shared.blackhole.store(on, Ordering::SeqCst);
    }

    /// While on, new connections are accepted and closed at once.
    pub fn set_refuse(&self, on: bool) {
        self.shared.refuse.store(on, Ordering::SeqCst);
    }

    /// Connections being relayed now.
    pub fn live_connections(&self) -> usize {
        self.shared.live.load(Ordering::SeqCst)
    }

    /// Connections accepted since start, refused ones included.
    pub fn accepted_connections(&self) -> usize {
        self.shared.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.accept_task.abort();
        self.cut_all();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((client, _)) = listener.accept().await {
        shared.accepted.fetch_add(1, Ordering::SeqCst);
        if shared.refuse.load(Ordering::SeqCst) {
            drop(client);
            continue;
        }
        tokio::spawn(relay(client, Arc::clone(&shared)));
    }
}

/// Decrements the live count however the relay ends.
struct LiveGuard<'a>(&'a AtomicUsize);

impl Drop for LiveGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn relay(mut client: TcpStream, shared: Arc<Shared>) {
    let mut cut = shared.cut.subscribe();
    let Ok(mut upstream) = TcpStream::connect(shared.target).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = upstream.set_nodelay(true);
    shared.live.fetch_add(1, Ordering::SeqCst);
    let _live = LiveGuard(&shared.live);
    let was_cut = {
        let (mut client_read, mut client_write) = client.split();
        let (mut upstream_read, mut upstream_write) = upstream.split();
        let both_ways = async {
            tokio::join!(
                pipe(&mut client_read, &mut upstream_write, &shared.blackhole),
                pipe(&mut upstream_read, &mut client_write, &shared.blackhole),
            )
        };
        tokio::select! {
            _ = cut.changed() => true,
            _ = both_ways => false,
        }
    };
    if was_cut {
        // A zero linger turns the close into a reset, as when a host vanishes.
        let _ = client.set_zero_linger();
        let _ = upstream.set_zero_linger();
    }
}

async fn pipe<R, W>(from: &mut R, to: &mut W, blackhole: &AtomicBool)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf = vec![0; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if blackhole.load(Ordering::SeqCst) {
            continue;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}
