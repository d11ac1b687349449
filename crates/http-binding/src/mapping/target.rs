//! The request target's path from `to`, and back (TS-0009 6.2.2.1).
//!
//! - CSE-relative `cse-in/ae1` is the path `/cse-in/ae1`;
//! - SP-relative `/id-in/cse-in/ae1` is `/~/id-in/cse-in/ae1`;
//! - absolute `//sp.example/id-in/ae1` is `/_/sp.example/id-in/ae1` (its first `/`
//!   replaced by `/_`).
//!
//! Every other character outside RFC 3986's unreserved set is percent-encoded.

use super::percent;
use crate::error::Error;

/// The path for `to`.
///
/// A CSE-relative ID whose first segment is `~` or `_` is refused: its path would read
/// back as an SP-relative or absolute ID. So is a segment `.` or `..`.
pub fn path_from_to(to: &str) -> Result<String, Error> {
    // HTTP stacks and proxies remove dot segments (RFC 3986 5.2.4), encoded or not.
    if to
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return Err(Error::not_mappable(
            "to",
            "a segment . or .. would be removed on the way",
        ));
    }
    if let Some(rest) = to.strip_prefix("//") {
        return Ok(format!("/_/{}", percent::encode_path(rest)));
    }
    if to.starts_with('/') {
        return Ok(format!("/~{}", percent::encode_path(to)));
    }
    let first_segment = to.split('/').next().unwrap_or_default();
    if first_segment == "~" || first_segment == "_" {
        return Err(Error::not_mappable(
            "to",
            format!("a CSE-relative ID cannot start with the segment {first_segment:?}"),
        ));
    }
    Ok(format!("/{}", percent::encode_path(to)))
}

/// The `to` a path stands for (the reverse of [`path_from_to`]).
pub fn to_from_path(path: &str) -> Result<String, Error> {
    let Some(relative) = path.strip_prefix('/') else {
        return Err(Error::Target(format!(
            "the path {:?} does not start with /",
            super::media_type::excerpt(path)
        )));
    };
    let (prefix, raw) = if let Some(rest) = relative.strip_prefix("~/") {
        ("/", rest)
    } else if let Some(rest) = relative.strip_prefix("_/") {
        ("//", rest)
    } else if relative == "~" || relative == "_" {
        return Err(Error::Target(format!(
            "the path {path:?} names no resource"
        )));
    } else {
        ("", relative)
    };
    let decoded = percent::decode(raw)
        .ok_or_else(|| Error::Target("the path is not UTF-8 once percent-decoded".to_owned()))?;
    Ok(format!("{prefix}{decoded}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// TS-0009 Table 6.2.2.1-1's three forms.
    #[test]
    fn ts_0009_6_2_2_1_the_three_forms_of_to_map_to_paths() {
        for (to, path) in [
            ("CSEBase/ae12/cont27", "/CSEBase/ae12/cont27"),
            ("cin00856", "/cin00856"),
            ("/myCSEID/CSEBase/ae12", "/~/myCSEID/CSEBase/ae12"),
            ("/CSE178/cin00856", "/~/CSE178/cin00856"),
            (
                "//example.net/myCSE/-/Cont1",
                "/_/example.net/myCSE/-/Cont1",
            ),
            ("", "/"),
            ("/", "/~/"),
        ] {
            assert_eq!(path_from_to(to).unwrap(), path, "{to}");
            assert_eq!(to_from_path(path).unwrap(), to, "{path}");
        }
    }

    #[test]
    fn ts_0009_6_2_2_1_reserved_characters_in_to_are_percent_encoded() {
        let to = "cse-in/a b/c#d?e%f/ü";
        let path = path_from_to(to).unwrap();
        assert_eq!(path, "/cse-in/a%20b/c%23d%3Fe%25f/%C3%BC");
        assert_eq!(to_from_path(&path).unwrap(), to);
        assert_eq!(to_from_path("/~/id-in/a%2Fb").unwrap(), "/id-in/a/b");
    }

    #[test]
    fn paths_that_name_no_resource_are_refused() {
        for path in ["", "cse-in", "/~", "/_", "/a%FF"] {
            assert!(
                matches!(to_from_path(path), Err(Error::Target(_))),
                "{path}"
            );
        }
        for to in ["~", "~/x", "_/x", "cse-in/../x", "/id-in/./x"] {
            assert!(
                matches!(path_from_to(to), Err(Error::NotMappable { .. })),
                "{to}"
            );
        }
    }
}
