//! What the XML mapping must know about member names, because XML text carries no type.
//!
//! JSON says `"cni": 3` and `"lbl": ["a"]`; XML says `<cni>3</cni>` and `<lbl>a</lbl>`, so
//! the decoder needs to be told that `cni` is an integer and `lbl` an `xs:list`, and the
//! encoder needs to know that a list named `lbl` is one element of space-separated text
//! while a list named `acr` is one element per item.
//!
//! Where the names come from: the short names of TS-0004 clause 8.2 (tables 8.2.2-1 for
//! primitive parameters, 8.2.3-x for resource attributes and 8.2.4-x for complex-type
//! members) with the XSD types of TS-0004's `CDT-*.xsd` files: `xs:integer` and the
//! integer enumerations are [`Scalar::Int`], `xs:boolean` is [`Scalar::Bool`], the
//! `xs:list` types (`m2m:labels`, `m2m:listOfURIs`, `m2m:poaList`,
//! `m2m:supportedReleaseVersions`, ...) are [`Shape::SpaceList`], and elements with
//! `maxOccurs > 1` are [`Shape::Repeated`]. The integer/boolean/list split was checked
//! against the attribute policies of the ACME CSE (`acmecse/init/attributePolicies.ap`
//! and `complexTypePolicies.ap`). Names not listed are text, which is also what an
//! unknown name decodes to: a receiver that gets a newer release's attribute still reads it.
//!
//! A few names change meaning with their parent element (`ty` is one resource type in a
//! resource and a repeated filter in `fc`; `net` is one event type in a notification and
//! a list in `enc`), so [`shape`] takes the parent's name too.

/// The type of the text of an element or attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scalar {
    /// Kept as text (IDs, URIs, timestamps, names, and anything unknown).
    Text,
    /// An integer or an integer enumeration.
    Int,
    /// `xs:boolean` (`true`, `false`, `1`, `0`).
    Bool,
}

/// How a member with a given name appears in XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One element whose text, if it has no children, is one value.
    One(Scalar),
    /// An `xs:list`: one element whose text is the items separated by spaces.
    SpaceList(Scalar),
    /// An element with `maxOccurs > 1`: one element per item, a list once decoded even
    /// when only one item came.
    Repeated(Scalar),
}

/// How the member `name` of the element `parent` appears in XML. `parent` is the
/// enclosing element's name (`pc`, `m2m:ae`, `fc`, ...).
pub(crate) fn shape(parent: &str, name: &str) -> Shape {
    use Scalar::{Int, Text};
    use Shape::{One, Repeated, SpaceList};
    match (parent, name) {
        // m2m:filterCriteria repeats these elements instead of using xs:list.
        ("fc", "ty" | "pty" | "chty") => return Repeated(Int),
        ("fc", "cty" | "smf" | "atr" | "catr" | "patr") => return Repeated(Text),
        // m2m:eventNotificationCriteria.
        ("enc", "net") => return Repeated(Int),
        ("enc", "atr") => return SpaceList(Text),
        // m2m:aggregatedResponse and m2m:resourceRefList.
        ("m2m:agr", "m2m:rsp") | ("m2m:rrl", "rrf") => return Repeated(Text),
        _ => {}
    }
    // A resource's child resources (result content 4 and 8) are a list per type.
    if is_resource_element(parent) && is_resource_element(name) {
        return Repeated(Text);
    }
    match SHAPES.binary_search_by(|(known, _)| by_length_then_bytes(known, name)) {
        Ok(found) => SHAPES.get(found).map_or(One(Text), |(_, shape)| *shape),
        Err(_) => One(Text),
    }
}

/// The order of [`SHAPES`]: most names differ in length, which decides without looking at
/// the bytes.
fn by_length_then_bytes(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.bytes().cmp(b.bytes()))
}

