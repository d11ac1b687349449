//! The quickstart and the `m2m` binary, end to end on the embedded broker.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use onem2m_binding::Binding;
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_cli::commands::demo::{self, DemoOptions};
use onem2m_cli::settings::{Scheme, Serialization};
use onem2m_demo_cse::{DemoCse, DemoCseOptions, SystemClock};
use onem2m_primitive::{RequestPrimitive, ResponseStatusCode, Value};
use onem2m_serialization::JsonSerializer;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const M2M: &str = env!("CARGO_BIN_EXE_m2m");

async fn quickstart(serialization: Serialization, scheme: Scheme) -> String {
    let options = DemoOptions {
        serialization,
        scheme,
        width: 0,
        ..DemoOptions::default()
    };
    let mut out = Vec::new();
    let report = demo::run(&options, &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    let statuses: Vec<_> = report.steps.iter().map(|s| s.got).collect();
    let expected = [2001, 2001, 2001, 2001, 2001, 2001, 2000, 2000, 2002]
        .map(|code| Some(ResponseStatusCode(code)));
    assert_eq!(statuses, expected, "{text}");
    assert!(report.passed(), "{text}");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_gets_every_expected_status_and_prints_the_wire() {
    let text = quickstart(Serialization::Json, Scheme::Ts0010).await;
    assert!(
        text.contains(r#"→ /oneM2M/reg_req/CdemoAE/id-in/json  {"op":1,"to":"cse-in","fr":"CdemoAE","rqi":"demo-1""#),
        "{text}"
    );
    assert!(
        text.contains("← 2001 CREATED /oneM2M/reg_resp/CdemoAE/id-in/json  {\"rsc\":2001"),
        "{text}"
    );
    // The notification goes from the CSE to the AE on the AE's request topic.
    assert!(
        text.contains(
            r#"→ /oneM2M/req/id-in/id-in:CdemoAE/json  {"op":5,"to":"/id-in/CdemoAE","fr":"/id-in""#
        ),
        "{text}"
    );
    assert!(
        text.contains("9 of 9 steps got the expected status"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_runs_in_every_serialization_and_the_draft_scheme() {
    let xml = quickstart(Serialization::Xml, Scheme::Ts0010).await;
    assert!(
        xml.contains("/oneM2M/reg_req/CdemoAE/id-in/xml  <?xml"),
        "{xml}"
    );
    let cbor = quickstart(Serialization::Cbor, Scheme::Ts0010).await;
    assert!(
        cbor.contains("/oneM2M/reg_req/CdemoAE/id-in/cbor  <"),
        "{cbor}"
    );
    let draft = quickstart(Serialization::Json, Scheme::Draft).await;
    assert!(draft.contains("→ /oneM2M/id-in/cse-in/req  "), "{draft}");
}

/// A broker and a demo CSE serving JSON on the TS-0010 scheme.
async fn broker_and_cse() -> (EmbeddedBroker, Binding) {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
        .await
        .unwrap();
    let builder = Binding::builder()
        .url(&broker.url())
        .unwrap()
        .serializer(JsonSerializer::new());
    let cse = DemoCse::new(DemoCseOptions::default(), Arc::new(SystemClock));
    let (binding, _handler) = onem2m_demo_cse::serve(builder, cse).await.unwrap();
    (broker, binding)
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

async fn m2m(args: &[&str]) -> Run {
    let output = tokio::time::timeout(
        Duration::from_secs(30),
        Command::new(M2M)
            .args(args)
            .env_remove("RUST_LOG")
            .env_remove("M2M_URL")
            .env_remove("M2M_CONFIG")
            .output(),
    )
    .await
    .expect("m2m did not finish")
    .unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_exits_0_on_success_and_1_on_an_error_status() {
    let (broker, cse) = broker_and_cse().await;
    let url = broker.url();

    let found = m2m(&["request", "retrieve", "cse-in", "--url", &url]).await;
    assert_eq!(found.code, Some(0), "{} {}", found.stdout, found.stderr);
    assert!(found.stdout.starts_with("2000 OK\n"), "{}", found.stdout);
    assert!(
        found.stdout.contains("\"csi\": \"/id-in\""),
        "{}",
        found.stdout
    );

    let missing = m2m(&["request", "r", "cse-in/nothing", "--url", &url]).await;
    assert_eq!(
        missing.code,
        Some(1),
        "{} {}",
        missing.stdout,
        missing.stderr
    );
    assert!(
        missing.stdout.starts_with("4004 NOT_FOUND\n"),
        "{}",
        missing.stdout
    );
    assert!(missing.stdout.contains("m2m:dbg"), "{}", missing.stdout);

    let created = m2m(&[
        "request",
        "create",
        "cse-in",
        "--ty",
        "cnt",
        "--content",
        r#"{"m2m:cnt": {"rn": "data", "mni": 3}}"#,
        "--serialization",
        "xml",
        "--url",
        &url,
    ])
    .await;
    assert_eq!(
        created.code,
        Some(0),
        "{} {}",
        created.stdout,
        created.stderr
    );
    assert!(
        created.stdout.starts_with("2001 CREATED\n"),
        "{}",
        created.stdout
    );
    assert!(created.stdout.contains("\"mni\": 3"), "{}", created.stdout);
    cse.shutdown().await;
    broker.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_url_or_argument_is_one_line_on_stderr() {
    for args in [
        &[
            "request",
            "retrieve",
            "cse-in",
            "--url",
            "ftp://127.0.0.1:1883",
        ][..],
        &[
            "request",
            "retrieve",
            "cse-in",
            "--url",
            "mqtt://127.0.0.1:1",
            "--timeout",
            "1",
        ],
        &[
            "request",
            "create",
            "cse-in",
            "--ty",
            "cnt",
            "--content",
            "{\"m2m:cnt\": ",
        ],
        &[
            "request",
            "retrieve",
            "cse-in",
            "--config",
            "/nonexistent/m2m.toml",
        ],
    ] {
        let run = m2m(args).await;
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("m2m: "), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_come_from_the_environment_and_the_config_file() {
    let (broker, cse) = broker_and_cse().await;
    let dir = std::env::temp_dir().join(format!("m2m-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("m2m.toml");
    std::fs::write(
        &file,
        format!("url = \"{}\"\nserialization = \"cbor\"\n", broker.url()),
    )
    .unwrap();
    let from_file = m2m(&[
        "request",
        "retrieve",
        "cse-in",
        "--config",
        file.to_str().unwrap(),
    ])
    .await;
    assert_eq!(from_file.code, Some(0), "{}", from_file.stderr);

    let output = Command::new(M2M)
        .args(["request", "retrieve", "cse-in"])
        .env("M2M_URL", broker.url())
        .env_remove("M2M_CONFIG")
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
    cse.shutdown().await;
    broker.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_prints_a_notification_and_answers_it() {
    let (broker, cse) = broker_and_cse().await;
    let mut child = Command::new(M2M)
        .args([
            "listen",
            "--ae-id",
            "CListener",
            "--count",
            "1",
            "--url",
            &broker.url(),
        ])
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next_line().await.unwrap().unwrap();
    assert!(first.starts_with("listening as CListener"), "{first}");

    let mut sgn = onem2m_primitive::Map::new();
    sgn.insert("sur", "cse-in/data/sub");
    let mut pc = onem2m_primitive::Map::new();
    pc.insert("m2m:sgn", sgn);
    let notify = RequestPrimitive::notify("CListener", "/id-in", "", Value::Map(pc));
    let response = cse.originator().request(notify).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::OK);

    let mut rest = String::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        rest.push_str(&line);
        rest.push('\n');
    }
    assert!(
        rest.starts_with("NOTIFY from /id-in to CListener"),
        "{rest}"
    );
    assert!(rest.contains("\"sur\": \"cse-in/data/sub\""), "{rest}");
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success());
    cse.shutdown().await;
    broker.shutdown().await.unwrap();
}
