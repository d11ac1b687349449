//! The optional TOML file (`--config`), and how it combines with flags and environment
//! variables: a flag or variable wins over the file, the file over the defaults.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::failure::{Context, Failure};
use crate::settings::{Scheme, Serialization, Settings};

/// What the file may set; every key is optional, unknown keys are refused.
///
/// ```toml
/// url = "mqtt://127.0.0.1:1883"
/// serialization = "json"   # xml | json | cbor
/// scheme = "ts0010"        # ts0010 | ts0010-stem | draft
/// cse_id = "/id-in"
/// timeout_secs = 10
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// The broker URL.
    pub url: Option<String>,
    /// The serialization.
    pub serialization: Option<Serialization>,
    /// The topic scheme.
    pub scheme: Option<Scheme>,
    /// The CSE-ID of the CSE.
    pub cse_id: Option<String>,
    /// The request timeout in seconds.
    pub timeout_secs: Option<u64>,
}

impl FileConfig {
    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<Self, Failure> {
        let what = format!("reading config file {}", path.display());
        let text = std::fs::read_to_string(path).context(what.clone())?;
        Self::parse(&text).context(what)
    }

    /// Parses TOML text.
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .and_then(|span| text.get(..span.start))
                .map(|before| before.matches('\n').count() + 1);
            match line {
                Some(line) => format!("line {line}: {}", e.message()),
                None => e.message().to_owned(),
            }
        })
    }
}

/// What flags and environment variables said (clap reads both); `None` where neither did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--url` / `M2M_URL`.
    pub url: Option<String>,
    /// `--serialization` / `M2M_SERIALIZATION`.
    pub serialization: Option<Serialization>,
    /// `--scheme` / `M2M_SCHEME`.
    pub scheme: Option<Scheme>,
    /// `--cse-id` / `M2M_CSE_ID`.
    pub cse_id: Option<String>,
    /// `--timeout` / `M2M_TIMEOUT`, seconds.
    pub timeout_secs: Option<u64>,
}

/// The settings: overrides first, then the file, then the defaults.
pub fn resolve(overrides: Overrides, file: FileConfig) -> Settings {
    let defaults = Settings::default();
    Settings {
        url: overrides.url.or(file.url).unwrap_or(defaults.url),
        serialization: overrides
            .serialization
            .or(file.serialization)
            .unwrap_or(defaults.serialization),
        scheme: overrides.scheme.or(file.scheme).unwrap_or(defaults.scheme),
        cse_id: overrides.cse_id.or(file.cse_id).unwrap_or(defaults.cse_id),
        timeout: overrides
            .timeout_secs
            .or(file.timeout_secs)
            .map(Duration::from_secs)
            .unwrap_or(defaults.timeout),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let file = FileConfig::parse(
            "url = \"mqtt://broker:1884\"\nserialization = \"cbor\"\nscheme = \"draft\"\n",
        )
        .unwrap();
        let overrides = Overrides {
            serialization: Some(Serialization::Xml),
            ..Overrides::default()
        };
        let settings = resolve(overrides, file);
        assert_eq!(settings.url, "mqtt://broker:1884");
        assert_eq!(settings.serialization, Serialization::Xml);
        assert_eq!(settings.scheme, Scheme::Draft);
        assert_eq!(settings.cse_id, "/id-in");
        assert_eq!(settings.timeout, Duration::from_secs(10));
    }

    #[test]
    fn an_unknown_key_or_value_is_refused_with_its_name() {
        let unknown = FileConfig::parse("ulr = \"x\"").unwrap_err();
        assert!(unknown.contains("ulr"), "{unknown}");
        let bad = FileConfig::parse("serialization = \"yaml\"").unwrap_err();
        assert!(bad.contains("yaml"), "{bad}");
    }

    #[test]
    fn the_stem_scheme_reads_from_the_file_and_subscribes_to_the_bare_ae_id() {
        use clap::ValueEnum;
        use onem2m_binding::topic::{Entity, filter_matches};

        let file = FileConfig::parse("scheme = \"ts0010-stem\"").unwrap();
        assert_eq!(file.scheme, Some(Scheme::Ts0010Stem));
        assert_eq!(
            Scheme::from_str("ts0010-stem", false).unwrap(),
            Scheme::Ts0010Stem
        );
        // Where ACME notifies an AE: its bare stem as the receiver level.
        let ae = Entity::ae("CListener").with_registrar("/id-in");
        let filters = Scheme::Ts0010Stem
            .topic_scheme()
            .subscriptions(&ae)
            .unwrap();
        let notification = "/oneM2M/req/id-in/CListener/json";
        assert!(
            filters.iter().any(|f| filter_matches(f, notification)),
            "{filters:?}"
        );
        let sp_relative = Scheme::Ts0010.topic_scheme().subscriptions(&ae).unwrap();
        assert!(!sp_relative.iter().any(|f| filter_matches(f, notification)));
    }
}
