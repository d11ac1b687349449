//! Running one worker process: its spec as the last argument, its progress lines drawn
//! as a bar, its report read from stdout.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;

use crate::Error;
use crate::progress::ProgressBar;
use crate::spec::{PROGRESS_PREFIX, WorkerReport, WorkerSpec};

/// The longest a worker may run (the largest full run takes well under a minute).
const WORKER_TIMEOUT: Duration = Duration::from_secs(300);
/// Lines of a worker's stderr kept for the error message when it fails.
const STDERR_TAIL: usize = 20;

/// How to start a worker: a program and the arguments before the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerCommand {
    /// The executable.
    pub program: PathBuf,
    /// Arguments before the spec JSON (`bench --worker` for `m2m`).
    pub args: Vec<OsString>,
}

impl WorkerCommand {
    /// `program args... <spec JSON>`.
    pub fn new(
        program: impl Into<PathBuf>,
        args: impl IntoIterator<Item = impl Into<OsString>>,
    ) -> Self {
        Self {
            program: program.into(),
            args: args.into_iter().map(Into::into).collect(),
        }
    }
}

/// Runs `spec` in a new process and returns its report; `label` names it on the bar.
pub async fn launch(
    command: &WorkerCommand,
    spec: &WorkerSpec,
    label: &str,
) -> Result<WorkerReport, Error> {
    let stack = spec.stack.name().to_owned();
    let failed = |cause: String| Error::Worker {
        stack: stack.clone(),
        cause,
    };
    let spec_json = serde_json::to_string(spec).map_err(|cause| Error::Json {
        what: "writing the worker spec",
        cause,
    })?;
    let mut child = Command::new(&command.program)
        .args(&command.args)
        .arg(&spec_json)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| failed(format!("cannot run {}: {e}", command.program.display())))?;
    let (Some(mut stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(failed("no pipes to the worker".into()));
    };
    let mut bar = ProgressBar::new(label, spec.count);
    let mut tail = VecDeque::with_capacity(STDERR_TAIL);
    let read_stderr = async {
        let mut lines = BufReader::new(stderr).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            match progress_of(&line) {
                Some(done) => bar.update(done),
                None => {
                    bar.note(&line);
                    if tail.len() == STDERR_TAIL {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            }
        }
    };
    let mut out = String::new();
    let read_stdout = stdout.read_to_string(&mut out);
    let ran = tokio::time::timeout(WORKER_TIMEOUT, async {
        let (_, read) = tokio::join!(read_stderr, read_stdout);
        let status = child.wait().await;
        (read, status)
    })
    .await;
    bar.finish();
    let tail_text = || tail.iter().cloned().collect::<Vec<_>>().join(" | ");
    let (read, status) = ran.map_err(|_| failed(format!("no report within {WORKER_TIMEOUT:?}")))?;
    read.map_err(|e| failed(format!("reading its output: {e}")))?;
    let status = status.map_err(|e| failed(format!("waiting for it: {e}")))?;
    if !status.success() {
        return Err(failed(format!("exited with {status}: {}", tail_text())));
    }
    let line = out
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| failed(format!("printed no report: {}", tail_text())))?;
    serde_json::from_str(line).map_err(|cause| Error::Json {
        what: "reading a worker report",
        cause,
    })
}

/// The `done` count of a `progress <done> <total>` line.
fn progress_of(line: &str) -> Option<u64> {
    line.strip_prefix(PROGRESS_PREFIX)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_progress_lines_only() {
        assert_eq!(progress_of("progress 120 1000"), Some(120));
        assert_eq!(progress_of("WARN something"), None);
        assert_eq!(progress_of("progress x"), None);
    }
}
