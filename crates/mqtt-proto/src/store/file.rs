//! `FileStore`: session state in an append-only log that survives a
//! process restart. Its format and durability are documented on the type.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use bytes::{Buf, BufMut, Bytes};

use super::{SessionStore, StoreImage, StoredMessage, StoredState};
use crate::Error;
use crate::codec::{PacketId, QoS, Topic};

const MAGIC: &[u8; 8] = b"OM2MQSS1";
const RECORD_HEADER: usize = 8;
const COMPACT_MIN_BYTES: u64 = 1 << 20;

const PUT_OUTGOING: u8 = 1;
const MARK_RELEASED: u8 = 2;
const REMOVE_OUTGOING: u8 = 3;
const PUT_INCOMING: u8 = 4;
const REMOVE_INCOMING: u8 = 5;
const CLEAR_INCOMING: u8 = 6;

const FLAG_RETAIN: u8 = 0b0100;
const FLAG_RELEASED: u8 = 0b1000;

/// When a [`FileStore`] flushes its writes to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncPolicy {
    /// `fdatasync` after every record: survives power loss.
    #[default]
    Always,
    /// Never by itself: survives a process crash, not an OS crash or power
    /// loss, unless [`FileStore::sync`] was called since the last change.
    Never,
}

/// A [`SessionStore`] in an append-only file that survives a process restart.
///
/// # Format
/// An 8-byte magic `OM2MQSS1`, then records: a big-endian `u32` body length,
/// the CRC-32 (IEEE) of the body, and the body (a kind byte and its fields).
/// Every change is one record appended with a single `write`.
///
/// # Durability
/// - Each method writes its whole record to the file before it returns, so a
///   crash of the *process* (panic, abort, `SIGKILL`) loses nothing a call
///   returned `Ok` for: the data is in the kernel.
/// - [`SyncPolicy::Always`] (the default) also calls `fdatasync` before
///   returning, so an OS crash or a power loss loses nothing either (as far
///   as the disk honours flushes). It costs one disk flush per QoS 1/2
///   message sent, acknowledged or received.
/// - [`SyncPolicy::Never`] leaves write-back to the kernel (usually within
///   about 30 s on Linux) or to explicit [`FileStore::sync`] calls. An OS crash
///   or power loss can then lose the latest records: a lost "put" is a
///   message the application believed stored and that will not be resent; a
///   lost "remove" only causes a duplicate resend after restart.
/// - A record torn by a crash fails its length or CRC check when the file is
///   opened; it and anything after it are dropped (only the tail of an
///   append-only log can be torn).
/// - The log is compacted when opened and when it grows to four times its
///   live content (and at least 1 MiB): the compact image goes to a
///   temporary file, which is synced, renamed over the log, and the directory
///   synced, so a crash during compaction leaves the old or the new log.
#[derive(Debug)]
pub struct FileStore {
    path: PathBuf,
    file: File,
    sync: SyncPolicy,
    image: StoreImage,
    log_bytes: u64,
}

fn io(operation: &'static str) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Store { operation, source }
}

