//! Writing a JSON primitive: `Serialize` views over the parameter walk and the [`Value`]
//! tree, written by serde_json straight into the output buffer.
//!
//! TS-0004 8.4: one plain object of short names, no `m2m:rqp` / `m2m:rsp` wrapper;
//! enumerations and relative times as numbers, other atomic values as strings.

use std::cell::Cell;

use bytes::Bytes;
use onem2m_primitive::Value;
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::error::Error;
use crate::limits::Limits;
use crate::map_format::{Parameters, check_level};
use crate::params::Param;

/// Most primitives fit without the buffer growing.
const INITIAL_CAPACITY: usize = 256;

/// Encodes `primitive` as a JSON object.
pub(super) fn encode<P: Parameters>(primitive: &P, limits: &Limits) -> Result<Bytes, Error> {
    write(limits, |out, ctx| {
        serde_json::to_writer(out, &PrimitiveJson { primitive, ctx })
    })
}

/// Encodes content alone (a primitive's `pc`), nested as it would be in the primitive.
pub(super) fn encode_content(content: &Value, limits: &Limits) -> Result<Bytes, Error> {
    write(limits, |out, ctx| {
        serde_json::to_writer(
            out,
            &ValueJson {
                value: content,
                level: 1,
                ctx,
            },
        )
    })
}

/// Runs `serialize` into a fresh buffer, reporting a view's refusal over serde's message.
fn write(
    limits: &Limits,
    serialize: impl FnOnce(&mut Vec<u8>, Context<'_>) -> serde_json::Result<()>,
) -> Result<Bytes, Error> {
    let refusal = Cell::new(None);
    let ctx = Context {
        limits,
        refusal: &refusal,
    };
    let mut out = Vec::with_capacity(INITIAL_CAPACITY);
    match serialize(&mut out, ctx) {
        Ok(()) => Ok(Bytes::from(out)),
        Err(e) => Err(refusal
            .take()
            .unwrap_or_else(|| Error::Unencodable(e.to_string()))),
    }
}

/// What every view carries: the limits, and where a refusal is left (serde's error type
/// only carries a message).
#[derive(Clone, Copy)]
struct Context<'a> {
    limits: &'a Limits,
    refusal: &'a Cell<Option<Error>>,
}

impl Context<'_> {
    fn refuse<E: ser::Error>(self, error: Error) -> E {
        self.refusal.set(Some(error));
        E::custom("refused")
    }
}

struct PrimitiveJson<'a, P> {
    primitive: &'a P,
    ctx: Context<'a>,
}

impl<P: Parameters> Serialize for PrimitiveJson<'_, P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ctx = self.ctx;
        let mut object = s.serialize_map(None)?;
        self.primitive.for_each_param(|name, param| {
            object.serialize_entry(name, &ParamJson { param: &param, ctx })
        })?;
        object.end()
    }
}

struct ParamJson<'a, 'p> {
    param: &'a Param<'p>,
    ctx: Context<'a>,
}

impl Serialize for ParamJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.param {
            Param::Str(text) => s.serialize_str(text),
            Param::Int(i) => s.serialize_i64(*i),
            Param::Bool(b) => s.serialize_bool(*b),
            Param::StrList(items) => s.collect_seq(items.iter()),
            Param::Tree(value) => ValueJson {
                value: value.as_ref(),
                level: 1,
                ctx: self.ctx,
            }
            .serialize(s),
        }
    }
}

/// A value whose maps and lists sit at nesting `level`.
struct ValueJson<'a> {
    value: &'a Value,
    level: usize,
    ctx: Context<'a>,
}

impl ValueJson<'_> {
    fn check_level<E: ser::Error>(&self) -> Result<(), E> {
        check_level(self.ctx.limits, self.level).map_err(|e| self.ctx.refuse(e))
    }
}

impl Serialize for ValueJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ctx = self.ctx;
        match self.value {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            // serde_json would write `null` for these, silently changing the content.
            Value::Float(x) if !x.is_finite() => Err(ctx.refuse(Error::Unencodable(format!(
                "the number {x}: JSON has no NaN or infinity"
            )))),
            Value::Float(x) => s.serialize_f64(*x),
            Value::Text(text) => s.serialize_str(text),
            Value::List(items) => {
                self.check_level()?;
                let mut list = s.serialize_seq(Some(items.len()))?;
                for value in items {
                    list.serialize_element(&ValueJson {
                        value,
                        level: self.level + 1,
                        ctx,
                    })?;
                }
                list.end()
            }
            Value::Map(members) => {
                self.check_level()?;
                let mut map = s.serialize_map(Some(members.len()))?;
                for (name, value) in members.iter() {
                    map.serialize_entry(
                        name,
                        &ValueJson {
                            value,
                            level: self.level + 1,
                            ctx,
                        },
                    )?;
                }
                map.end()
            }
        }
    }
}
