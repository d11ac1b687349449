//! Runnable examples of the onem2m-mqtt framework; see the `[[example]]` targets
//! (`cargo run -p onem2m-examples --example <name>`).
//!
//! The library holds what more than one example uses: [`MemoryCse`], a small CSE
//! written with the binding's `Handler` trait, and [`expect_status`], which turns an
//! unexpected response into an error so that an example exits non-zero.

pub mod memory_cse;

pub use memory_cse::MemoryCse;

use std::fmt::Write as _;

use onem2m_primitive::{Map, RequestPrimitive, ResponsePrimitive, ResponseStatusCode, Value};

/// Why an example failed: whatever went wrong, as text for `main` to report.
pub type ExampleError = Box<dyn std::error::Error + Send + Sync>;

/// Prints `what` with the response's status and content, and fails unless the status
/// is `expected`.
pub fn expect_status(
    what: &str,
    response: &ResponsePrimitive,
    expected: ResponseStatusCode,
) -> Result<(), ExampleError> {
    let content = response
        .pc
        .as_ref()
        .map_or_else(String::new, |pc| format!(" {}", json_like(pc)));
    println!("{what:<28} -> {}{content}", response.rsc);
    if response.rsc == expected {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected}, got {}", response.rsc).into())
    }
}

/// Resource content `{"m2m:<root>": {name: value, ...}}`.
pub fn content(root: &str, attributes: &[(&str, Value)]) -> Value {
    let mut inner = Map::new();
    for (name, value) in attributes {
        inner.insert(*name, value.clone());
    }
    let mut pc = Map::new();
    pc.insert(root, inner);
    Value::Map(pc)
}

/// The request with `fr` absent, so that the binding fills in the AE-ID it registered
/// under (the constructors take an `fr`; the AE does not know it when writing them).
pub fn without_fr(mut request: RequestPrimitive) -> RequestPrimitive {
    request.fr = None;
    request
}

/// `value` written like JSON on one line, for printing (not a serialization: the
/// serializers encode whole primitives).
pub fn json_like(value: &Value) -> String {
    let mut out = String::new();
    write_json_like(value, &mut out);
    out
}

fn write_json_like(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => {
            let _ = write!(out, "{f}");
        }
        Value::Text(s) => {
            let _ = write!(out, "{s:?}");
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_like(item, out);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{key:?}:");
                write_json_like(item, out);
            }
            out.push('}');
        }
    }
}
