//! UNSUBSCRIBE (MQTT 3.10).

use bytes::{BufMut, Bytes, BytesMut};

use super::packet::{PacketType, Unsubscribe};
use super::wire::{Reader, put_binary};
use crate::Error;

impl Unsubscribe {
    pub(crate) fn read(body: Bytes) -> Result<Self, Error> {
        let mut r = Reader::new(PacketType::Unsubscribe, body);
        let pkid = r.pkid()?;
        let mut filters = Vec::new();
        while !r.is_empty() {
            filters.push(r.filter("topic filter")?);
        }
        if filters.is_empty() {
            return Err(Error::EmptyPayload {
                packet_type: PacketType::Unsubscribe,
            });
        }
        Ok(Self { pkid, filters })
    }

    pub(crate) fn remaining_len(&self) -> Result<usize, Error> {
        if self.filters.is_empty() {
            return Err(Error::EmptyPayload {
                packet_type: PacketType::Unsubscribe,
            });
        }
        Ok(2 + self.filters.iter().map(|f| 2 + f.len()).sum::<usize>())
    }

    pub(crate) fn write(&self, out: &mut BytesMut) {
        out.put_u16(self.pkid.get());
        for f in &self.filters {
            put_binary(out, f.as_bytes());
        }
    }
}
