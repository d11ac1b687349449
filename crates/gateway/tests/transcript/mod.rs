//! What a scenario saw, with what differs between two runs of the same CSE left out:
//! identifiers the CSE generates, times, and the request identifiers.

#![allow(dead_code)]

use std::fmt;

use onem2m_primitive::{Map, RequestPrimitive, ResponsePrimitive, Value};

/// Attributes whose values a CSE generates afresh in each run.
const GENERATED: [&str; 7] = ["ri", "pi", "ct", "lt", "et", "sur", "ot"];

/// One line per step: its name and what came back, normalized.
#[derive(Debug, Default, PartialEq)]
pub struct Transcript {
    entries: Vec<String>,
}

impl Transcript {
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    pub fn note(&mut self, step: &str, text: &str) {
        self.entries.push(format!("{step}: {text}"));
    }

    pub fn response(&mut self, step: &str, response: &ResponsePrimitive) {
        let pc = response.pc.clone().map(normalized);
        self.entries.push(format!(
            "{step}: {} {}",
            response.rsc.code(),
            show(pc.as_ref())
        ));
    }

    pub fn request(&mut self, step: &str, request: &RequestPrimitive) {
        let pc = request.pc.clone().map(normalized);
        self.entries.push(format!(
            "{step}: {} from {} to {} {}",
            request.op.name(),
            request.fr.as_deref().unwrap_or("-"),
            request.to,
            show(pc.as_ref())
        ));
    }

    /// Appends the entries of `other` in sorted order (steps whose order the CSE
    /// does not promise).
    pub fn sorted(&mut self, mut other: Transcript) {
        other.entries.sort();
        self.entries.append(&mut other.entries);
    }

    pub fn attribute(&mut self, step: &str, value: Option<&Value>) {
        self.entries.push(format!("{step}: {}", show(value)));
    }
}

impl fmt::Display for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for entry in &self.entries {
            writeln!(f, "  {entry}")?;
        }
        Ok(())
    }
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "-".to_owned(), ToString::to_string)
}

/// `value` without generated attributes; a generated resource name (ACME names a
/// contentInstance `cin_<random>`) becomes `<generated>`.
fn normalized(value: Value) -> Value {
    match value {
        Value::Map(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                if GENERATED.contains(&key.as_str()) {
                    continue;
                }
                let value = match value.as_str() {
                    Some(rn) if key.as_str() == "rn" && rn.starts_with("cin_") => {
                        Value::from("<generated>")
                    }
                    _ => normalized(value),
                };
                out.insert(key, value);
            }
            Value::Map(out)
        }
        Value::List(items) => Value::List(items.into_iter().map(normalized).collect()),
        other => other,
    }
}
