//! One RabbitMQ node: its files, its process, `rabbitmqctl` against it.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::process::Signal;
use tempfile::TempDir;

use crate::Error;
use crate::listen_port::free_listen_ports;
use crate::raw_mqtt::{CONNACK_ACCEPTED, connect};

use super::epmd::Epmd;
use super::{
    BIN_DIR, RabbitStart, listening, missing_installation, signal_group, start_in_own_group,
};

/// How long a node may take from its start to accepting MQTT: about 8 s alone on an
/// idle 2-core machine, three at once and test binaries compiling beside them take
/// many times that.
pub(super) const START_TIMEOUT: Duration = Duration::from_secs(180);

/// How long `rabbitmqctl stop` and the node's exit may take before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a node may take to exit after SIGTERM before it is killed.
const TERM_TIMEOUT: Duration = Duration::from_secs(15);

/// Binds the Erlang distribution listener (of the node and of each `rabbitmqctl`,
/// which is a distributed Erlang node too) to loopback; it listens on every
/// interface otherwise.
const LOOPBACK_DISTRIBUTION: &str = "-kernel inet_dist_use_interface {127,0,0,1}";

/// The loopback ports of one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RabbitPorts {
    /// AMQP 0-9-1 (`listeners.tcp.default`).
    pub amqp: u16,
    /// MQTT 3.1.1 (`mqtt.listeners.tcp.default`).
    pub mqtt: u16,
    /// Erlang distribution (`RABBITMQ_DIST_PORT`): the other nodes and
    /// `rabbitmqctl` connect here.
    pub dist: u16,
}

/// One RabbitMQ node with the `rabbitmq_mqtt` plugin, run as a child process from a
/// temporary directory of its own (see the [module](super) documentation).
///
/// Anonymous MQTT clients are allowed (`mqtt.allow_anonymous = true`, as the
/// default user `guest` with `loopback_users = none`); no management plugin.
/// A node alone ([`start`](Self::start)) has an epmd of its own; the nodes of a
/// [`RabbitCluster`](super::RabbitCluster) share the cluster's.
///
/// [`stop`](Self::stop) (also on drop) runs `rabbitmqctl stop` and waits for the
/// node to exit; a node that does not is killed with everything it started.
#[derive(Debug)]
pub struct RabbitNode {
    name: String,
    dir: TempDir,
    ports: RabbitPorts,
    epmd_port: u16,
    child: Option<Child>,
    /// Dropped after the node (fields drop after [`Drop::drop`]).
    own_epmd: Option<Epmd>,
}

impl RabbitNode {
    /// Starts a node of its own (with its own epmd) and waits until its MQTT
    /// listener accepts a CONNECT.
    ///
    /// Returns [`RabbitStart::Skip`] when `rabbitmq-server` is not installed, and an
    /// error when it is but does not come up. It blocks the calling thread (about
    /// 8 s, longer on a loaded machine), which is fine in a test, also an async one.
    pub fn start() -> Result<RabbitStart<Self>, Error> {
        Self::start_with("")
    }

    /// Like [`start`](Self::start), with `extra_config` lines (new-style `key =
    /// value`, such as `mqtt.prefetch = 64`) added to the node's `rabbitmq.conf`.
    pub fn start_with(extra_config: &str) -> Result<RabbitStart<Self>, Error> {
        if let Some(reason) = missing_installation() {
            return Ok(RabbitStart::Skip { reason });
        }
        let epmd = Epmd::start(one_free_port()?)?;
        let mut node = Self::prepare(1, &new_cookie(), epmd.port(), extra_config)?;
        node.own_epmd = Some(epmd);
        node.spawn()?;
        node.wait_ready(Instant::now() + START_TIMEOUT)?;
        Ok(RabbitStart::Running(node))
    }

