//! Encoded packets waiting to be written, written together and flushed once.

use std::io;

use bytes::{Buf, BytesMut};
use onem2m_mqtt_proto::{Codec, Packet};
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// The write side of one connection.
///
/// Everything queued is written in as few writes as the writer takes, then flushed
/// once the queue is empty: one system call for a burst of packets rather than one per
/// packet. A WebSocket transport sends one frame per flush, so a frame may carry
/// several packets, which MQTT over WebSocket allows (MQTT 3.1.1, 6.0: a receiver
/// must not assume packets are aligned on frame boundaries).
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    buf: BytesMut,
    flush_due: bool,
}

impl Outbox {
    pub(crate) fn push(
        &mut self,
        codec: &dyn Codec,
        packet: &Packet,
    ) -> Result<(), onem2m_mqtt_proto::Error> {
        codec.encode(packet, &mut self.buf)
    }

    /// Bytes not yet written.
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether there is anything to write or flush.
    pub(crate) fn has_work(&self) -> bool {
        self.flush_due || !self.buf.is_empty()
    }

    /// Writes what is queued, or flushes once everything is written.
    ///
    /// Cancel safety: cancel safe. The outbox changes only after the write or
    /// flush completed, and an `AsyncWrite::write` that is dropped while
    /// pending has written nothing; a dropped flush is simply done again.
    pub(crate) async fn write_step<W: AsyncWrite + Unpin>(&mut self, w: &mut W) -> io::Result<()> {
        if !self.buf.is_empty() {
            let n = w.write(&self.buf).await?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            self.buf.advance(n);
            self.flush_due = true;
            return Ok(());
        }
        if self.flush_due {
            w.flush().await?;
            self.flush_due = false;
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
    async fn writes_the_queued_packets_together_and_flushes_once() {
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
        // One write for both packets, then one flush.
        assert_eq!(steps, 2);
        assert_eq!(outbox.len(), 0);
    }
}