impl FileStore {
    /// Opens (or creates) the log at `path` with [`SyncPolicy::Always`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        Self::open_with(path, SyncPolicy::Always)
    }

    /// Opens (or creates) the log at `path`, replays it and compacts it.
    pub fn open_with(path: impl AsRef<Path>, sync: SyncPolicy) -> Result<Self, Error> {
        let path = path.as_ref().to_path_buf();
        let image = match fs::read(&path) {
            Ok(data) => replay(&data)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => StoreImage::default(),
            Err(e) => return Err(io("read the session log")(e)),
        };
        let (file, log_bytes) = rewrite(&path, &image)?;
        Ok(Self {
            path,
            file,
            sync,
            image,
            log_bytes,
        })
    }

    /// Where the log lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes everything written so far to the disk.
    pub fn sync(&mut self) -> Result<(), Error> {
        self.file.sync_data().map_err(io("sync the session log"))
    }

    fn append(&mut self, body: &[u8]) -> Result<(), Error> {
        let mut record = Vec::with_capacity(RECORD_HEADER + body.len());
        append_record(&mut record, body);
        self.file
            .write_all(&record)
            .map_err(io("append to the session log"))?;
        if self.sync == SyncPolicy::Always {
            self.sync()?;
        }
        self.log_bytes += record.len() as u64;
        self.maybe_compact()
    }

    fn maybe_compact(&mut self) -> Result<(), Error> {
        if self.log_bytes < COMPACT_MIN_BYTES {
            return Ok(());
        }
        let live = image_bytes(&self.image);
        if self.log_bytes < live.saturating_mul(4) {
            return Ok(());
        }
        let (file, log_bytes) = rewrite(&self.path, &self.image)?;
        self.file = file;
        self.log_bytes = log_bytes;
        Ok(())
    }
}

impl SessionStore for FileStore {
    fn load(&mut self) -> Result<StoredState, Error> {
        Ok(self.image.snapshot())
    }

    fn put_outgoing(&mut self, message: &StoredMessage) -> Result<(), Error> {
        self.append(&encode_message(message))?;
        self.image.put_outgoing(message.clone());
        Ok(())
    }

    fn mark_released(&mut self, pkid: PacketId) -> Result<(), Error> {
        self.append(&id_record(MARK_RELEASED, pkid))?;
        self.image.mark_released(pkid);
        Ok(())
    }

    fn remove_outgoing(&mut self, pkid: PacketId) -> Result<(), Error> {
        self.append(&id_record(REMOVE_OUTGOING, pkid))?;
        self.image.remove_outgoing(pkid);
        Ok(())
    }

    fn put_incoming(&mut self, pkid: PacketId) -> Result<(), Error> {
        self.append(&id_record(PUT_INCOMING, pkid))?;
        self.image.put_incoming(pkid);
        Ok(())
    }

    fn remove_incoming(&mut self, pkid: PacketId) -> Result<(), Error> {
        self.append(&id_record(REMOVE_INCOMING, pkid))?;
        self.image.remove_incoming(pkid);
        Ok(())
    }

    fn clear_incoming(&mut self) -> Result<(), Error> {
        self.append(&[CLEAR_INCOMING])?;
        self.image.clear_incoming();
        Ok(())
    }
}

fn id_record(kind: u8, pkid: PacketId) -> [u8; 3] {
    let [hi, lo] = pkid.get().to_be_bytes();
    [kind, hi, lo]
}

fn encode_message(m: &StoredMessage) -> Vec<u8> {
    let mut body = Vec::with_capacity(10 + m.topic.len() + m.payload.len());
    body.put_u8(PUT_OUTGOING);
    body.put_u16(m.pkid.get());
    let mut flags = m.qos as u8;
    if m.retain {
        flags |= FLAG_RETAIN;
    }
    if m.released {
        flags |= FLAG_RELEASED;
    }
    body.put_u8(flags);
    // Topics are at most 65,535 bytes (checked by `Topic`).
    body.put_u16(m.topic.len() as u16);
    body.put_slice(m.topic.as_bytes());
    // Payloads come from packets limited to 268 MB, which fits a u32.
    body.put_u32(m.payload.len() as u32);
    body.put_slice(&m.payload);
    body
}

fn append_record(out: &mut Vec<u8>, body: &[u8]) {
    out.put_u32(body.len() as u32);
    out.put_u32(crc32(body));
    out.put_slice(body);
}

/// Size of the compact log for `image`.
fn image_bytes(image: &StoreImage) -> u64 {
    let outgoing: u64 = image
        .outgoing()
        .map(|m| (RECORD_HEADER + 10 + m.topic.len() + m.payload.len()) as u64)
        .sum();
    let incoming = image.incoming().count() as u64 * (RECORD_HEADER + 3) as u64;
    MAGIC.len() as u64 + outgoing + incoming
}

