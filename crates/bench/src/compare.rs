//! The coordinator: starts the broker, runs each stack's worker process for each phase,
//! and writes the results (JSON, SVG) and the tables.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::args::{BenchArgs, TransportArg};
use crate::broker::BenchBroker;
use crate::latency::Latencies;
use crate::launch::{WorkerCommand, launch};
use crate::python::{PahoWorker, paho_worker};
use crate::results::{BenchResults, Machine, Ratios, RunResult, runs_table};
use crate::spec::{Stack, WorkerSpec};
use crate::svg::percentile_plot;

/// The rumqttc baseline's binary name, looked for next to the running program.
pub const RUMQTTC_BINARY: &str = "onem2m-bench-rumqttc";

/// The counts of one run of the comparison.
#[derive(Debug, Clone, Copy)]
struct Counts {
    latency: u64,
    pipelined: u64,
    scaling: u64,
}

impl Counts {
    fn new(args: &BenchArgs) -> Self {
        let (latency, pipelined, scaling) = if args.quick {
            (1_000, 10_000, 2_000)
        } else {
            (5_000, 100_000, 20_000)
        };
        Self {
            latency,
            pipelined: args.count.unwrap_or(pipelined),
            scaling,
        }
    }
}

/// The worker commands available, and the stacks that cannot run.
struct Workers {
    ours: WorkerCommand,
    rumqttc: Option<WorkerCommand>,
    paho: Option<PahoWorker>,
    skipped: Vec<String>,
}

impl Workers {
    fn command(&self, stack: Stack) -> Option<&WorkerCommand> {
        match stack {
            // The floor is built into every harness binary, as ours is.
            Stack::Ours | Stack::Floor => Some(&self.ours),
            Stack::Rumqttc => self.rumqttc.as_ref(),
            Stack::Paho => self.paho.as_ref().map(|p| &p.command),
        }
    }
}

/// Runs what `args` asks for; `this` re-runs the current program as a worker. Tables go
/// to `out`, progress to stderr.
pub async fn run<W: Write>(
    args: &BenchArgs,
    serialization: &str,
    this: WorkerCommand,
    out: &mut W,
) -> Result<BenchResults, Error> {
    let machine = Machine::current();
    let broker = BenchBroker::start(args.broker).await?;
    let url = match args.transport {
        TransportArg::Tcp => broker.mqtt_url(),
        TransportArg::Ws => broker.ws_url().ok_or(Error::Broker {
            which: "embedded",
            cause: "no WebSocket listener".into(),
        })?,
    };
    let spec = |stack: Stack, count: u64, in_flight: usize, originators: usize| WorkerSpec {
        stack,
        url: url.clone(),
        serialization: if stack == Stack::Ours {
            serialization.to_owned()
        } else {
            "json".to_owned()
        },
        count,
        warmup: (count / 10).clamp(1, 5_000).max(originators as u64 * 2),
        // Every originator has at least one request in flight.
        in_flight: in_flight.max(originators).max(1),
        originators: originators.max(1),
    };
    let mut results = BenchResults {
        machine,
        broker: broker.describe(),
        transport: args.transport.name().to_owned(),
        serialization: serialization.to_owned(),
        runs: Vec::new(),
        ratios: None,
        skipped: Vec::new(),
    };
    let _ = writeln!(
        out,
        "machine: {} ({} cores, load {}), kernel {}; broker: {}; transport {}; our serialization {}",
        results.machine.cpu,
        results.machine.cores,
        results.machine.load_average,
        results.machine.kernel,
        results.broker,
        results.transport,
        serialization
    );
    if !args.compare {
        let count = args
            .count
            .unwrap_or(if args.quick { 2_000 } else { 20_000 });
        let spec = spec(Stack::Ours, count, args.in_flight, args.originators);
        let report = launch(&this, &spec, &label("single", &spec)).await?;
        results.runs.push(RunResult::new(
            "single",
            spec.in_flight,
            spec.originators,
            report,
        )?);
        let _ = write!(out, "\n{}", runs_table(&results.runs, "single"));
        write_outputs(&args.out, &results, &["single"])?;
        return Ok(results);
    }

    let mut workers = workers(args, this);
    if args.transport != TransportArg::Tcp {
        for stack in [Stack::Floor, Stack::Rumqttc, Stack::Paho] {
            workers
                .skipped
                .push(format!("{}: runs over TCP only", stack.name()));
        }
    }
    for reason in &workers.skipped {
        eprintln!("SKIPPED {reason}");
    }
    let stacks: Vec<Stack> = [Stack::Floor, Stack::Ours, Stack::Rumqttc, Stack::Paho]
        .into_iter()
        .filter(|&s| {
            s == Stack::Ours
                || (args.transport == TransportArg::Tcp && workers.command(s).is_some())
        })
        .collect();
    let counts = Counts::new(args);
    let mut phases = vec![
        ("latency", 1, 1, counts.latency),
        ("pipelined", args.pipeline.max(1), 1, counts.pipelined),
    ];
    phases.extend(
        args.scaling
            .iter()
            .map(|&n| ("scaling", n, n, counts.scaling.max(n as u64 * 5))),
    );
    for (phase, in_flight, originators, count) in phases {
        for &stack in &stacks {
            // Python is an order of magnitude slower: fewer pairs keep the run short.
            let count = if stack == Stack::Paho && phase != "latency" {
                count / 5
            } else {
                count
            };
            if stack == Stack::Paho && phase == "scaling" {
                continue;
            }
            let spec = spec(stack, count, in_flight, originators);
            let Some(command) = workers.command(stack) else {
                continue;
            };
            match launch(command, &spec, &label(phase, &spec)).await {
                Ok(report) => results.runs.push(RunResult::new(
                    phase,
                    spec.in_flight,
                    spec.originators,
                    report,
                )?),
                Err(e) if stack == Stack::Ours => return Err(e),
                Err(e) => {
                    eprintln!("FAILED {e}");
                    workers
                        .skipped
                        .push(format!("{phase} {}: {e}", stack.name()));
                }
            }
        }
    }
    results.skipped = workers.skipped;
    let ratios = Ratios::from_runs(&results.runs);
    for (title, phase) in [
        ("One request in flight", "latency"),
        ("Pipelined", "pipelined"),
        ("Scaling: one request in flight per originator", "scaling"),
    ] {
        let _ = write!(out, "\n{title}\n\n{}", runs_table(&results.runs, phase));
    }
    let _ = write!(
        out,
        "\nRatios (ours over the baselines)\n\n{}",
        ratios.table()
    );
    for reason in &results.skipped {
        let _ = writeln!(out, "SKIPPED {reason}");
    }
    results.ratios = Some(ratios);
    write_outputs(&args.out, &results, &["latency", "pipelined"])?;
    let _ = writeln!(out, "\nwrote {}", args.out.display());
    Ok(results)
}

