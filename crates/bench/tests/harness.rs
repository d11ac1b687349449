//! The harness end to end on the embedded broker: real worker processes, tiny counts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn bench(out: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_onem2m-bench"))
        .args(["--broker", "embedded", "--out"])
        .arg(out)
        // Neither baseline here: the test must not depend on what else was built.
        .args([
            "--python",
            "/nonexistent/python",
            "--rumqttc",
            "/nonexistent/rumqttc",
        ])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn results(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("bench-results.json")).unwrap()).unwrap()
}

fn assert_svg(path: &Path, polylines: usize) {
    let svg = std::fs::read_to_string(path).unwrap();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<polyline").count(), polylines, "{svg}");
    assert!(!svg.contains("NaN"));
}

#[test]
fn a_single_run_measures_every_pair_and_writes_json_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = bench(
        dir.path(),
        &["--count", "300", "--in-flight", "4", "--originators", "2"],
    );
    assert!(stdout.contains("| ours | 2 | 4 | 300 |"), "{stdout}");
    let results = results(dir.path());
    let run = &results["runs"][0];
    assert_eq!(run["stack"], "ours");
    assert_eq!(run["pairs"], 300);
    assert_eq!(run["originators"], 2);
    let buckets: u64 = run["latency_buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b[1].as_u64().unwrap())
        .sum();
    assert_eq!(buckets, 300);
    assert!(run["latency"]["p50_us"].as_f64().unwrap() > 0.0);
    assert!(
        run["latency"]["p99_us"].as_f64().unwrap() >= run["latency"]["p50_us"].as_f64().unwrap()
    );
    assert!(run["cpu_us_per_pair"].as_f64().unwrap() > 0.0);
    assert_svg(&dir.path().join("latency-single.svg"), 1);
}

#[test]
fn a_comparison_runs_the_floor_and_skips_missing_baselines_loudly() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = bench(
        dir.path(),
        &[
            "--compare",
            "--quick",
            "--count",
            "400",
            "--pipeline",
            "8",
            "--scaling",
            "3",
        ],
    );
    let results = results(dir.path());
    let runs = results["runs"].as_array().unwrap();
    let find = |phase: &str, stack: &str| {
        runs.iter()
            .find(|r| r["phase"] == phase && r["stack"] == stack)
            .unwrap_or_else(|| panic!("no {phase} {stack} in {stdout}"))
    };
    assert_eq!(find("latency", "floor")["pairs"], 1000);
    assert_eq!(find("latency", "ours")["pairs"], 1000);
    assert_eq!(find("pipelined", "floor")["pairs"], 400);
    assert_eq!(find("pipelined", "ours")["in_flight"], 8);
    assert_eq!(find("scaling", "ours")["originators"], 3);
    let ratios = &results["ratios"];
    assert!(ratios["p50_vs_floor"].as_f64().unwrap() > 0.0);
    assert!(ratios["cpu_vs_rumqttc_latency"].is_null());
    let skipped = results["skipped"].as_array().unwrap();
    for stack in ["paho:", "rumqttc:"] {
        assert!(
            skipped
                .iter()
                .any(|s| s.as_str().unwrap().starts_with(stack)),
            "{skipped:?}"
        );
    }
    assert!(stdout.contains("SKIPPED paho"), "{stdout}");
    assert!(
        stdout.contains("| p50 round trip vs broker floor |"),
        "{stdout}"
    );
    assert_svg(&dir.path().join("latency-latency.svg"), 2);
    assert_svg(&dir.path().join("latency-pipelined.svg"), 2);
}
