//! Writes a fourth serialization, `kv`, plugs it into the binding, and sends a request
//! and its response through the embedded broker with it.
//!
//! `kv` is a line-based text format: one line per parameter, `name=value`, with content
//! flattened into dotted paths and list items indexed:
//!
//! ```text
//! op=1
//! to="cse-in/lamp"
//! fr="CAE01"
//! rqi="m2m-18a2f-1"
//! ty=4
//! pc.m2m:cin.cnf="text/plain:0"
//! pc.m2m:cin.con="21.5"
//! pc.m2m:cin.lbl[0]="kitchen"
//! rvi="3"
//! ```
//!
//! Strings are quoted (so `"21.5"` stays a string and `21.5` is a number), numbers and
//! booleans are bare, `null`, `{}` and `[]` stand for themselves. The serializer walks
//! the primitive with `onem2m_serialization::params` and reads it back through the same
//! module's lenient collectors, as the built-in formats do: it only decides how a
//! parameter looks on the wire.
//!
//! With the TS-0010 topic scheme the serializer's name is the topic's type level, so
//! the AE's requests go to `/oneM2M/req/id-in:CAE01/id-in/kv`, and the CSE, which
//! learned the format with `add_serializer`, answers in it on
//! `/oneM2M/resp/id-in:CAE01/id-in/kv`. A CSE that does not know `kv` answers 4015
//! (without an `rqi`, which it cannot read: the originator times out).
//!
//! Run with `cargo run -p onem2m-examples --example custom_serializer`.

use std::fmt::Write as _;
use std::time::Duration;

use bytes::Bytes;
use onem2m_binding::Binding;
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_examples::{ExampleError, expect_status};
use onem2m_primitive::{
    AbsRelTimestamp, Map, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode,
    Value,
};
use onem2m_serialization::params::{
    Param, RequestFields, ResponseFields, request_params, response_params,
};
use onem2m_serialization::{Error, Serializer};
use onem2m_test_support::raw_mqtt::RawMqttClient;
use tokio::net::TcpStream;

/// The `kv` serialization.
#[derive(Debug, Clone)]
struct KvSerializer {
    /// The largest document it decodes, checked before reading anything.
    max_bytes: usize,
}

const FORMAT: &str = "kv";

impl KvSerializer {
    fn new() -> Self {
        Self {
            max_bytes: 256 * 1024,
        }
    }

    /// The lines of a document, after the size and UTF-8 checks.
    fn lines<'a>(&self, bytes: &'a [u8]) -> Result<impl Iterator<Item = &'a str>, Error> {
        if bytes.len() > self.max_bytes {
            return Err(Error::TooLarge {
                what: "kv document",
                size: bytes.len(),
                limit: self.max_bytes,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| syntax(e.to_string()))?;
        Ok(text.lines().filter(|line| !line.is_empty()))
    }

    /// Reads every line into (parameter name, value) pairs, one per top-level name,
    /// and hands each to `set` (a `RequestFields` or `ResponseFields` collector).
    fn decode_into(
        &self,
        bytes: &[u8],
        mut set: impl FnMut(&str, Value) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut params = Map::new();
        for line in self.lines(bytes)? {
            let (path, value) = line
                .split_once('=')
                .ok_or_else(|| syntax(format!("no '=' in line {line:?}")))?;
            insert_at(&mut params, path, parse_scalar(value)?)?;
        }
        for (name, value) in params.iter() {
            set(name, value.clone())?;
        }
        Ok(())
    }
}