    /// A node's directory and files (`onem2m-r<index>@localhost`, `cookie` as its
    /// Erlang cookie, registering with the epmd on `epmd_port`, `extra_config` at the
    /// end of its configuration), not yet started.
    pub(super) fn prepare(
        index: usize,
        cookie: &str,
        epmd_port: u16,
        extra_config: &str,
    ) -> Result<Self, Error> {
        let dir = tempfile::Builder::new()
            .prefix("onem2m-rabbitmq-")
            .tempdir()
            .map_err(Error::io("cannot create a temporary directory"))?;
        let ports = match free_listen_ports(3)?.as_slice() {
            &[amqp, mqtt, dist] => RabbitPorts { amqp, mqtt, dist },
            _ => {
                return Err(Error::io("cannot find three free loopback ports")(
                    std::io::ErrorKind::AddrInUse.into(),
                ));
            }
        };
        let node = Self {
            name: format!("onem2m-r{index}@localhost"),
            dir,
            ports,
            epmd_port,
            child: None,
            own_epmd: None,
        };
        node.write_files(cookie, extra_config)?;
        Ok(node)
    }

    /// The Erlang node name, `onem2m-r<n>@localhost`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The listener ports.
    pub fn ports(&self) -> RabbitPorts {
        self.ports
    }

