//! A serialization-neutral value tree for primitive content (`pc`) and other complex
//! parameters.
//!
//! The tree is the JSON data model with two additions that XML needs: maps keep the
//! order of their members (TS-0004 XML follows the XSD element order), and a map that
//! stands for an XML element with attributes keeps its text content under the key `val`
//! (TS-0004 clause 8.4: simple types with attributes become objects with a `val` member).

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use crate::short_names;

/// One node of primitive content: what XML, JSON and CBOR can all carry.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// JSON `null`, CBOR null, an empty XML element.
    Null,
    /// `xs:boolean`.
    Bool(bool),
    /// Any integer (enumerations, counters, sizes). Every oneM2M integer fits in an `i64`.
    Int(i64),
    /// A floating point number.
    Float(f64),
    /// A text string.
    Text(String),
    /// A list (`xs:list` or a repeated element).
    List(Vec<Value>),
    /// An ordered map of members.
    Map(Map),
}

/// An ordered map from member names (oneM2M short names) to values.
///
/// Member order is kept because XML serialization must follow the XSD order; lookups are
/// linear, which is faster than hashing for the handful of members a resource has.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    entries: Vec<(Key, Value)>,
}

/// The name of a [`Map`] member: a oneM2M short name, kept without allocating when it is
/// one of the [known names](crate::short_names), as an owned string otherwise.
///
/// It reads as a `str` (`Deref`), and compares and hashes as its text, however it is
/// stored.
#[derive(Clone)]
pub struct Key(KeyRepr);

