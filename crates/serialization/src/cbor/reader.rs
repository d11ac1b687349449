//! Reading a CBOR primitive with minicbor's low-level [`Decoder`].
//!
//! The reader walks the items itself and builds the [`Value`] tree directly; top-level
//! members go to [`TopLevel`]. A declared length is checked against the limits and against
//! the bytes left before anything is allocated for it.

use std::borrow::Cow;

use minicbor::Decoder;
use minicbor::data::Type;
use onem2m_primitive::short_names::intern;
use onem2m_primitive::{Key, Map, Value};

use super::FORMAT;
use super::hex_text;
use crate::error::Error;
use crate::limits::Limits;
use crate::map_format::{
    PrimitiveFields, TopLevel, check_document, check_items, check_level, refuse_duplicate_keys,
};

/// Decodes one primitive from `bytes` (binary CBOR, or the hex text Mobius sends).
pub(super) fn decode<F: PrimitiveFields>(
    bytes: &[u8],
    limits: &Limits,
) -> Result<F::Primitive, Error> {
    check_document(limits, bytes.len())?;
    match hex_text::to_binary(bytes) {
        Some(binary) => read(&binary, limits, |reader| reader.primitive::<F>()),
        None => read(bytes, limits, |reader| reader.primitive::<F>()),
    }
}

/// Decodes content alone (a primitive's `pc`): any CBOR item, nested as it would be in
/// the primitive, with nothing after it. No hex text here: content need not be a map,
/// and a short string or a negative integer can start with a hex digit.
pub(super) fn decode_content(bytes: &[u8], limits: &Limits) -> Result<Value, Error> {
    check_document(limits, bytes.len())?;
    read(bytes, limits, |reader| {
        let content = reader.value(1)?;
        reader.end_of_document("content")?;
        Ok(content)
    })
}

/// Reads the binary document `bytes` with `read_one`.
fn read<'b, T>(
    bytes: &'b [u8],
    limits: &Limits,
    read_one: impl FnOnce(&mut Reader<'b, '_>) -> Result<T, Error>,
) -> Result<T, Error> {
    if bytes.is_empty() {
        return Err(syntax("empty document".to_owned()));
    }
    read_one(&mut Reader {
        dec: Decoder::new(bytes),
        limits,
    })
}

fn syntax(message: String) -> Error {
    Error::Syntax {
        format: FORMAT,
        message,
    }
}

/// Tag numbers refused rather than skipped: their content would silently become a
/// different value (a byte string for a bignum, a list for a decimal fraction).
const BIGNUM_TAGS: [u64; 2] = [2, 3];
const DECIMAL_TAGS: [u64; 2] = [4, 5];

// Major types (the initial byte's top three bits) and the simple values read here.
const MAJOR_UNSIGNED: u8 = 0;
const MAJOR_NEGATIVE: u8 = 1;
const MAJOR_BYTES: u8 = 2;
const MAJOR_TEXT: u8 = 3;
const MAJOR_ARRAY: u8 = 4;
const MAJOR_MAP: u8 = 5;
const MAJOR_TAG: u8 = 6;
const MAJOR_SIMPLE: u8 = 7;
const BYTES_INDEFINITE: u8 = 0x5f;
const TEXT_INDEFINITE: u8 = 0x7f;
const FALSE: u8 = 0xf4;
const TRUE: u8 = 0xf5;
const NULL: u8 = 0xf6;
const UNDEFINED: u8 = 0xf7;
const HALF_FLOAT: u8 = 0xf9;
const SINGLE_FLOAT: u8 = 0xfa;
const DOUBLE_FLOAT: u8 = 0xfb;
const BREAK: u8 = 0xff;
/// Arguments below this are held in the initial byte itself.
const SHORT_ARGUMENT: u8 = 24;
/// The initial bytes of text strings under 24 bytes.
const SHORT_TEXT_FIRST: u8 = MAJOR_TEXT << 5;
const SHORT_TEXT_LAST: u8 = SHORT_TEXT_FIRST + SHORT_ARGUMENT - 1;

