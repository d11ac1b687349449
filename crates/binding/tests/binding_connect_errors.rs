//! A binding that cannot connect says why, not only that it gave up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onem2m_binding::{Binding, Error};

#[tokio::test]
async fn a_refused_connection_names_its_cause_after_the_connect_timeout() {
    // A port nobody listens on: bind one, learn its number, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let result = Binding::builder()
        .cse_id("/id-in")
        .url(&format!("mqtt://127.0.0.1:{port}"))
        .unwrap()
        .connect_timeout(Duration::from_millis(800))
        .build()
        .await;
    let Err(error) = result else {
        panic!("connected to a closed port");
    };
    assert!(
        matches!(&error, Error::ConnectTimeout { cause: Some(_), .. }),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.starts_with("no connection to the broker within"),
        "{text}"
    );
    assert!(text.to_lowercase().contains("refused"), "{text}");
}
