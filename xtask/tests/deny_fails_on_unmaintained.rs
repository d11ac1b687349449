//! The supply-chain check can fail: `cargo xtask deny` on a scratch crate that depends on
//! serde_cbor 0.11 reports the snapshot's unmaintained advisory RUSTSEC-2021-0127.
//!
//! Needs cargo-deny (CI installs it in the `cargo xtask deny` step before the tests run) and
//! crates.io for `cargo fetch` of the scratch crate. Without cargo-deny the test fails when
//! `CI` is set and is skipped, loudly, elsewhere.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Fetching two crates and loading the database takes seconds; this only stops a hung
/// network or index lock from holding CI forever.
const TIME_LIMIT: Duration = Duration::from_secs(300);

const SCRATCH_MANIFEST: &str = r#"[package]
name = "deny-scratch"
version = "0.0.0"
edition = "2021"
license = "MIT OR Apache-2.0"
publish = false

# Not a member of any workspace above the temporary directory.
[workspace]

[dependencies]
serde_cbor = "0.11"
"#;

#[test]
fn deny_reports_the_unmaintained_advisory_of_serde_cbor() {
    if !cargo_deny_installed() {
        assert!(
            std::env::var_os("CI").is_none(),
            "cargo-deny is not installed, but CI is set: `cargo xtask deny` must run before the tests"
        );
        eprintln!("SKIPPED: cargo-deny not installed (run `cargo xtask deny` once to install it)");
        return;
    }
    let scratch = ScratchDir::new();
    std::fs::create_dir_all(scratch.path().join("src")).unwrap();
    std::fs::write(scratch.path().join("src").join("lib.rs"), "").unwrap();
    let manifest = scratch.path().join("Cargo.toml");
    std::fs::write(&manifest, SCRATCH_MANIFEST).unwrap();

    let (success, output) = run_bounded(
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["deny", "--manifest-path"])
            .arg(&manifest)
            .arg("advisories")
            // The scratch crate's own build directory, so the snapshot copy made here never
            // races with the workspace's.
            .env("CARGO_TARGET_DIR", scratch.path().join("target")),
    );

    assert!(!success, "the check passed on serde_cbor 0.11:\n{output}");
    assert!(
        output.contains("error[unmaintained]") && output.contains("RUSTSEC-2021-0127"),
        "no RUSTSEC-2021-0127 error in the output:\n{output}"
    );
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn cargo_deny_installed() -> bool {
    Command::new(cargo())
        .args(["deny", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `cmd` with stdout and stderr collected into one string, killing it and the
/// processes it started (cargo, cargo-deny) after [`TIME_LIMIT`].
fn run_bounded(cmd: &mut Command) -> (bool, String) {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(cmd, 0);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the xtask binary");
    // Readers on their own threads, so that a full pipe never blocks the child.
    let stdout = drain(child.stdout.take().expect("piped stdout"));
    let stderr = drain(child.stderr.take().expect("piped stderr"));
    let deadline = Instant::now() + TIME_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll the xtask binary") {
            break status;
        }
        if Instant::now() > deadline {
            kill_group(child.id());
            let _ = child.kill();
            let _ = child.wait();
            panic!("`xtask deny` took more than {TIME_LIMIT:?}");
        }
        thread::sleep(Duration::from_millis(100));
    };
    let output = format!(
        "{}{}",
        stdout.join().expect("stdout reader"),
        stderr.join().expect("stderr reader")
    );
    (status.success(), output)
}

/// Kills the process group led by `leader`, so that no cargo outlives the test.
fn kill_group(leader: u32) {
    #[cfg(unix)]
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{leader}")])
        .status();
    #[cfg(not(unix))]
    let _ = leader;
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A fresh directory under the system temporary directory, removed when dropped.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("xtask-deny-scratch-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
