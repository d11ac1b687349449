//! `MqttBytesCodec`: the [`Codec`] trait over the `mqttbytes` 0.6 crate, so
//! that a stack can run on a second, independent MQTT implementation (and so
//! that our codec has an oracle to be tested against).

use bytes::{Bytes, BytesMut};
use mqttbytes::v4 as mb;

use super::packet::{
    ConnAck, Connect, ConnectRefusal, ConnectReturnCode, Packet, PacketId, PacketType, Publish,
    QoS, SubAck, Subscribe, SubscribeFilter, SubscribeReturnCode, Unsubscribe, Will,
};
use super::string::{ByteStr, Topic, TopicFilter};
use super::{Codec, DEFAULT_MAX_PACKET_SIZE};
use crate::Error;

const NAME: &str = "mqttbytes";

/// A [`Codec`] built on `mqttbytes` 0.6 (enabled by the `mqttbytes` feature).
///
/// Differences with [`OwnCodec`](super::OwnCodec), all from mqttbytes:
/// the size limit applies to the remaining length, not the whole packet;
/// decoding copies the topic into a `String` (converted back to [`Topic`]
/// without a second copy); fewer malformed packets are rejected (reserved
/// flag bits, trailing bytes, wildcards in topic names are accepted and
/// then caught by our type conversions where they matter). A CONNECT with
/// an empty user name or a non-UTF-8 password cannot be encoded.
#[derive(Debug, Clone)]
pub struct MqttBytesCodec {
    max_packet_size: usize,
}

impl Default for MqttBytesCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl MqttBytesCodec {
    /// A codec with the default 256 KiB limit.
    pub fn new() -> Self {
        Self {
            max_packet_size: DEFAULT_MAX_PACKET_SIZE,
        }
    }

    /// Sets the largest remaining length accepted on decode.
    pub fn with_max_packet_size(mut self, limit: usize) -> Self {
        self.max_packet_size = limit;
        self
    }
}

fn foreign(detail: impl Into<String>) -> Error {
    Error::Foreign {
        codec: NAME,
        detail: detail.into(),
    }
}

fn theirs_err(e: mqttbytes::Error) -> Error {
    foreign(format!("{e:?}"))
}

impl Codec for MqttBytesCodec {
    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Packet>, Error> {
        match mb::read(buf, self.max_packet_size) {
            Ok(packet) => from_theirs(packet).map(Some),
            Err(mqttbytes::Error::InsufficientBytes(_)) => Ok(None),
            Err(mqttbytes::Error::PayloadSizeLimitExceeded(size)) => Err(Error::PacketTooLarge {
                size,
                limit: self.max_packet_size,
            }),
            Err(e) => Err(theirs_err(e)),
        }
    }

    fn encode(&self, packet: &Packet, out: &mut BytesMut) -> Result<(), Error> {
        let written = match packet {
            Packet::Connect(c) => {
                // mqttbytes patches the CONNECT flags at an absolute index, so
                // it must write into an empty buffer; unsplit does not copy.
                let connect = connect_to_theirs(c)?;
                let mut tail = out.split_off(out.len());
                let r = connect.write(&mut tail);
                out.unsplit(tail);
                r
            }
            Packet::ConnAck(c) => {
                mb::ConnAck::new(connack_code_to_theirs(c.code), c.session_present).write(out)
            }
            Packet::Publish(p) => publish_to_theirs(p)?.write(out),
            Packet::PubAck(id) => mb::PubAck::new(id.get()).write(out),
            Packet::PubRec(id) => mb::PubRec::new(id.get()).write(out),
            Packet::PubRel(id) => mb::PubRel::new(id.get()).write(out),
            Packet::PubComp(id) => mb::PubComp::new(id.get()).write(out),
            Packet::Subscribe(s) => {
                let mut theirs = mb::Subscribe::new_many(s.filters.iter().map(|f| {
                    mb::SubscribeFilter::new(f.filter.as_str().to_owned(), qos_to_theirs(f.qos))
                }));
                theirs.pkid = s.pkid.get();
                theirs.write(out)
            }
            Packet::SubAck(s) => mb::SubAck::new(
                s.pkid.get(),
                s.return_codes
                    .iter()
                    .map(|c| match c {
                        SubscribeReturnCode::Success(q) => {
                            mb::SubscribeReasonCode::Success(qos_to_theirs(*q))
                        }
                        SubscribeReturnCode::Failure => mb::SubscribeReasonCode::Failure,
                    })
                    .collect(),
            )
            .write(out),
            Packet::Unsubscribe(u) => mb::Unsubscribe {
                pkid: u.pkid.get(),
                topics: u.filters.iter().map(|f| f.as_str().to_owned()).collect(),
            }
            .write(out),
            Packet::UnsubAck(id) => mb::UnsubAck::new(id.get()).write(out),
            Packet::PingReq => mb::PingReq.write(out),
            Packet::PingResp => mb::PingResp.write(out),
            Packet::Disconnect => mb::Disconnect.write(out),
        };
        written.map(|_| ()).map_err(theirs_err)
    }