fn label(phase: &str, spec: &WorkerSpec) -> String {
    format!(
        "{phase} {} {}x{}",
        spec.stack.name(),
        spec.originators,
        spec.in_flight
    )
}

fn workers(args: &BenchArgs, this: WorkerCommand) -> Workers {
    let mut skipped = Vec::new();
    let rumqttc_path = args.rumqttc.clone().or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(RUMQTTC_BINARY)))
    });
    let rumqttc = match rumqttc_path {
        Some(path) if path.is_file() => Some(WorkerCommand::new(path, ["--worker"])),
        other => {
            skipped.push(format!(
                "rumqttc: no baseline binary at {} (cargo build --release -p onem2m-bench \
                 --features rumqttc-baseline, or cargo xtask bench)",
                other.map_or_else(|| RUMQTTC_BINARY.to_owned(), |p| p.display().to_string())
            ));
            None
        }
    };
    let paho = match paho_worker(args.python.as_deref()) {
        Ok(worker) => Some(worker),
        Err(reason) => {
            skipped.push(format!("paho: {reason}"));
            None
        }
    };
    Workers {
        ours: this,
        rumqttc,
        paho,
        skipped,
    }
}

/// Writes `bench-results.json` and one `latency-<phase>.svg` per phase named.
fn write_outputs(dir: &Path, results: &BenchResults, phases: &[&str]) -> Result<(), Error> {
    let write = |path: PathBuf, text: &str| {
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|cause| Error::Write { path, cause })
    };
    let json = serde_json::to_string_pretty(results).map_err(|cause| Error::Json {
        what: "writing the results",
        cause,
    })?;
    write(dir.join("bench-results.json"), &json)?;
    for phase in phases {
        let series = results
            .runs
            .iter()
            .filter(|r| r.phase == *phase)
            .map(|r| {
                Latencies::from_buckets(&r.latency_buckets)
                    .map(|l| (r.stack.describe().to_owned(), l))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let in_flight = results
            .runs
            .iter()
            .find(|r| r.phase == *phase)
            .map_or(1, |r| r.in_flight);
        let title = format!(
            "Round trip by percentile, {in_flight} in flight, {} ({} cores)",
            results.broker.split(',').next().unwrap_or("broker"),
            results.machine.cores
        );
        write(
            dir.join(format!("latency-{phase}.svg")),
            &percentile_plot(&title, &series),
        )?;
    }
    Ok(())
}
