//! Skipping (or failing) a test when Mosquitto is not installed.

use std::io::Write as _;

/// The environment variable that turns a missing Mosquitto from a skip into a
/// test failure; CI sets it to `1`.
pub const REQUIRE_MOSQUITTO_ENV: &str = "ONEM2M_REQUIRE_MOSQUITTO";

/// What a test does when Mosquitto is missing: panics if
/// [`REQUIRE_MOSQUITTO_ENV`] is `1`, else prints a loud `SKIPPED` line to stderr
/// and returns, so that the caller can return from the test.
pub fn skip_or_fail(reason: &str) {
    skip_or_fail_for(REQUIRE_MOSQUITTO_ENV, "mosquitto not installed", reason);
}

/// What a test does when an external program it needs is missing: panics if the
/// environment variable `require_env` is `1`, else prints a loud
/// `SKIPPED (<missing>)` line to stderr and returns, so that the caller can return
/// from the test.
///
/// The test name comes from the thread name, which the Rust test harness sets
/// to the test's path.
pub fn skip_or_fail_for(require_env: &str, missing: &str, reason: &str) {
    let name = std::thread::current()
        .name()
        .unwrap_or("<unnamed test>")
        .to_owned();
    if std::env::var(require_env).is_ok_and(|v| v == "1") {
        panic!("{name}: {reason}, and {require_env}=1 requires it");
    }
    // Straight to the process's stderr: the test harness captures `eprintln!`
    // of passing tests, and a skip must be seen.
    let _ = writeln!(std::io::stderr(), "SKIPPED ({missing}): {name} ({reason})");
}

/// Starts a [`Mosquitto`](crate::Mosquitto) with every listener, or skips the
/// calling test (see [`skip_or_fail`]) when the binary is not installed.
/// A broker that is installed but fails to start fails the test.
///
/// Use it in a test returning `()`:
///
/// ```no_run
/// # async fn t() {
/// let broker = onem2m_test_support::require_mosquitto!();
/// println!("{}", broker.mqtt_url());
/// # }
/// ```
#[macro_export]
macro_rules! require_mosquitto {
    () => {
        match $crate::Mosquitto::start() {
            Ok($crate::MosquittoStart::Running(broker)) => broker,
            Ok($crate::MosquittoStart::Skip { reason }) => {
                $crate::skip_or_fail(&reason);
                return;
            }
            Err(e) => panic!("mosquitto is installed but did not start: {e}"),
        }
    };
}
