//! `m2m gateway` processes that serve one CSE-ID together as members of a `$share`
//! group, each with its own client id, started, killed (SIGKILL) and started again
//! with the same arguments. Each member logs to a file of its own, appended across
//! its lives, with the binding's `request received` lines on, so that what each
//! member served can be counted.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What the gateway prints on stdout once it serves (connected and subscribed).
const READY: &str = "gateway for ";
/// What the binding logs (at debug) for each request it hands to the gateway.
const SERVED: &str = "request received";
/// How long a member may take to come up on a loaded 2-core machine.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// How a member keeps its MQTT session while it is away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    /// Clean Session off (the default of `m2m gateway`): the broker keeps the
    /// member's subscription and its unacknowledged and queued requests until it
    /// comes back under the same client id.
    Persistent,
    /// `--clean-session`: the broker forgets the member when it disconnects.
    Clean,
}

impl Session {
    /// For output.
    pub fn name(self) -> &'static str {
        match self {
            Session::Persistent => "persistent sessions",
            Session::Clean => "clean sessions",
        }
    }
}

/// One `m2m gateway` process, member of the group `group`.
#[derive(Debug)]
pub struct Member {
    m2m: PathBuf,
    args: Vec<String>,
    log: PathBuf,
    client_id: String,
    log_filter: &'static str,
    child: Option<Child>,
    lives: usize,
}

/// Where the members connect and what they forward to.
#[derive(Debug, Clone)]
pub struct MemberSettings {
    /// The broker's URL.
    pub mqtt: String,
    /// The CSE's HTTP base URL.
    pub http: String,
    /// The `$share` group.
    pub group: String,
    /// Clean Session or not.
    pub session: Session,
    /// Whether the members log each request they take (for
    /// [`Member::requests_served`]; a benchmark leaves it off).
    pub log_requests: bool,
}

impl Member {
    /// Starts `m2m` (the binary at `m2m`) as member `client_id` and waits until it
    /// serves; it logs to `<dir>/<client_id>.log`.
    pub async fn start(m2m: &Path, settings: &MemberSettings, client_id: &str, dir: &Path) -> Self {
        let mut args: Vec<String> = [
            "--scheme",
            "ts0010-stem",
            "--serialization",
            "json",
            "--cse-id",
            "/id-in",
            "gateway",
            "--mqtt",
            &settings.mqtt,
            "--http",
            &settings.http,
            "--share-group",
            &settings.group,
            "--client-id",
            client_id,
        ]
        .map(str::to_owned)
        .into();
        if settings.session == Session::Clean {
            args.push("--clean-session".into());
        }
        let mut member = Self {
            m2m: m2m.to_owned(),
            args,
            log: dir.join(format!("{client_id}.log")),
            client_id: client_id.to_owned(),
            log_filter: if settings.log_requests {
                "warn,onem2m_binding::dispatch=debug"
            } else {
                "warn"
            },
            child: None,
            lives: 0,
        };
        member.spawn();
        member.wait_ready().await;
        member
    }

    /// The member's client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Kills the process with SIGKILL (a crash: nothing is closed cleanly, the
    /// broker sees the connection drop) and reaps it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the process again with the same arguments (the same client id) and
    /// waits until it serves.
    pub async fn restart(&mut self) {
        self.kill();
        self.spawn();
        self.wait_ready().await;
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// How many requests the member handed to the CSE over all its lives, retries
    /// and redeliveries included (the `request received` lines of its log).
    pub fn requests_served(&self) -> usize {
        self.log_text().matches(SERVED).count()
    }

    /// How many times it has come up.
    pub fn lives(&self) -> usize {
        self.lives
    }

    /// The last `lines` lines of its log, for assertion messages.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = self.log_text();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn spawn(&mut self) {
        let out = std::fs::File::options()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let err = out.try_clone().unwrap();
        let child = Command::new(&self.m2m)
            .args(&self.args)
            .env("RUST_LOG", self.log_filter)
            .env_remove("M2M_URL")
            .env_remove("M2M_CONFIG")
            .env_remove("M2M_SCHEME")
            .env_remove("M2M_SERIALIZATION")
            .env_remove("M2M_CSE_ID")
            .env_remove("M2M_TIMEOUT")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.m2m.display()));
        self.child = Some(child);
        self.lives += 1;
    }

    /// Waits for the ready line of the current life (one per life in the log).
    async fn wait_ready(&mut self) {
        let started = Instant::now();
        while self.log_text().matches(READY).count() < self.lives {
            assert!(
                self.is_running(),
                "gateway {} exited:\n{}",
                self.client_id,
                self.log_tail(30)
            );
            assert!(
                started.elapsed() < READY_TIMEOUT,
                "gateway {} not ready after {READY_TIMEOUT:?}:\n{}",
                self.client_id,
                self.log_tail(30)
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        self.kill();
    }
}
