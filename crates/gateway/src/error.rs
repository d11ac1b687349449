//! Why a gateway could not start.

/// Why [`GatewayBuilder::start`](crate::GatewayBuilder::start) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting is missing or malformed.
    #[error("gateway configuration: {0}")]
    Config(String),
    /// The CSE's HTTP base URL is not usable.
    #[error("the CSE's HTTP URL: {0}")]
    CseUrl(#[from] onem2m_http_binding::ClientError),
    /// The HTTP endpoint for the CSE's requests could not be opened.
    #[error("the gateway's HTTP endpoint: {0}")]
    Endpoint(String),
    /// The MQTT side (the CSE's binding) could not start.
    #[error("the MQTT side: {0}")]
    Mqtt(#[from] onem2m_binding::Error),
}