    fn max_packet_size(&self) -> usize {
        self.max_packet_size
    }

    fn name(&self) -> &'static str {
        NAME
    }
}

fn qos_to_theirs(q: QoS) -> mqttbytes::QoS {
    match q {
        QoS::AtMostOnce => mqttbytes::QoS::AtMostOnce,
        QoS::AtLeastOnce => mqttbytes::QoS::AtLeastOnce,
        QoS::ExactlyOnce => mqttbytes::QoS::ExactlyOnce,
    }
}

fn qos_from_theirs(q: mqttbytes::QoS) -> QoS {
    match q {
        mqttbytes::QoS::AtMostOnce => QoS::AtMostOnce,
        mqttbytes::QoS::AtLeastOnce => QoS::AtLeastOnce,
        mqttbytes::QoS::ExactlyOnce => QoS::ExactlyOnce,
    }
}

fn pkid(packet_type: PacketType, raw: u16) -> Result<PacketId, Error> {
    PacketId::new(raw).ok_or(Error::ZeroPacketId { packet_type })
}

fn connack_code_to_theirs(code: ConnectReturnCode) -> mb::ConnectReturnCode {
    match code {
        ConnectReturnCode::Accepted => mb::ConnectReturnCode::Success,
        ConnectReturnCode::Refused(r) => match r {
            ConnectRefusal::UnacceptableProtocolVersion => {
                mb::ConnectReturnCode::RefusedProtocolVersion
            }
            ConnectRefusal::IdentifierRejected => mb::ConnectReturnCode::BadClientId,
            ConnectRefusal::ServerUnavailable => mb::ConnectReturnCode::ServiceUnavailable,
            ConnectRefusal::BadUserNameOrPassword => mb::ConnectReturnCode::BadUserNamePassword,
            ConnectRefusal::NotAuthorized => mb::ConnectReturnCode::NotAuthorized,
        },
    }
}

fn connect_to_theirs(c: &Connect) -> Result<mb::Connect, Error> {
    let login = match (&c.username, &c.password) {
        (None, None) => None,
        (None, Some(_)) => {
            return Err(Error::InvalidConnectFlags {
                flags: 0x40,
                reason: "password without user name (MQTT-3.1.2-22)",
            });
        }
        (Some(u), p) => {
            if u.is_empty() {
                return Err(foreign("cannot encode an empty user name"));
            }
            let password = match p {
                None => String::new(),
                Some(p) if p.is_empty() => {
                    return Err(foreign("cannot encode an empty password"));
                }
                Some(p) => String::from_utf8(p.to_vec())
                    .map_err(|_| foreign("cannot encode a non-UTF-8 password"))?,
            };
            Some(mb::Login::new(u.as_str().to_owned(), password))
        }
    };
    Ok(mb::Connect {
        protocol: mqttbytes::Protocol::V4,
        keep_alive: c.keep_alive,
        client_id: c.client_id.as_str().to_owned(),
        clean_session: c.clean_session,
        last_will: c.will.as_ref().map(|w| mb::LastWill {
            topic: w.topic.as_str().to_owned(),
            message: w.message.clone(),
            qos: qos_to_theirs(w.qos),
            retain: w.retain,
        }),
        login,
    })
}

fn publish_to_theirs(p: &Publish) -> Result<mb::Publish, Error> {
    let pkid = match (p.qos, p.pkid) {
        (QoS::AtMostOnce, _) => 0,
        (q, None) => return Err(Error::MissingPacketId { qos: q as u8 }),
        (_, Some(id)) => id.get(),
    };
    let mut theirs =
        mb::Publish::from_bytes(p.topic.as_str(), qos_to_theirs(p.qos), p.payload.clone());
    theirs.dup = p.dup;
    theirs.retain = p.retain;
    theirs.pkid = pkid;
    Ok(theirs)
}

