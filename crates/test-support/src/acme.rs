//! A private ACME oneM2M CSE per test run, on a given broker's plain MQTT listener.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use crate::Error;
use crate::raw_mqtt::{RawMqttClient, publish};

/// The environment variable naming the Python interpreter that has `acmecse`
/// installed; without it, `<workspace>/target/acme-venv/bin/python` (where
/// `.ci/run` makes it).
pub const ACME_PYTHON_ENV: &str = "ONEM2M_ACME_PYTHON";

/// The environment variable that turns a missing ACME from a skip into a test
/// failure; CI sets it to `1`.
pub const REQUIRE_ACME_ENV: &str = "ONEM2M_REQUIRE_ACME";

/// The `acmecse` release the tests are written against (`.ci/run` installs it).
pub const ACME_VERSION: &str = "2026.5.3";

/// How long start-up may take: about 1 s on an idle machine, many times that
/// while other test binaries compile on the same two cores.
const READY_TIMEOUT: Duration = Duration::from_secs(90);

/// How long a SIGINT'd ACME may take to shut down (about 2 s).
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// How long one readiness probe waits for its answer before it asks again (ACME
/// drops requests published before it has subscribed).
const PROBE_INTERVAL: Duration = Duration::from_millis(300);

/// The identity of every harness ACME: CSE-ID, CSEBase name, admin originator,
/// service provider.
pub mod identity {
    /// The CSE-ID.
    pub const CSE_ID: &str = "/id-in";
    /// The CSEBase resource name.
    pub const CSE_NAME: &str = "cse-in";
    /// The admin originator, allowed everything.
    pub const ADMIN: &str = "CAdmin";
    /// The service provider ID.
    pub const SP_ID: &str = "//acme.example.com";
}

/// The result of [`Acme::start`].
#[derive(Debug)]
#[must_use]
pub enum AcmeStart {
    /// ACME runs and answers over MQTT.
    Running(Acme),
    /// No Python with `acmecse` was found; the test should skip (see
    /// [`skip_or_fail_for`](crate::skip_or_fail_for) and [`REQUIRE_ACME_ENV`]).
    Skip {
        /// Why, for the SKIPPED line.
        reason: String,
    },
}

/// The ACME oneM2M CSE (the Python package `acmecse`) run as a child process,
/// connected to a broker's plain MQTT listener on 127.0.0.1, with a generated
/// `acme.ini` in a temporary directory: CSE `/id-in` named `cse-in`, admin
/// `CAdmin`, in-memory database, HTTP on a free loopback port, no UI, headless.
///
/// ACME connects with Clean Session off under the client id `C::id-in`, so
/// give it a broker with a fresh persistence directory (a fresh
/// [`Mosquitto`](crate::Mosquitto) has one).
///
/// [`stop`](Self::stop) (also on drop) sends SIGINT, ACME's own way out, and
/// waits; ACME is killed if it does not exit in time.
#[derive(Debug)]
pub struct Acme {
    dir: TempDir,
    /// The broker of ACME's MQTT binding; `None` when it runs with HTTP only.
    broker_port: Option<u16>,
    http_port: u16,
    version: String,
    child: Option<Child>,
}

impl Acme {
    /// Starts ACME on the broker listening for plain MQTT on
    /// `127.0.0.1:broker_port` and waits until it answers a RETRIEVE of its
    /// CSEBase over MQTT.
    ///
    /// Returns [`AcmeStart::Skip`] when no Python with `acmecse` is found (see
    /// [`ACME_PYTHON_ENV`]), and an error when ACME is installed but does not
    /// come up. It blocks the calling thread while waiting (a second or a few),
    /// which is fine in a test, also an async one: ACME is another process.
    pub fn start(broker_port: u16) -> Result<AcmeStart, Error> {
        Self::start_on(Some(broker_port))
    }

    /// Starts ACME with its MQTT binding off, reachable over HTTP only (as a CSE
    /// behind a gateway is), and waits until it answers a RETRIEVE of its CSEBase
    /// over HTTP. Skips and fails as [`start`](Self::start) does.
    pub fn start_http_only() -> Result<AcmeStart, Error> {
        Self::start_on(None)
    }

