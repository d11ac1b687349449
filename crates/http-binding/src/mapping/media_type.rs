//! The body's serialization from `Content-Type` and `Accept`, and the `ty` parameter of a
//! Create's `Content-Type` (TS-0009 6.4.2, 6.4.3).

use onem2m_primitive::ResourceType;

use crate::error::Error;

/// The serialization of an HTTP body: the content alone (TS-0009 6.5), never a whole
/// primitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyFormat {
    /// `application/json`, `application/vnd.onem2m-res+json`.
    Json,
    /// `application/xml`, `application/vnd.onem2m-res+xml`.
    Xml,
    /// `application/cbor`, `application/vnd.onem2m-res+cbor`.
    Cbor,
}

impl BodyFormat {
    /// Every format, in the order preferred when an `Accept` header allows any.
    pub const ALL: [BodyFormat; 3] = [BodyFormat::Json, BodyFormat::Xml, BodyFormat::Cbor];

    /// The serializer's name (`json`, `xml`, `cbor`): the suffix of its media types.
    pub fn name(self) -> &'static str {
        match self {
            BodyFormat::Json => "json",
            BodyFormat::Xml => "xml",
            BodyFormat::Cbor => "cbor",
        }
    }

    /// The plain media type, `application/json` and so on: what every peer reads
    /// (ACME reads only these and the `vnd.onem2m-res+` forms).
    pub fn media_type(self) -> &'static str {
        match self {
            BodyFormat::Json => "application/json",
            BodyFormat::Xml => "application/xml",
            BodyFormat::Cbor => "application/cbor",
        }
    }

    /// The resource media type that carries `ty` on a Create (TS-0009 6.4.3).
    pub fn resource_media_type(self) -> &'static str {
        match self {
            BodyFormat::Json => "application/vnd.onem2m-res+json",
            BodyFormat::Xml => "application/vnd.onem2m-res+xml",
            BodyFormat::Cbor => "application/vnd.onem2m-res+cbor",
        }
    }

    /// The format of a media type without parameters, compared case-insensitively:
    /// `application/<name>` or `application/vnd.onem2m-res+<name>` (or `-ntfy+`, for a
    /// notification's content). The primitive types (`-preq+`, `-prsp+`) are whole
    /// primitives, not content, so they are not a body format here.
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        let lower = media_type.trim().to_ascii_lowercase();
        let suffix = lower
            .strip_prefix("application/vnd.onem2m-res+")
            .or_else(|| lower.strip_prefix("application/vnd.onem2m-ntfy+"))
            .or_else(|| lower.strip_prefix("application/"))?;
        BodyFormat::ALL
            .into_iter()
            .find(|format| format.name() == suffix)
    }

    /// The `Content-Type` of a body in this format: with `ty` (a Create), the resource
    /// media type and its `ty` parameter, else the plain media type.
    pub fn content_type(self, ty: Option<ResourceType>) -> String {
        match ty {
            Some(ty) => format!("{}; ty={}", self.resource_media_type(), ty.code()),
            None => self.media_type().to_owned(),
        }
    }
}

/// A parsed `Content-Type`: the body's format and the `ty` parameter, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentType {
    /// The body's format.
    pub format: BodyFormat,
    /// `ty`, present on a Create only.
    pub ty: Option<ResourceType>,
}

impl ContentType {
    /// Parses `type/subtype; param=value; ...`. Parameters other than `ty` (`charset`)
    /// are ignored; a `ty` that is not a positive integer is a malformed header (4000),
    /// an unknown media type is 4015.
    pub fn parse(value: &str) -> Result<Self, Error> {
        let mut parts = value.split(';');
        let media_type = parts.next().unwrap_or_default();
        let format = BodyFormat::from_media_type(media_type)
            .ok_or_else(|| Error::UnsupportedMediaType(excerpt(media_type)))?;
        let mut ty = None;
        for parameter in parts {
            let Some((name, code)) = parameter.split_once('=') else {
                continue;
            };
            if !name.trim().eq_ignore_ascii_case("ty") {
                continue;
            }
            if ty.is_some() {
                return Err(content_type_error("ty given twice"));
            }
            let code = code.trim().trim_matches('"');
            let code = code
                .parse::<u32>()
                .ok()
                .filter(|code| *code > 0)
                .ok_or_else(|| {
                    content_type_error(format!("ty={} is not a resource type", excerpt(code)))
                })?;
            ty = Some(ResourceType(code));
        }
        Ok(Self { format, ty })
    }
}

fn content_type_error(reason: impl Into<String>) -> Error {
    Error::Header {
        name: "Content-Type",
        reason: reason.into(),
    }
}