/// Converts a packet decoded by mqttbytes into ours, applying our type checks.
fn from_theirs(packet: mb::Packet) -> Result<Packet, Error> {
    Ok(match packet {
        mb::Packet::Connect(c) => {
            if c.protocol != mqttbytes::Protocol::V4 {
                return Err(Error::UnsupportedProtocolLevel(5));
            }
            let (username, password) = match c.login {
                None => (None, None),
                Some(l) => (
                    (!l.username.is_empty())
                        .then(|| ByteStr::try_from(l.username))
                        .transpose()?,
                    (!l.password.is_empty()).then(|| Bytes::from(l.password)),
                ),
            };
            if password.is_some() && username.is_none() {
                return Err(Error::InvalidConnectFlags {
                    flags: 0x40,
                    reason: "password without user name (MQTT-3.1.2-22)",
                });
            }
            Packet::Connect(Box::new(Connect {
                client_id: ByteStr::try_from(c.client_id)?,
                clean_session: c.clean_session,
                keep_alive: c.keep_alive,
                will: c
                    .last_will
                    .map(|w| -> Result<Will, Error> {
                        Ok(Will {
                            topic: Topic::try_from(w.topic)?,
                            message: w.message,
                            qos: qos_from_theirs(w.qos),
                            retain: w.retain,
                        })
                    })
                    .transpose()?,
                username,
                password,
            }))
        }
        mb::Packet::ConnAck(c) => Packet::ConnAck(ConnAck {
            session_present: c.session_present,
            code: ConnectReturnCode::from_u8(c.code as u8)?,
        }),
        mb::Packet::Publish(p) => {
            let qos = qos_from_theirs(p.qos);
            Packet::Publish(Publish {
                dup: p.dup,
                qos,
                retain: p.retain,
                topic: Topic::try_from(p.topic)?,
                pkid: match qos {
                    QoS::AtMostOnce => None,
                    _ => Some(pkid(PacketType::Publish, p.pkid)?),
                },
                payload: p.payload,
            })
        }
        mb::Packet::PubAck(a) => Packet::PubAck(pkid(PacketType::PubAck, a.pkid)?),
        mb::Packet::PubRec(a) => Packet::PubRec(pkid(PacketType::PubRec, a.pkid)?),
        mb::Packet::PubRel(a) => Packet::PubRel(pkid(PacketType::PubRel, a.pkid)?),
        mb::Packet::PubComp(a) => Packet::PubComp(pkid(PacketType::PubComp, a.pkid)?),
        mb::Packet::Subscribe(s) => {
            if s.filters.is_empty() {
                return Err(Error::EmptyPayload {
                    packet_type: PacketType::Subscribe,
                });
            }
            Packet::Subscribe(Subscribe {
                pkid: pkid(PacketType::Subscribe, s.pkid)?,
                filters: s
                    .filters
                    .into_iter()
                    .map(|f| {
                        Ok(SubscribeFilter::new(
                            TopicFilter::try_from(f.path)?,
                            qos_from_theirs(f.qos),
                        ))
                    })
                    .collect::<Result<_, Error>>()?,
            })
        }
        mb::Packet::SubAck(s) => Packet::SubAck(SubAck {
            pkid: pkid(PacketType::SubAck, s.pkid)?,
            return_codes: s
                .return_codes
                .into_iter()
                .map(|c| match c {
                    mb::SubscribeReasonCode::Success(q) => {
                        SubscribeReturnCode::Success(qos_from_theirs(q))
                    }
                    mb::SubscribeReasonCode::Failure => SubscribeReturnCode::Failure,
                })
                .collect(),
        }),
        mb::Packet::Unsubscribe(u) => {
            if u.topics.is_empty() {
                return Err(Error::EmptyPayload {
                    packet_type: PacketType::Unsubscribe,
                });
            }
            Packet::Unsubscribe(Unsubscribe {
                pkid: pkid(PacketType::Unsubscribe, u.pkid)?,
                filters: u
                    .topics
                    .into_iter()
                    .map(TopicFilter::try_from)
                    .collect::<Result<_, _>>()?,
            })
        }
        mb::Packet::UnsubAck(a) => Packet::UnsubAck(pkid(PacketType::UnsubAck, a.pkid)?),
        mb::Packet::PingReq => Packet::PingReq,
        mb::Packet::PingResp => Packet::PingResp,
        mb::Packet::Disconnect => Packet::Disconnect,
    })
}
