//! A process's memory, as Linux reports it in `/proc/<pid>/status`.

use std::fmt;

use crate::Error;

/// Resident memory of one process, in KiB: now (`VmRSS`) and at its peak
/// (`VmHWM`, the high-water mark).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// Resident set size now.
    pub rss_kib: u64,
    /// The largest resident set size so far.
    pub peak_rss_kib: u64,
}

impl Memory {
    /// The memory of this process.
    pub fn of_self() -> Result<Self, Error> {
        Self::read("/proc/self/status")
    }

    /// The memory of the process `pid`.
    pub fn of_pid(pid: u32) -> Result<Self, Error> {
        Self::read(&format!("/proc/{pid}/status"))
    }

    fn read(path: &str) -> Result<Self, Error> {
        let status =
            std::fs::read_to_string(path).map_err(Error::io(format!("cannot read {path}")))?;
        Ok(Self::parse(&status))
    }

    /// Reads `VmRSS` and `VmHWM` out of a status file's text (0 when missing).
    pub fn parse(status: &str) -> Self {
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0)
        };
        Self {
            rss_kib: field("VmRSS:"),
            peak_rss_kib: field("VmHWM:"),
        }
    }
}

impl fmt::Display for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RSS {:.1} MiB (peak {:.1} MiB)",
            mib(self.rss_kib),
            mib(self.peak_rss_kib)
        )
    }
}

#[allow(clippy::cast_precision_loss, reason = "a figure for humans")]
fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn reads_the_resident_and_peak_sizes() {
        let status = "Name:\tx\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nThreads:\t3\n";
        let memory = Memory::parse(status);
        assert_eq!(memory.rss_kib, 10_240);
        assert_eq!(memory.peak_rss_kib, 20_480);
        assert_eq!(memory.to_string(), "RSS 10.0 MiB (peak 20.0 MiB)");
    }

    #[test]
    fn this_process_has_some_resident_memory() {
        let memory = Memory::of_self().unwrap();
        assert!(memory.rss_kib > 0);
        assert!(memory.peak_rss_kib >= memory.rss_kib);
    }
}
