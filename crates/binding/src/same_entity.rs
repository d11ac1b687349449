//! Whether two IDs name the same AE or CSE, whatever form each is written in.

use onem2m_primitive::Id;

/// Whether `a` and `b` name the same entity: the same AE-ID-Stem or CSE-ID, and the same
/// registrar CSE where both name one.
///
/// An AE writes its bare stem in `fr` (`CAE01`) while a TS-0010 topic carries it
/// SP-relative (`/id-in/CAE01`) or, in the stem form some peers use, as a level that
/// reads back as `/CAE01`; an absolute and an SP-relative CSE-ID name the same CSE.
/// All of these match; two different stems, or one stem below two different CSEs, do
/// not. A resource address that is neither an AE-ID nor a CSE-ID names no entity and
/// matches nothing.
pub(crate) fn same_entity(a: &str, b: &str) -> bool {
    match (parts(a), parts(b)) {
        (Some((qa, na)), Some((qb, nb))) => na == nb && (qa.is_none() || qb.is_none() || qa == qb),
        _ => false,
    }
}

/// The registrar CSE (if the ID names one) and the stem or CSE name.
fn parts(id: &str) -> Option<(Option<String>, String)> {
    match Id::parse(id).ok()? {
        Id::Ae(ae) => Some((ae.csi().map(str::to_owned), ae.stem().to_owned())),
        Id::Cse(cse) => Some((None, cse.csi().to_owned())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_one_ae_matches() {
        for fr in ["CAE01", "/id-in/CAE01", "//sp.com/id-in/CAE01"] {
            for topic in ["/id-in/CAE01", "/CAE01"] {
                assert!(same_entity(fr, topic), "{fr} vs {topic}");
            }
        }
        assert!(same_entity("SAE01", "/SAE01"));
        assert!(same_entity("/id-in", "//sp.com/id-in"));
    }

    #[test]
    fn other_entities_do_not_match() {
        assert!(!same_entity("CAE02", "/id-in/CAE01"));
        assert!(!same_entity("/id-mn/CAE01", "/id-in/CAE01"));
        assert!(!same_entity("/id-in", "/id-in/CAE01"));
        assert!(!same_entity("/id-in", "/id-mn"));
        assert!(
            !same_entity("cse-in/myAE", "cse-in/myAE"),
            "a path is no entity"
        );
        assert!(!same_entity("", "/id-in"));
    }
}
