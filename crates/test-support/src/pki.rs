//! A throwaway certificate authority with server and client certificates.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

use crate::Error;

/// PEM files of a test PKI, made fresh at test time with rcgen (ECDSA P-256):
/// a CA, a server certificate for `localhost`, `127.0.0.1` and `::1`, and a
/// client certificate (CN `onem2m-test-client`), both signed by the CA.
#[derive(Debug, Clone)]
pub struct TestPki {
    /// The CA certificate (what a client or broker trusts).
    pub ca_cert: PathBuf,
    /// The server certificate.
    pub server_cert: PathBuf,
    /// The server's private key (PKCS#8).
    pub server_key: PathBuf,
    /// The client certificate, for mutual TLS.
    pub client_cert: PathBuf,
    /// The client's private key (PKCS#8).
    pub client_key: PathBuf,
}

/// Names the server certificate is valid for.
pub const SERVER_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

impl TestPki {
    /// Generates a new CA and its certificates, and writes them into `dir`
    /// (`ca.pem`, `server.pem`, `server.key`, `client.pem`, `client.key`).
    /// Two calls give two unrelated CAs.
    pub fn generate(dir: &Path) -> Result<Self, Error> {
        let ca = certificate_authority()?;
        let server = leaf(
            &ca,
            &SERVER_NAMES,
            "onem2m-test-server",
            ExtendedKeyUsagePurpose::ServerAuth,
        )?;
        let client = leaf(
            &ca,
            &[],
            "onem2m-test-client",
            ExtendedKeyUsagePurpose::ClientAuth,
        )?;
        let pki = TestPki {
            ca_cert: dir.join("ca.pem"),
            server_cert: dir.join("server.pem"),
            server_key: dir.join("server.key"),
            client_cert: dir.join("client.pem"),
            client_key: dir.join("client.key"),
        };
        write(&pki.ca_cert, &ca.pem())?;
        write(&pki.server_cert, &server.0)?;
        write(&pki.server_key, &server.1)?;
        write(&pki.client_cert, &client.0)?;
        write(&pki.client_key, &client.1)?;
        Ok(pki)
    }
}

fn certificate_authority() -> Result<CertifiedIssuer<'static, KeyPair>, Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    // A unique name per CA: with two CAs of the same name, a verifier finds the
    // wrong one by name and reports a bad signature instead of an unknown issuer.
    params.distinguished_name.push(
        DnType::CommonName,
        format!("onem2m-mqtt test CA {}", unique_suffix()),
    );
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    Ok(CertifiedIssuer::self_signed(params, KeyPair::generate()?)?)
}

/// A certificate signed by `ca`, as (certificate PEM, key PEM).
fn leaf(
    ca: &CertifiedIssuer<'static, KeyPair>,
    names: &[&str],
    common_name: &str,
    usage: ExtendedKeyUsagePurpose,
) -> Result<(String, String), Error> {
    let mut params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())?;
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![usage];
    params.use_authority_key_identifier_extension = true;
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, ca)?;
    Ok((cert.pem(), key.serialize_pem()))
}

fn unique_suffix() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{}-{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

fn write(path: &Path, contents: &str) -> Result<(), Error> {
    std::fs::write(path, contents).map_err(Error::io(format!("cannot write {}", path.display())))
}
