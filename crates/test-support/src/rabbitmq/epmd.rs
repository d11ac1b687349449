//! The Erlang port mapper the nodes of one cluster (or one single node) register with.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Error;
use crate::child_stop::stop_child;

use super::{listening, start_in_own_group};

/// Where Debian's `erlang-base` puts it; elsewhere it is looked up on `PATH`.
const DEBIAN_EPMD: &str = "/usr/bin/epmd";

/// How long epmd may take to listen.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// An `epmd` of our own on `127.0.0.1:<port>`, run in the foreground as our child.
///
/// The nodes would start one themselves (`epmd -daemon`) on the default port 4369,
/// shared by every test binary on the machine and left running after them; ours
/// has a port of its own, so parallel clusters never see each other's node names,
/// and it ends with the harness.
#[derive(Debug)]
pub(super) struct Epmd {
    binary: PathBuf,
    port: u16,
    child: Option<Child>,
}

impl Epmd {
    /// Starts epmd on `port` and waits until it listens.
    pub(super) fn start(port: u16) -> Result<Self, Error> {
        let binary = if Path::new(DEBIAN_EPMD).exists() {
            PathBuf::from(DEBIAN_EPMD)
        } else {
            PathBuf::from("epmd")
        };
        let mut command = Command::new(&binary);
        command
            .args(["-address", "127.0.0.1", "-port"])
            .arg(port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = start_in_own_group(&mut command)
            .map_err(Error::io(format!("cannot run {}", binary.display())))?;
        let mut epmd = Self {
            binary,
            port,
            child: Some(child),
        };
        let deadline = Instant::now() + READY_TIMEOUT;
        while !listening(port) {
            let exited = epmd
                .child
                .as_mut()
                .map(|c| matches!(c.try_wait(), Ok(Some(_))));
            if exited != Some(false) || Instant::now() >= deadline {
                epmd.stop();
                return Err(Error::io(format!("epmd did not listen on port {port}"))(
                    std::io::ErrorKind::AddrInUse.into(),
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(epmd)
    }

    /// The port it listens on (`ERL_EPMD_PORT` of the nodes).
    pub(super) fn port(&self) -> u16 {
        self.port
    }

    /// `epmd -kill`, then makes sure the process is gone.
    pub(super) fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let _ = Command::new(&self.binary)
            .args(["-port", &self.port.to_string(), "-kill"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = stop_child(
            &mut child,
            rustix::process::Signal::TERM,
            Duration::from_secs(5),
        );
    }
}

impl Drop for Epmd {
    fn drop(&mut self) {
        self.stop();
    }
}
