//! SUBACK (MQTT 3.9).

use bytes::{BufMut, Bytes, BytesMut};

use super::packet::{PacketType, SubAck, SubscribeReturnCode};
use super::wire::Reader;
use crate::Error;

impl SubAck {
    pub(crate) fn read(body: Bytes) -> Result<Self, Error> {
        let mut r = Reader::new(PacketType::SubAck, body);
        let pkid = r.pkid()?;
        let codes = r.rest();
        if codes.is_empty() {
            return Err(Error::EmptyPayload {
                packet_type: PacketType::SubAck,
            });
        }
        let return_codes = codes
            .iter()
            .map(|&c| SubscribeReturnCode::from_u8(c))
            .collect::<Result<_, _>>()?;
        Ok(Self { pkid, return_codes })
    }

    pub(crate) fn remaining_len(&self) -> Result<usize, Error> {
        if self.return_codes.is_empty() {
            return Err(Error::EmptyPayload {
                packet_type: PacketType::SubAck,
            });
        }
        Ok(2 + self.return_codes.len())
    }

    pub(crate) fn write(&self, out: &mut BytesMut) {
        out.put_u16(self.pkid.get());
        for code in &self.return_codes {
            out.put_u8(code.to_u8());
        }
    }
}
