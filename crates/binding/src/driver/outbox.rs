//! Encoded packets waiting to be written, flushed one packet at a time.

use std::collections::VecDeque;
use std::io;

use bytes::{Buf, BytesMut};
use onem2m_mqtt_proto::{Codec, Packet};
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// The write side of one connection.
///
/// The transport contract asks for a flush after each packet (a WebSocket
/// transport sends one frame per flush), so the outbox remembers where each
/// packet ends and flushes at every boundary.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    buf: BytesMut,
    /// Bytes still to write of each queued packet, oldest first.
    packets: VecDeque<usize>,
    flush_due: bool,
}

impl Outbox {
    pub(crate) fn push(
        &mut self,
        codec: &dyn Codec,
        packet: &Packet,
    ) -> Result<(), onem2m_mqtt_proto::Error> {
        let before = self.buf.len();
        codec.encode(packet, &mut self.buf)?;
        let len = self.buf.len() - before;
        if len > 0 {
            self.packets.push_back(len);
        }
        Ok(())
    }

    /// Bytes not yet written.
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether there is anything to write or flush.
    pub(crate) fn has_work(&self) -> bool {
        self.flush_due || !self.buf.is_empty()
    }

    /// Writes part of the current packet, or flushes after a finished one.
    ///
    /// Cancel safety: cancel safe. The outbox changes only after the write or
    /// flush completed, and an `AsyncWrite::write` that is dropped while
    /// pending has written nothing; a dropped flush is simply done again.
    pub(crate) async fn write_step<W: AsyncWrite + Unpin>(&mut self, w: &mut W) -> io::Result<()> {
        if self.flush_due {
            w.flush().await?;
            self.flush_due = false;
            return Ok(());
        }
        let Some(&current) = self.packets.front() else {
            return Ok(());
        };
        let n = w.write(&self.buf[..current]).await?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        self.buf.advance(n);
        if let Some(front) = self.packets.front_mut() {
            *front -= n;
            if *front == 0 {
                self.packets.pop_front();
                self.flush_due = true;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use onem2m_mqtt_proto::{OwnCodec, PacketId};

    use super::*;

    #[tokio::test]
    async fn writes_every_packet_whole_and_flushes_after_each() {
        let codec = OwnCodec::new();
        let mut outbox = Outbox::default();
        outbox.push(&codec, &Packet::PingReq).unwrap();
        outbox
            .push(&codec, &Packet::PubAck(PacketId::new(7).unwrap()))
            .unwrap();
        let mut written = Vec::new();
        let mut steps = 0;
        while outbox.has_work() {
            outbox.write_step(&mut written).await.unwrap();
            steps += 1;
        }
        assert_eq!(written, [0xC0, 0x00, 0x40, 0x02, 0x00, 0x07]);
        // Two writes and two flushes.
        assert_eq!(steps, 4);
        assert_eq!(outbox.len(), 0);
    }
}
