//! Stopping a harness's child process the way it wants to be stopped.

use std::process::Child;
use std::time::{Duration, Instant};

use rustix::process::Signal;

use crate::Error;

/// Sends `signal` to `child` and waits up to `limit` for it to exit. Returns
/// false when it did not: it is then killed (SIGKILL) and reaped.
pub(crate) fn stop_child(
    child: &mut Child,
    signal: Signal,
    limit: Duration,
) -> Result<bool, Error> {
    let pid = rustix::process::Pid::from_child(child);
    if let Err(e) = rustix::process::kill_process(pid, signal) {
        // Already gone is fine; anything else, make sure it is gone.
        if e != rustix::io::Errno::SRCH {
            let _ = child.kill();
        }
    }
    let deadline = Instant::now() + limit;
    loop {
        match child
            .try_wait()
            .map_err(Error::io("cannot wait for a child process"))?
        {
            Some(_) => return Ok(true),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(false);
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}
