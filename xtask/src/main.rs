//! Project tasks, run as `cargo xtask <task>`.

fn main() {
    std::process::exit(0);
}
