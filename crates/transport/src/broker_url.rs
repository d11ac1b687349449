//! Broker URLs: `mqtt://`, `mqtts://`, `ws://`, `wss://`.

use std::fmt;

use crate::Error;

/// The transport a URL scheme asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `mqtt://` (also `tcp://`): plain TCP, port 1883 by default.
    Mqtt,
    /// `mqtts://` (also `ssl://`, `tls://`): TLS over TCP, port 8883 by default.
    Mqtts,
    /// `ws://`: WebSocket over TCP, port 80 by default.
    Ws,
    /// `wss://`: WebSocket over TLS, port 443 by default.
    Wss,
}

impl Scheme {
    /// The port used when the URL names none.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Mqtt => 1883,
            Scheme::Mqtts => 8883,
            Scheme::Ws => 80,
            Scheme::Wss => 443,
        }
    }

    /// Whether this scheme runs over TLS.
    pub fn is_secure(self) -> bool {
        matches!(self, Scheme::Mqtts | Scheme::Wss)
    }

    /// Whether this scheme is a WebSocket one.
    pub fn is_websocket(self) -> bool {
        matches!(self, Scheme::Ws | Scheme::Wss)
    }

    /// The canonical scheme name (`mqtt`, `mqtts`, `ws`, `wss`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Mqtt => "mqtt",
            Scheme::Mqtts => "mqtts",
            Scheme::Ws => "ws",
            Scheme::Wss => "wss",
        }
    }

    fn parse(scheme: &str) -> Option<Self> {
        match scheme.to_ascii_lowercase().as_str() {
            "mqtt" | "tcp" => Some(Scheme::Mqtt),
            "mqtts" | "ssl" | "tls" => Some(Scheme::Mqtts),
            "ws" => Some(Scheme::Ws),
            "wss" => Some(Scheme::Wss),
            _ => None,
        }
    }
}

/// The WebSocket path used when a `ws://` or `wss://` URL names none; brokers
/// differ here (Mosquitto accepts any path, many others only `/mqtt`).
pub const DEFAULT_WEBSOCKET_PATH: &str = "/mqtt";

/// A parsed broker URL: `scheme://host[:port][/path]`.
///
/// IPv6 hosts are written in brackets (`mqtt://[::1]:1883`) and stored without.
/// User information (`user:pass@`) is refused rather than silently dropped:
/// credentials belong in the MQTT CONNECT options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerUrl {
    /// The transport the scheme asks for.
    pub scheme: Scheme,
    /// Host name or IP address, without brackets.
    pub host: String,
    /// Port, the scheme's default if the URL had none.
    pub port: u16,
    /// For WebSocket: the request path with any query (default `/mqtt`); for
    /// `mqtt`/`mqtts`: empty.
    pub path: String,
}

impl BrokerUrl {
    /// Parses a broker URL.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let invalid = |reason| Error::InvalidUrl {
            url: url.to_owned(),
            reason,
        };
        let (scheme_text, rest) = url
            .split_once("://")
            .ok_or_else(|| invalid("no scheme (expected e.g. mqtt://host)"))?;
        let scheme = Scheme::parse(scheme_text).ok_or_else(|| Error::UnsupportedScheme {
            scheme: scheme_text.to_owned(),
            url: url.to_owned(),
        })?;
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(invalid(
                "user information in the URL is not supported; give credentials to the MQTT options",
            ));
        }
        let (host, port) = split_host_port(authority).map_err(invalid)?;
        let port = match port {
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| invalid("port is not a number from 1 to 65535"))?,
            None => scheme.default_port(),
        };
        if path.contains('#') {
            return Err(invalid("a fragment (#) has no meaning in a broker URL"));
        }
        let path = if scheme.is_websocket() {
            match path {
                "" => DEFAULT_WEBSOCKET_PATH.to_owned(),
                p if p.starts_with('?') => format!("{DEFAULT_WEBSOCKET_PATH}{p}"),
                p => p.to_owned(),
            }
        } else if path.is_empty() || path == "/" {
            String::new()
        } else {
            return Err(invalid("mqtt:// and mqtts:// URLs take no path"));
        };
        Ok(Self {
            scheme,
            host: host.to_owned(),
            port,
            path,
        })
    }

    /// `host:port`, with brackets around an IPv6 address.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Display for BrokerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}{}",
            self.scheme.as_str(),
            self.authority(),
            self.path
        )
    }
}

impl std::str::FromStr for BrokerUrl {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), &'static str> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or("unclosed [ in IPv6 host")?;
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or("unexpected text after ] in host")?,
            ),
        };
        (host, port)
    } else {
        match authority.split_once(':') {
            Some((_, p)) if p.contains(':') => {
                return Err("IPv6 addresses must be written in brackets");
            }
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("no host");
    }
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn parse(url: &str) -> BrokerUrl {
        BrokerUrl::parse(url).unwrap()
    }

    #[test]
    fn each_scheme_has_its_default_port() {
        assert_eq!(parse("mqtt://broker").port, 1883);
        assert_eq!(parse("mqtts://broker").port, 8883);
        assert_eq!(parse("ws://broker").port, 80);
        assert_eq!(parse("wss://broker").port, 443);
    }

    #[test]
    fn explicit_port_and_host_are_kept() {
        let url = parse("mqtt://10.0.0.7:11883");
        assert_eq!(
            (url.scheme, url.host.as_str(), url.port),
            (Scheme::Mqtt, "10.0.0.7", 11883)
        );
        assert_eq!(url.to_string(), "mqtt://10.0.0.7:11883");
    }

    #[test]
    fn websocket_path_defaults_to_mqtt() {
        assert_eq!(parse("ws://broker:8080").path, "/mqtt");
        assert_eq!(parse("wss://broker/").path, "/");
        assert_eq!(parse("ws://broker/ws/mqtt?x=1").path, "/ws/mqtt?x=1");
        assert_eq!(parse("ws://broker?x=1").path, "/mqtt?x=1");
        assert_eq!(parse("ws://h:9001").to_string(), "ws://h:9001/mqtt");
    }

    #[test]
    fn ipv6_hosts_are_bracketed() {
        let url = parse("mqtts://[::1]:8883");
        assert_eq!(url.host, "::1");
        assert_eq!(url.authority(), "[::1]:8883");
        assert_eq!(parse("ws://[fe80::1]").port, 80);
        assert!(BrokerUrl::parse("mqtt://::1:1883").is_err());
    }

    #[test]
    fn aliases_and_case() {
        assert_eq!(parse("tcp://h").scheme, Scheme::Mqtt);
        assert_eq!(parse("SSL://h").scheme, Scheme::Mqtts);
    }

    #[test]
    fn unknown_scheme_is_named() {
        let err = BrokerUrl::parse("http://broker:80").unwrap_err();
        assert!(
            matches!(&err, Error::UnsupportedScheme { scheme, .. } if scheme == "http"),
            "{err}"
        );
        assert!(err.to_string().contains("\"http\""), "{err}");
    }

    #[test]
    fn malformed_urls_are_refused_with_a_reason() {
        for bad in [
            "broker:1883",
            "mqtt://",
            "mqtt://:1883",
            "mqtt://h:0",
            "mqtt://h:65536",
            "mqtt://h:x",
            "mqtt://u:p@h",
            "mqtt://h/path",
            "ws://h/p#frag",
            "mqtt://[::1",
            "mqtt://[::1]x",
        ] {
            let err = BrokerUrl::parse(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidUrl { .. }), "{bad}: {err}");
        }
    }
}