    fn start_on(broker_port: Option<u16>) -> Result<AcmeStart, Error> {
        let python = match find_python() {
            Ok(python) => python,
            Err(reason) => return Ok(AcmeStart::Skip { reason }),
        };
        let version = match installed_version(&python) {
            Ok(version) => version,
            Err(reason) => return Ok(AcmeStart::Skip { reason }),
        };
        let dir = tempfile::Builder::new()
            .prefix("onem2m-acme-")
            .tempdir()
            .map_err(Error::io("cannot create a temporary directory"))?;
        let mut acme = Acme {
            dir,
            broker_port,
            http_port: free_port()?,
            version,
            child: None,
        };
        acme.write_config()?;
        acme.spawn(&python)?;
        acme.wait_ready()?;
        Ok(AcmeStart::Running(acme))
    }

    /// Stops ACME with SIGINT and waits until it has exited.
    pub fn stop(&mut self) -> Result<(), Error> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if crate::child_stop::stop_child(&mut child, rustix::process::Signal::INT, STOP_TIMEOUT)? {
            Ok(())
        } else {
            Err(Error::AcmeDidNotStop {
                after: STOP_TIMEOUT,
                log: self.log(),
            })
        }
    }

    /// Whether the ACME process is running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// The `acmecse` version that runs (`2026.5.3`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The broker port ACME is connected to (plain MQTT); `None` for an ACME
    /// started with [`start_http_only`](Self::start_http_only).
    pub fn broker_port(&self) -> Option<u16> {
        self.broker_port
    }

    /// ACME's HTTP port on 127.0.0.1 (it cannot run without its HTTP binding).
    pub fn http_port(&self) -> u16 {
        self.http_port
    }

    /// ACME's HTTP base URL: `http://127.0.0.1:<port>`.
    pub fn http_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.http_port)
    }

    /// The pointOfAccess of an AE on ACME's broker: `mqtt://127.0.0.1:<port>`,
    /// which ACME publishes notifications through; `None` for an HTTP-only ACME.
    pub fn mqtt_poa(&self) -> Option<String> {
        self.broker_port
            .map(|port| format!("mqtt://127.0.0.1:{port}"))
    }

    /// Everything ACME has logged so far (its log files, then what it printed),
    /// for assertion messages.
    pub fn log(&self) -> String {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.logs_dir())
            .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        files.push(self.log_path());
        files
            .iter()
            .filter_map(|file| std::fs::read_to_string(file).ok())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The last `lines` lines of [`log`](Self::log).
    pub fn log_tail(&self, lines: usize) -> String {
        let log = self.log();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Waits up to `wait` until ACME's log contains `needle` (it writes its log
    /// from a queue, a little after the fact).
    pub fn wait_for_log(&self, needle: &str, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        loop {
            if self.log().contains(needle) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What ACME prints to stdout and stderr (little: it logs to files).
    fn log_path(&self) -> PathBuf {
        self.dir.path().join("acme.log")
    }

    fn logs_dir(&self) -> PathBuf {
        self.dir.path().join("logs")
    }

    fn write_config(&self) -> Result<(), Error> {
        std::fs::write(
            self.dir.path().join("acme.ini"),
            config(self.broker_port, self.http_port, &self.logs_dir()),
        )
        .map_err(Error::io("cannot write acme.ini"))
    }

    fn spawn(&mut self, python: &Path) -> Result<(), Error> {
        let log = File::create(self.log_path()).map_err(Error::io("cannot create acme.log"))?;
        let log_err = log.try_clone().map_err(Error::io("cannot open acme.log"))?;
        let child = with_default_sigint(python)
            .args(["-m", "acmecse", "--base-directory"])
            .arg(self.dir.path())
            .args(["--config", "acme.ini", "--headless"])
            .current_dir(self.dir.path())
            // Wide lines in the log, no colours.
            .env("COLUMNS", "300")
            .env("TERM", "dumb")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(Error::io(format!(
                "cannot run env --default-signal=INT {}",
                python.display()
            )))?;
        self.child = Some(child);
        Ok(())
    }

    fn wait_ready(&mut self) -> Result<(), Error> {
        let cancel = Arc::new(AtomicBool::new(false));
        let probe = {
            let cancel = Arc::clone(&cancel);
            let target = match self.broker_port {
                Some(port) => ProbeTarget::Mqtt(port),
                None => ProbeTarget::Http(self.http_port),
            };
            std::thread::spawn(move || probe_until_answered(target, &cancel))
        };
        let deadline = Instant::now() + READY_TIMEOUT;
        let mut exited = None;
        while !probe.is_finished() && Instant::now() < deadline {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.child = None;
                exited = Some(status.to_string());
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        cancel.store(true, Ordering::SeqCst);
        let probed = probe
            .join()
            .unwrap_or_else(|_| Err("the readiness probe panicked".into()));
        if let Some(status) = exited {
            return Err(Error::AcmeExited {
                status,
                log: self.log(),
            });
        }
        match probed {
            Ok(()) => Ok(()),
            Err(last_problem) => {
                let _ = self.stop();
                Err(Error::AcmeNotReady {
                    after: READY_TIMEOUT,
                    last_problem,
                    log: self.log(),
                })
            }
        }
    }
}

impl Drop for Acme {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// A command that runs `program` with SIGINT at its default disposition.
///
/// A process started from a non-interactive shell in the background has SIGINT
/// ignored, an ignored signal stays ignored across exec, and Python then installs
/// no KeyboardInterrupt handler: ACME would not stop on SIGINT. std resets only
/// SIGPIPE in a child, and resetting SIGINT ourselves between fork and exec needs
/// unsafe code (which the workspace forbids), so GNU env does it.
fn with_default_sigint(program: &Path) -> Command {
    let mut command = Command::new("env");
    command.arg("--default-signal=INT").arg(program);
    command
}

/// The `acme.ini` of a harness ACME: the keys the harness relies on, everything
/// else ACME's defaults.
fn config(broker_port: Option<u16>, http_port: u16, logs: &Path) -> String {
    use identity::{ADMIN, CSE_ID, CSE_NAME, SP_ID};
    let cse_id = CSE_ID.trim_start_matches('/');
    // ACME reads the broker settings only when MQTT is on.
    let (mqtt_enabled, broker_port) = match broker_port {
        Some(port) => (true, port),
        None => (false, 1883),
    };
    format!(
        "; Generated by onem2m-test-support.\n\
         [basic.config]\n\
         cseType=IN\n\
         serviceProviderID={SP_ID}\n\
         cseID={cse_id}\n\
         cseName={CSE_NAME}\n\
         adminID={ADMIN}\n\
         networkInterface=127.0.0.1\n\
         cseHost=127.0.0.1\n\
         httpPort={http_port}\n\
         logLevel=info\n\
         databaseType=memory\n\
         \n\
         [mqtt]\n\
         enable={mqtt_enabled}\n\
         address=127.0.0.1\n\
         port={broker_port}\n\
         keepalive=60\n\
         listenIF=127.0.0.1\n\
         topicPrefix=\n\
         \n\
         [mqtt.security]\n\
         useTLS=false\n\
         verifyCertificate=false\n\
         caCertificateFile=\n\
         allowedCredentialIDs=\n\
         \n\
         [mqtt.websocket]\n\
         enable=false\n\
         \n\
         [textui]\n\
         enable=false\n\
         \n\
         [webui]\n\
         enable=false\n\
         \n\
         [console]\n\
         headless=true\n\
         confirmQuit=false\n\
         \n\
         [logging]\n\
         enableFileLogging=true\n\
         enableScreenLogging=false\n\
         path={logs}\n\
         size=50000000\n",
        logs = logs.display()
    )
}

/// The interpreter from [`ACME_PYTHON_ENV`], else the workspace's venv.
fn find_python() -> Result<PathBuf, String> {
    let python = match std::env::var_os(ACME_PYTHON_ENV) {
        Some(python) => PathBuf::from(python),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/acme-venv/bin/python"),
    };
    if python.exists() {
        Ok(python)
    } else {
        Err(format!(
            "no Python at {} (set {ACME_PYTHON_ENV}, or run .ci/run to make the venv)",
            python.display()
        ))
    }
}

/// The `acmecse` version `python` has installed, or why it has none.
fn installed_version(python: &Path) -> Result<String, String> {
    let output = Command::new(python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('acmecse'))",
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} has no acmecse installed ({})",
            python.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn free_port() -> Result<u16, Error> {
    crate::listen_port::free_listen_ports(1)?
        .pop()
        .ok_or_else(|| {
            Error::io("cannot find a free loopback port")(std::io::ErrorKind::AddrInUse.into())
        })
}

/// Where the readiness probe asks ACME.
#[derive(Debug, Clone, Copy)]
enum ProbeTarget {
    /// Over MQTT, through the broker on this port.
    Mqtt(u16),
    /// Over HTTP, on ACME's own port.
    Http(u16),
}

/// Asks ACME for its CSEBase, as its admin, until a 2000 arrives or `cancel` is
/// set; on a thread of its own with a runtime of its own, so that [`Acme::start`]
/// can block any caller, async or not.
fn probe_until_answered(target: ProbeTarget, cancel: &AtomicBool) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the probe's runtime: {e}"))?;
    runtime.block_on(async {
        let mut last_problem = String::from("no probe ran");
        while !cancel.load(Ordering::SeqCst) {
            let probed = match target {
                ProbeTarget::Mqtt(port) => probe_once(port, cancel).await,
                ProbeTarget::Http(port) => probe_http_once(port).await,
            };
            match probed {
                Ok(()) => return Ok(()),
                Err(problem) => last_problem = problem,
            }
            tokio::time::sleep(PROBE_INTERVAL).await;
        }
        Err(last_problem)
    })
}

/// One RETRIEVE of the CSEBase over HTTP/1.1, on a connection of its own.
async fn probe_http_once(port: u16) -> Result<(), String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|e| format!("cannot connect to ACME's HTTP port: {e}"))?;
    let request = format!(
        "GET /{cse} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-M2M-Origin: {admin}\r\n\
         X-M2M-RI: probe\r\nX-M2M-RVI: 3\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
        cse = identity::CSE_NAME,
        admin = identity::ADMIN,
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("cannot send the probe: {e}"))?;
    let mut answer = Vec::new();
    tokio::time::timeout(PROBE_INTERVAL * 10, stream.read_to_end(&mut answer))
        .await
        .map_err(|_| "no HTTP answer in time".to_owned())?
        .map_err(|e| format!("cannot read the HTTP answer: {e}"))?;
    let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    if answer.contains("x-m2m-rsc: 2000") {
        Ok(())
    } else {
        Err(format!(
            "HTTP answer without X-M2M-RSC 2000: {}",
            answer.lines().next().unwrap_or("")
        ))
    }
}

/// One probe connection pair: a subscriber on the admin's response topic and a
/// publisher that repeats a RETRIEVE of the CSEBase (QoS 0, as ACME publishes).
async fn probe_once(port: u16, cancel: &AtomicBool) -> Result<(), String> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let tag = format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let cse = identity::CSE_ID.trim_start_matches('/');
    let admin = identity::ADMIN;
    let connect = |role: &'static str| {
        let id = format!("acme-probe-{role}-{tag}");
        async move {
            let stream = TcpStream::connect(("127.0.0.1", port))
                .await
                .map_err(|e| format!("cannot connect to the broker: {e}"))?;
            let _ = stream.set_nodelay(true);
            let mut client = RawMqttClient::new(stream);
            client
                .connect(&id)
                .await
                .map_err(|e| format!("CONNECT: {e}"))?;
            Ok::<_, String>(client)
        }
    };
    let mut subscriber = connect("sub").await?;
    subscriber
        .subscribe(1, &format!("/oneM2M/resp/{admin}/{cse}/json"), 0)
        .await
        .map_err(|e| format!("SUBSCRIBE: {e}"))?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let reader = tokio::spawn(async move {
        loop {
            match subscriber.expect_publish().await {
                Ok(p) => {
                    if tx.send(p.payload).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => return,
            }
        }
    });
    let mut publisher = connect("pub").await?;
    let mut attempt = 0u32;
    let result = loop {
        if cancel.load(Ordering::SeqCst) {
            break Err("cancelled".to_owned());
        }
        attempt += 1;
        let rqi = format!("acme-ready-{tag}-{attempt}");
        let request = format!(
            r#"{{"op":2,"to":"{}","fr":"{admin}","rqi":"{rqi}","rvi":"3"}}"#,
            identity::CSE_NAME
        );
        if let Err(e) = publisher
            .send(&publish(
                &format!("/oneM2M/req/{admin}/{cse}/json"),
                request.as_bytes(),
                0,
                0,
            ))
            .await
        {
            break Err(format!("PUBLISH: {e}"));
        }
        let until = tokio::time::Instant::now() + PROBE_INTERVAL;
        let answered = loop {
            match tokio::time::timeout_at(until, rx.recv()).await {
                Ok(Some(payload)) => {
                    let text = String::from_utf8_lossy(&payload);
                    if text.contains(&rqi) && is_ok_response(&text) {
                        break true;
                    }
                }
                Ok(None) => break false,
                Err(_) => break false,
            }
        };
        if answered {
            break Ok(());
        }
        if reader.is_finished() {
            break Err("the probe's subscriber lost its connection".into());
        }
    };
    reader.abort();
    let _ = publisher.disconnect().await;
    result
}

