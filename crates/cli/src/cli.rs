//! The command line: global flags and the subcommands (clap derive).

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use onem2m_primitive::Operation;

use crate::config::Overrides;
use crate::settings::{Scheme, Serialization};

/// oneM2M over MQTT (TS-0010) from the command line.
///
/// Try `m2m demo`: an embedded broker, a demo CSE and an AE that registers, stores
/// data, subscribes and is notified, with every MQTT message printed.
#[derive(Debug, Parser)]
#[command(name = "m2m", version, propagate_version = true)]
pub struct Cli {
    /// Flags every subcommand takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand takes. Each can also come from an environment variable or
/// the `--config` file; a flag wins over the variable, the variable over the file.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Broker URL: mqtt://, mqtts://, ws:// or wss:// [default: mqtt://127.0.0.1:1883]
    #[arg(long, global = true, env = "M2M_URL")]
    pub url: Option<String>,
    /// Serialization of the primitives [default: json]
    #[arg(long, global = true, env = "M2M_SERIALIZATION", value_enum)]
    pub serialization: Option<Serialization>,
    /// Topic scheme: TS-0010's, TS-0010's with bare AE-ID stems (for ACME), or the seed draft's [default: ts0010]
    #[arg(long, global = true, env = "M2M_SCHEME", value_enum)]
    pub scheme: Option<Scheme>,
    /// CSE-ID of the CSE to talk to (or of the CSE `m2m cse` runs) [default: /id-in]
    #[arg(long, global = true, env = "M2M_CSE_ID")]
    pub cse_id: Option<String>,
    /// Seconds to wait for the broker and for each response [default: 10]
    #[arg(long, global = true, env = "M2M_TIMEOUT")]
    pub timeout: Option<u64>,
    /// TOML file with url, serialization, scheme, cse_id, timeout_secs
    #[arg(long, global = true, env = "M2M_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log more to stderr (-v info, -vv debug, -vvv trace; RUST_LOG overrides)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

impl GlobalArgs {
    /// What the flags and the environment set.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            url: self.url.clone(),
            serialization: self.serialization,
            scheme: self.scheme,
            cse_id: self.cse_id.clone(),
            timeout_secs: self.timeout,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the embedded MQTT broker (loopback, in-memory sessions) until Ctrl-C.
    Broker(BrokerArgs),
    /// Run the demo CSE until Ctrl-C.
    ///
    /// An example of a CSE stack on the binding, NOT a full CSE: an in-memory tree of
    /// CSEBase, AE, container, contentInstance and subscription; no access control
    /// (any originator may do anything), no expiration, rcn 0 and 1 only.
    Cse(CseArgs),
    /// Send one request and print its response (curl for oneM2M over MQTT).
    ///
    /// Exits 0 on a success status, 1 on an error status, 2 when no response came.
    Request(RequestArgs),
    /// Run an AE that prints every request (notification) it receives and answers 2000.
    Listen(ListenArgs),
    /// Put a TS-0010 MQTT front on a CSE reached over HTTP, until Ctrl-C.
    ///
    /// Requests AEs publish for the CSE (--cse-id) go to it over HTTP; the CSE's
    /// requests to AEs (notifications) come to the gateway's HTTP endpoint, written
    /// into each AE's poa when it registers, and go on over MQTT.
    Gateway(GatewayArgs),
    /// The quickstart: broker, demo CSE and an AE, with every MQTT message printed.
    ///
    /// Exits 0 only when every step got the status it expects.
    Demo(DemoArgs),
    /// Benchmark the originator and receiver through a broker, alone or against the
    /// broker's floor, rumqttc + serde_json and Python paho-mqtt (--compare).
    Bench(onem2m_bench::BenchArgs),
}

/// `m2m broker`.
#[derive(Debug, Clone, Args)]
pub struct BrokerArgs {
    /// TCP port; 0 picks a free one
    #[arg(long, default_value_t = 1883)]
    pub port: u16,
    /// Address to listen on (anything but loopback exposes an unauthenticated broker)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Also listen for MQTT over WebSocket (path /mqtt) on a free port
    #[arg(long)]
    pub websocket: bool,
}

/// `m2m cse`.
#[derive(Debug, Clone, Args)]
pub struct CseArgs {
    /// Resource name of the CSEBase
    #[arg(long, default_value = "cse-in")]
    pub base_name: String,
    /// Start an embedded broker on a free port and serve on it (ignores --url)
    #[arg(long)]
    pub embedded_broker: bool,
}

/// An operation as typed on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OperationArg {
    /// CREATE (1)
    #[value(alias = "c")]
    Create,
    /// RETRIEVE (2)
    #[value(alias = "r")]
    Retrieve,
    /// UPDATE (3)
    #[value(alias = "u")]
    Update,
    /// DELETE (4)
    #[value(alias = "d")]
    Delete,
    /// NOTIFY (5)
    #[value(alias = "n")]
    Notify,
}

