//! The release version indicator `rvi` (TS-0004 6.3.4.2.x, m2m:releaseVersion).

use std::fmt;

/// The oneM2M release a primitive follows. Mandatory in every primitive since Release 2.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReleaseVersion {
    /// `"1"`: Release 1 (sent as an explicit value only by a few peers).
    V1,
    /// `"2"`: Release 2.
    V2,
    /// `"2a"`: Release 2A.
    V2a,
    /// `"3"`: Release 3.
    V3,
    /// `"4"`: Release 4.
    V4,
    /// `"5"`: Release 5.
    V5,
    /// Any other text. Kept so that a receiver can answer 4001 with the request's `rqi`
    /// instead of failing to decode it.
    Other(String),
}

impl ReleaseVersion {
    /// The wire text.
    pub fn as_str(&self) -> &str {
        match self {
            ReleaseVersion::V1 => "1",
            ReleaseVersion::V2 => "2",
            ReleaseVersion::V2a => "2a",
            ReleaseVersion::V3 => "3",
            ReleaseVersion::V4 => "4",
            ReleaseVersion::V5 => "5",
            ReleaseVersion::Other(s) => s,
        }
    }

    /// Reads the wire text; never fails (unknown text becomes [`ReleaseVersion::Other`]).
    pub fn parse(s: &str) -> Self {
        match s {
            "1" => ReleaseVersion::V1,
            "2" => ReleaseVersion::V2,
            "2a" => ReleaseVersion::V2a,
            "3" => ReleaseVersion::V3,
            "4" => ReleaseVersion::V4,
            "5" => ReleaseVersion::V5,
            other => ReleaseVersion::Other(other.to_owned()),
        }
    }

    /// Whether this framework speaks the release (2, 2a, 3, 4 and 5; the binding's
    /// primitives did not change between them).
    pub fn is_supported(&self) -> bool {
        matches!(
            self,
            ReleaseVersion::V2
                | ReleaseVersion::V2a
                | ReleaseVersion::V3
                | ReleaseVersion::V4
                | ReleaseVersion::V5
        )
    }
}

impl Default for ReleaseVersion {
    /// Release 3, the release of the published MQTT binding (TS-0010 V3).
    fn default() -> Self {
        ReleaseVersion::V3
    }
}

impl fmt::Display for ReleaseVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
