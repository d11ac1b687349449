//! Writing a CBOR primitive.
//!
//! Same data model as JSON (TS-0004 8.5): one map with text-string keys, text strings,
//! integers in their shortest form (major types 0 and 1), arrays, booleans, null. Every
//! map and array is definite-length. A float is written in single precision when that
//! loses nothing, otherwise in double precision; NaN and infinities are refused, as in
//! JSON, so that a primitive that encodes in one format encodes in the other.

use std::cell::Cell;

use bytes::Bytes;
use onem2m_primitive::Value;

use crate::error::Error;
use crate::limits::Limits;
use crate::map_format::{Parameters, check_level};
use crate::params::Param;

// Major types (the initial byte's top three bits) and the simple values written here.
const MAJOR_UNSIGNED: u8 = 0;
const MAJOR_NEGATIVE: u8 = 1;
const MAJOR_TEXT: u8 = 3;
const MAJOR_ARRAY: u8 = 4;
const MAJOR_MAP: u8 = 5;
const FALSE: u8 = 0xf4;
const TRUE: u8 = 0xf5;
const NULL: u8 = 0xf6;
const SINGLE_FLOAT: u8 = 0xfa;
const DOUBLE_FLOAT: u8 = 0xfb;

/// Encodes `primitive` as a CBOR map.
pub(super) fn encode<P: Parameters>(primitive: &P, limits: &Limits) -> Result<Bytes, Error> {
    with_scratch(limits, |writer| {
        // The number of parameters is known only after the walk: write the map's
        // members after a one-byte placeholder, then put the real header (one byte
        // below 24 parameters, two up to 255) in its place.
        writer.out.push(0);
        let mut count = 0u64;
        primitive.for_each_param(|name, param| {
            count += 1;
            writer.str(name);
            writer.param(&param)
        })?;
        let out = &mut writer.out;
        match (u8::try_from(count), out.first_mut()) {
            (Ok(count @ 0..=23), Some(placeholder)) => *placeholder = MAJOR_MAP << 5 | count,
            _ => {
                let mut header = Vec::with_capacity(9);
                head(&mut header, MAJOR_MAP, count);
                out.splice(..1, header);
            }
        }
        Ok(())
    })
}

/// Encodes content alone (a primitive's `pc`), nested as it would be in the primitive.
pub(super) fn encode_content(content: &Value, limits: &Limits) -> Result<Bytes, Error> {
    with_scratch(limits, |writer| writer.value(content, 1))
}

/// Room for most primitives, so that the scratch buffer rarely grows.
const SCRATCH_CAPACITY: usize = 512;
/// A scratch buffer grown beyond this by a large document is freed, not kept.
const SCRATCH_KEPT: usize = 16 * 1024;