/// The names whose shape does not depend on their parent, sorted by
/// [`by_length_then_bytes`] for binary search.
/// Besides resource attributes it has the primitive parameters (`op`, `rsc`, `rids`,
/// ...), which also appear inside content: an `m2m:rqp` in a polling-channel response,
/// `m2m:rsp` items in an aggregated response. The repeated names are complex members with
/// `maxOccurs > 1` and schedule entries (`actw`, `sce`), which contain spaces and so
/// cannot be an `xs:list`.
const SHAPES: &[(&str, Shape)] = {
    use Scalar::{Bool, Int, Text};
    use Shape::{One, Repeated, SpaceList};
    &[
        ("aa", SpaceList(Text)),
        ("at", SpaceList(Text)),
        ("ch", Repeated(Text)),
        ("cs", One(Int)),
        ("da", One(Bool)),
        ("ec", One(Int)),
        ("fo", One(Int)),
        ("fu", One(Int)),
        ("in", One(Bool)),
        ("ln", One(Bool)),
        ("mt", One(Int)),
        ("nu", SpaceList(Text)),
        ("om", Repeated(Text)),
        ("op", One(Int)),
        ("pn", One(Int)),
        ("rr", One(Bool)),
        ("rs", One(Int)),
        ("st", One(Int)),
        ("ty", One(Int)),
        ("ud", One(Bool)),
        ("un", One(Bool)),
        ("aca", SpaceList(Text)),
        ("acl", One(Int)),
        ("acr", Repeated(Text)),
        ("act", One(Bool)),
        ("apy", One(Int)),
        ("asi", One(Bool)),
        ("ast", One(Int)),
        ("att", One(Bool)),
        ("btl", One(Int)),
        ("bts", One(Int)),
        ("cbs", One(Int)),
        ("cfs", One(Int)),
        ("cni", One(Int)),
        ("cnm", One(Int)),
        ("cst", One(Int)),
        ("csy", One(Int)),
        ("csz", SpaceList(Text)),
        ("cus", One(Bool)),
        ("dae", One(Bool)),
        ("dap", SpaceList(Text)),
        ("dea", One(Bool)),
        ("dis", One(Bool)),
        ("drt", One(Int)),
        ("dsi", One(Int)),
        ("ecp", One(Int)),
        ("ena", One(Bool)),
        ("exc", One(Int)),
        ("far", One(Bool)),
        ("gec", One(Int)),
        ("lbl", SpaceList(Text)),
        ("ldv", SpaceList(Text)),
        ("lga", One(Bool)),
        ("lgo", One(Bool)),
        ("lgt", One(Int)),
        ("lim", One(Int)),
        ("lit", One(Int)),
        ("lnh", SpaceList(Text)),
        ("los", One(Int)),
        ("lvl", One(Int)),
        ("mbs", One(Int)),
        ("mdc", One(Int)),
        ("mdd", One(Bool)),
        ("mdn", One(Int)),
        ("mdt", One(Int)),
        ("mgd", One(Int)),
        ("mia", One(Int)),
        ("mid", SpaceList(Text)),
        ("mma", One(Int)),
        ("mmt", One(Int)),
        ("mni", One(Int)),
        ("mnm", One(Int)),
        ("mtv", One(Bool)),
        ("nco", One(Bool)),
        ("nct", One(Int)),
        ("nec", One(Int)),
        ("net", One(Int)),
        ("nic", One(Int)),
        ("nse", One(Bool)),
        ("nsp", One(Int)),
        ("ntu", SpaceList(Text)),
        ("nty", One(Int)),
        ("num", One(Int)),
        ("pei", One(Int)),
        ("poa", SpaceList(Text)),
        ("psn", One(Int)),
        ("ptl", SpaceList(Text)),
        ("rbo", One(Bool)),
        ("rcn", One(Int)),
        ("rms", One(Bool)),
        ("rsc", One(Int)),
        ("rtv", One(Int)),
        ("rvs", SpaceList(Text)),
        ("sce", Repeated(Text)),
        ("scp", SpaceList(Text)),
        ("sfc", One(Bool)),
        ("snr", One(Int)),
        ("sqi", One(Bool)),
        ("srt", SpaceList(Int)),
        ("srv", SpaceList(Text)),
        ("ssi", One(Bool)),
        ("stb", One(Int)),
        ("sts", One(Int)),
        ("sud", One(Bool)),
        ("sus", One(Int)),
        ("svd", One(Bool)),
        ("sza", One(Int)),
        ("szb", One(Int)),
        ("tqi", One(Bool)),
        ("trn", One(Int)),
        ("typ", One(Int)),
        ("vrq", One(Bool)),
        ("acaf", One(Bool)),
        ("acco", Repeated(Text)),
        ("acod", Repeated(Text)),
        ("acop", One(Int)),
        ("acor", SpaceList(Text)),
        ("acpi", SpaceList(Text)),
        ("acrs", SpaceList(Text)),
        ("actw", Repeated(Text)),
        ("acui", SpaceList(Text)),
        ("adri", SpaceList(Text)),
        ("airi", SpaceList(Text)),
        ("apri", SpaceList(Text)),
        ("auri", One(Bool)),
        ("bcnu", SpaceList(Text)),
        ("chty", SpaceList(Int)),
        ("clbl", SpaceList(Text)),
        ("cnot", One(Int)),
        ("cnst", One(Int)),
        ("daci", SpaceList(Text)),
        ("dcnt", One(Int)),
        ("dcse", SpaceList(Text)),
        ("disr", One(Bool)),
        ("eeno", One(Bool)),
        ("grtm", SpaceList(Text)),
        ("ipv4", SpaceList(Text)),
        ("ipv6", SpaceList(Text)),
        ("lgst", One(Int)),
        ("luec", One(Int)),
        ("macp", SpaceList(Text)),
        ("mbis", One(Int)),
        ("mdlt", SpaceList(Text)),
        ("mgca", SpaceList(Text)),
        ("obis", SpaceList(Text)),
        ("obps", SpaceList(Text)),
        ("ofst", One(Int)),
        ("palb", SpaceList(Text)),
        ("peid", One(Int)),
        ("rels", SpaceList(Text)),
        ("rids", SpaceList(Text)),
        ("rlkl", One(Bool)),
        ("rqag", One(Bool)),
        ("rrat", SpaceList(Text)),
        ("rtys", SpaceList(Int)),
        ("sact", One(Bool)),
        ("spty", One(Int)),
        ("srat", SpaceList(Text)),
        ("subi", SpaceList(Text)),
        ("tids", SpaceList(Text)),
        ("tkns", SpaceList(Text)),
        ("tren", One(Bool)),
        ("trps", One(Bool)),
        ("vlde", One(Bool)),
        ("fcied", One(Bool)),
        ("ltids", SpaceList(Text)),
        ("rrats", SpaceList(Text)),
        ("m2m:uril", SpaceList(Text)),
    ]
};

