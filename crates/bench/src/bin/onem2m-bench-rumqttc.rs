//! `onem2m-bench-rumqttc`: the harness built with the rumqttc + serde_json baseline
//! (feature `rumqttc-baseline`); the comparison runs it as the rumqttc worker.

fn main() -> std::process::ExitCode {
    onem2m_bench::binary::main("onem2m-bench-rumqttc")
}