    /// `mqtt://127.0.0.1:PORT`.
    pub fn mqtt_url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.ports.mqtt)
    }

    /// Whether the node's process runs.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// Runs `rabbitmqctl -n <node> <args>` and returns its standard output.
    pub fn ctl(&self, args: &[&str]) -> Result<String, Error> {
        // Each CLI call is an Erlang node with a distribution listener of its own;
        // its default port range (35672-35682) is shared by every caller on the
        // machine, so each call gets a free port of its own instead.
        let port = one_free_port()?.to_string();
        let output = self
            .command(&Path::new(BIN_DIR).join("rabbitmqctl"))
            .args(["-q", "-n", &self.name])
            .args(args)
            .env("RABBITMQ_CTL_DIST_PORT_MIN", &port)
            .env("RABBITMQ_CTL_DIST_PORT_MAX", &port)
            .stdin(Stdio::null())
            .output()
            .map_err(Error::io("cannot run rabbitmqctl"))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if output.status.success() {
            return Ok(stdout);
        }
        let why = format!(
            "{}\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        Err(Error::io(format!(
            "rabbitmqctl -n {} {} failed",
            self.name,
            args.join(" ")
        ))(std::io::Error::other(why)))
    }

    /// Stops the RabbitMQ application but leaves the Erlang node running
    /// (`rabbitmqctl stop_app`): its clients are disconnected and the other nodes
    /// see it leave.
    pub fn stop_app(&self) -> Result<(), Error> {
        self.ctl(&["stop_app"]).map(drop)
    }

    /// Starts the application again after [`stop_app`](Self::stop_app) and waits
    /// until MQTT accepts a CONNECT.
    pub fn start_app(&mut self) -> Result<(), Error> {
        self.start_app_until(Instant::now() + START_TIMEOUT)
    }

    /// `rabbitmqctl start_app` (which returns once the application runs), then
    /// waits until MQTT accepts a CONNECT.
    pub(super) fn start_app_until(&mut self, deadline: Instant) -> Result<(), Error> {
        self.ctl(&["start_app"])?;
        self.wait_mqtt(deadline)
    }

    /// Stops the node (`rabbitmqctl stop`) and waits until its process has exited;
    /// kills it when it does not. A node that `rabbitmqctl` cannot reach (still
    /// booting, say) gets SIGTERM instead. A stopped node can be started again with
    /// [`restart`](Self::restart), on the same ports and data (rejoining its cluster).
    pub fn stop(&mut self) -> Result<(), Error> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let asked = self.ctl(&["stop"]);
        let limit = if asked.is_ok() {
            STOP_TIMEOUT
        } else {
            signal_group(&child, Signal::TERM);
            TERM_TIMEOUT
        };
        let deadline = Instant::now() + limit;
        let exited = loop {
            match child.try_wait() {
                Ok(Some(_)) => break true,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ => break false,
            }
        };
        // Port programs (erl_child_setup, inet_gethost) go with the VM; make sure.
        signal_group(&child, Signal::KILL);
        let _ = child.wait();
        match (asked, exited) {
            (_, true) => Ok(()),
            (Err(e), false) => Err(e),
            (Ok(_), false) => Err(Error::io(format!(
                "{} did not exit within {limit:?} of rabbitmqctl stop and was killed; its log:\n{}",
                self.name,
                self.log()
            ))(std::io::ErrorKind::TimedOut.into())),
        }
    }

    /// Starts a [`stop`](Self::stop)ped node again with the same files and waits
    /// until MQTT accepts a CONNECT.
    pub fn restart(&mut self) -> Result<(), Error> {
        self.stop()?;
        self.spawn()?;
        self.wait_ready(Instant::now() + START_TIMEOUT)
    }

    /// The end of the node's own log and of its console output, for assertion
    /// messages.
    pub fn log(&self) -> String {
        let log = std::fs::read_to_string(self.log_dir().join(format!("{}.log", self.name)))
            .unwrap_or_default();
        let console = std::fs::read_to_string(self.console_path()).unwrap_or_default();
        format!(
            "== {} log (end):\n{}\n== console (end):\n{}",
            self.name,
            tail(&log, 40),
            tail(&console, 20)
        )
    }

    pub(super) fn spawn(&mut self) -> Result<(), Error> {
        let console = File::options()
            .create(true)
            .append(true)
            .open(self.console_path())
            .map_err(Error::io("cannot open the node's console log"))?;
        let console_err = console
            .try_clone()
            .map_err(Error::io("cannot open the node's console log"))?;
        let server = Path::new(BIN_DIR).join("rabbitmq-server");
        let mut command = self.command(&server);
        command
            .stdin(Stdio::null())
            .stdout(console)
            .stderr(console_err);
        let child = start_in_own_group(&mut command)
            .map_err(Error::io(format!("cannot run {}", server.display())))?;
        self.child = Some(child);
        Ok(())
    }

    /// Waits until the node's distribution port listens, `rabbitmqctl
    /// await_startup` returns and its MQTT listener accepts a CONNECT.
    pub(super) fn wait_ready(&mut self, deadline: Instant) -> Result<(), Error> {
        // rabbitmqctl fails at once for a node not yet registered with epmd, and
        // each call costs a second of CPU: wait for the node's listener first.
        while !listening(self.ports.dist) {
            self.check_alive(deadline)?;
            std::thread::sleep(Duration::from_millis(100));
        }
        let seconds = deadline
            .saturating_duration_since(Instant::now())
            .as_secs()
            .max(1)
            .to_string();
        self.ctl(&["await_startup", "--timeout", &seconds])
            .map_err(|e| self.not_ready(&e.to_string()))?;
        self.wait_mqtt(deadline)
    }

    /// Waits until the MQTT listener accepts a CONNECT.
    fn wait_mqtt(&mut self, deadline: Instant) -> Result<(), Error> {
        loop {
            let Err(why) = mqtt_connect_accepted(self.ports.mqtt) else {
                return Ok(());
            };
            self.check_alive(deadline)
                .map_err(|_| self.not_ready(&why))?;
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// An error unless the process still runs and `deadline` has not passed.
    fn check_alive(&mut self, deadline: Instant) -> Result<(), Error> {
        if let Some(child) = self.child.as_mut()
            && let Ok(Some(status)) = child.try_wait()
        {
            return Err(self.not_ready(&format!("it exited ({status})")));
        }
        if Instant::now() >= deadline {
            return Err(self.not_ready("timed out"));
        }
        Ok(())
    }

    fn not_ready(&self, why: &str) -> Error {
        Error::io(format!(
            "RabbitMQ node {} did not become ready: {why}\n{}",
            self.name,
            self.log()
        ))(std::io::ErrorKind::TimedOut.into())
    }

    /// A command for one of the node's scripts, with the node's environment.
    fn command(&self, program: &Path) -> Command {
        let dir = self.dir.path();
        let mut command = Command::new(program);
        // Erlang writes crash dumps (MnesiaCore.*, erl_crash.dump) to its working
        // directory: the node's own, never the test's.
        command
            .current_dir(dir)
            .env("HOME", self.home())
            .env("RABBITMQ_NODENAME", &self.name)
            .env("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .env("RABBITMQ_NODE_PORT", self.ports.amqp.to_string())
            .env("RABBITMQ_DIST_PORT", self.ports.dist.to_string())
            .env("RABBITMQ_CONFIG_FILE", dir.join("rabbitmq.conf"))
            .env("RABBITMQ_ENABLED_PLUGINS_FILE", dir.join("enabled_plugins"))
            .env("RABBITMQ_MNESIA_BASE", dir.join("mnesia"))
            .env("RABBITMQ_LOG_BASE", self.log_dir())
            // Not /etc/rabbitmq's: the machine's settings stay out of the test.
            .env("RABBITMQ_CONF_ENV_FILE", dir.join("rabbitmq-env.conf"))
            .env("RABBITMQ_ADVANCED_CONFIG_FILE", dir.join("advanced.config"))
            .env("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", LOOPBACK_DISTRIBUTION)
            .env("RABBITMQ_CTL_ERL_ARGS", LOOPBACK_DISTRIBUTION)
            .env("ERL_EPMD_ADDRESS", "127.0.0.1")
            .env("ERL_EPMD_PORT", self.epmd_port.to_string());
        command
    }

    fn write_files(&self, cookie: &str, extra_config: &str) -> Result<(), Error> {
        let dir = self.dir.path();
        let home = self.home();
        std::fs::create_dir(&home).map_err(Error::io("cannot create the node's HOME"))?;
        let cookie_path = home.join(".erlang.cookie");
        let mut file =
            File::create(&cookie_path).map_err(Error::io("cannot write the Erlang cookie"))?;
        file.write_all(cookie.as_bytes())
            .map_err(Error::io("cannot write the Erlang cookie"))?;
        // Erlang refuses a cookie file that others can read.
        std::fs::set_permissions(&cookie_path, std::fs::Permissions::from_mode(0o400))
            .map_err(Error::io("cannot restrict the Erlang cookie"))?;
        let conf = format!(
            "# Generated by onem2m-test-support.\n\
             listeners.tcp.default = 127.0.0.1:{amqp}\n\
             mqtt.listeners.tcp.default = 127.0.0.1:{mqtt}\n\
             mqtt.allow_anonymous = true\n\
             loopback_users = none\n\
             log.console = false\n\
             log.file.level = info\n\
             {extra_config}\n",
            amqp = self.ports.amqp,
            mqtt = self.ports.mqtt,
        );
        let files = [
            ("rabbitmq.conf", conf.as_str()),
            ("enabled_plugins", "[rabbitmq_mqtt].\n"),
            ("rabbitmq-env.conf", ""),
        ];
        for (name, text) in files {
            std::fs::write(dir.join(name), text)
                .map_err(Error::io(format!("cannot write {name}")))?;
        }
        Ok(())
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn log_dir(&self) -> PathBuf {
        self.dir.path().join("log")
    }

    fn console_path(&self) -> PathBuf {
        self.dir.path().join("console.log")
    }
}

impl Drop for RabbitNode {
    fn drop(&mut self) {
        // stop() kills what did not exit in time.
        let _ = self.stop();
    }
}

/// A cookie shared by the nodes of one cluster; any value works as long as
/// only they have it.
pub(super) fn new_cookie() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("ONEM2M{:X}{:X}", nanos, std::process::id())
}

/// One free loopback port below the ephemeral range.
pub(super) fn one_free_port() -> Result<u16, Error> {
    free_listen_ports(1)?.first().copied().ok_or_else(|| {
        Error::io("cannot find a free loopback port")(std::io::ErrorKind::AddrInUse.into())
    })
}

/// A clean-session CONNECT on `127.0.0.1:port` is answered "accepted".
fn mqtt_connect_accepted(port: u16) -> Result<(), String> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))
        .map_err(|e| format!("MQTT port {port}: {e}"))?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    stream
        .write_all(&connect("onem2m-ready-probe", true, 10))
        .map_err(|e| format!("MQTT port {port}: {e}"))?;
    let mut connack = [0u8; 4];
    stream
        .read_exact(&mut connack)
        .map_err(|e| format!("MQTT port {port}: no CONNACK: {e}"))?;
    if connack == CONNACK_ACCEPTED {
        Ok(())
    } else {
        Err(format!("MQTT port {port}: CONNACK {connack:02x?}"))
    }
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