impl From<OperationArg> for Operation {
    fn from(op: OperationArg) -> Self {
        match op {
            OperationArg::Create => Operation::Create,
            OperationArg::Retrieve => Operation::Retrieve,
            OperationArg::Update => Operation::Update,
            OperationArg::Delete => Operation::Delete,
            OperationArg::Notify => Operation::Notify,
        }
    }
}

/// `m2m request`.
#[derive(Debug, Clone, Args)]
pub struct RequestArgs {
    /// The operation
    #[arg(value_enum)]
    pub op: OperationArg,
    /// The target (to): cse-in/myAE/data, cse-in/myAE/data/la, /id-in/cnt3, ...
    pub to: String,
    /// The originator (fr): an AE-ID (CAdmin) or a CSE-ID (/id-mn)
    #[arg(long, short = 'f', default_value = "CAdmin")]
    pub from: String,
    /// Resource type of a create: ae, cnt, cin, sub, ... or its number
    #[arg(long)]
    pub ty: Option<String>,
    /// Primitive content as JSON, e.g. '{"m2m:cnt": {"rn": "data"}}'
    #[arg(long, short = 'c')]
    pub content: Option<String>,
    /// Result content (rcn): 0 nothing, 1 attributes, ...
    #[arg(long)]
    pub rcn: Option<i64>,
    /// Request identifier [default: generated]
    #[arg(long)]
    pub rqi: Option<String>,
}

/// `m2m listen`.
#[derive(Debug, Clone, Args)]
pub struct ListenArgs {
    /// The AE-ID to listen as (requests to it arrive here)
    #[arg(long, default_value = "CListener")]
    pub ae_id: String,
    /// Stop after this many requests
    #[arg(long)]
    pub count: Option<u64>,
}

/// `m2m gateway`.
#[derive(Debug, Clone, Args)]
pub struct GatewayArgs {
    /// Broker URL of the MQTT side [default: --url]
    #[arg(long)]
    pub mqtt: Option<String>,
    /// The CSE's HTTP base URL, e.g. http://127.0.0.1:8080
    #[arg(long)]
    pub http: String,
    /// Address of the endpoint the CSE sends its requests to AEs to (port 0: a free one)
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: std::net::SocketAddr,
    /// The endpoint's URL as the CSE reaches it [default: http://<listen address>]
    #[arg(long)]
    pub public_url: Option<String>,
    /// Serve together with the other gateways of this $share group (needs --client-id)
    #[arg(long)]
    pub share_group: Option<String>,
    /// MQTT client id [default: the CSE-ID's]
    #[arg(long)]
    pub client_id: Option<String>,
    /// Connect with Clean Session (the broker keeps nothing for this gateway while it is away)
    #[arg(long)]
    pub clean_session: bool,
}

/// `m2m demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Characters of each payload to print (0: all)
    #[arg(long, default_value_t = 160)]
    pub width: usize,
}
