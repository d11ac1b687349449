//! RabbitMQ with its MQTT plugin, as one private node or a cluster of them on loopback.
//!
//! Debian's `rabbitmq-server` (3.10) is run from `/usr/lib/rabbitmq/bin` as the
//! current user (root in CI), never as the system service: every node gets a
//! temporary directory of its own with its `HOME` (the Erlang cookie, the same for
//! every node of a cluster), its configuration, enabled plugins, Mnesia directory
//! and logs. Every listener (AMQP, MQTT, Erlang distribution) and the cluster's own
//! epmd are bound to 127.0.0.1 on ports below the ephemeral range.

mod cluster;
mod epmd;
mod node;

use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

pub use cluster::RabbitCluster;
pub use node::{RabbitNode, RabbitPorts};

/// The environment variable that turns a missing `rabbitmq-server` from a skip into
/// a test failure.
pub const REQUIRE_RABBITMQ_ENV: &str = "ONEM2M_REQUIRE_RABBITMQ";

/// Where Debian installs the server and `rabbitmqctl` (not on `PATH`).
const BIN_DIR: &str = "/usr/lib/rabbitmq/bin";

/// The result of [`RabbitNode::start`] and [`RabbitCluster::start`].
#[derive(Debug)]
#[must_use]
pub enum RabbitStart<T> {
    /// Every node runs, and its MQTT listener accepts a CONNECT.
    Running(T),
    /// `rabbitmq-server` is not installed; the test should skip (see
    /// [`skip_or_fail_for`](crate::skip_or_fail_for) and [`REQUIRE_RABBITMQ_ENV`]).
    Skip {
        /// Why, for the SKIPPED line.
        reason: String,
    },
}

/// Why RabbitMQ cannot be run here, or `None` when it can.
fn missing_installation() -> Option<String> {
    ["rabbitmq-server", "rabbitmqctl"]
        .iter()
        .map(|tool| Path::new(BIN_DIR).join(tool))
        .find(|path| !path.exists())
        .map(|path| format!("no {} (apt-get install rabbitmq-server)", path.display()))
}

/// Starts `command` as the leader of a new process group, so that the whole tree it
/// starts (the shell wrapper, the Erlang VM and its port programs) can be signalled
/// at once.
fn start_in_own_group(command: &mut Command) -> std::io::Result<Child> {
    command.process_group(0).spawn()
}

/// Sends `signal` to the process group `leader` started.
fn signal_group(leader: &Child, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_child(leader);
    let _ = rustix::process::kill_process_group(pid, signal);
}

/// Whether something accepts TCP connections on `127.0.0.1:port`.
fn listening(port: u16) -> bool {
    TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(200),
    )
    .is_ok()
}

/// Starts a three-node [`RabbitCluster`], or skips the calling test (see
/// [`skip_or_fail_for`](crate::skip_or_fail_for)) when `rabbitmq-server` is not
/// installed; fails it when [`REQUIRE_RABBITMQ_ENV`] is `1`. A cluster that is
/// installed but does not come up fails the test.
///
/// Use it in a test returning `()`:
///
/// ```no_run
/// # async fn t() {
/// let cluster = onem2m_test_support::require_rabbitmq_cluster!();
/// println!("{}", cluster.node(0).mqtt_url());
/// # }
/// ```
#[macro_export]
macro_rules! require_rabbitmq_cluster {
    () => {
        match $crate::RabbitCluster::start(3) {
            Ok($crate::RabbitStart::Running(cluster)) => cluster,
            Ok($crate::RabbitStart::Skip { reason }) => {
                $crate::skip_or_fail_for(
                    $crate::REQUIRE_RABBITMQ_ENV,
                    "rabbitmq-server not installed",
                    &reason,
                );
                return;
            }
            Err(e) => panic!("rabbitmq-server is installed but the cluster did not start: {e}"),
        }
    };
}