/// The format of the response to a request with this `Accept` header and body format
/// (TS-0009 6.4.3: the Hosting CSE considers `Accept`).
///
/// The media ranges are tried in order of their quality (`q`), ties in the order given;
/// `q=0` excludes a type. A wildcard (`*/*`, `application/*`) takes the request's own
/// format, else JSON. No `Accept` header means the same. A header that names only types
/// the binding does not write is [`Error::NotAcceptable`].
pub fn negotiate(accept: Option<&str>, request: Option<BodyFormat>) -> Result<BodyFormat, Error> {
    let fallback = request.unwrap_or(BodyFormat::Json);
    let Some(accept) = accept.filter(|accept| !accept.trim().is_empty()) else {
        return Ok(fallback);
    };
    let mut ranges: Vec<(u16, usize, &str)> = Vec::new();
    for (position, range) in accept.split(',').enumerate() {
        let mut parts = range.split(';');
        let media_type = parts.next().unwrap_or_default().trim();
        let quality = parts
            .filter_map(|parameter| parameter.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            .map_or(1000, |(_, q)| quality(q));
        if quality > 0 && !media_type.is_empty() {
            ranges.push((quality, position, media_type));
        }
    }
    // Highest quality first; a stable sort keeps the header's order among equals.
    ranges.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, media_type) in ranges {
        if media_type == "*/*" || media_type.eq_ignore_ascii_case("application/*") {
            return Ok(fallback);
        }
        if let Some(format) = BodyFormat::from_media_type(media_type) {
            return Ok(format);
        }
    }
    Err(Error::NotAcceptable(excerpt(accept)))
}

/// A quality value in thousandths; anything unreadable counts as 1.
fn quality(q: &str) -> u16 {
    match q.trim().parse::<f32>() {
        Ok(q) if (0.0..=1.0).contains(&q) => (q * 1000.0).round() as u16,
        _ => 1000,
    }
}

/// The start of a peer's text, for an error message.
pub(crate) fn excerpt(text: &str) -> String {
    const SHOWN: usize = 64;
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use onem2m_primitive::ResponseStatusCode;

    use super::*;

    #[test]
    fn ts_0009_6_4_3_create_content_type_carries_ty() {
        assert_eq!(
            BodyFormat::Json.content_type(Some(ResourceType::CONTAINER)),
            "application/vnd.onem2m-res+json; ty=3"
        );
        assert_eq!(BodyFormat::Cbor.content_type(None), "application/cbor");
        for (header, format, ty) in [
            (
                "application/vnd.onem2m-res+xml; ty=3",
                BodyFormat::Xml,
                Some(3),
            ),
            (
                "application/vnd.onem2m-res+json;ty=2",
                BodyFormat::Json,
                Some(2),
            ),
            ("Application/JSON; charset=utf-8", BodyFormat::Json, None),
            ("application/cbor", BodyFormat::Cbor, None),
            ("application/vnd.onem2m-ntfy+json", BodyFormat::Json, None),
        ] {
            let parsed = ContentType::parse(header).unwrap();
            assert_eq!(parsed.format, format, "{header}");
            assert_eq!(parsed.ty, ty.map(ResourceType), "{header}");
        }
    }

    #[test]
    fn ts_0009_6_4_3_unknown_media_types_are_4015_and_bad_ty_4000() {
        for header in [
            "text/plain",
            "application/vnd.onem2m-preq+json",
            "application/yaml",
            "",
        ] {
            let error = ContentType::parse(header).unwrap_err();
            assert_eq!(
                error.status_code(),
                ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{header}"
            );
        }
        for header in [
            "application/json; ty=x",
            "application/json; ty=0",
            "application/json; ty=2; ty=3",
        ] {
            let error = ContentType::parse(header).unwrap_err();
            assert_eq!(
                error.status_code(),
                ResponseStatusCode::BAD_REQUEST,
                "{header}"
            );
        }
    }

    #[test]
    fn ts_0009_6_4_2_accept_chooses_the_response_format() {
        let json = Some(BodyFormat::Json);
        assert_eq!(
            negotiate(None, Some(BodyFormat::Cbor)).unwrap(),
            BodyFormat::Cbor
        );
        assert_eq!(negotiate(None, None).unwrap(), BodyFormat::Json);
        assert_eq!(
            negotiate(Some("application/xml"), json).unwrap(),
            BodyFormat::Xml
        );
        assert_eq!(
            negotiate(Some("text/html, application/vnd.onem2m-res+cbor"), json).unwrap(),
            BodyFormat::Cbor
        );
        assert_eq!(
            negotiate(Some("application/json;q=0.5, application/xml"), json).unwrap(),
            BodyFormat::Xml
        );
        assert_eq!(
            negotiate(Some("application/xml;q=0, */*"), Some(BodyFormat::Cbor)).unwrap(),
            BodyFormat::Cbor
        );
        let error = negotiate(Some("text/html"), json).unwrap_err();
        assert_eq!(error.status_code(), ResponseStatusCode::NOT_ACCEPTABLE);
    }
}