/// Whether ACME's JSON response says 2000 (it writes `"rsc": 2000`).
fn is_ok_response(text: &str) -> bool {
    text.contains(r#""rsc": 2000"#) || text.contains(r#""rsc":2000"#)
}

/// Starts an [`Acme`] on the broker's plain MQTT port, or skips the calling
/// test when ACME is not installed: a loud `SKIPPED (ACME not installed)` line,
/// or a failure when [`REQUIRE_ACME_ENV`] is `1` (see
/// [`skip_or_fail_for`](crate::skip_or_fail_for)). ACME installed but not
/// starting fails the test.
///
/// Use it in a test returning `()`:
///
/// ```no_run
/// # async fn t() {
/// let broker = onem2m_test_support::require_mosquitto!();
/// let acme = onem2m_test_support::require_acme!(broker.ports().mqtt);
/// println!("{:?}", acme.mqtt_poa());
/// # }
/// ```
#[macro_export]
macro_rules! require_acme {
    ($broker_port:expr) => {
        match $crate::Acme::start($broker_port) {
            Ok($crate::AcmeStart::Running(acme)) => acme,
            Ok($crate::AcmeStart::Skip { reason }) => {
                $crate::skip_or_fail_for($crate::REQUIRE_ACME_ENV, "ACME not installed", &reason);
                return;
            }
            Err(e) => panic!("ACME is installed but did not start: {e}"),
        }
    };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn config_puts_acme_on_the_given_broker_with_nothing_interactive() {
        let ini = config(Some(18830), 18080, Path::new("/tmp/x/logs"));
        for line in [
            "cseID=id-in",
            "cseName=cse-in",
            "adminID=CAdmin",
            "httpPort=18080",
            "databaseType=memory",
            "port=18830",
            "topicPrefix=",
            "headless=true",
            "confirmQuit=false",
            "enableFileLogging=true",
            "path=/tmp/x/logs",
        ] {
            assert!(ini.lines().any(|l| l == line), "{line} missing:\n{ini}");
        }
        for section in ["[textui]", "[webui]", "[mqtt.websocket]"] {
            let after = ini.split(section).nth(1).unwrap();
            assert_eq!(after.lines().nth(1), Some("enable=false"), "{section}");
        }
        let mqtt = ini.split("[mqtt]").nth(1).unwrap();
        assert_eq!(mqtt.lines().nth(1), Some("enable=true"));
    }

    #[test]
    fn config_of_an_http_only_acme_turns_its_mqtt_binding_off() {
        let ini = config(None, 18080, Path::new("/tmp/x/logs"));
        let mqtt = ini.split("[mqtt]").nth(1).unwrap();
        assert_eq!(mqtt.lines().nth(1), Some("enable=false"));
        assert!(ini.lines().any(|l| l == "httpPort=18080"), "{ini}");
    }

    /// Whether SIGINT is ignored in a process that `sh` starts with SIGINT
    /// ignored, through `wrap` (SigIgn in /proc/self/status, bit 1 = signal 2).
    fn sigint_ignored_in_child(wrap: &str) -> bool {
        let output = Command::new("sh")
            .args([
                "-c",
                &format!("trap '' INT; exec {wrap} grep SigIgn /proc/self/status"),
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let mask = u64::from_str_radix(text.trim().trim_start_matches("SigIgn:").trim(), 16)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        mask & 0b10 != 0
    }

    #[test]
    fn an_ignored_sigint_is_inherited_unless_env_resets_it() {
        assert!(sigint_ignored_in_child(""), "the experiment's premise");
        let program = with_default_sigint(Path::new("true"));
        let args: Vec<_> = std::iter::once(program.get_program())
            .chain(program.get_args())
            .map(|a| a.to_str().unwrap())
            .collect();
        // `env --default-signal=INT true` without its last word, then grep.
        let wrap = args[..args.len() - 1].join(" ");
        assert!(!sigint_ignored_in_child(&wrap), "{wrap}");
    }

    #[test]
    fn a_2000_is_recognized_with_and_without_a_space() {
        assert!(is_ok_response(r#"{"rsc": 2000, "rqi": "x"}"#));
        assert!(is_ok_response(r#"{"rsc":2000}"#));
        assert!(!is_ok_response(r#"{"rsc": 4103}"#));
    }
}