impl Serializer for KvSerializer {
    fn name(&self) -> &'static str {
        FORMAT
    }

    fn request_media_type(&self) -> &'static str {
        "application/vnd.example-preq+kv"
    }

    fn response_media_type(&self) -> &'static str {
        "application/vnd.example-prsp+kv"
    }

    fn encode_request(&self, request: &RequestPrimitive) -> Result<Bytes, Error> {
        let mut out = String::new();
        request_params(request, |name, param| write_param(&mut out, name, &param))?;
        Ok(Bytes::from(out))
    }

    fn decode_request(&self, bytes: &[u8]) -> Result<RequestPrimitive, Error> {
        let mut fields = RequestFields::new();
        self.decode_into(bytes, |name, value| fields.set(name, value))?;
        fields.finish()
    }

    fn encode_response(&self, response: &ResponsePrimitive) -> Result<Bytes, Error> {
        let mut out = String::new();
        response_params(response, |name, param| write_param(&mut out, name, &param))?;
        Ok(Bytes::from(out))
    }

    fn decode_response(&self, bytes: &[u8]) -> Result<ResponsePrimitive, Error> {
        let mut fields = ResponseFields::new();
        self.decode_into(bytes, |name, value| fields.set(name, value))?;
        fields.finish()
    }
}

fn syntax(message: String) -> Error {
    Error::Syntax {
        format: FORMAT,
        message,
    }
}

fn write_param(out: &mut String, name: &str, param: &Param<'_>) -> Result<(), Error> {
    match param {
        Param::Str(s) => write_line(out, name, &Value::Text(s.to_string())),
        Param::Int(i) => write_line(out, name, &Value::Int(*i)),
        Param::Bool(b) => write_line(out, name, &Value::Bool(*b)),
        Param::StrList(items) => write_line(
            out,
            name,
            &Value::List(items.iter().cloned().map(Value::Text).collect()),
        ),
        Param::Tree(tree) => write_line(out, name, tree),
    }
}

/// Writes `value` at `path`: a line per scalar, empty collections as `{}` / `[]`.
fn write_line(out: &mut String, path: &str, value: &Value) -> Result<(), Error> {
    let mut line = |text: &str| {
        let _ = writeln!(out, "{path}={text}");
    };
    match value {
        Value::Null => line("null"),
        Value::Bool(b) => line(&b.to_string()),
        Value::Int(i) => line(&i.to_string()),
        Value::Float(f) if f.is_finite() => line(&format!("{f:?}")),
        Value::Float(f) => return Err(Error::Unencodable(format!("the number {f}"))),
        // Rust's `{:?}` escapes quotes, backslashes and line breaks: one line per value.
        Value::Text(s) => line(&format!("{s:?}")),
        Value::List(items) if items.is_empty() => line("[]"),
        Value::Map(map) if map.is_empty() => line("{}"),
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                write_line(out, &format!("{path}[{i}]"), item)?;
            }
        }
        Value::Map(map) => {
            for (key, item) in map.iter() {
                if key.is_empty() || key.contains(['.', '[', ']', '=', '\n']) {
                    return Err(Error::Unencodable(format!("the member name {key:?}")));
                }
                write_line(out, &format!("{path}.{key}"), item)?;
            }
        }
    }
    Ok(())
}

fn parse_scalar(text: &str) -> Result<Value, Error> {
    Ok(match text {
        "null" => Value::Null,
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "{}" => Value::Map(Map::new()),
        "[]" => Value::List(Vec::new()),
        quoted if quoted.starts_with('"') => Value::Text(unquote(quoted)?),
        number => match number.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(
                number
                    .parse::<f64>()
                    .map_err(|_| syntax(format!("not a value: {number:?}")))?,
            ),
        },
    })
}

/// Reverses the `{:?}` quoting of [`write_line`] (the escapes Rust writes for text).
fn unquote(quoted: &str) -> Result<String, Error> {
    let inner = quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .ok_or_else(|| syntax(format!("unterminated string {quoted:?}")))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('0') => out.push('\0'),
            Some(c @ ('"' | '\\' | '\'')) => out.push(c),
            Some('u') => {
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let code = hex
                    .strip_prefix('{')
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                    .ok_or_else(|| syntax(format!("bad escape in {quoted:?}")))?;
                out.push(code);
            }
            _ => return Err(syntax(format!("bad escape in {quoted:?}"))),
        }
    }
    Ok(out)
}

