//! CONNACK (MQTT 3.2).

use bytes::{BufMut, BytesMut};

use super::packet::{ConnAck, ConnectReturnCode};
use crate::Error;

impl ConnAck {
    /// Decodes the two body bytes: acknowledge flags and return code.
    pub(crate) fn read(flags: u8, code: u8) -> Result<Self, Error> {
        // Bits 7-1 are reserved (MQTT-3.2.2-1 leaves only Session Present), and a
        // refusal never claims a session (MQTT-3.2.2-4).
        if flags & 0xFE != 0 || (flags != 0 && code != 0) {
            return Err(Error::InvalidConnAckFlags { flags, code });
        }
        Ok(Self {
            session_present: flags == 1,
            code: ConnectReturnCode::from_u8(code)?,
        })
    }

    pub(crate) fn write(&self, out: &mut BytesMut) {
        out.put_u8(u8::from(self.session_present));
        out.put_u8(self.code.to_u8());
    }
}
