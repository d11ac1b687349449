//! The next hop's base URL, and a request's absolute URI under it.

use http::Uri;
use http::uri::{Authority, PathAndQuery, Scheme};

use super::ClientError;

/// `http://host[:port][/prefix]`: where requests go, the request's path appended to
/// the prefix.
#[derive(Debug, Clone)]
pub(crate) struct BaseUrl {
    uri: Uri,
    authority: Authority,
    /// The path prefix without its trailing `/` (empty for none).
    prefix: String,
}

impl BaseUrl {
    pub(crate) fn parse(url: &str) -> Result<Self, ClientError> {
        let refuse = |reason: &str| ClientError::BaseUrl {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let uri: Uri = url
            .parse()
            .map_err(|e: http::uri::InvalidUri| refuse(&e.to_string()))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => return Err(refuse("https is not supported (plain http only)")),
            Some(_) => return Err(refuse("the scheme must be http")),
            None => return Err(refuse("no scheme: write http://host:port")),
        }
        let authority = uri
            .authority()
            .filter(|authority| !authority.host().is_empty())
            .cloned()
            .ok_or_else(|| refuse("no host"))?;
        if authority.as_str().contains('@') {
            return Err(refuse("user information is not supported"));
        }
        if uri.query().is_some() {
            return Err(refuse("a base URL has no query"));
        }
        let prefix = uri.path().trim_end_matches('/').to_owned();
        Ok(Self {
            uri,
            authority,
            prefix,
        })
    }

    /// The base URL as given.
    pub(crate) fn uri(&self) -> &Uri {
        &self.uri
    }

    /// `http://authority`, for error messages.
    pub(crate) fn target(&self) -> String {
        format!("http://{}", self.authority)
    }

    /// The absolute URI of an origin-form request target (path and query).
    pub(crate) fn join(&self, origin_form: &Uri) -> Result<Uri, ClientError> {
        let path_and_query = origin_form
            .path_and_query()
            .map_or("/", PathAndQuery::as_str);
        Uri::builder()
            .scheme(Scheme::HTTP)
            .authority(self.authority.clone())
            .path_and_query(format!("{}{path_and_query}", self.prefix))
            .build()
            .map_err(|e| ClientError::Request(crate::Error::Http(format!("the request URI: {e}"))))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn the_request_path_is_appended_to_the_base_prefix() {
        let origin: Uri = "/cse-in/ae1?rcn=1".parse().unwrap();
        for (base, absolute) in [
            (
                "http://127.0.0.1:8080",
                "http://127.0.0.1:8080/cse-in/ae1?rcn=1",
            ),
            (
                "http://127.0.0.1:8080/",
                "http://127.0.0.1:8080/cse-in/ae1?rcn=1",
            ),
            (
                "http://host:81/onem2m/",
                "http://host:81/onem2m/cse-in/ae1?rcn=1",
            ),
            ("http://[::1]:81/p", "http://[::1]:81/p/cse-in/ae1?rcn=1"),
        ] {
            let base = BaseUrl::parse(base).unwrap();
            assert_eq!(base.join(&origin).unwrap().to_string(), absolute);
        }
    }

    #[test]
    fn base_urls_that_are_not_plain_http_are_refused() {
        for url in [
            "https://127.0.0.1:8443",
            "mqtt://127.0.0.1:1883",
            "127.0.0.1:8080",
            "/cse-in",
            "http://",
            "http://user@host:80",
            "http://host:80/?x=1",
            "http://host:80/a b",
        ] {
            assert!(
                matches!(BaseUrl::parse(url), Err(ClientError::BaseUrl { .. })),
                "{url}"
            );
        }
    }
}
