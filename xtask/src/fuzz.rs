//! `cargo xtask fuzz`: bounded fuzzing runs of the parsers on the stable toolchain.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::run;

/// Every target, run when none is named: the MQTT decoder, each serializer's decoder
/// and both topic schemes' parser.
const DEFAULT_TARGETS: &[&str] = &[
    "mqtt_decode",
    "xml_decode",
    "json_decode",
    "cbor_decode",
    "topic_parse",
];

/// How long each target runs, unless `--runs` bounds it first.
const DEFAULT_SECONDS: u64 = 60;

/// What one target did: libFuzzer's closing `Done N runs in S second(s)` line, and the
/// wall time with the build.
struct Outcome {
    target: String,
    done: Option<(u64, u64)>,
    wall_seconds: f64,
}

/// Runs each target for `--seconds N` (default 60) or until `--runs N` executions,
/// whichever comes first, and prints the executions and wall time of each.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut seconds = DEFAULT_SECONDS;
    let mut runs: Option<u64> = None;
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => seconds = number(it.next(), "--seconds")?,
            "--runs" => runs = Some(number(it.next(), "--runs")?),
            target => targets.push(target.to_owned()),
        }
    }
    if targets.is_empty() {
        targets = DEFAULT_TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    ensure_cargo_fuzz()?;
    let mut outcomes = Vec::new();
    for target in &targets {
        outcomes.push(fuzz_one(target, seconds, runs)?);
    }
    eprintln!("xtask fuzz: summary");
    for o in &outcomes {
        let (runs, seconds) = o.done.map_or_else(
            || ("?".to_owned(), "?".to_owned()),
            |(r, s)| (r.to_string(), s.to_string()),
        );
        eprintln!(
            "  {:<14} {runs:>12} executions in {seconds} s of fuzzing ({:.0} s with the build)",
            o.target, o.wall_seconds
        );
    }
    Ok(())
}

fn number(value: Option<&String>, flag: &str) -> Result<u64, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a number"))?;
    value
        .parse()
        .map_err(|_| format!("{flag}: {value:?} is not a whole number"))
}

fn fuzz_one(target: &str, seconds: u64, runs: Option<u64>) -> Result<Outcome, String> {
    let fuzz_dir = run::workspace_root().join("fuzz");
    // libFuzzer writes new inputs into the first corpus directory: keep them out of
    // the checked-in seeds.
    let work = fuzz_dir.join("target").join("corpus-work").join(target);
    let seeds = fuzz_dir.join("corpus").join(target);
    for dir in [&work, &seeds] {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    // `-s none`: no sanitizer, so that the stable toolchain can build the target.
    let mut cmd = Command::new("cargo");
    cmd.current_dir(&fuzz_dir)
        .args(["fuzz", "run", target, "-s", "none"])
        .arg(&work)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"));
    if let Some(runs) = runs {
        cmd.arg(format!("-runs={runs}"));
    }
    let shown = format!("{cmd:?}");
    eprintln!("xtask: running {shown}");
    let started = Instant::now();
    let mut child = cmd
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    // libFuzzer reports on stderr: pass it through and keep the closing count.
    let mut done = None;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            if let Some(n) = runs_done(&line) {
                done = Some(n);
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("could not wait for {shown}: {e}"))?;
    if !status.success() {
        return Err(format!("{shown} failed with {status}"));
    }
    Ok(Outcome {
        target: target.to_owned(),
        done,
        wall_seconds: started.elapsed().as_secs_f64(),
    })
}

/// N and S of libFuzzer's `Done N runs in S second(s)`.
fn runs_done(line: &str) -> Option<(u64, u64)> {
    let mut words = line.strip_prefix("Done ")?.split_whitespace();
    let runs = words.next()?.parse().ok()?;
    let seconds = words.nth(2)?.parse().ok()?;
    Some((runs, seconds))
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Ok(());
    }
    run::cargo(&["install", "cargo-fuzz", "--locked"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closing_line_gives_the_executions() {
        assert_eq!(
            runs_done("Done 1048576 runs in 61 second(s)"),
            Some((1_048_576, 61))
        );
        assert_eq!(runs_done("#1024 pulse  cov: 12 ft: 30"), None);
    }
}
