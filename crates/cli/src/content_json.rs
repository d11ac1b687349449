//! Primitive content as JSON text: how `m2m request --content` reads it and how the
//! commands print what comes back, whatever serialization carried it. Member order is
//! kept both ways (XML needs the XSD order, and it reads better).

use onem2m_primitive::Value;
use onem2m_serialization::{JsonSerializer, Serializer};

/// Reads JSON text into primitive content (`{"m2m:cnt": {"rn": "data"}}`).
///
/// serde_json checks the syntax first, for an error message with the line and column of
/// the user's text; the content is then read by the JSON serialization's own decoder
/// (as the `pc` of a primitive), which keeps the member order and applies its limits.
pub fn parse_content(text: &str) -> Result<Value, String> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| e.to_string())?;
    let primitive = format!(r#"{{"op":2,"to":"-","fr":"-","rqi":"-","rvi":"3","pc":{text}}}"#);
    let request = JsonSerializer::new()
        .decode_request(primitive.as_bytes())
        .map_err(|e| e.to_string())?;
    request.pc.ok_or_else(|| "no content".to_owned())
}

/// The content as indented JSON, members in their order.
pub fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, 0, &mut out);
    out
}

/// The content as JSON on one line.
pub fn compact(value: &Value) -> String {
    let mut out = String::new();
    write_compact(value, &mut out);
    out
}

fn write_scalar(value: &Value, out: &mut String) -> bool {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(x) if x.is_finite() => out.push_str(&x.to_string()),
        Value::Float(_) => out.push_str("null"),
        Value::Text(s) => out.push_str(&quoted(s)),
        Value::List(_) | Value::Map(_) => return false,
    }
    true
}

fn quoted(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

fn write_value(value: &Value, depth: usize, out: &mut String) {
    if write_scalar(value, out) {
        return;
    }
    let indent = "  ".repeat(depth + 1);
    let close = "  ".repeat(depth);
    match value {
        Value::List(items) if items.is_empty() => out.push_str("[]"),
        Value::Map(map) if map.is_empty() => out.push_str("{}"),
        Value::List(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&indent);
                write_value(item, depth + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&close);
            out.push(']');
        }
        Value::Map(map) => {
            out.push_str("{\n");
            for (i, (k, v)) in map.iter().enumerate() {
                out.push_str(&indent);
                out.push_str(&quoted(k));
                out.push_str(": ");
                write_value(v, depth + 1, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&close);
            out.push('}');
        }
        _ => {}
    }
}

fn write_compact(value: &Value, out: &mut String) {
    if write_scalar(value, out) {
        return;
    }
    match value {
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&quoted(k));
                out.push(':');
                write_compact(v, out);
            }
            out.push('}');
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn content_keeps_its_member_order_through_json_text() {
        let text = r#"{"m2m:cin":{"rn":"x","cnf":"text/plain:0","con":"21.5","lbl":["a","b"],"cs":4,"n":null,"b":true}}"#;
        let value = parse_content(text).unwrap();
        assert_eq!(compact(&value), text);
        assert!(pretty(&value).starts_with("{\n  \"m2m:cin\": {\n    \"rn\": \"x\",\n"));
    }

    #[test]
    fn broken_json_says_where() {
        let error = parse_content(r#"{"m2m:cnt": {"rn": }"#).unwrap_err();
        assert!(error.contains("line 1 column 20"), "{error}");
    }
}
