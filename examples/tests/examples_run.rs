//! Every example runs to the end and exits 0.
//!
//! The tests run the example binaries that `cargo test` builds next to this test
//! (`target/<profile>/examples/<name>`); a missing one (e.g. with `cargo test --test
//! examples_run`, which builds no examples) is built first with the `cargo` that runs
//! the tests. Each run is killed after [`DEADLINE`]; they run in parallel, so the whole
//! file takes about as long as the slowest example (a few seconds).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Longest any example may run.
const DEADLINE: Duration = Duration::from_secs(30);

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// `target/<profile>/examples/<name>`: this test lives in `target/<profile>/deps/`.
fn example_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn build_example(name: &str) {
    let status = Command::new(env!("CARGO"))
        .args(["build", "-q", "-p", "onem2m-examples", "--example", name])
        .status()
        .unwrap();
    assert!(status.success(), "cargo build --example {name}: {status}");
}

fn run_example(name: &str) -> Run {
    run_example_with(name, &[])
}

fn run_example_with(name: &str, args: &[&str]) -> Run {
    let path = example_path(name);
    if !path.exists() {
        build_example(name);
    }
    let mut child = Command::new(&path)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()));
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "example {name} still running after {DEADLINE:?}\nstdout:\n{}\nstderr:\n{}",
                stdout.join().unwrap(),
                stderr.join().unwrap()
            );
        }
        thread::sleep(Duration::from_millis(20));
    };
    Run {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// Runs `name` and checks that it exits 0 with `last_line` as its last line of output.
fn assert_runs(name: &str, last_line: &str) -> Run {
    let run = run_example(name);
    assert!(
        run.status.success(),
        "example {name} exited with {}\nstdout:\n{}\nstderr:\n{}",
        run.status,
        run.stdout,
        run.stderr
    );
    assert_eq!(
        run.stdout.lines().last(),
        Some(last_line),
        "example {name} did not finish\nstdout:\n{}",
        run.stdout
    );
    run
}

#[test]
fn primitives_round_trip_in_every_serialization() {
    let run = run_example("primitives");
    assert!(run.status.success(), "{}\n{}", run.stdout, run.stderr);
    for format in ["== xml", "== json", "== cbor"] {
        assert!(run.stdout.contains(format), "{}", run.stdout);
    }
}

#[test]
fn custom_topic_scheme_checks_all_three_schemes() {
    let run = run_example("custom_topic_scheme");
    assert!(run.status.success(), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("== inbox"), "{}", run.stdout);
}

#[test]
fn ae_registers_creates_retrieves_and_deregisters() {
    let run = assert_runs("ae", "done");
    assert!(
        run.stdout
            .contains("registered as Clamp, client id A::Clamp"),
        "{}",
        run.stdout
    );
}

#[test]
fn cse_handler_serves_an_originator_in_the_same_process() {
    let run = assert_runs("cse", "done");
    assert!(
        run.stdout.contains("handler calls: 8"),
        "the receiver's refusals reached the handler:\n{}",
        run.stdout
    );
}

#[test]
fn custom_serializer_names_the_topic_type_level_and_xml_is_the_default() {
    let run = assert_runs("custom_serializer", "done");
    for topic in [
        "wire  /oneM2M/req/id-in:CAE01/id-in/kv",
        "wire  /oneM2M/resp/id-in:CAE01/id-in/kv",
        // A CSE built with no serializer answers in the default one, XML.
        "wire  /oneM2M/resp/id-plain:CAE02/id-plain/xml",
    ] {
        assert!(run.stdout.contains(topic), "{topic}\n{}", run.stdout);
    }
}

#[test]
fn tower_service_composes_layers_around_both_ends() {
    let run = assert_runs("tower_service", "done");
    assert!(
        run.stdout.contains("timed out by the layer"),
        "{}",
        run.stdout
    );
}

#[test]
fn tls_mosquitto_connects_with_tls_and_mutual_tls_or_skips() {
    let run = run_example("tls_mosquitto");
    assert!(
        run.status.success(),
        "exited with {}\nstdout:\n{}\nstderr:\n{}",
        run.status,
        run.stdout,
        run.stderr
    );
    let required = std::env::var("ONEM2M_REQUIRE_MOSQUITTO").is_ok_and(|v| v == "1");
    match run.stdout.lines().last() {
        Some("done") => {}
        Some(skipped) if !required && skipped.starts_with("tls_mosquitto: skipped") => {
            eprintln!("SKIPPED (mosquitto not installed): {skipped}");
        }
        other => panic!("unexpected end of output {other:?}\n{}", run.stdout),
    }
}

#[test]
fn acme_ae_registers_writes_and_is_notified_by_a_live_acme_or_skips() {
    let broker = onem2m_test_support::require_mosquitto!();
    let acme = onem2m_test_support::require_acme!(broker.ports().mqtt);
    let run = run_example_with("acme_ae", &[&broker.mqtt_url(), "/id-in", "cse-in"]);
    assert!(
        run.status.success() && run.stdout.lines().last() == Some("done"),
        "example acme_ae exited with {}\nstdout:\n{}\nstderr:\n{}\nACME:\n{}",
        run.status,
        run.stdout,
        run.stderr,
        acme.log_tail(40)
    );
    assert!(
        run.stdout.contains("notified   of con 21.5"),
        "{}",
        run.stdout
    );
}
