//! CONNECT (MQTT 3.1).

use bytes::{BufMut, Bytes, BytesMut};

use super::packet::{Connect, PacketType, QoS, Will};
use super::wire::{Reader, binary_len, put_binary};
use crate::Error;

const PROTOCOL_NAME: &[u8] = b"MQTT";
const PROTOCOL_LEVEL: u8 = 4;

const USERNAME: u8 = 0x80;
const PASSWORD: u8 = 0x40;
const WILL_RETAIN: u8 = 0x20;
const WILL_QOS_SHIFT: u8 = 3;
const WILL: u8 = 0x04;
const CLEAN_SESSION: u8 = 0x02;
const RESERVED: u8 = 0x01;

impl Connect {
    pub(crate) fn read(body: Bytes) -> Result<Self, Error> {
        let mut r = Reader::new(PacketType::Connect, body);
        if r.binary("protocol name")? != PROTOCOL_NAME {
            return Err(Error::UnsupportedProtocolName);
        }
        let level = r.u8("protocol level")?;
        if level != PROTOCOL_LEVEL {
            return Err(Error::UnsupportedProtocolLevel(level));
        }
        let flags = r.u8("connect flags")?;
        let bad = |reason| Error::InvalidConnectFlags { flags, reason };
        if flags & RESERVED != 0 {
            return Err(bad("reserved bit 0 is set (MQTT-3.1.2-3)"));
        }
        let will_qos = (flags >> WILL_QOS_SHIFT) & 0b11;
        if flags & WILL == 0 && (will_qos != 0 || flags & WILL_RETAIN != 0) {
            return Err(bad(
                "Will QoS or Will Retain set without the Will flag (MQTT-3.1.2-13, -15)",
            ));
        }
        let will_qos = QoS::from_u8(will_qos)?;
        if flags & PASSWORD != 0 && flags & USERNAME == 0 {
            return Err(bad("password without user name (MQTT-3.1.2-22)"));
        }
        let keep_alive = r.u16("keep alive")?;
        let client_id = r.string("client identifier")?;
        let will = if flags & WILL != 0 {
            Some(Will {
                topic: r.topic("will topic")?,
                message: r.binary("will message")?,
                qos: will_qos,
                retain: flags & WILL_RETAIN != 0,
            })
        } else {
            None
        };
        let username = if flags & USERNAME != 0 {
            Some(r.string("user name")?)
        } else {
            None
        };
        let password = if flags & PASSWORD != 0 {
            Some(r.binary("password")?)
        } else {
            None
        };
        r.finish()?;
        Ok(Self {
            client_id,
            clean_session: flags & CLEAN_SESSION != 0,
            keep_alive,
            will,
            username,
            password,
        })
    }

    fn flags(&self) -> u8 {
        let mut flags = 0;
        if self.clean_session {
            flags |= CLEAN_SESSION;
        }
        if let Some(will) = &self.will {
            flags |= WILL | (will.qos as u8) << WILL_QOS_SHIFT;
            if will.retain {
                flags |= WILL_RETAIN;
            }
        }
        if self.username.is_some() {
            flags |= USERNAME;
        }
        if self.password.is_some() {
            flags |= PASSWORD;
        }
        flags
    }

    pub(crate) fn remaining_len(&self) -> Result<usize, Error> {
        if self.password.is_some() && self.username.is_none() {
            return Err(Error::InvalidConnectFlags {
                flags: self.flags(),
                reason: "password without user name (MQTT-3.1.2-22)",
            });
        }
        // protocol name, level, flags, keep alive
        let mut len = 2 + PROTOCOL_NAME.len() + 1 + 1 + 2;
        len += 2 + self.client_id.len();
        if let Some(will) = &self.will {
            len += 2 + will.topic.len() + binary_len("will message", &will.message)?;
        }
        if let Some(username) = &self.username {
            len += 2 + username.len();
        }
        if let Some(password) = &self.password {
            len += binary_len("password", password)?;
        }
        Ok(len)
    }

    pub(crate) fn write(&self, out: &mut BytesMut) {
        put_binary(out, PROTOCOL_NAME);
        out.put_u8(PROTOCOL_LEVEL);
        out.put_u8(self.flags());
        out.put_u16(self.keep_alive);
        put_binary(out, self.client_id.as_bytes());
        if let Some(will) = &self.will {
            put_binary(out, will.topic.as_bytes());
            put_binary(out, &will.message);
        }
        if let Some(username) = &self.username {
            put_binary(out, username.as_bytes());
        }
        if let Some(password) = &self.password {
            put_binary(out, password);
        }
    }
}
