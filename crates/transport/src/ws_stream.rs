//! A byte stream over WebSocket binary frames.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use futures_util::{Sink, Stream};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

/// Bytes written without a flush are sent as a frame once this much is pending,
/// so that a writer that never flushes cannot grow the buffer without bound.
/// MQTT-6.0.0-2 lets a packet span frames, so the split is legal.
const MAX_PENDING_WRITE: usize = 1 << 20;

/// MQTT's view of a WebSocket connection: a plain byte stream.
///
/// - Reading: binary frames are concatenated; a read may return part of a frame
///   and a frame may hold several MQTT packets or part of one (MQTT-6.0.0-2).
///   Ping frames are answered by tungstenite on the next read or write, pong
///   frames are ignored, a close frame or the end of the connection reads as
///   end of stream, and a text frame is an error (MQTT-6.0.0-1: MQTT uses
///   binary frames only).
/// - Writing: bytes are collected until `poll_flush`, then sent as one binary
///   frame. The MQTT driver flushes after writing what it has queued, so a frame
///   carries one or more whole packets (MQTT-6.0.0-2: a receiver must not assume
///   packets are aligned on frame boundaries).
/// - Shutdown sends a close frame.
#[derive(Debug)]
pub struct WsByteStream<S> {
    ws: WebSocketStream<S>,
    incoming: Bytes,
    outgoing: BytesMut,
    read_closed: bool,
}

impl<S> WsByteStream<S>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    /// Wraps a WebSocket connection whose handshake is done.
    pub fn new(ws: WebSocketStream<S>) -> Self {
        Self {
            ws,
            incoming: Bytes::new(),
            outgoing: BytesMut::new(),
            read_closed: false,
        }
    }

    /// Hands the pending bytes to tungstenite as one binary frame.
    fn poll_send_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(Pin::new(&mut self.ws).poll_ready(cx)).map_err(to_io)?;
        let frame = self.outgoing.split().freeze();
        Pin::new(&mut self.ws)
            .start_send(Message::Binary(frame))
            .map_err(to_io)?;
        Poll::Ready(Ok(()))
    }
}

impl<S> AsyncRead for WsByteStream<S>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        loop {
            if !this.incoming.is_empty() {
                let n = this.incoming.len().min(buf.remaining());
                buf.put_slice(&this.incoming.split_to(n));
                return Poll::Ready(Ok(()));
            }
            if this.read_closed {
                return Poll::Ready(Ok(()));
            }
            match ready!(Pin::new(&mut this.ws).poll_next(cx)) {
                Some(Ok(Message::Binary(data))) => this.incoming = data,
                Some(Ok(Message::Text(_))) => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "WebSocket text frame received; MQTT over WebSocket uses binary frames only (MQTT-6.0.0-1)",
                    )));
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                Some(Ok(Message::Close(_))) | None => this.read_closed = true,
                Some(Err(WsError::ConnectionClosed | WsError::AlreadyClosed)) => {
                    this.read_closed = true
                }
                Some(Err(e)) => return Poll::Ready(Err(to_io(e))),
            }
        }
    }
}

impl<S> AsyncWrite for WsByteStream<S>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.outgoing.len() >= MAX_PENDING_WRITE {
            ready!(this.poll_send_pending(cx))?;
        }
        this.outgoing.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if !this.outgoing.is_empty() {
            ready!(this.poll_send_pending(cx))?;
        }
        Pin::new(&mut this.ws).poll_flush(cx).map_err(to_io)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.as_mut().poll_flush(cx))?;
        match ready!(Pin::new(&mut self.ws).poll_close(cx)) {
            Ok(()) | Err(WsError::ConnectionClosed | WsError::AlreadyClosed) => Poll::Ready(Ok(())),
            Err(e) => Poll::Ready(Err(to_io(e))),
        }
    }
}

fn to_io(e: WsError) -> io::Error {
    match e {
        WsError::Io(e) => e,
        WsError::ConnectionClosed | WsError::AlreadyClosed => {
            io::Error::from(io::ErrorKind::BrokenPipe)
        }
        other => io::Error::other(other),
    }
}
