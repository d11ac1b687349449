//! SUBSCRIBE (MQTT 3.8).

use bytes::{BufMut, Bytes, BytesMut};

use super::packet::{PacketType, QoS, Subscribe, SubscribeFilter};
use super::wire::{Reader, put_binary};
use crate::Error;

impl Subscribe {
    pub(crate) fn read(body: Bytes) -> Result<Self, Error> {
        let mut r = Reader::new(PacketType::Subscribe, body);
        let pkid = r.pkid()?;
        let mut filters = Vec::new();
        while !r.is_empty() {
            let filter = r.filter("topic filter")?;
            let options = r.u8("requested QoS")?;
            if options & 0xFC != 0 {
                return Err(Error::InvalidSubscribeOptions(options));
            }
            filters.push(SubscribeFilter {
                filter,
                qos: QoS::from_u8(options)?,
            });
        }
        if filters.is_empty() {
            return Err(Error::EmptyPayload {
                packet_type: PacketType::Subscribe,
            });
        }
        Ok(Self { pkid, filters })
    }

    pub(crate) fn remaining_len(&self) -> Result<usize, Error> {
        if self.filters.is_empty() {
            return Err(Error::EmptyPayload {
                packet_type: PacketType::Subscribe,
            });
        }
        Ok(2 + self
            .filters
            .iter()
            .map(|f| 2 + f.filter.len() + 1)
            .sum::<usize>())
    }

    pub(crate) fn write(&self, out: &mut BytesMut) {
        out.put_u16(self.pkid.get());
        for f in &self.filters {
            put_binary(out, f.filter.as_bytes());
            out.put_u8(f.qos as u8);
        }
    }
}