/// The remaining members or items of a map or list.
enum Remaining {
    Definite(usize),
    /// Up to the break byte (0xff).
    Indefinite,
}

struct Reader<'b, 'l> {
    dec: Decoder<'b>,
    limits: &'l Limits,
}

impl<'b> Reader<'b, '_> {
    /// The whole document: one map, nothing after it.
    fn primitive<F: PrimitiveFields>(&mut self) -> Result<F::Primitive, Error> {
        self.skip_tags()?;
        let at = self.dec.position();
        if self.initial()? >> 5 != MAJOR_MAP {
            return Err(Error::NotAPrimitive {
                expected: F::EXPECTED,
                found: format!(
                    "a CBOR {} at byte {at}, not a map",
                    describe(self.datatype()?)
                ),
            });
        }
        let mut remaining = self.map_header()?;
        let mut top = TopLevel::<F>::new(FORMAT, self.limits);
        while self.has_next(&mut remaining)? {
            let name = self.key()?;
            let value = self.value(top.level_of(name.as_str()))?;
            top.member(name.as_str(), value)?;
        }
        self.end_of_document("primitive")?;
        top.finish()
    }

    /// Refuses bytes after the document's one item, `what`.
    fn end_of_document(&self, what: &str) -> Result<(), Error> {
        let (end, len) = (self.dec.position(), self.dec.input().len());
        if end < len {
            return Err(syntax(format!(
                "trailing bytes after the {what}: {} from byte {end}",
                len - end
            )));
        }
        Ok(())
    }

    /// Any value, whose maps and lists would sit at nesting `level`.
    ///
    /// The items most values are (a text string under 24 bytes, an integer, a boolean, a
    /// map, a list) are recognised from the initial byte alone; anything else, and
    /// any error, takes the general path [`Self::any_value`], which reads the same item
    /// again from the start. Inlined into the map and list readers, which call it for
    /// every member.
    #[inline(always)]
    fn value(&mut self, level: usize) -> Result<Value, Error> {
        let at = self.dec.position();
        match self.peek() {
            Some(initial @ SHORT_TEXT_FIRST..=SHORT_TEXT_LAST) => {
                if let Some((text, end)) = self.short_text(at, initial)
                    && let Ok(text) = std::str::from_utf8(text)
                {
                    self.dec.set_position(end);
                    return Ok(Value::Text(text.to_owned()));
                }
            }
            Some(small @ 0..SHORT_ARGUMENT) => {
                self.dec.set_position(at + 1);
                return Ok(Value::Int(i64::from(small)));
            }
            // Integers with a longer argument, and negative ones; additional information
            // 28 to 31 is reserved and left to the general path.
            Some(0..28 | 0x20..0x3c) => return self.int().map(Value::Int),
            Some(initial @ (FALSE | TRUE)) => {
                self.dec.set_position(at + 1);
                return Ok(Value::Bool(initial == TRUE));
            }
            Some(initial) if initial >> 5 == MAJOR_ARRAY => return self.list(level),
            Some(initial) if initial >> 5 == MAJOR_MAP => return self.map(level),
            _ => {}
        }
        self.any_value(level)
    }

    /// The content of the text string under 24 bytes whose initial byte, at `at`, is
    /// `initial`, and where it ends; `None` when the input ends first.
    #[inline(always)]
    fn short_text(&self, at: usize, initial: u8) -> Option<(&'b [u8], usize)> {
        let end = at + 1 + usize::from(initial & 0x1f);
        let input: &'b [u8] = self.dec.input();
        input.get(at + 1..end).map(|text| (text, end))
    }

    /// Any value (see [`Self::value`]), dispatched on the initial byte itself: asking
    /// minicbor for the item's type first would classify every item twice.
    #[inline(never)]
    fn any_value(&mut self, level: usize) -> Result<Value, Error> {
        self.skip_tags()?;
        let at = self.dec.position();
        let initial = self.initial()?;
        Ok(match initial >> 5 {
            // Additional information 28 to 31 is reserved for integers.
            MAJOR_UNSIGNED | MAJOR_NEGATIVE if initial & 0x1f < 28 => Value::Int(self.int()?),
            MAJOR_BYTES | MAJOR_TEXT => Value::Text(self.text("a string value")?.into_owned()),
            MAJOR_ARRAY => self.list(level)?,
            MAJOR_MAP => self.map(level)?,
            MAJOR_SIMPLE => match initial {
                FALSE | TRUE => {
                    self.dec.set_position(at + 1);
                    Value::Bool(initial == TRUE)
                }
                NULL | UNDEFINED => {
                    self.dec.set_position(at + 1);
                    Value::Null
                }
                HALF_FLOAT => Value::Float(self.f16()?),
                // f64() reads a single precision float too.
                SINGLE_FLOAT | DOUBLE_FLOAT => {
                    Value::Float(self.dec.f64().map_err(|e| self.fail(e))?)
                }
                BREAK => return Err(syntax(format!("unexpected break byte at byte {at}"))),
                _ => return Err(self.unsupported(at)),
            },
            _ => return Err(self.unsupported(at)),
        })
    }

    fn list(&mut self, level: usize) -> Result<Value, Error> {
        check_level(self.limits, level)?;
        let declared = match self.definite_head()? {
            Some((_, len, start)) => {
                self.dec.set_position(start);
                Some(len)
            }
            None => self.dec.array().map_err(|e| self.fail(e))?,
        };
        let mut remaining = self.remaining(declared, "list", 1)?;
        let mut items = Vec::with_capacity(match remaining {
            Remaining::Definite(n) => n,
            Remaining::Indefinite => 0,
        });
        while self.has_next(&mut remaining)? {
            check_items(self.limits.max_items, items.len() + 1, "list")?;
            items.push(self.value(level + 1)?);
        }
        Ok(Value::List(items))
    }

    fn map(&mut self, level: usize) -> Result<Value, Error> {
        check_level(self.limits, level)?;
        let mut remaining = self.map_header()?;
        let mut map = Map::with_capacity(match remaining {
            Remaining::Definite(n) => n,
            Remaining::Indefinite => 0,
        });
        while self.has_next(&mut remaining)? {
            check_items(self.limits.max_items, map.len() + 1, "map")?;
            let name = self.key()?.into_key();
            let value = self.value(level + 1)?;
            map.push(name, value);
        }
        refuse_duplicate_keys(&map, FORMAT)?;
        Ok(Value::Map(map))
    }

    fn map_header(&mut self) -> Result<Remaining, Error> {
        let declared = match self.definite_head()? {
            Some((_, len, start)) => {
                self.dec.set_position(start);
                Some(len)
            }
            None => self.dec.map().map_err(|e| self.fail(e))?,
        };
        // A member is a key and a value: at least two bytes.
        self.remaining(declared, "map", 2)
    }

    /// Checks a declared length before anything is allocated for it: against the item
    /// limit, and against the bytes left (each item takes at least `min_bytes`), so a
    /// header claiming 2^32 items in a 10-byte document is refused at once.
    fn remaining(
        &self,
        declared: Option<u64>,
        what: &'static str,
        min_bytes: usize,
    ) -> Result<Remaining, Error> {
        let Some(declared) = declared else {
            return Ok(Remaining::Indefinite);
        };
        let n = usize::try_from(declared).unwrap_or(usize::MAX);
        check_items(self.limits.max_items, n, what)?;
        let left = self.dec.input().len() - self.dec.position();
        if n > left / min_bytes {
            return Err(syntax(format!(
                "truncated: a {what} of {n} entries declared with only {left} bytes left"
            )));
        }
        Ok(Remaining::Definite(n))
    }

    /// Whether another member or item follows; consumes the break of an indefinite one.
    fn has_next(&mut self, remaining: &mut Remaining) -> Result<bool, Error> {
        match remaining {
            Remaining::Definite(0) => Ok(false),
            Remaining::Definite(n) => {
                *n -= 1;
                Ok(true)
            }
            Remaining::Indefinite => {
                if self.initial()? == BREAK {
                    self.dec.set_position(self.dec.position() + 1);
                    return Ok(false);
                }
                Ok(true)
            }
        }
    }

    /// A map key: a text string, or a byte string holding UTF-8 (TS-0004 8.5.2's own
    /// examples encode keys as byte strings). A known short name is recognised by its
    /// bytes, which spares checking them as UTF-8 and, in a map, copying them.
    #[inline]
    fn key(&mut self) -> Result<Name<'b>, Error> {
        // Keys are short text strings: read those here, the rest in `any_key`.
        let at = self.dec.position();
        if let Some(initial @ SHORT_TEXT_FIRST..=SHORT_TEXT_LAST) = self.peek()
            && let Some((bytes, end)) = self.short_text(at, initial)
        {
            let name = match intern(bytes) {
                Some(known) => Name::Known(known),
                None => match std::str::from_utf8(bytes) {
                    Ok(name) => Name::Other(Cow::Borrowed(name)),
                    Err(_) => return self.any_key(),
                },
            };
            self.dec.set_position(end);
            return Ok(name);
        }
        self.any_key()
    }

    /// A map key of any form (see [`Self::key`]).
    #[inline(never)]
    fn any_key(&mut self) -> Result<Name<'b>, Error> {
        self.skip_tags()?;
        let at = self.dec.position();
        match self.definite_string()? {
            Some((_, bytes)) if let Some(known) = intern(bytes) => Ok(Name::Known(known)),
            Some((major, bytes)) => {
                utf8(bytes, major, "a map key", at).map(|name| Name::Other(Cow::Borrowed(name)))
            }
            None => self.text_in_chunks("a map key").map(Name::Other),
        }
    }

    /// A text string; a byte string is taken as text when it is valid UTF-8. Definite
    /// strings are borrowed from the input.
    fn text(&mut self, what: &str) -> Result<Cow<'b, str>, Error> {
        let at = self.dec.position();
        match self.definite_string()? {
            Some((major, bytes)) => utf8(bytes, major, what, at).map(Cow::Borrowed),
            None => self.text_in_chunks(what),
        }
    }

    /// The content of a definite-length text or byte string, consumed, with its major
    /// type; `None` (and nothing consumed) for any other item. Read here rather than
    /// with minicbor, whose `str` would check the UTF-8 of names [`intern`] already knows.
    #[inline]
    fn definite_string(&mut self) -> Result<Option<(u8, &'b [u8])>, Error> {
        let input = self.dec.input();
        let at = self.dec.position();
        let major = self.initial()? >> 5;
        if major != MAJOR_TEXT && major != MAJOR_BYTES {
            return Ok(None);
        }
        // Indefinite length, or reserved: left to the general path.
        let Some((_, len, start)) = self.definite_head()? else {
            return Ok(None);
        };
        let content = usize::try_from(len)
            .ok()
            .and_then(|len| start.checked_add(len))
            .and_then(|end| input.get(start..end).map(|content| (end, content)));
        let Some((end, content)) = content else {
            return Err(truncated_at(at));
        };
        self.dec.set_position(end);
        Ok(Some((major, content)))
    }

    /// The head of the next item when its argument is definite (additional information 0
    /// to 27): major type, argument (a value, or a length), and where the item's content
    /// starts. Nothing is consumed. Decoded here rather than by minicbor, whose typed
    /// readers check the major type again and wrap every step in a `Result`.
    #[inline]
    fn definite_head(&self) -> Result<Option<(u8, u64, usize)>, Error> {
        let input = self.dec.input();
        let at = self.dec.position();
        let initial = self.initial()?;
        let (argument, start) = match initial & 0x1f {
            info @ 0..=23 => (u64::from(info), at + 1),
            info @ 24..=27 => {
                let width = 1usize << (info - 24);
                let Some(bytes) = input.get(at + 1..at + 1 + width) else {
                    return Err(truncated_at(at));
                };
                let argument = bytes
                    .iter()
                    .fold(0u64, |argument, byte| argument << 8 | u64::from(*byte));
                (argument, at + 1 + width)
            }
            _ => return Ok(None),
        };
        Ok(Some((initial >> 5, argument, start)))
    }

    /// A string in chunks (indefinite length), or an item that is no string.
    fn text_in_chunks(&mut self, what: &str) -> Result<Cow<'b, str>, Error> {
        let at = self.dec.position();
        match self.initial()? {
            TEXT_INDEFINITE => {
                let mut text = String::new();
                for chunk in self.dec.str_iter().map_err(|e| fail(e, at))? {
                    text.push_str(chunk.map_err(|e| fail(e, at))?);
                }
                Ok(Cow::Owned(text))
            }
            b if b >> 5 == MAJOR_TEXT => {
                self.dec.str().map(Cow::Borrowed).map_err(|e| self.fail(e))
            }
            BYTES_INDEFINITE => {
                let mut bytes = Vec::new();
                for chunk in self.dec.bytes_iter().map_err(|e| fail(e, at))? {
                    bytes.extend_from_slice(chunk.map_err(|e| fail(e, at))?);
                }
                String::from_utf8(bytes)
                    .map(Cow::Owned)
                    .map_err(|_| not_utf8(what, at))
            }
            b if b >> 5 == MAJOR_BYTES => {
                let bytes = self.dec.bytes().map_err(|e| self.fail(e))?;
                std::str::from_utf8(bytes)
                    .map(Cow::Borrowed)
                    .map_err(|_| not_utf8(what, at))
            }
            _ => Err(syntax(format!(
                "{what} must be a text string, found a CBOR {} at byte {at}",
                describe(self.datatype()?)
            ))),
        }
    }

    /// An integer (major type 0 or 1, additional information below 28).
    fn int(&mut self) -> Result<i64, Error> {
        let at = self.dec.position();
        let Some((major, argument, start)) = self.definite_head()? else {
            return Err(self.unsupported(at));
        };
        self.dec.set_position(start);
        // A negative integer n is stored as -1 - n.
        let int = match major {
            MAJOR_NEGATIVE => -1 - i128::from(argument),
            _ => i128::from(argument),
        };
        i64::try_from(int).map_err(|_| {
            syntax(format!(
                "integer {int} at byte {at} is beyond the signed 64-bit range"
            ))
        })
    }

    /// A half-precision float, decoded here because minicbor needs its `half` feature.
    fn f16(&mut self) -> Result<f64, Error> {
        let at = self.dec.position();
        let Some(&[high, low]) = self.dec.input().get(at + 1..at + 3) else {
            return Err(truncated(self.dec.input().len()));
        };
        self.dec.set_position(at + 3);
        Ok(half_to_f64(u16::from_be_bytes([high, low])))
    }

    /// Skips tags (their content is read as the untagged value: a tag-0 date is a
    /// string, the self-described CBOR tag 55799 is nothing), except those whose content
    /// would change meaning.
    #[inline]
    fn skip_tags(&mut self) -> Result<(), Error> {
        if self.peek().is_some_and(|b| b >> 5 == MAJOR_TAG) {
            return self.skip_present_tags();
        }
        Ok(())
    }

    fn skip_present_tags(&mut self) -> Result<(), Error> {
        while self.peek().is_some_and(|b| b >> 5 == MAJOR_TAG) {
            let at = self.dec.position();
            let tag = u64::from(self.dec.tag().map_err(|e| self.fail(e))?);
            if BIGNUM_TAGS.contains(&tag) {
                return Err(syntax(format!(
                    "bignum (tag {tag}) at byte {at}: integers beyond the signed 64-bit range are not supported"
                )));
            }
            if DECIMAL_TAGS.contains(&tag) {
                return Err(syntax(format!(
                    "decimal fraction or bigfloat (tag {tag}) at byte {at} is not supported"
                )));
            }
        }
        Ok(())
    }

    fn unsupported(&self, at: usize) -> Error {
        match self.datatype() {
            Ok(t) => syntax(format!(
                "unsupported CBOR item ({}) at byte {at}",
                describe(t)
            )),
            Err(e) => e,
        }
    }

    /// The initial byte of the next item, if any.
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.dec.input().get(self.dec.position()).copied()
    }

    /// The initial byte of the next item.
    #[inline]
    fn initial(&self) -> Result<u8, Error> {
        self.peek().ok_or_else(|| truncated(self.dec.input().len()))
    }

    fn datatype(&self) -> Result<Type, Error> {
        self.dec.datatype().map_err(|e| self.fail(e))
    }

    fn fail(&self, e: minicbor::decode::Error) -> Error {
        fail(e, self.dec.position())
    }
}

