//! Reading a JSON primitive.
//!
//! serde_json's parser drives visitors that build the [`Value`] tree directly (no
//! `serde_json::Value` in between) and hand each top-level member to [`TopLevel`]. The
//! visitors carry the limits as a seed. A visitor that refuses the input leaves the typed
//! [`Error`] in a [`Cell`] and returns a bare serde error to stop the parser; the caller
//! then reports the typed error.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use onem2m_primitive::{Map, Value};
use serde::Deserializer as _;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::FORMAT;
use crate::error::Error;
use crate::limits::Limits;
use crate::map_format::{
    NESTING_CAP, PrimitiveFields, TopLevel, check_document, check_items, check_level,
    refuse_duplicate_keys,
};

/// Decodes one primitive from `bytes`.
pub(super) fn decode<F: PrimitiveFields>(
    bytes: &[u8],
    limits: &Limits,
) -> Result<F::Primitive, Error> {
    read(bytes, limits, |parser, ctx| {
        parser.deserialize_any(PrimitiveVisitor::<F> {
            ctx,
            fields: PhantomData,
        })
    })?
    .finish()
}

/// Decodes content alone (a primitive's `pc`): any JSON value, nested as it would be in
/// the primitive.
pub(super) fn decode_content(bytes: &[u8], limits: &Limits) -> Result<Value, Error> {
    read(bytes, limits, |parser, ctx| {
        ValueSeed { ctx, level: 1 }.deserialize(parser)
    })
}

/// Parses the whole document with `parse`, reporting a visitor's refusal over serde's
/// message.
fn read<'b, T>(
    bytes: &'b [u8],
    limits: &Limits,
    parse: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::SliceRead<'b>>,
        Context<'_>,
    ) -> serde_json::Result<T>,
) -> Result<T, Error> {
    check_document(limits, bytes.len())?;
    let refusal = Cell::new(None);
    let ctx = Context {
        limits,
        refusal: &refusal,
    };
    let mut parser = serde_json::Deserializer::from_slice(bytes);
    let parsed = parse(&mut parser, ctx).and_then(|parsed| parser.end().map(|()| parsed));
    parsed.map_err(|e| refusal.take().unwrap_or_else(|| parse_error(&e, limits)))
}

fn parse_error(e: &serde_json::Error, limits: &Limits) -> Error {
    // serde_json's own nesting guard has no public error code; its message is stable.
    // Our check at the same depth normally fires first.
    if e.to_string().starts_with("recursion limit exceeded") {
        return Error::TooDeep {
            limit: limits.max_depth.min(NESTING_CAP),
        };
    }
    Error::Syntax {
        format: FORMAT,
        message: e.to_string(),
    }
}

/// What every visitor carries: the limits, and where a refusal is left.
#[derive(Clone, Copy)]
struct Context<'a> {
    limits: &'a Limits,
    refusal: &'a Cell<Option<Error>>,
}

impl Context<'_> {
    fn refuse<E: de::Error>(self, error: Error) -> E {
        self.refusal.set(Some(error));
        E::custom("refused")
    }

    fn check<E: de::Error>(self, checked: Result<(), Error>) -> Result<(), E> {
        checked.map_err(|error| self.refuse(error))
    }
}

/// The top-level object of a primitive.
struct PrimitiveVisitor<'a, F> {
    ctx: Context<'a>,
    fields: PhantomData<F>,
}

impl<F: PrimitiveFields> PrimitiveVisitor<'_, F> {
    fn not_a_map<E: de::Error>(self, found: &str) -> E {
        self.ctx.refuse(Error::NotAPrimitive {
            expected: F::EXPECTED,
            found: format!("a JSON {found}, not an object"),
        })
    }
}

impl<'de, F: PrimitiveFields> Visitor<'de> for PrimitiveVisitor<'_, F> {
    type Value = TopLevel<F>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} as a JSON object", F::EXPECTED)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Self::Value, A::Error> {
        let ctx = self.ctx;
        let mut top = TopLevel::new(FORMAT, ctx.limits);
        while let Some(name) = members.next_key_seed(KeySeed)? {
            let level = top.level_of(&name);
            let value = members.next_value_seed(ValueSeed { ctx, level })?;
            ctx.check(top.member(&name, value))?;
        }
        Ok(top)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.not_a_map("array"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Err(self.not_a_map("string"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Err(self.not_a_map("boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Err(self.not_a_map("number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Err(self.not_a_map("number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(self.not_a_map("number"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Err(self.not_a_map("null"))
    }
}

/// A member name, borrowed from the input unless it had escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Any value, whose maps and lists would sit at nesting `level`.
#[derive(Clone, Copy)]
struct ValueSeed<'a> {
    ctx: Context<'a>,
    level: usize,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        // Larger integers still (beyond u64 or below i64::MIN) reach us as floats: that is
        // how serde_json parses them without its arbitrary_precision feature.
        i64::try_from(v).map(Value::Int).map_err(|_| {
            self.ctx.refuse(Error::Syntax {
                format: FORMAT,
                message: format!("integer {v} is beyond the signed 64-bit range"),
            })
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Text(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let ctx = self.ctx;
        ctx.check(check_level(ctx.limits, self.level))?;
        let inner = ValueSeed {
            ctx,
            level: self.level + 1,
        };
        let mut list = Vec::new();
        while let Some(item) = items.next_element_seed(inner)? {
            ctx.check(check_items(ctx.limits.max_items, list.len() + 1, "list"))?;
            list.push(item);
        }
        Ok(Value::List(list))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Value, A::Error> {
        let ctx = self.ctx;
        ctx.check(check_level(ctx.limits, self.level))?;
        let inner = ValueSeed {
            ctx,
            level: self.level + 1,
        };
        let mut map = Map::new();
        while let Some(name) = members.next_key_seed(KeySeed)? {
            ctx.check(check_items(ctx.limits.max_items, map.len() + 1, "map"))?;
            let value = members.next_value_seed(inner)?;
            map.push(name, value);
        }
        ctx.check(refuse_duplicate_keys(&map, FORMAT))?;
        Ok(Value::Map(map))
    }
}
