//! The fourteen MQTT 3.1.1 control packets as Rust values.

use std::fmt;
use std::num::NonZeroU16;

use bytes::Bytes;

use super::string::{ByteStr, Topic, TopicFilter};
use crate::Error;

/// Quality of service of a PUBLISH or a subscription (MQTT 4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum QoS {
    /// At most once: fire and forget.
    AtMostOnce = 0,
    /// At least once: PUBLISH, PUBACK.
    AtLeastOnce = 1,
    /// Exactly once: PUBLISH, PUBREC, PUBREL, PUBCOMP.
    ExactlyOnce = 2,
}

impl QoS {
    /// Maps 0, 1 and 2 to a QoS; anything else (QoS 3 in particular) is an error.
    pub fn from_u8(value: u8) -> Result<Self, Error> {
        match value {
            0 => Ok(Self::AtMostOnce),
            1 => Ok(Self::AtLeastOnce),
            2 => Ok(Self::ExactlyOnce),
            other => Err(Error::InvalidQoS(other)),
        }
    }
}

/// A packet identifier: non-zero by construction (MQTT-2.3.1-1).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PacketId(NonZeroU16);

impl PacketId {
    /// Returns `None` for 0, which is never a valid packet identifier.
    pub const fn new(value: u16) -> Option<Self> {
        match NonZeroU16::new(value) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// The identifier as it goes on the wire.
    pub const fn get(self) -> u16 {
        self.0.get()
    }
}

impl fmt::Debug for PacketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PacketId({})", self.0)
    }
}

impl fmt::Display for PacketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The control packet type, the high nibble of the first byte (MQTT 2.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
#[allow(missing_docs)] // the names are the spec's
pub enum PacketType {
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
}

impl PacketType {
    /// All fourteen types, in wire order.
    pub const ALL: [PacketType; 14] = [
        Self::Connect,
        Self::ConnAck,
        Self::Publish,
        Self::PubAck,
        Self::PubRec,
        Self::PubRel,
        Self::PubComp,
        Self::Subscribe,
        Self::SubAck,
        Self::Unsubscribe,
        Self::UnsubAck,
        Self::PingReq,
        Self::PingResp,
        Self::Disconnect,
    ];

    /// Decodes the type nibble and checks the flag nibble of a first byte
    /// against Table 2.2 of the spec.
    #[inline]
    pub(crate) fn from_byte1(byte1: u8) -> Result<Self, Error> {
        let nibble = byte1 >> 4;
        let packet_type = match nibble {
            1..=14 => Self::ALL[usize::from(nibble - 1)],
            _ => return Err(Error::ReservedPacketType(nibble)),
        };
        let flags = byte1 & 0x0F;
        match packet_type {
            Self::Publish => {
                super::publish::qos_of(byte1)?;
            }
            _ if flags != packet_type.fixed_flags() => {
                return Err(Error::InvalidHeaderFlags { packet_type, flags });
            }
            _ => {}
        }
        Ok(packet_type)
    }

    /// The flag nibble the spec fixes for every type but PUBLISH.
    pub(crate) const fn fixed_flags(self) -> u8 {
        match self {
            Self::PubRel | Self::Subscribe | Self::Unsubscribe => 0b0010,
            _ => 0,
        }
    }

    /// First byte of a packet of this type with its fixed flags.
    pub(crate) const fn byte1(self) -> u8 {
        (self as u8) << 4 | self.fixed_flags()
    }
}

/// An MQTT 3.1.1 control packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    /// Client request to connect (MQTT 3.1); boxed, as it is rare and five
    /// times the size of the others.
    Connect(Box<Connect>),
    /// Connect acknowledgement (MQTT 3.2).
    ConnAck(ConnAck),
    /// Application message (MQTT 3.3).
    Publish(Publish),
    /// QoS 1 acknowledgement (MQTT 3.4).
    PubAck(PacketId),
    /// QoS 2 delivery part 1, "publish received" (MQTT 3.5).
    PubRec(PacketId),
    /// QoS 2 delivery part 2, "publish release" (MQTT 3.6).
    PubRel(PacketId),
    /// QoS 2 delivery part 3, "publish complete" (MQTT 3.7).
    PubComp(PacketId),
    /// Subscribe request (MQTT 3.8).
    Subscribe(Subscribe),
    /// Subscribe acknowledgement (MQTT 3.9).
    SubAck(SubAck),
    /// Unsubscribe request (MQTT 3.10).
    Unsubscribe(Unsubscribe),
    /// Unsubscribe acknowledgement (MQTT 3.11).
    UnsubAck(PacketId),
    /// Ping request (MQTT 3.12).
    PingReq,
    /// Ping response (MQTT 3.13).
    PingResp,
    /// Client disconnects cleanly (MQTT 3.14).
    Disconnect,
}

