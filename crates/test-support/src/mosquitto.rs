//! A private Mosquitto broker per test.

use std::fmt::Write as _;
use std::fs::File;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::listen_port::free_listen_ports;
use crate::{Error, TestPki};

/// Where Debian installs the broker; `/usr/sbin` is often not on a non-root PATH.
const DEBIAN_BINARY: &str = "/usr/sbin/mosquitto";

/// Where Debian installs the password file tool of the same package.
const DEBIAN_PASSWD_TOOL: &str = "/usr/bin/mosquitto_passwd";

/// How long start-up may take before the test fails (it is ready in well under
/// 0.2 s on a 2-core machine).
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a SIGTERM'd broker may take to save its persistence file and exit.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// Start attempts; another process can take one of our free ports between
/// probing and mosquitto binding it.
const START_ATTEMPTS: usize = 3;

/// The result of [`Mosquitto::start`].
#[derive(Debug)]
#[must_use]
#[allow(
    clippy::large_enum_variant,
    reason = "made once per test and unwrapped at once"
)]
pub enum MosquittoStart {
    /// The broker runs and every listener accepts connections.
    Running(Mosquitto),
    /// The mosquitto binary is not installed; the test should skip (see
    /// [`skip_or_fail`](crate::skip_or_fail)).
    Skip {
        /// Why, for the SKIPPED line.
        reason: String,
    },
}

/// The loopback ports of one test broker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MosquittoPorts {
    /// Plain MQTT.
    pub mqtt: u16,
    /// MQTT over TLS, no client certificate needed.
    pub mqtts: u16,
    /// MQTT over TLS with `require_certificate true` (mutual TLS).
    pub mqtts_mutual: u16,
    /// MQTT over WebSocket.
    pub ws: u16,
    /// MQTT over secure WebSocket.
    pub wss: u16,
}

/// What a test broker needs beyond the defaults: access control and extra
/// configuration (a bridge, say). The default is anonymous access and nothing extra.
#[derive(Debug, Clone)]
pub struct MosquittoOptions {
    /// `allow_anonymous`: whether clients without a username may connect.
    pub allow_anonymous: bool,
    /// A `password_file` made with `mosquitto_passwd` (absolute path).
    pub password_file: Option<PathBuf>,
    /// An `acl_file` (absolute path); patterns may use `%c` (client id) and `%u`.
    pub acl_file: Option<PathBuf>,
    /// Lines appended verbatim at the end of the configuration, after every
    /// listener (Mosquitto reads a `connection` bridge section to the end).
    pub extra_config: String,
}

impl Default for MosquittoOptions {
    fn default() -> Self {
        Self {
            allow_anonymous: true,
            password_file: None,
            acl_file: None,
            extra_config: String::new(),
        }
    }
}

/// Debian's `mosquitto` run as a child process with a generated configuration
/// in a temporary directory: plain, TLS, mutual-TLS, WebSocket and secure
/// WebSocket listeners on free loopback ports, certificates from a fresh
/// [`TestPki`], `set_tcp_nodelay true` (a global option in Mosquitto 2.0, so it
/// covers every listener), persistence on, anonymous clients allowed.
///
/// [`stop`](Self::stop) sends SIGTERM so that sessions and queued messages are
/// saved; [`restart`](Self::restart) brings it back on the same ports with the
/// same persistence file. Dropping it kills the process.
///
/// The configuration says `user root`: started as root, Mosquitto would
/// otherwise drop to user `mosquitto`, which cannot read the 0700 temporary
/// directory with the keys and the persistence file. (Started as another user,
/// the option has no effect.)
#[derive(Debug)]
pub struct Mosquitto {
    binary: PathBuf,
    dir: TempDir,
    pki: TestPki,
    ports: MosquittoPorts,
    options: MosquittoOptions,
    child: Option<Child>,
}

impl Mosquitto {
    /// Starts a broker and waits until every listener accepts connections.
    ///
    /// Returns [`MosquittoStart::Skip`] when the binary is not installed, and an
    /// error when it is installed but does not come up. It blocks the calling
    /// thread while waiting (well under a second), which is fine in a test, also
    /// an async one: the broker is another process.
    pub fn start() -> Result<MosquittoStart, Error> {
        Self::start_with(MosquittoOptions::default())
    }