thread_local! {
    /// The buffer [`with_scratch`] writes into, kept between calls on each thread.
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Runs `write` on a writer over this thread's scratch buffer and copies the result out.
///
/// Writing into a buffer whose size is not known in advance and handing it to `Bytes`
/// costs two allocations (the buffer, and the shared header `Bytes` adds when length and
/// capacity differ), and each one's free. Copying the finished bytes (about a hundred)
/// into an exact-size buffer costs one of each and a short copy.
fn with_scratch(
    limits: &Limits,
    write: impl FnOnce(&mut Writer<'_>) -> Result<(), Error>,
) -> Result<Bytes, Error> {
    // Taken out rather than borrowed: a nested call (none today) would find an empty
    // buffer and allocate, not panic. During the thread's teardown, when the buffer is
    // gone, a fresh one serves.
    let mut out = SCRATCH.try_with(Cell::take).unwrap_or_default();
    out.clear();
    out.reserve(SCRATCH_CAPACITY);
    let mut writer = Writer { out, limits };
    let written = write(&mut writer);
    let out = writer.out;
    let encoded = written.map(|()| Bytes::copy_from_slice(&out));
    if out.capacity() <= SCRATCH_KEPT {
        // Dropped instead when the thread-local is already gone.
        let _ = SCRATCH.try_with(|scratch| scratch.set(out));
    }
    encoded
}

/// Writes an item's head: the major type and its argument in the shortest form.
/// Written here rather than with minicbor's encoder: the heads are most of the writes,
/// and a push of one or a few bytes costs less than its generic writer. The one-byte
/// form (arguments below 24: short strings, small maps, lists and integers) is inlined.
#[inline(always)]
fn head(out: &mut Vec<u8>, major: u8, argument: u64) {
    match u8::try_from(argument) {
        Ok(small @ 0..=23) => out.push(major << 5 | small),
        _ => long_head(out, major, argument),
    }
}

#[inline(never)]
fn long_head(out: &mut Vec<u8>, major: u8, argument: u64) {
    let major = major << 5;
    match argument {
        0..=23 => out.push(major | argument as u8),
        24..=0xff => out.extend_from_slice(&[major | 24, argument as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend_from_slice(&(argument as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend_from_slice(&(argument as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend_from_slice(&argument.to_be_bytes());
        }
    }
}

struct Writer<'l> {
    out: Vec<u8>,
    limits: &'l Limits,
}

impl Writer<'_> {
    #[inline]
    fn str(&mut self, text: &str) {
        let bytes = text.as_bytes();
        head(&mut self.out, MAJOR_TEXT, bytes.len() as u64);
        // Most keys are short names: copied as fixed-size arrays, they cost a few moves
        // instead of a call to `memcpy`.
        match bytes.len() {
            2 => self.fixed::<2>(bytes),
            3 => self.fixed::<3>(bytes),
            4 => self.fixed::<4>(bytes),
            _ => self.out.extend_from_slice(bytes),
        }
    }

    #[inline(always)]
    fn fixed<const N: usize>(&mut self, bytes: &[u8]) {
        match <[u8; N]>::try_from(bytes) {
            Ok(array) => self.out.extend_from_slice(&array),
            Err(_) => self.out.extend_from_slice(bytes),
        }
    }

    #[inline]
    fn int(&mut self, i: i64) {
        match u64::try_from(i) {
            Ok(n) => head(&mut self.out, MAJOR_UNSIGNED, n),
            // -1 - i, which CBOR stores for a negative i, fits in a u64.
            Err(_) => head(&mut self.out, MAJOR_NEGATIVE, !(i as u64)),
        }
    }

    fn bool(&mut self, b: bool) {
        self.out.push(if b { TRUE } else { FALSE });
    }

    fn param(&mut self, param: &Param<'_>) -> Result<(), Error> {
        match param {
            Param::Str(text) => self.str(text),
            Param::Int(i) => self.int(*i),
            Param::Bool(b) => self.bool(*b),
            Param::StrList(items) => {
                head(&mut self.out, MAJOR_ARRAY, items.len() as u64);
                for item in items.iter() {
                    self.str(item);
                }
            }
            Param::Tree(value) => return self.value(value, 1),
        }
        Ok(())
    }

    /// Writes `value` (see [`Self::value`]) with the scalars most members are written in
    /// place: inlined into the map and list loops, it spares them a call each.
    #[inline(always)]
    fn item(&mut self, value: &Value, level: usize) -> Result<(), Error> {
        match value {
            Value::Text(text) => self.str(text),
            Value::Int(i) => self.int(*i),
            Value::Bool(b) => self.bool(*b),
            _ => return self.value(value, level),
        }
        Ok(())
    }

    /// Writes `value`, whose maps and lists sit at nesting `level`.
    fn value(&mut self, value: &Value, level: usize) -> Result<(), Error> {
        match value {
            Value::Null => self.out.push(NULL),
            Value::Bool(b) => self.bool(*b),
            Value::Int(i) => self.int(*i),
            Value::Float(x) if !x.is_finite() => {
                return Err(Error::Unencodable(format!(
                    "the number {x}: the oneM2M data model has no NaN or infinity"
                )));
            }
            Value::Float(x) => {
                let single = *x as f32;
                if f64::from(single) == *x {
                    self.out.push(SINGLE_FLOAT);
                    self.out.extend_from_slice(&single.to_be_bytes());
                } else {
                    self.out.push(DOUBLE_FLOAT);
                    self.out.extend_from_slice(&x.to_be_bytes());
                }
            }
            Value::Text(text) => self.str(text),
            Value::List(items) => {
                check_level(self.limits, level)?;
                head(&mut self.out, MAJOR_ARRAY, items.len() as u64);
                for item in items {
                    self.item(item, level + 1)?;
                }
            }
            Value::Map(members) => {
                check_level(self.limits, level)?;
                head(&mut self.out, MAJOR_MAP, members.len() as u64);
                for (name, member) in members.iter() {
                    self.str(name);
                    self.item(member, level + 1)?;
                }
            }
        }
        Ok(())
    }
}