fn fail(e: minicbor::decode::Error, at: usize) -> Error {
    if e.is_end_of_input() {
        return syntax(format!(
            "truncated: the input ends inside the item at byte {at}"
        ));
    }
    syntax(e.to_string())
}

fn truncated_at(at: usize) -> Error {
    syntax(format!(
        "truncated: the input ends inside the item at byte {at}"
    ))
}

/// The content of a definite string of major type `major` as text.
fn utf8<'b>(bytes: &'b [u8], major: u8, what: &str, at: usize) -> Result<&'b str, Error> {
    std::str::from_utf8(bytes).map_err(|e| match major {
        MAJOR_BYTES => not_utf8(what, at),
        _ => syntax(format!(
            "{what} at byte {at}: invalid utf-8 after {} bytes",
            e.valid_up_to()
        )),
    })
}

/// A member name as the reader met it.
enum Name<'b> {
    /// A known short name.
    Known(&'static str),
    Other(Cow<'b, str>),
}

impl Name<'_> {
    fn as_str(&self) -> &str {
        match self {
            Name::Known(name) => name,
            Name::Other(name) => name,
        }
    }

    /// The name as a map key: a known one without allocating.
    fn into_key(self) -> Key {
        match self {
            Name::Known(name) => Key::from_static(name),
            Name::Other(name) => Key::from(name),
        }
    }
}

fn truncated(len: usize) -> Error {
    syntax(format!(
        "truncated: the input ends at byte {len} inside an item"
    ))
}

fn not_utf8(what: &str, at: usize) -> Error {
    syntax(format!(
        "{what} at byte {at} is a byte string that is not UTF-8"
    ))
}

fn describe(t: Type) -> String {
    match t {
        Type::Map | Type::MapIndef => "map".to_owned(),
        Type::Array | Type::ArrayIndef => "array".to_owned(),
        Type::String | Type::StringIndef => "text string".to_owned(),
        Type::Bytes | Type::BytesIndef => "byte string".to_owned(),
        Type::Unknown(b) => format!("reserved initial byte 0x{b:02x}"),
        other => other.to_string(),
    }
}

/// IEEE 754 binary16 to f64: sign, 5 exponent bits (bias 15), 10 fraction bits.
fn half_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 == 0 { 1.0 } else { -1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let fraction = f64::from(bits & 0x03ff);
    sign * match exponent {
        0 => fraction * 2f64.powi(-24),
        0x1f if fraction == 0.0 => f64::INFINITY,
        0x1f => f64::NAN,
        _ => (1024.0 + fraction) * 2f64.powi(exponent - 25),
    }
}
