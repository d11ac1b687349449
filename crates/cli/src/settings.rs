//! The connection settings every command shares, and the binding builder they make.

use std::time::Duration;

use clap::ValueEnum;
use onem2m_binding::topic::AeIdForm;
use onem2m_binding::{BindingBuilder, DraftScheme, TopicScheme, Ts0010Scheme};
use onem2m_serialization::{CborSerializer, JsonSerializer, Serializer, XmlSerializer};
use serde::Deserialize;

use crate::failure::{Context, Failure};

/// The broker every command uses when told none.
pub const DEFAULT_URL: &str = "mqtt://127.0.0.1:1883";
/// The CSE the commands talk to when told none.
pub const DEFAULT_CSE_ID: &str = "/id-in";

/// How primitives are written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Serialization {
    /// XML (TS-0004 8.3), the draft's default.
    Xml,
    /// JSON (TS-0004 8.4): readable, the command's default.
    #[default]
    Json,
    /// CBOR (TS-0004 8.5).
    Cbor,
}

impl Serialization {
    /// The serialization a TS-0010 topic's type level names.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "xml" => Some(Self::Xml),
            "json" => Some(Self::Json),
            "cbor" => Some(Self::Cbor),
            _ => None,
        }
    }

    /// The serializer.
    pub fn serializer(self) -> Box<dyn Serializer> {
        match self {
            Self::Xml => Box::new(XmlSerializer::new()),
            Self::Json => Box::new(JsonSerializer::new()),
            Self::Cbor => Box::new(CborSerializer::new()),
        }
    }

    fn apply(self, builder: BindingBuilder) -> BindingBuilder {
        match self {
            Self::Xml => builder.serializer(XmlSerializer::new()),
            Self::Json => builder.serializer(JsonSerializer::new()),
            Self::Cbor => builder.serializer(CborSerializer::new()),
        }
    }
}

/// Which topics primitives travel on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// TS-0010 V3.1.0: `/oneM2M/req/<originator>/<receiver>/<type>`.
    #[default]
    Ts0010,
    /// TS-0010 with C-type AE-IDs written as their bare stem (`CAE01`, not
    /// `id-in:CAE01`; TS-0010 7.4), as ACME addresses the AEs it notifies.
    #[value(name = "ts0010-stem")]
    #[serde(rename = "ts0010-stem")]
    Ts0010Stem,
    /// The seed draft: `/oneM2M/<to>/req`, `/oneM2M/<originator>/resp`.
    Draft,
}

impl Scheme {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ts0010 => "ts0010",
            Self::Ts0010Stem => "ts0010-stem",
            Self::Draft => "draft",
        }
    }

    /// The topic scheme.
    pub fn topic_scheme(self) -> Box<dyn TopicScheme> {
        match self {
            Self::Ts0010 => Box::new(Ts0010Scheme::new()),
            Self::Ts0010Stem => Box::new(ts0010_stem()),
            Self::Draft => Box::new(DraftScheme),
        }
    }

    /// Whether the scheme has registration topics (`reg_req`); the draft has none.
    pub fn has_registration_topics(self) -> bool {
        self != Self::Draft
    }

    fn apply(self, builder: BindingBuilder) -> BindingBuilder {
        match self {
            Self::Ts0010 => builder.topic_scheme(Ts0010Scheme::new()),
            Self::Ts0010Stem => builder.topic_scheme(ts0010_stem()),
            Self::Draft => builder.topic_scheme(DraftScheme),
        }
    }
}

fn ts0010_stem() -> Ts0010Scheme {
    Ts0010Scheme::new().with_ae_id_form(AeIdForm::Stem)
}

/// Where the broker is and how to speak to it, after flags, environment and file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The broker URL (`mqtt://`, `mqtts://`, `ws://`, `wss://`).
    pub url: String,
    /// The serialization requests are written in.
    pub serialization: Serialization,
    /// The topic scheme.
    pub scheme: Scheme,
    /// The CSE (registrar) the commands talk to, or the CSE-ID `m2m cse` takes.
    pub cse_id: String,
    /// How long a request waits for its response.
    pub timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            url: DEFAULT_URL.to_owned(),
            serialization: Serialization::default(),
            scheme: Scheme::default(),
            cse_id: DEFAULT_CSE_ID.to_owned(),
            timeout: Duration::from_secs(10),
        }
    }
}

impl Settings {
    /// A builder with the URL, scheme, serialization and timeouts; the identity is the
    /// caller's to add.
    pub fn builder(&self) -> Result<BindingBuilder, Failure> {
        let builder = onem2m_binding::Binding::builder()
            .url(&self.url)
            .context(format!("using broker URL {}", self.url))?
            .request_timeout(self.timeout)
            .connect_timeout(self.timeout);
        Ok(self.scheme.apply(self.serialization.apply(builder)))
    }
}