/// Whether `name` is the element of a resource (`m2m:ae`, `m2m:cin`, ...), whose
/// `resourceName` is an XML attribute and whose child resources are lists.
pub(crate) fn is_resource_element(name: &str) -> bool {
    let Some(short) = name.strip_prefix("m2m:") else {
        return false;
    };
    let short = short.strip_suffix('A').unwrap_or(short); // announced variants: aeA, cntA
    matches!(
        short,
        "acp"
            | "ae"
            | "cnt"
            | "cin"
            | "cb"
            | "csr"
            | "grp"
            | "sub"
            | "nod"
            | "pch"
            | "req"
            | "sch"
            | "smd"
            | "fcnt"
            | "fci"
            | "ts"
            | "tsi"
            | "lcp"
            | "crs"
            | "dac"
            | "ntp"
            | "ntpr"
            | "mgc"
            | "fwr"
            | "swr"
            | "mem"
            | "ani"
            | "andi"
            | "bat"
            | "dvi"
            | "dvc"
            | "rbo"
            | "evl"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_the_xsd_shape() {
        assert_eq!(shape("m2m:cnt", "cni"), Shape::One(Scalar::Int));
        assert_eq!(shape("m2m:ae", "rr"), Shape::One(Scalar::Bool));
        assert_eq!(shape("m2m:ae", "lbl"), Shape::SpaceList(Scalar::Text));
        assert_eq!(shape("m2m:cb", "srt"), Shape::SpaceList(Scalar::Int));
        assert_eq!(shape("pv", "acr"), Shape::Repeated(Scalar::Text));
        assert_eq!(shape("m2m:ae", "api"), Shape::One(Scalar::Text));
        assert_eq!(
            shape("m2m:ae", "someFutureAttribute"),
            Shape::One(Scalar::Text)
        );
    }

    #[test]
    fn a_parent_changes_the_shape_of_ambiguous_names() {
        assert_eq!(shape("nev", "net"), Shape::One(Scalar::Int));
        assert_eq!(shape("enc", "net"), Shape::Repeated(Scalar::Int));
        assert_eq!(shape("m2m:cin", "ty"), Shape::One(Scalar::Int));
        assert_eq!(shape("fc", "ty"), Shape::Repeated(Scalar::Int));
    }

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(SHAPES.windows(2).all(|pair| {
            by_length_then_bytes(pair[0].0, pair[1].0) == std::cmp::Ordering::Less
        }));
    }

    #[test]
    fn resources_inside_resources_are_lists_of_children() {
        assert!(is_resource_element("m2m:cin"));
        assert!(is_resource_element("m2m:aeA"));
        assert!(!is_resource_element("m2m:sgn"));
        assert!(!is_resource_element("cin"));
        assert_eq!(shape("m2m:cnt", "m2m:cin"), Shape::Repeated(Scalar::Text));
        assert_eq!(shape("rep", "m2m:cin"), Shape::One(Scalar::Text));
    }
}
