//! Loopback ports for the servers a test starts and may restart.
//!
//! A port the kernel hands out for `bind(127.0.0.1:0)` lies in the ephemeral range,
//! the same range it takes the local port of every outgoing connection from. While a
//! broker restarts, a client reconnecting to it can get that very port as its own
//! local port (a loopback connection to a port nobody listens on may even connect to
//! itself), and the broker then cannot bind it again. Ports below the ephemeral range
//! are never taken that way, so the servers listen there.

use std::net::TcpListener;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::Error;

/// Lowest port used; above the well-known and most registered service ports.
const LOWEST: u16 = 20_000;

/// Used when `/proc/sys/net/ipv4/ip_local_port_range` cannot be read (Linux's default).
const DEFAULT_EPHEMERAL_START: u16 = 32_768;

/// `count` distinct free loopback ports below the ephemeral range. All are bound at
/// once and released on return, for the server to take.
pub(crate) fn free_listen_ports(count: usize) -> Result<Vec<u16>, Error> {
    let end = ephemeral_start().max(LOWEST + 1_000);
    let span = u32::from(end - LOWEST);
    // Tests in other processes pick from the same range: start where they will not.
    let mut next = seed() % span;
    let mut held = Vec::with_capacity(count);
    for _ in 0..span {
        if held.len() == count {
            break;
        }
        // `next < span`, so the sum stays below `end`.
        let port = LOWEST + u16::try_from(next).unwrap_or(0);
        next = (next + 7_919) % span; // a prime step visits every port once
        if let Ok(listener) = TcpListener::bind(("127.0.0.1", port)) {
            held.push(listener);
        }
    }
    if held.len() < count {
        return Err(Error::io("cannot find a free loopback port")(
            std::io::Error::from(std::io::ErrorKind::AddrInUse),
        ));
    }
    held.iter()
        .map(|l| l.local_addr().map(|a| a.port()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::io("cannot read a listener's port"))
}

fn ephemeral_start() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|range| range.split_whitespace().next()?.parse().ok())
        .unwrap_or(DEFAULT_EPHEMERAL_START)
}

fn seed() -> u32 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    nanos ^ std::process::id().wrapping_mul(2_654_435_761)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn ports_are_distinct_free_and_below_the_ephemeral_range() {
        let ports = free_listen_ports(5).unwrap();
        let mut unique = ports.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 5, "{ports:?}");
        for port in ports {
            assert!((LOWEST..ephemeral_start()).contains(&port), "{port}");
            TcpListener::bind(("127.0.0.1", port)).unwrap();
        }
    }
}