/// One step of a path: `name` or `name[3]`.
fn split_index(segment: &str) -> Result<(&str, Option<usize>), Error> {
    match segment.split_once('[') {
        None => Ok((segment, None)),
        Some((name, rest)) => {
            let index = rest
                .strip_suffix(']')
                .and_then(|i| i.parse().ok())
                .ok_or_else(|| syntax(format!("bad list index in {segment:?}")))?;
            Ok((name, Some(index)))
        }
    }
}

/// Puts `value` at the dotted `path` below `root`, making maps and lists on the way.
/// List items must come in order (`x[0]`, `x[1]`, ...), as the encoder writes them.
fn insert_at(root: &mut Map, path: &str, value: Value) -> Result<(), Error> {
    let (first, rest) = path
        .split_once('.')
        .map_or((path, None), |(f, r)| (f, Some(r)));
    let (name, index) = split_index(first)?;
    if name.is_empty() {
        return Err(syntax(format!("empty name in {path:?}")));
    }
    if !root.contains_key(name) {
        let empty = match (index, rest) {
            (None, None) => {
                root.insert(name, value);
                return Ok(());
            }
            (None, Some(_)) => Value::Map(Map::new()),
            (Some(_), _) => Value::List(Vec::new()),
        };
        root.insert(name, empty);
    }
    let slot = root.get_mut(name).ok_or_else(|| syntax(path.into()))?;
    let slot = match (slot, index) {
        (Value::List(items), Some(i)) if i == items.len() => {
            items.push(Value::Map(Map::new()));
            items.last_mut().ok_or_else(|| syntax(path.into()))?
        }
        (Value::List(items), Some(i)) if i + 1 == items.len() && rest.is_some() => {
            items.last_mut().ok_or_else(|| syntax(path.into()))?
        }
        (slot, None) if rest.is_some() => slot,
        _ => return Err(syntax(format!("{path:?} repeats or skips a member"))),
    };
    match rest {
        None => {
            *slot = value;
            Ok(())
        }
        Some(rest) => match slot {
            Value::Map(map) => insert_at(map, rest, value),
            _ => Err(syntax(format!("{path:?} goes below a scalar"))),
        },
    }
}

fn cin(con: &str, labels: &[&str]) -> Value {
    let mut inner = Map::new();
    inner.insert("cnf", "text/plain:0");
    inner.insert("con", con);
    inner.insert(
        "lbl",
        Value::List(labels.iter().map(|&l| l.into()).collect()),
    );
    let mut pc = Map::new();
    pc.insert("m2m:cin", inner);
    Value::Map(pc)
}

/// A raw MQTT client (not the binding) subscribed to every oneM2M topic, to show what
/// travels on the wire.
async fn wire_observer(
    addr: std::net::SocketAddr,
) -> Result<RawMqttClient<TcpStream>, ExampleError> {
    let mut client = RawMqttClient::new(TcpStream::connect(addr).await?);
    client.connect("wire-observer").await?;
    client.subscribe(1, "/oneM2M/#", 1).await?;
    Ok(client)
}

async fn show_next_publish(
    observer: &mut RawMqttClient<TcpStream>,
) -> Result<String, ExampleError> {
    let publish = tokio::time::timeout(Duration::from_secs(5), observer.expect_publish()).await??;
    println!("wire  {}", publish.topic);
    for line in String::from_utf8_lossy(&publish.payload).lines() {
        println!("      | {line}");
    }
    Ok(publish.topic)
}

