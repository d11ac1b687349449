//! An in-memory transport for tests.

use async_trait::async_trait;
use tokio::io::DuplexStream;
use tokio::sync::mpsc;

use crate::{ByteStream, Error, Transport};

/// Default capacity of each direction of an in-memory connection.
pub const DEFAULT_DUPLEX_BUFFER: usize = 64 * 1024;

/// An in-memory transport: every [`connect`](Transport::connect) creates a
/// `tokio::io::duplex` pair, keeps one end and hands the other to the
/// [`DuplexListener`], where a test plays the broker.
///
/// Once the listener is dropped, `connect` fails, which is how a test simulates
/// a broker that is down.
#[derive(Debug, Clone)]
pub struct Duplex {
    accepted: mpsc::UnboundedSender<DuplexStream>,
    buffer: usize,
}

/// The test's side of a [`Duplex`] transport: yields the broker end of each
/// connection, in connect order.
#[derive(Debug)]
pub struct DuplexListener {
    accepted: mpsc::UnboundedReceiver<DuplexStream>,
}

impl Duplex {
    /// A transport and its listener, with [`DEFAULT_DUPLEX_BUFFER`] bytes per
    /// direction.
    pub fn new() -> (Duplex, DuplexListener) {
        Self::with_buffer(DEFAULT_DUPLEX_BUFFER)
    }

    /// A transport and its listener, with `buffer` bytes per direction (a small
    /// buffer makes writers wait, for backpressure tests).
    pub fn with_buffer(buffer: usize) -> (Duplex, DuplexListener) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            Duplex {
                accepted: tx,
                buffer,
            },
            DuplexListener { accepted: rx },
        )
    }

    /// Connects and returns the concrete stream (the [`Transport`] impl boxes it).
    pub fn connect_stream(&self) -> Result<DuplexStream, Error> {
        let (client, broker) = tokio::io::duplex(self.buffer);
        self.accepted
            .send(broker)
            .map_err(|_| Error::DuplexClosed)?;
        Ok(client)
    }
}

impl DuplexListener {
    /// Waits for the next connection; `None` once every [`Duplex`] clone is gone.
    ///
    /// Cancel safety: cancel safe (no connection is lost).
    pub async fn accept(&mut self) -> Option<DuplexStream> {
        self.accepted.recv().await
    }

    /// The next connection if one is waiting.
    pub fn try_accept(&mut self) -> Option<DuplexStream> {
        self.accepted.try_recv().ok()
    }
}

#[async_trait]
impl Transport for Duplex {
    async fn connect(&self) -> Result<Box<dyn ByteStream>, Error> {
        Ok(Box::new(self.connect_stream()?))
    }

    fn describe(&self) -> String {
        "in-memory duplex".to_owned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    #[tokio::test]
    async fn each_connect_hands_the_other_end_to_the_listener() {
        let (transport, mut listener) = Duplex::new();
        for round in 0..2u8 {
            let mut client = transport.connect().await.unwrap();
            let mut broker = listener.accept().await.unwrap();
            client.write_all(&[round, 1, 2]).await.unwrap();
            let mut got = [0; 3];
            broker.read_exact(&mut got).await.unwrap();
            assert_eq!(got, [round, 1, 2]);
        }
        assert!(listener.try_accept().is_none());
    }

    #[tokio::test]
    async fn connect_fails_once_the_listener_is_gone() {
        let (transport, listener) = Duplex::new();
        drop(listener);
        assert!(matches!(
            transport.connect().await.err(),
            Some(Error::DuplexClosed)
        ));
    }
}
