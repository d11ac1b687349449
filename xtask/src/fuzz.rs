//! `cargo xtask fuzz`: bounded fuzzing runs of the parsers on the stable toolchain.

use std::process::Command;

use crate::run;

/// Targets run when none is named.
const DEFAULT_TARGETS: &[&str] = &["mqtt_decode", "primitive_decode"];

/// Runs each target for `--seconds N` (default 60).
pub fn run(args: &[String]) -> Result<(), String> {
    let mut seconds: u64 = 60;
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = it.next().ok_or("--seconds needs a number")?;
                seconds = value
                    .parse()
                    .map_err(|_| format!("--seconds: {value:?} is not a whole number"))?;
            }
            target => targets.push(target.to_owned()),
        }
    }
    if targets.is_empty() {
        targets = DEFAULT_TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    ensure_cargo_fuzz()?;
    let fuzz_dir = run::workspace_root().join("fuzz");
    for target in &targets {
        // libFuzzer writes new inputs into the first corpus directory: keep them out of
        // the checked-in seeds.
        let work = fuzz_dir.join("target").join("corpus-work").join(target);
        let seeds = fuzz_dir.join("corpus").join(target);
        for dir in [&work, &seeds] {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        // `-s none`: no sanitizer, so that the stable toolchain can build the target.
        run::command(
            Command::new("cargo")
                .current_dir(&fuzz_dir)
                .args(["fuzz", "run", target, "-s", "none"])
                .arg(&work)
                .arg(&seeds)
                .arg("--")
                .arg(format!("-max_total_time={seconds}")),
        )?;
    }
    Ok(())
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