    /// Like [`start`](Self::start), with access control or extra configuration.
    pub fn start_with(options: MosquittoOptions) -> Result<MosquittoStart, Error> {
        let Some(binary) = find_binary() else {
            return Ok(MosquittoStart::Skip {
                reason: format!("no mosquitto on PATH nor at {DEBIAN_BINARY}"),
            });
        };
        let dir = tempfile::Builder::new()
            .prefix("onem2m-mosquitto-")
            .tempdir()
            .map_err(Error::io("cannot create a temporary directory"))?;
        let data = dir.path().join("data");
        std::fs::create_dir(&data).map_err(Error::io("cannot create the persistence directory"))?;
        let pki = TestPki::generate(dir.path())?;
        let mut broker = Mosquitto {
            binary,
            dir,
            pki,
            ports: free_ports()?,
            options,
            child: None,
        };
        let mut attempt = 1;
        loop {
            broker.write_config()?;
            match broker.spawn_and_wait() {
                Ok(()) => return Ok(MosquittoStart::Running(broker)),
                Err(e) if attempt == START_ATTEMPTS => return Err(e),
                Err(_) => {
                    attempt += 1;
                    broker.ports = free_ports()?;
                }
            }
        }
    }

    /// Stops the broker with SIGTERM and waits until it has exited (it saves
    /// its persistence file on the way out).
    pub fn stop(&mut self) -> Result<(), Error> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if crate::child_stop::stop_child(&mut child, rustix::process::Signal::TERM, STOP_TIMEOUT)? {
            Ok(())
        } else {
            Err(Error::MosquittoDidNotStop {
                after: STOP_TIMEOUT,
                log: self.log(),
            })
        }
    }

    /// Stops the broker (SIGTERM) if it runs and starts it again on the same
    /// ports with the same configuration and persistence directory.
    pub fn restart(&mut self) -> Result<(), Error> {
        self.stop()?;
        self.spawn_and_wait()
    }

    /// Kills the broker with SIGKILL, without saving persistence: a crash.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Whether the broker process is running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// The listener ports.
    pub fn ports(&self) -> MosquittoPorts {
        self.ports
    }

    /// `mqtt://127.0.0.1:PORT`.
    pub fn mqtt_url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.ports.mqtt)
    }

    /// `mqtts://localhost:PORT` (the server certificate names `localhost`).
    pub fn mqtts_url(&self) -> String {
        format!("mqtts://localhost:{}", self.ports.mqtts)
    }

    /// `mqtts://localhost:PORT` of the listener that requires a client
    /// certificate signed by [`pki`](Self::pki)'s CA.
    pub fn mqtts_mutual_url(&self) -> String {
        format!("mqtts://localhost:{}", self.ports.mqtts_mutual)
    }

    /// `ws://127.0.0.1:PORT/mqtt`.
    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/mqtt", self.ports.ws)
    }

    /// `wss://localhost:PORT/mqtt`.
    pub fn wss_url(&self) -> String {
        format!("wss://localhost:{}/mqtt", self.ports.wss)
    }

    /// The test CA and the server and client certificates.
    pub fn pki(&self) -> &TestPki {
        &self.pki
    }

    /// The persistence directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Everything mosquitto has logged so far (for assertion messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn config_path(&self) -> PathBuf {
        self.dir.path().join("mosquitto.conf")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("mosquitto.log")
    }

    fn write_config(&self) -> Result<(), Error> {
        let data = self.data_dir();
        let p = &self.pki;
        let ports = &self.ports;
        let mut conf = String::new();
        let _ = write!(
            conf,
            "# Generated by onem2m-test-support.\n\
             user root\n\
             per_listener_settings false\n\
             allow_anonymous {anonymous}\n\
             set_tcp_nodelay true\n\
             persistence true\n\
             persistence_location {data}/\n\
             log_dest stderr\n\
             log_type error\nlog_type warning\nlog_type notice\nlog_type information\n\
             \n\
             listener {mqtt} 127.0.0.1\n\
             \n\
             listener {mqtts} 127.0.0.1\n{tls}\
             \n\
             listener {mutual} 127.0.0.1\n{tls}require_certificate true\n\
             \n\
             listener {ws} 127.0.0.1\nprotocol websockets\n\
             \n\
             listener {wss} 127.0.0.1\nprotocol websockets\n{tls}",
            anonymous = self.options.allow_anonymous,
            data = data.display(),
            mqtt = ports.mqtt,
            mqtts = ports.mqtts,
            mutual = ports.mqtts_mutual,
            ws = ports.ws,
            wss = ports.wss,
            tls = format_args!(
                "cafile {}\ncertfile {}\nkeyfile {}\n",
                p.ca_cert.display(),
                p.server_cert.display(),
                p.server_key.display()
            ),
        );
        if let Some(file) = &self.options.password_file {
            let _ = writeln!(conf, "\npassword_file {}", file.display());
        }
        if let Some(file) = &self.options.acl_file {
            let _ = writeln!(conf, "\nacl_file {}", file.display());
        }
        if !self.options.extra_config.is_empty() {
            let _ = writeln!(conf, "\n{}", self.options.extra_config);
        }
        std::fs::write(self.config_path(), conf).map_err(Error::io("cannot write mosquitto.conf"))
    }

    fn spawn_and_wait(&mut self) -> Result<(), Error> {
        let log = File::options()
            .create(true)
            .append(true)
            .open(self.log_path())
            .map_err(Error::io("cannot open mosquitto.log"))?;
        let log_err = log
            .try_clone()
            .map_err(Error::io("cannot open mosquitto.log"))?;
        let child = Command::new(&self.binary)
            .arg("-c")
            .arg(self.config_path())
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(Error::io(format!("cannot run {}", self.binary.display())))?;
        self.child = Some(child);
        self.wait_ready()
    }

    fn wait_ready(&mut self) -> Result<(), Error> {
        let p = self.ports;
        let deadline = Instant::now() + READY_TIMEOUT;
        let mut pending = vec![p.mqtt, p.mqtts, p.mqtts_mutual, p.ws, p.wss];
        while !pending.is_empty() {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.child = None;
                return Err(Error::MosquittoExited {
                    status: status.to_string(),
                    log: self.log(),
                });
            }
            if Instant::now() >= deadline {
                self.kill();
                return Err(Error::MosquittoNotReady {
                    after: READY_TIMEOUT,
                    log: self.log(),
                });
            }
            pending.retain(|port| !accepts(*port));
            if !pending.is_empty() {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        // A port taken by another process also accepts; mosquitto then exits.
        match self.child.as_mut().map(Child::try_wait) {
            Some(Ok(None)) => Ok(()),
            _ => {
                self.kill();
                Err(Error::MosquittoExited {
                    status: "exited right after start-up".into(),
                    log: self.log(),
                })
            }
        }
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Writes a Mosquitto `password_file` at `path` holding `users` (name, password),
/// hashed by `mosquitto_passwd -b` as the broker expects; an existing file is replaced.
/// For [`MosquittoOptions::password_file`].
pub fn write_password_file(path: &Path, users: &[(&str, &str)]) -> Result<(), Error> {
    let tool = find_executable("mosquitto_passwd", DEBIAN_PASSWD_TOOL).ok_or_else(|| {
        Error::io("cannot find mosquitto_passwd")(std::io::ErrorKind::NotFound.into())
    })?;
    std::fs::write(path, "").map_err(Error::io(format!("cannot create {}", path.display())))?;
    for (user, password) in users {
        let output = Command::new(&tool)
            .arg("-b")
            .arg(path)
            .args([user, password])
            .stdin(Stdio::null())
            .output()
            .map_err(Error::io(format!("cannot run {}", tool.display())))?;
        if !output.status.success() {
            let why = String::from_utf8_lossy(&output.stderr).into_owned();
            return Err(
                Error::io(format!("mosquitto_passwd refused user {user:?}"))(
                    std::io::Error::other(why),
                ),
            );
        }
    }
    Ok(())
}

fn accepts(port: u16) -> bool {
    TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(200),
    )
    .is_ok()
}

/// Five distinct free loopback ports: all are bound at once, then released for
/// mosquitto to take.
fn free_ports() -> Result<MosquittoPorts, Error> {
    match free_listen_ports(5)?.as_slice() {
        &[mqtt, mqtts, mqtts_mutual, ws, wss] => Ok(MosquittoPorts {
            mqtt,
            mqtts,
            mqtts_mutual,
            ws,
            wss,
        }),
        _ => Err(Error::io("cannot find five free loopback ports")(
            std::io::Error::from(std::io::ErrorKind::AddrInUse),
        )),
    }
}

fn find_binary() -> Option<PathBuf> {
    find_executable("mosquitto", DEBIAN_BINARY)
}

/// `name` on PATH, else at `debian_path`.
fn find_executable(name: &str, debian_path: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain([PathBuf::from(debian_path)])
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
