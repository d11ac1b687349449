//! The command-line flags of `m2m bench` and `onem2m-bench`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::broker::BrokerKind;

/// How the clients reach the broker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TransportArg {
    /// MQTT over TCP (every stack).
    Tcp,
    /// MQTT over WebSocket (our stack only; the baselines are skipped).
    Ws,
}

impl TransportArg {
    /// The name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Ws => "ws",
        }
    }
}

/// Benchmark our originator against our receiver through a broker, alone or compared
/// with the broker's floor, rumqttc + serde_json and Python paho-mqtt.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// The broker: a private Mosquitto started for the run, or the embedded broker
    #[arg(long, value_enum, default_value = "mosquitto")]
    pub broker: BrokerKind,
    /// How the clients connect
    #[arg(long, value_enum, default_value = "tcp")]
    pub transport: TransportArg,
    /// Request/response pairs to measure [default: 20000; with --compare the
    /// pipelined phases' count, 100000 (10000 with --quick)]
    #[arg(long)]
    pub count: Option<u64>,
    /// Requests in flight at once, over all originators
    #[arg(long, default_value_t = 1)]
    pub in_flight: usize,
    /// Separate originator clients (MQTT connections)
    #[arg(long, default_value_t = 1)]
    pub originators: usize,
    /// Run the whole comparison: floor, ours, rumqttc, paho at one request in flight
    /// and pipelined, then the scaling table
    #[arg(long)]
    pub compare: bool,
    /// Smaller counts (about a tenth), for a quick look
    #[arg(long)]
    pub quick: bool,
    /// Requests in flight in the comparison's pipelined phase
    #[arg(long, default_value_t = 100)]
    pub pipeline: usize,
    /// Originator counts of the comparison's scaling table
    #[arg(long, value_delimiter = ',', default_value = "1,10,100,1000")]
    pub scaling: Vec<usize>,
    /// Where bench-results.json and latency.svg go
    #[arg(long, default_value = "target/bench")]
    pub out: PathBuf,
    /// The rumqttc baseline binary [default: onem2m-bench-rumqttc next to this program]
    #[arg(long, env = "ONEM2M_BENCH_RUMQTTC")]
    pub rumqttc: Option<PathBuf>,
    /// A Python with paho-mqtt [default: target/bench-venv, then target/acme-venv]
    #[arg(long, env = "ONEM2M_BENCH_PYTHON")]
    pub python: Option<PathBuf>,
    /// Internal: run one worker from its JSON spec and print its report
    #[arg(long, hide = true)]
    pub worker: Option<String>,
}