impl Packet {
    /// The type of this packet.
    pub fn packet_type(&self) -> PacketType {
        match self {
            Self::Connect(_) => PacketType::Connect,
            Self::ConnAck(_) => PacketType::ConnAck,
            Self::Publish(_) => PacketType::Publish,
            Self::PubAck(_) => PacketType::PubAck,
            Self::PubRec(_) => PacketType::PubRec,
            Self::PubRel(_) => PacketType::PubRel,
            Self::PubComp(_) => PacketType::PubComp,
            Self::Subscribe(_) => PacketType::Subscribe,
            Self::SubAck(_) => PacketType::SubAck,
            Self::Unsubscribe(_) => PacketType::Unsubscribe,
            Self::UnsubAck(_) => PacketType::UnsubAck,
            Self::PingReq => PacketType::PingReq,
            Self::PingResp => PacketType::PingResp,
            Self::Disconnect => PacketType::Disconnect,
        }
    }
}

/// CONNECT (MQTT 3.1). The protocol name and level are always `MQTT` and 4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connect {
    /// Client identifier; may be empty only with `clean_session` (MQTT-3.1.3-7).
    pub client_id: ByteStr,
    /// Discard any previous session and start a new one (MQTT 3.1.2.4).
    pub clean_session: bool,
    /// Keep-alive interval in seconds; 0 turns the mechanism off (MQTT 3.1.2.10).
    pub keep_alive: u16,
    /// Last Will, published by the server if the client vanishes.
    pub will: Option<Will>,
    /// User name.
    pub username: Option<ByteStr>,
    /// Password: binary data, and only allowed with a user name (MQTT-3.1.2-22).
    pub password: Option<Bytes>,
}

/// Last Will of a CONNECT (MQTT 3.1.2.5 to 3.1.2.7, 3.1.3.2, 3.1.3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Will {
    /// Topic the Will is published to.
    pub topic: Topic,
    /// Will message payload.
    pub message: Bytes,
    /// QoS of the Will publication.
    pub qos: QoS,
    /// Whether the Will is retained.
    pub retain: bool,
}

/// CONNACK return codes (MQTT 3.2.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectReturnCode {
    /// 0x00: connection accepted.
    Accepted,
    /// 0x01 to 0x05: connection refused.
    Refused(ConnectRefusal),
}

impl ConnectReturnCode {
    /// The byte on the wire.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::Accepted => 0,
            Self::Refused(r) => r as u8,
        }
    }

    /// Decodes a return code; 6 to 255 are reserved.
    pub fn from_u8(value: u8) -> Result<Self, Error> {
        Ok(match value {
            0 => Self::Accepted,
            1 => Self::Refused(ConnectRefusal::UnacceptableProtocolVersion),
            2 => Self::Refused(ConnectRefusal::IdentifierRejected),
            3 => Self::Refused(ConnectRefusal::ServerUnavailable),
            4 => Self::Refused(ConnectRefusal::BadUserNameOrPassword),
            5 => Self::Refused(ConnectRefusal::NotAuthorized),
            other => return Err(Error::InvalidConnectReturnCode(other)),
        })
    }
}

