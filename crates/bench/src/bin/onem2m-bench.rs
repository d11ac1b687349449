//! `onem2m-bench`: the harness on its own (the same as `m2m bench`).

fn main() -> std::process::ExitCode {
    onem2m_bench::binary::main("onem2m-bench")
}
