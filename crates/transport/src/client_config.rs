//! Turning [`TlsOptions`] into a rustls client configuration.

use std::sync::Arc;

use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

use crate::danger::AcceptAnyServerCert;
use crate::{Error, TlsOptions, pem_file};

impl TlsOptions {
    /// Builds the rustls configuration these options describe (reads the PEM
    /// files now, so that a missing or broken file is reported before the first
    /// connect).
    ///
    /// The crypto provider is always `ring`, passed explicitly: rustls'
    /// process-wide default provider is never consulted, so no feature
    /// unification elsewhere in a program can make this panic.
    pub fn build_client_config(&self) -> Result<Arc<ClientConfig>, Error> {
        if let Some(config) = &self.client_config {
            return Ok(Arc::clone(config));
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(Error::TlsConfig)?;
        let builder = if self.danger_accept_invalid_certs {
            tracing::warn!(
                "TLS server certificate verification is OFF (danger_accept_invalid_certs)"
            );
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyServerCert::new(provider)))
        } else {
            builder.with_root_certificates(self.root_store()?)
        };
        let config = match &self.client_auth {
            Some((cert_file, key_file)) => {
                let chain = pem_file::certificates("client certificate", cert_file)?;
                let key = pem_file::private_key("client key", key_file)?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(Error::TlsConfig)?
            }
            None => builder.with_no_client_auth(),
        };
        Ok(Arc::new(config))
    }

    fn root_store(&self) -> Result<RootCertStore, Error> {
        let Some(path) = &self.ca_file else {
            return Ok(RootCertStore::from_iter(
                webpki_roots::TLS_SERVER_ROOTS.iter().cloned(),
            ));
        };
        let mut roots = RootCertStore::empty();
        for cert in pem_file::certificates("CA", path)? {
            roots.add(cert).map_err(|e| Error::BadPem {
                what: "CA",
                path: path.clone(),
                expected: "CA CERTIFICATE",
                reason: e.to_string(),
            })?;
        }
        Ok(roots)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn default_options_build_with_the_builtin_roots() {
        TlsOptions::new().build_client_config().unwrap();
    }

    #[test]
    fn missing_ca_file_is_named_in_the_error() {
        let err = TlsOptions::new()
            .ca_file("/nonexistent/ca.pem")
            .build_client_config()
            .unwrap_err();
        assert!(matches!(err, Error::ReadFile { what: "CA", .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains("/nonexistent/ca.pem"), "{text}");
        assert!(text.contains("No such file"), "{text}");
    }

    #[test]
    fn file_without_certificates_is_bad_pem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "this is not PEM\n").unwrap();
        let err = TlsOptions::new()
            .ca_file(&path)
            .build_client_config()
            .unwrap_err();
        assert!(matches!(err, Error::BadPem { .. }), "{err}");
        assert!(err.to_string().contains("no CERTIFICATE section"), "{err}");
    }

    #[test]
    fn truncated_pem_is_bad_pem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "-----BEGIN CERTIFICATE-----\nMIIB\n").unwrap();
        let err = TlsOptions::new()
            .ca_file(&path)
            .build_client_config()
            .unwrap_err();
        assert!(matches!(err, Error::BadPem { .. }), "{err}");
    }

    #[test]
    fn client_key_file_without_a_key_is_bad_pem() {
        let dir = tempfile::tempdir().unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["client".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let cert_path = dir.path().join("client.pem");
        std::fs::write(&cert_path, cert.pem()).unwrap();
        // The certificate file given as the key file.
        let err = TlsOptions::new()
            .client_auth(&cert_path, &cert_path)
            .build_client_config()
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::BadPem {
                    what: "client key",
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            TlsOptions::new()
                .client_auth(&cert_path, "/nonexistent.key")
                .build_client_config()
                .is_err()
        );
    }

    #[test]
    fn client_certificate_and_key_load() {
        let dir = tempfile::tempdir().unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["client".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let (cert_path, key_path) = (dir.path().join("c.pem"), dir.path().join("c.key"));
        std::fs::write(&cert_path, cert.pem()).unwrap();
        std::fs::write(&key_path, key.serialize_pem()).unwrap();
        let config = TlsOptions::new()
            .client_auth(&cert_path, &key_path)
            .build_client_config()
            .unwrap();
        assert!(config.client_auth_cert_resolver.has_certs());
    }
}