#[tokio::main]
async fn main() -> Result<(), ExampleError> {
    // The format on its own: a request goes to text and comes back unchanged.
    let mut request = RequestPrimitive::create(
        "cse-in/lamp/readings",
        "CAE01",
        "kv-1",
        ResourceType::CONTENT_INSTANCE,
        cin("21.5 \"C\"\nsecond line", &["kitchen", "floor=1"]),
    );
    request.rids = Some(vec!["role-a".into(), "role-b".into()]);
    let kv = KvSerializer::new();
    let decoded = kv.decode_request(&kv.encode_request(&request)?)?;
    if decoded != request {
        return Err(format!("kv changed the request:\n{request:?}\n{decoded:?}").into());
    }
    println!("kv round trip of a request with quotes, a line break and a list: unchanged");
    // Bad input is an error with a status code (4000), never a panic.
    for bad in [
        "op=1\nto",
        "op=1\nop=2",
        "pc.a[1]=\"skips item 0\"",
        "rqi=\"unterminated",
        "pc.a=1\npc.a.b=2",
    ] {
        match kv.decode_request(bad.as_bytes()) {
            Err(e) => println!("refused {bad:?}: {e} ({})", e.status_code()),
            Ok(request) => return Err(format!("accepted {bad:?} as {request:?}").into()),
        }
    }

    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false)).await?;
    let url = broker.url();
    let cse = Binding::builder()
        .cse_id("/id-in")
        .url(&url)?
        // The CSE still writes its own requests in XML; it now also reads and answers kv.
        .add_serializer(KvSerializer::new())
        .handler(
            |request: RequestPrimitive, ctx: onem2m_binding::RequestContext| async move {
                println!(
                    "CSE   got {:?} {} in {}",
                    request.op, request.to, ctx.serialization
                );
                ResponsePrimitive::answering(&request, ResponseStatusCode::CREATED)
                    .with_content(request.pc.clone().unwrap_or(Value::Null))
            },
        )
        .build()
        .await?;
    let ae = Binding::builder()
        .ae_id("CAE01")
        .registrar("/id-in")
        .url(&url)?
        // The AE writes every request in kv.
        .serializer(KvSerializer::new())
        .build()
        .await?;
    let mut observer = wire_observer(broker.tcp_addr()).await?;

    let response = ae
        .originator()
        .request(RequestPrimitive::create(
            "cse-in/lamp/readings",
            "CAE01",
            "kv-2",
            ResourceType::CONTENT_INSTANCE,
            cin("21.5", &["kitchen"]),
        ))
        .await?;
    expect_status("create in kv", &response, ResponseStatusCode::CREATED)?;
    let request_topic = show_next_publish(&mut observer).await?;
    let response_topic = show_next_publish(&mut observer).await?;
    for (topic, expected) in [
        (&request_topic, "/oneM2M/req/id-in:CAE01/id-in/kv"),
        (&response_topic, "/oneM2M/resp/id-in:CAE01/id-in/kv"),
    ] {
        if topic != expected {
            return Err(format!("published on {topic}, expected {expected}").into());
        }
    }
    if response.pc.as_ref() != Some(&cin("21.5", &["kitchen"])) {
        return Err("the content did not survive the trip".into());
    }

    // A CSE that was never told about kv refuses it with 4015, in its default
    // serialization (XML). It cannot read the `rqi` out of a format it does not know,
    // so the 4015 carries none and the originator cannot match it: it times out.
    let plain = Binding::builder()
        .cse_id("/id-plain")
        .url(&url)?
        .build()
        .await?;
    let stranger = Binding::builder()
        .ae_id("CAE02")
        .registrar("/id-plain")
        .url(&url)?
        .serializer(KvSerializer::new())
        .build()
        .await?;
    let mut request = RequestPrimitive::retrieve("cse-in", "CAE02", "kv-3");
    request.rqet = Some(AbsRelTimestamp::Relative(1_000));
    let sent = stranger.originator().request(request).await;
    println!("kv to a CSE without kv       -> {sent:?}");
    if !matches!(sent, Err(onem2m_binding::Error::Timeout { .. })) {
        return Err(format!("expected a timeout, got {sent:?}").into());
    }
    show_next_publish(&mut observer).await?;
    let refusal = show_next_publish(&mut observer).await?;
    if refusal != "/oneM2M/resp/id-plain:CAE02/id-plain/xml" {
        return Err(format!("the 4015 went to {refusal}").into());
    }

    for binding in [stranger, plain, ae, cse] {
        binding.shutdown().await;
    }
    broker.shutdown().await?;
    println!("done");
    Ok(())
}
