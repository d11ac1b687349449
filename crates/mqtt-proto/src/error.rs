//! The crate's one error type.

use std::time::Duration;

use crate::codec::{ConnectRefusal, PacketId, PacketType};

/// Everything that can go wrong in the codec, the session or a session store.
///
/// Decoding errors mean the byte stream is unusable: the caller closes the
/// connection. Session errors returned by [`Session::handle_packet`] and
/// [`Session::handle_timeout`] mean the same; the session has already moved to
/// the disconnected state and can be connected again on a new transport.
///
/// [`Session::handle_packet`]: crate::Session::handle_packet
/// [`Session::handle_timeout`]: crate::Session::handle_timeout
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- framing -------------------------------------------------------
    /// The fixed header announces a packet larger than the configured limit.
    /// Raised from the fixed header alone, before any buffer is reserved.
    #[error("packet of {size} bytes exceeds the maximum packet size of {limit} bytes")]
    PacketTooLarge {
        /// Size of the whole packet (fixed header included), in bytes.
        size: usize,
        /// The configured limit, in bytes.
        limit: usize,
    },
    /// The remaining length does not end within 4 bytes (MQTT-2.2.3).
    #[error("remaining length is longer than 4 bytes")]
    MalformedRemainingLength,
    /// The packet type nibble is 0 or 15, both reserved (MQTT 2.2.1).
    #[error("reserved packet type {0}")]
    ReservedPacketType(u8),
    /// The fixed header flags are not those the spec prescribes for this type
    /// (MQTT-2.2.2-1, MQTT-2.2.2-2), or DUP is set on a QoS 0 PUBLISH (MQTT-3.3.1-2).
    #[error("invalid fixed header flags {flags:#06b} for {packet_type:?}")]
    InvalidHeaderFlags {
        /// The packet being decoded.
        packet_type: PacketType,
        /// The low nibble of the first byte.
        flags: u8,
    },
    /// The remaining length does not fit the packet type.
    #[error("{packet_type:?} has remaining length {len}, expected {expected}")]
    InvalidRemainingLength {
        /// The packet being decoded.
        packet_type: PacketType,
        /// The remaining length found.
        len: usize,
        /// What the spec prescribes for this packet type.
        expected: usize,
    },
    /// A field runs past the end of the packet.
    #[error("{packet_type:?}: {field} runs past the end of the packet")]
    Truncated {
        /// The packet being decoded.
        packet_type: PacketType,
        /// The field that did not fit.
        field: &'static str,
    },
    /// Bytes are left over after the last field of a packet.
    #[error("{packet_type:?}: {count} unexpected bytes after the last field")]
    TrailingBytes {
        /// The packet being decoded.
        packet_type: PacketType,
        /// How many bytes were left.
        count: usize,
    },
    // ---- fields --------------------------------------------------------
    /// CONNECT names a protocol other than `MQTT` (MQTT-3.1.2-1).
    #[error("unsupported protocol name (expected \"MQTT\")")]
    UnsupportedProtocolName,
    /// CONNECT asks for a protocol level other than 4, i.e. not MQTT 3.1.1
    /// (MQTT-3.1.2-2; a server answers CONNACK 0x01).
    #[error("unsupported protocol level {0} (MQTT 3.1.1 is level 4)")]
    UnsupportedProtocolLevel(u8),
    /// CONNECT flags break a rule of MQTT 3.1.2 (reserved bit, Will flags,
    /// password without user name).
    #[error("invalid CONNECT flags {flags:#010b}: {reason}")]
    InvalidConnectFlags {
        /// The flags byte.
        flags: u8,
        /// Which rule is broken.
        reason: &'static str,
    },
    /// CONNACK acknowledge flags break MQTT-3.2.2-1 or MQTT-3.2.2-4.
    #[error("invalid CONNACK flags {flags:#010b} with return code {code}")]
    InvalidConnAckFlags {
        /// The acknowledge flags byte.
        flags: u8,
        /// The return code byte.
        code: u8,
    },
    /// CONNACK return code above 5 (reserved in MQTT 3.1.1).
    #[error("reserved CONNACK return code {0}")]
    InvalidConnectReturnCode(u8),
    /// QoS 3 (MQTT-3.3.1-4) or another value outside 0..=2.
    #[error("invalid QoS {0}")]
    InvalidQoS(u8),
    /// SUBSCRIBE requested-QoS byte with reserved bits set (MQTT-3.8.3-4).
    #[error("invalid subscription options byte {0:#010b}")]
    InvalidSubscribeOptions(u8),
    /// SUBACK return code other than 0, 1, 2 or 0x80 (MQTT-3.9.3-2).
    #[error("invalid SUBACK return code {0:#04x}")]
    InvalidSubscribeReturnCode(u8),
    /// A packet identifier of zero where one is required (MQTT-2.3.1-1).
    #[error("{packet_type:?} with packet identifier 0")]
    ZeroPacketId {
        /// The packet concerned.
        packet_type: PacketType,
    },
    /// SUBSCRIBE, SUBACK or UNSUBSCRIBE without a single entry
    /// (MQTT-3.8.3-3, MQTT-3.10.3-2).
    #[error("{packet_type:?} carries no entry")]
    EmptyPayload {
        /// The packet concerned.
        packet_type: PacketType,
    },
    /// A string field is not well-formed UTF-8 (MQTT-1.5.3-1).
    #[error("{field} is not well-formed UTF-8")]
    InvalidUtf8 {
        /// The field concerned.
        field: &'static str,
    },
    /// A string field contains U+0000 (MQTT-1.5.3-2).
    #[error("{field} contains the null character U+0000")]
    NullCharacter {
        /// The field concerned.
        field: &'static str,
    },
    /// A string or binary field is longer than 65,535 bytes.
    #[error("{field} is {len} bytes long; MQTT allows at most 65535")]
    FieldTooLong {
        /// The field concerned.
        field: &'static str,
        /// Its length in bytes.
        len: usize,
    },
    /// A topic name is empty or contains a wildcard (MQTT-4.7.3-1, MQTT-3.3.2-2).
    #[error("invalid topic name: {reason}")]
    InvalidTopicName {
        /// Which rule is broken.
        reason: &'static str,
    },
    /// A topic filter is empty or has a wildcard in a wrong position
    /// (MQTT-4.7.1-2, MQTT-4.7.1-3, MQTT-4.7.3-1).
    #[error("invalid topic filter: {reason}")]
    InvalidTopicFilter {
        /// Which rule is broken.
        reason: &'static str,
    },
    /// Encoding a QoS 1 or 2 PUBLISH without a packet identifier.
    #[error("a QoS {qos} PUBLISH needs a packet identifier")]
    MissingPacketId {
        /// The QoS of the packet.
        qos: u8,
    },
    /// Another codec (behind the [`Codec`](crate::Codec) trait) reported an error.
    #[error("{codec} codec: {detail}")]
    Foreign {
        /// Name of the codec.
        codec: &'static str,
        /// Its error, rendered.
        detail: String,
    },
    // ---- session -------------------------------------------------------
    /// The broker refused the connection with a CONNACK return code.
    #[error("connection refused: {0}")]
    ConnectionRefused(#[from] ConnectRefusal),
    /// No CONNACK arrived within the connect timeout.
    #[error("no CONNACK within {waited:?}")]
    ConnectTimeout {
        /// How long the session waited.
        waited: Duration,
    },
    /// No PINGRESP arrived within the ping timeout: the link is presumed dead.
    #[error("no PINGRESP within {waited:?}; the connection is presumed dead")]
    KeepAliveTimeout {
        /// How long the session waited.
        waited: Duration,
    },
    /// The broker sent something MQTT 3.1.1 forbids at this point.
    #[error("protocol violation by the server ({packet_type:?}): {reason}")]
    ProtocolViolation {
        /// The offending packet.
        packet_type: PacketType,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The operation needs a connected session (QoS 0 publish, ack, connect twice...).
    #[error("{operation} is not possible while the session is {state}")]
    InvalidState {
        /// What was attempted.
        operation: &'static str,
        /// The session state at the time.
        state: &'static str,
    },
    /// The in-flight window is full; wait for a `Published` event and retry.
    #[error("in-flight window of {limit} QoS 1/2 messages is full")]
    WindowFull {
        /// The configured window.
        limit: u16,
    },
    /// All 65,535 packet identifiers are in use.
    #[error("all packet identifiers are in use")]
    PacketIdsExhausted,
    /// `ack` was called for a packet id that awaits no acknowledgement.
    #[error("packet {0:?} awaits no acknowledgement")]
    UnknownPacketId(PacketId),
    /// The session options contradict MQTT 3.1.1.
    #[error("invalid session options: {0}")]
    InvalidOptions(&'static str),
    // ---- store ---------------------------------------------------------
    /// A session store could not read or write its medium.
    #[error("session store: {operation} failed")]
    Store {
        /// What the store was doing.
        operation: &'static str,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
    /// A session store found data it cannot read.
    #[error("session store is corrupt: {0}")]
    StoreCorrupt(String),
}
