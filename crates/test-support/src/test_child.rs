//! One test of the running test binary, run again in a child process.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::Error;

/// The test binary this process runs, started again as a child process that runs
/// only the test `name` (`--exact`), with extra environment variables that tell
/// that test it is the child. It is how a test gets a second OS process (an AE
/// to kill with SIGKILL, a CSE whose memory is measured alone) without another
/// binary.
///
/// The child's stdout and stderr go to a log file. Dropping the handle kills the
/// child.
#[derive(Debug)]
pub struct TestChild {
    child: Option<Child>,
    log: PathBuf,
}

impl TestChild {
    /// Runs the test `name` of this binary in a child process with `env` added,
    /// logging to `log` (appended, so a restarted child adds to it).
    pub fn spawn(name: &str, env: &[(&str, String)], log: &Path) -> Result<Self, Error> {
        let binary = std::env::current_exe().map_err(Error::io("cannot find the test binary"))?;
        let out = std::fs::File::options()
            .create(true)
            .append(true)
            .open(log)
            .map_err(Error::io(format!("cannot open {}", log.display())))?;
        let err = out
            .try_clone()
            .map_err(Error::io(format!("cannot open {}", log.display())))?;
        let child = Command::new(binary)
            .args([name, "--exact", "--nocapture", "--test-threads", "1"])
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(Error::io("cannot start the test binary again"))?;
        Ok(Self {
            child: Some(child),
            log: log.to_owned(),
        })
    }

    /// The child's process id, `None` once it was reaped.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Kills the child with SIGKILL (a crash: nothing is flushed or closed
    /// cleanly) and reaps it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The exit status if the child has exited.
    pub fn try_wait(&mut self) -> Result<Option<ExitStatus>, Error> {
        match self.child.as_mut() {
            Some(child) => child
                .try_wait()
                .map_err(Error::io("cannot wait for the child")),
            None => Ok(None),
        }
    }

    /// Waits up to `limit` for the child to exit; `None` if it is still running.
    /// It blocks the calling thread.
    pub fn wait_for(&mut self, limit: Duration) -> Result<Option<ExitStatus>, Error> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.try_wait()? {
                return Ok(Some(status));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What the child has written to stdout and stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for TestChild {
    fn drop(&mut self) {
        self.kill();
    }
}
