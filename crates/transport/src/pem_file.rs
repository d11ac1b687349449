//! Reading certificates and keys from PEM files, with errors that name the file.

use std::path::Path;

use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::Error;

/// Every `CERTIFICATE` item of a PEM file; an error if there is none.
pub(crate) fn certificates(
    what: &'static str,
    path: &Path,
) -> Result<Vec<CertificateDer<'static>>, Error> {
    let pem = read(what, path)?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad_pem(what, path, "CERTIFICATE", e.to_string()))?;
    if certs.is_empty() {
        return Err(bad_pem(
            what,
            path,
            "CERTIFICATE",
            "no CERTIFICATE section found".into(),
        ));
    }
    Ok(certs)
}

/// The first private key item (PKCS#8, PKCS#1 or SEC1) of a PEM file.
pub(crate) fn private_key(
    what: &'static str,
    path: &Path,
) -> Result<PrivateKeyDer<'static>, Error> {
    let pem = read(what, path)?;
    PrivateKeyDer::from_pem_slice(&pem)
        .map_err(|e| bad_pem(what, path, "PRIVATE KEY", e.to_string()))
}

fn read(what: &'static str, path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::ReadFile {
        what,
        path: path.to_owned(),
        source,
    })
}

fn bad_pem(what: &'static str, path: &Path, expected: &'static str, reason: String) -> Error {
    Error::BadPem {
        what,
        path: path.to_owned(),
        expected,
        reason,
    }
}
