//! TLS and mutual TLS to a real broker: starts a private Mosquitto (the test-support
//! harness: TLS listeners on free loopback ports, certificates from a CA made on the
//! spot), then
//!
//! - a CSE connects over `mqtts://` trusting only that CA (`TlsOptions::ca_file`);
//! - an AE connects to the listener that requires a client certificate, presenting one
//!   (`TlsOptions::client_auth`), and sends a request to the CSE;
//! - two connections that must fail do: no client certificate on the mutual-TLS
//!   listener, and the built-in web roots, which do not know the test CA.
//!
//! Without Mosquitto installed it prints one line and exits 0 ("skipped"), unless
//! `ONEM2M_REQUIRE_MOSQUITTO=1` is set (as in CI): then it exits 1.
//!
//! Run with `cargo run -p onem2m-examples --example tls_mosquitto`.

use std::process::ExitCode;
use std::time::Duration;

use onem2m_binding::Binding;
use onem2m_examples::{ExampleError, expect_status};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use onem2m_test_support::{Mosquitto, MosquittoStart, REQUIRE_MOSQUITTO_ENV};
use onem2m_transport::TlsOptions;

#[tokio::main]
async fn main() -> ExitCode {
    let broker = match Mosquitto::start() {
        Ok(MosquittoStart::Running(broker)) => broker,
        Ok(MosquittoStart::Skip { reason }) => {
            if std::env::var(REQUIRE_MOSQUITTO_ENV).is_ok_and(|v| v == "1") {
                eprintln!("tls_mosquitto: failed: {reason}, and {REQUIRE_MOSQUITTO_ENV}=1");
                return ExitCode::FAILURE;
            }
            println!("tls_mosquitto: skipped: {reason}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("tls_mosquitto: mosquitto is installed but did not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&broker).await {
        Ok(()) => {
            println!("done");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tls_mosquitto: {e}");
            eprintln!("mosquitto's log:\n{}", broker.log());
            ExitCode::FAILURE
        }
    }
}

async fn run(broker: &Mosquitto) -> Result<(), ExampleError> {
    let pki = broker.pki();
    // Trust the test CA and nothing else; the server certificate names `localhost`,
    // which is the host of the harness's mqtts URLs.
    let server_auth = TlsOptions::new().ca_file(&pki.ca_cert);
    let mutual = server_auth
        .clone()
        .client_auth(&pki.client_cert, &pki.client_key);

    println!("CSE over {}", broker.mqtts_url());
    let cse = Binding::builder()
        .cse_id("/id-in")
        .url(&broker.mqtts_url())?
        .tls(server_auth)
        .handler(|request: RequestPrimitive, _ctx| async move {
            ResponsePrimitive::answering(&request, ResponseStatusCode::OK)
        })
        .build()
        .await?;

    println!(
        "AE  over {} (client certificate)",
        broker.mqtts_mutual_url()
    );
    let ae = Binding::builder()
        .ae_id("CAE01")
        .registrar("/id-in")
        .url(&broker.mqtts_mutual_url())?
        .tls(mutual)
        .build()
        .await?;
    let response = ae
        .originator()
        .request(RequestPrimitive::retrieve("cse-in", "CAE01", "tls-1"))
        .await?;
    expect_status(
        "retrieve over mutual TLS",
        &response,
        ResponseStatusCode::OK,
    )?;

    let refusals = [
        (
            "no client certificate",
            broker.mqtts_mutual_url(),
            TlsOptions::new().ca_file(&pki.ca_cert),
        ),
        (
            "CA not trusted",
            broker.mqtts_url(),
            // The built-in Mozilla roots: the test CA is not among them.
            TlsOptions::new(),
        ),
    ];
    for (what, url, tls) in refusals {
        let attempt = Binding::builder()
            .ae_id("CAE02")
            .registrar("/id-in")
            .url(&url)?
            .tls(tls)
            .connect_timeout(Duration::from_secs(1))
            .build()
            .await;
        match attempt {
            Ok(binding) => {
                binding.shutdown().await;
                return Err(format!("{what}: the connection was accepted").into());
            }
            Err(e) => println!("{what:<28} -> refused: {e}"),
        }
    }

    ae.shutdown().await;
    cse.shutdown().await;
    Ok(())
}
