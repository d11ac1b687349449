//! The `--requests N` flag of the benchmark tasks.

/// The number of requests `args` ask for (`--requests N`), else `default`; any other
/// argument is an error naming `task`.
pub fn parse(task: &str, args: &[String], default: &str) -> Result<String, String> {
    let mut requests = default.to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--requests" => {
                requests = args
                    .next()
                    .filter(|n| n.parse::<usize>().is_ok())
                    .ok_or(format!("{task}: --requests takes a number"))?
                    .clone();
            }
            other => return Err(format!("{task}: unknown argument {other:?}")),
        }
    }
    Ok(requests)
}