#[derive(Clone)]
enum KeyRepr {
    Static(&'static str),
    Owned(String),
}

impl Key {
    /// A key for a name that needs no allocation, interned or not.
    pub const fn from_static(name: &'static str) -> Self {
        Key(KeyRepr::Static(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            KeyRepr::Static(name) => name,
            KeyRepr::Owned(name) => name,
        }
    }

    /// The name as an owned string.
    pub fn into_string(self) -> String {
        match self.0 {
            KeyRepr::Static(name) => name.to_owned(),
            KeyRepr::Owned(name) => name,
        }
    }
}

impl Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Key {
    fn from(name: &str) -> Self {
        match short_names::intern(name.as_bytes()) {
            Some(known) => Key(KeyRepr::Static(known)),
            None => Key(KeyRepr::Owned(name.to_owned())),
        }
    }
}

impl From<&String> for Key {
    fn from(name: &String) -> Self {
        Key::from(name.as_str())
    }
}

impl From<String> for Key {
    fn from(name: String) -> Self {
        match short_names::intern(name.as_bytes()) {
            Some(known) => Key(KeyRepr::Static(known)),
            None => Key(KeyRepr::Owned(name)),
        }
    }
}

impl From<Cow<'_, str>> for Key {
    fn from(name: Cow<'_, str>) -> Self {
        match name {
            Cow::Borrowed(name) => Key::from(name),
            Cow::Owned(name) => Key::from(name),
        }
    }
}

impl From<Key> for String {
    fn from(key: Key) -> Self {
        key.into_string()
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Key {}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Key {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Key> for str {
    fn eq(&self, other: &Key) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Key> for &str {
    fn eq(&self, other: &Key) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Key> for String {
    fn eq(&self, other: &Key) -> bool {
        self == other.as_str()
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Map {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map with room for `n` members.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            entries: Vec::with_capacity(n),
        }
    }

    /// Sets `key` to `value`, replacing an existing member in place or appending a new one.
    pub fn insert(&mut self, key: impl Into<Key>, value: impl Into<Value>) {
        let key = key.into();
        let value = value.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    /// Appends a member without looking for an existing one (for decoders that already
    /// rejected duplicates, or that accept them as a repeated element).
    pub fn push(&mut self, key: impl Into<Key>, value: impl Into<Value>) {
        self.entries.push((key.into(), value.into()));
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A mutable reference to the value of `key`, if present.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Removes `key` and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let pos = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(pos).1)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no member.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The members in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The members in order, values mutable (to rewrite content in place, as a
    /// gateway does).
    pub fn iter_mut(&mut self) -> impl ExactSizeIterator<Item = (&str, &mut Value)> {
        self.entries.iter_mut().map(|(k, v)| (k.as_str(), v))
    }
}

impl IntoIterator for Map {
    type Item = (Key, Value);
    type IntoIter = std::vec::IntoIter<(Key, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Into<Key>, V: Into<Value>> FromIterator<(K, V)> for Map {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl Value {
    /// The text, if this is a text value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is an integer value.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The boolean, if this is a boolean value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The map, if this is a map.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list, if this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The integer this value stands for, reading a string of digits too.
    ///
    /// XML text is untyped and some peers (nCube-Thyme, Mobius) send JSON numbers as
    /// strings, so every decoder reads integers this leniently.
    pub fn lenient_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The boolean this value stands for, reading the texts `true`/`false`/`1`/`0` too.
    pub fn lenient_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Text(s) => match s.trim() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The string this value stands for (an integer is written in decimal), or the value
    /// back when it is neither.
    pub fn into_lenient_string(self) -> Result<String, Value> {
        match self {
            Value::Text(s) => Ok(s),
            Value::Int(i) => Ok(i.to_string()),
            other => Err(other),
        }
    }

    /// The items of a list; one text is split at white space (the XML form of
    /// `xs:list`). Gives the value back when it is neither.
    pub fn into_lenient_list(self) -> Result<Vec<Value>, Value> {
        match self {
            Value::List(items) => Ok(items),
            Value::Text(s) => Ok(s
                .split_ascii_whitespace()
                .map(|item| Value::Text(item.to_owned()))
                .collect()),
            other => Err(other),
        }
    }

    /// The depth of the deepest nesting below this value (a scalar has depth 0).
    ///
    /// Decoders cap nesting while parsing; this is for checks on trees built in code.
    pub fn depth(&self) -> usize {
        match self {
            Value::List(l) => 1 + l.iter().map(Value::depth).max().unwrap_or(0),
            Value::Map(m) => 1 + m.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// A short name for the kind of value, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "float",
            Value::Text(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Text(s) => write!(f, "{s:?}"),
            Value::List(l) => {
                f.write_str("[")?;
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{k:?}:{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<i32> for Value {
    fn from(i: i32) -> Self {
        Value::Int(i.into())
    }
}
impl From<u32> for Value {
    fn from(i: u32) -> Self {
        Value::Int(i.into())
    }
}
impl From<u16> for Value {
    fn from(i: u16) -> Self {
        Value::Int(i.into())
    }
}
impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Float(x)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(l: Vec<T>) -> Self {
        Value::List(l.into_iter().map(Into::into).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_replaces_in_place_and_keeps_order() {
        let mut m = Map::new();
        m.insert("rn", "a");
        m.insert("api", "Nx");
        m.insert("rn", "b");
        let keys: Vec<_> = m.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["rn", "api"]);
        assert_eq!(m.get("rn"), Some(&Value::from("b")));
    }

    #[test]
    fn iter_mut_changes_values_in_place_and_in_order() {
        let mut m = Map::new();
        m.insert("rn", "a");
        m.insert("lbl", "x");
        for (key, value) in m.iter_mut() {
            *value = Value::from(format!("{key}!"));
        }
        let all: Vec<_> = m
            .iter()
            .map(|(k, v)| (k, v.as_str().unwrap_or("")))
            .collect();
        assert_eq!(all, [("rn", "rn!"), ("lbl", "lbl!")]);
    }

    #[test]
    fn keys_compare_hash_and_print_as_their_text_however_stored() {
        use std::collections::HashSet;
        let interned = Key::from("rn");
        let owned = Key::from("someFutureAttribute".to_owned());
        assert_eq!(interned, Key::from("rn".to_owned()));
        assert_eq!(interned, "rn");
        assert_eq!("someFutureAttribute", owned);
        assert_eq!(
            format!("{interned} {owned:?}"),
            "rn \"someFutureAttribute\""
        );
        let set: HashSet<Key> = [interned, owned].into_iter().collect();
        assert!(set.contains("rn") && set.contains("someFutureAttribute"));
        assert_eq!(Key::from_static("custom"), Key::from("custom"));
    }

    #[test]
    fn a_key_takes_no_more_room_than_a_string() {
        assert_eq!(std::mem::size_of::<Key>(), std::mem::size_of::<String>());
    }

    #[test]
    fn depth_counts_nesting() {
        let inner: Map = [("a", Value::from(vec![1i64, 2]))].into_iter().collect();
        let v = Value::Map([("x", Value::Map(inner))].into_iter().collect());
        assert_eq!(v.depth(), 3);
        assert_eq!(Value::Int(1).depth(), 0);
    }
}