/// Writes the compact log atomically; returns an append handle and its size.
fn rewrite(path: &Path, image: &StoreImage) -> Result<(File, u64), Error> {
    let mut data = Vec::with_capacity(usize::try_from(image_bytes(image)).unwrap_or(0));
    data.extend_from_slice(MAGIC);
    for m in image.outgoing() {
        append_record(&mut data, &encode_message(m));
    }
    for &pkid in image.incoming() {
        append_record(&mut data, &id_record(PUT_INCOMING, pkid));
    }
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    {
        let mut f = File::create(&tmp).map_err(io("create the compacted session log"))?;
        f.write_all(&data)
            .map_err(io("write the compacted session log"))?;
        f.sync_all().map_err(io("sync the compacted session log"))?;
    }
    fs::rename(&tmp, path).map_err(io("replace the session log"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io("sync the session log directory"))?;
    let file = OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(io("open the session log"))?;
    Ok((file, data.len() as u64))
}

/// Rebuilds the image from a log, stopping at the first torn record.
fn replay(data: &[u8]) -> Result<StoreImage, Error> {
    let mut image = StoreImage::default();
    if data.is_empty() {
        return Ok(image);
    }
    let Some(mut rest) = data.strip_prefix(MAGIC.as_slice()) else {
        return Err(Error::StoreCorrupt(
            "the file does not start with the session log magic".into(),
        ));
    };
    while rest.len() >= RECORD_HEADER {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let crc = u32::from_be_bytes([rest[4], rest[5], rest[6], rest[7]]);
        let Some(body) = rest.get(RECORD_HEADER..RECORD_HEADER + len) else {
            break; // torn tail
        };
        if crc32(body) != crc {
            break; // torn tail
        }
        apply(&mut image, body)?;
        rest = &rest[RECORD_HEADER + len..];
    }
    Ok(image)
}

fn corrupt(what: &str) -> Error {
    Error::StoreCorrupt(format!("bad {what} record"))
}

fn apply(image: &mut StoreImage, body: &[u8]) -> Result<(), Error> {
    let mut b = Bytes::copy_from_slice(body);
    let kind = b.try_get_u8().map_err(|_| corrupt("empty"))?;
    if kind == CLEAR_INCOMING {
        image.clear_incoming();
        return Ok(());
    }
    let pkid = b
        .try_get_u16()
        .ok()
        .and_then(PacketId::new)
        .ok_or_else(|| corrupt("packet id"))?;
    match kind {
        PUT_OUTGOING => {
            let err = || corrupt("outgoing message");
            let flags = b.try_get_u8().map_err(|_| err())?;
            let topic_len = usize::from(b.try_get_u16().map_err(|_| err())?);
            if b.remaining() < topic_len {
                return Err(err());
            }
            let topic = Topic::from_bytes(b.split_to(topic_len)).map_err(|_| err())?;
            let payload_len = b.try_get_u32().map_err(|_| err())? as usize;
            if b.remaining() != payload_len {
                return Err(err());
            }
            let qos = QoS::from_u8(flags & 0b11).map_err(|_| err())?;
            if qos == QoS::AtMostOnce {
                return Err(err());
            }
            image.put_outgoing(StoredMessage {
                pkid,
                topic,
                payload: b,
                qos,
                retain: flags & FLAG_RETAIN != 0,
                released: flags & FLAG_RELEASED != 0,
            });
        }
        MARK_RELEASED => image.mark_released(pkid),
        REMOVE_OUTGOING => {
            image.remove_outgoing(pkid);
        }
        PUT_INCOMING => {
            image.put_incoming(pkid);
        }
        REMOVE_INCOMING => {
            image.remove_incoming(pkid);
        }
        _ => return Err(corrupt("unknown")),
    }
    Ok(())
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320).
fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    let mut crc = !0u32;
    for &b in data {
        crc = TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }
}