/// Why a server refused a connection: CONNACK return codes 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[repr(u8)]
pub enum ConnectRefusal {
    /// 0x01.
    #[error("the server does not support MQTT 3.1.1 (return code 1)")]
    UnacceptableProtocolVersion = 1,
    /// 0x02.
    #[error("the client identifier is not allowed by the server (return code 2)")]
    IdentifierRejected = 2,
    /// 0x03.
    #[error("the MQTT service is unavailable (return code 3)")]
    ServerUnavailable = 3,
    /// 0x04.
    #[error("bad user name or password (return code 4)")]
    BadUserNameOrPassword = 4,
    /// 0x05.
    #[error("the client is not authorized to connect (return code 5)")]
    NotAuthorized = 5,
}

/// CONNACK (MQTT 3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnAck {
    /// The server resumed a stored session (MQTT 3.2.2.2).
    pub session_present: bool,
    /// Accepted or why not.
    pub code: ConnectReturnCode,
}

/// PUBLISH (MQTT 3.3). `topic` and `payload` are slices of the read buffer
/// when decoded: nothing is copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    /// Possibly a re-delivery (MQTT 3.3.1.1); always false at QoS 0.
    pub dup: bool,
    /// Delivery QoS.
    pub qos: QoS,
    /// Retained message (MQTT 3.3.1.3).
    pub retain: bool,
    /// Topic name, without wildcards.
    pub topic: Topic,
    /// Present exactly when `qos` is 1 or 2.
    pub pkid: Option<PacketId>,
    /// Application payload.
    pub payload: Bytes,
}

impl Publish {
    /// A QoS 0 message with DUP and RETAIN clear.
    pub fn at_most_once(topic: Topic, payload: Bytes) -> Self {
        Self {
            dup: false,
            qos: QoS::AtMostOnce,
            retain: false,
            topic,
            pkid: None,
            payload,
        }
    }
}

/// One entry of a SUBSCRIBE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeFilter {
    /// Topic filter, wildcards allowed.
    pub filter: TopicFilter,
    /// Maximum QoS requested.
    pub qos: QoS,
}

impl SubscribeFilter {
    /// Pairs a filter with its requested QoS.
    pub fn new(filter: TopicFilter, qos: QoS) -> Self {
        Self { filter, qos }
    }
}

/// SUBSCRIBE (MQTT 3.8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribe {
    /// Packet identifier.
    pub pkid: PacketId,
    /// At least one filter (MQTT-3.8.3-3).
    pub filters: Vec<SubscribeFilter>,
}

/// A SUBACK return code (MQTT 3.9.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscribeReturnCode {
    /// Subscription granted with this maximum QoS.
    Success(QoS),
    /// 0x80: subscription refused.
    Failure,
}

impl SubscribeReturnCode {
    /// The byte on the wire.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::Success(qos) => qos as u8,
            Self::Failure => 0x80,
        }
    }

    /// Decodes 0, 1, 2 or 0x80.
    pub fn from_u8(value: u8) -> Result<Self, Error> {
        match value {
            0x80 => Ok(Self::Failure),
            0..=2 => QoS::from_u8(value).map(Self::Success),
            other => Err(Error::InvalidSubscribeReturnCode(other)),
        }
    }
}

/// SUBACK (MQTT 3.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubAck {
    /// Identifier of the SUBSCRIBE acknowledged.
    pub pkid: PacketId,
    /// One code per filter, in the order of the SUBSCRIBE (MQTT-3.9.3-1).
    pub return_codes: Vec<SubscribeReturnCode>,
}

/// UNSUBSCRIBE (MQTT 3.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribe {
    /// Packet identifier.
    pub pkid: PacketId,
    /// At least one filter (MQTT-3.10.3-2).
    pub filters: Vec<TopicFilter>,
}
