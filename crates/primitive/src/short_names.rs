//! The oneM2M short names that [`Key`](crate::value::Key) stores without allocating.
//!
//! Decoders build a [`Map`](crate::Map) member for every attribute they read; nearly all
//! member names are short names from this table, so interning them saves one allocation
//! (and its free) per member.
//!
//! Where the names come from: TS-0004 clause 8.2: the primitive parameters of table
//! 8.2.2-1, the resource attributes of tables 8.2.3-x and the complex-type members of
//! tables 8.2.4-x, as used by this workspace's typed resources (`crate::resources`) and
//! by the XML schema table of `onem2m-serialization` (`xml/schema.rs`), plus the root
//! elements (`m2m:ae`, `m2m:cin`, ...) of the resources and notifications those crates
//! know. A name missing here still works: it is stored as an owned string.

/// Longest name the table holds (the longest oneM2M short names have 9 bytes).
const MAX_LEN: usize = 16;

/// The interned names, in any order (the lookup table is sorted at compile time).
#[rustfmt::skip]
const NAMES: &[&str] = &[
    // Request and response parameters (TS-0004 table 8.2.2-1) and their members.
    "op", "to", "fr", "rqi", "ty", "pc", "rids", "ot", "rqet", "rset", "oet", "rt", "rtv",
    "nu", "rp", "rcn", "ec", "da", "gid", "fc", "drt", "tkns", "tids", "ltids", "tqi",
    "grtm", "asi", "aus", "auri", "sqi", "rvi", "vsi", "rsc", "cnst", "cnot", "ati", "tqf",
    "asri", "val",
    // Universal and common attributes.
    "rn", "ri", "pi", "ct", "lt", "et", "st", "lbl", "acpi", "at", "aa", "daci", "cr",
    "cstn", "ast", "lnh", "dae",
    // <CSEBase>, <AE>, <container>, <contentInstance>.
    "cst", "csi", "srt", "poa", "csz", "srv", "nl", "ncp", "api", "apn", "aei", "rr", "or",
    "ch", "mni", "mbs", "mia", "cni", "cbs", "li", "disr", "dgt", "cnf", "cs", "conr",
    "con", "esi",
    // <subscription>, notifications and event notification criteria.
    "enc", "exc", "nct", "nec", "gpi", "nfu", "bn", "num", "dur", "psn", "pn", "nsp", "ln",
    "cr", "su", "nev", "rep", "om", "net", "vrq", "sud", "sur", "crb", "cra", "ms", "us",
    "sts", "stb", "exb", "exa", "sza", "szb", "atr", "chty", "md", "ctm", "rl", "ici",
    // Filter criteria.
    "lim", "lvl", "ofst", "fu", "fo", "cty", "smf", "catr", "patr", "pty", "arp", "gq",
    "lbq", "sza", "szb",
    // Access control.
    "pv", "pvs", "acr", "acor", "acop", "acco", "actw", "acip", "ipv4", "ipv6", "aclr",
    "acaf", "acod", "acrs", "acui", "aca", "acl",
    // Other names of the XML schema table (integers, booleans and lists).
    "ch", "da", "in", "mt", "rs", "ud", "un", "act", "apy", "att", "btl", "bts", "cfs",
    "cnm", "csy", "cus", "dap", "dea", "dis", "dsi", "ecp", "ena", "far", "gec", "ldv",
    "lga", "lgo", "lgt", "lit", "los", "mdc", "mdd", "mdn", "mdt", "mgd", "mid", "mma",
    "mmt", "mnm", "mtv", "nco", "nic", "nse", "ntu", "nty", "pei", "ptl", "rbo", "rms",
    "rvs", "sce", "scp", "sfc", "snr", "ssi", "sus", "svd", "trn", "typ", "adri", "airi",
    "apri", "bcnu", "clbl", "dcnt", "dcse", "eeno", "lgst", "luec", "macp", "mbis", "mdlt",
    "mgca", "obis", "obps", "palb", "peid", "rels", "rlkl", "rqag", "rrat", "rtys", "sact",
    "spty", "srat", "subi", "tren", "trps", "vlde", "fcied", "rrats", "rrf", "nm",
    // Root elements of resources, notifications and other content.
    "m2m:ae", "m2m:aeA", "m2m:acp", "m2m:acpA", "m2m:cb", "m2m:cbA", "m2m:cnt", "m2m:cntA",
    "m2m:cin", "m2m:cinA", "m2m:csr", "m2m:csrA", "m2m:grp", "m2m:grpA", "m2m:sub",
    "m2m:nod", "m2m:nodA", "m2m:pch", "m2m:req", "m2m:sch", "m2m:schA", "m2m:smd",
    "m2m:smdA", "m2m:fcnt", "m2m:fcntA", "m2m:fci", "m2m:ts", "m2m:tsA", "m2m:tsi",
    "m2m:lcp", "m2m:crs", "m2m:dac", "m2m:ntp", "m2m:ntpr", "m2m:mgc", "m2m:fwr", "m2m:swr",
    "m2m:mem", "m2m:ani", "m2m:andi", "m2m:bat", "m2m:dvi", "m2m:dvc", "m2m:rbo", "m2m:evl",
    "m2m:sgn", "m2m:dbg", "m2m:rqp", "m2m:rsp", "m2m:agr", "m2m:rrl", "m2m:uril",
];

/// Two words that, with its length, identify a name of at most 16 bytes: its first and
/// last 8 bytes (overlapping when shorter), or 4 and 4, or for up to 3 bytes all of them.
/// Comparing them costs two integer comparisons where comparing the text would be a call.
const fn pack(name: &[u8]) -> (u64, u64) {
    let n = name.len();
    if n >= 8 {
        (load::<8>(name, 0), load::<8>(name, n - 8))
    } else if n >= 4 {
        (load::<4>(name, 0), load::<4>(name, n - 4))
    } else if n > 0 {
        (
            name[0] as u64 | (name[n / 2] as u64) << 8,
            name[n - 1] as u64,
        )
    } else {
        (0, 0)
    }
}

/// `N` bytes of `bytes` from `at`, little-endian (callers keep `at + N` in bounds).
const fn load<const N: usize>(bytes: &[u8], at: usize) -> u64 {
    let mut word = 0;
    let mut i = 0;
    while i < N {
        word |= (bytes[at + i] as u64) << (8 * i);
        i += 1;
    }
    word
}

/// Slots of the hash table: a power of two, about three times the number of names, so
/// that most lookups find their name, or an empty slot, at the first probe.
const SLOTS: usize = 1024;

/// The slot a packed name hashes to (Fibonacci hashing of both words).
const fn slot((first, last): (u64, u64)) -> usize {
    ((first ^ last.rotate_left(31)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        >> (64 - SLOTS.trailing_zeros())) as usize
}

/// [`NAMES`] packed, at the same positions.
static PACKED: [(u64, u64); NAMES.len()] = {
    let mut packed = [(0, 0); NAMES.len()];
    let mut i = 0;
    while i < NAMES.len() {
        assert!(
            NAMES[i].len() <= MAX_LEN,
            "a short name longer than MAX_LEN"
        );
        packed[i] = pack(NAMES[i].as_bytes());
        i += 1;
    }
    packed
};

/// An open-addressing hash table (linear probing) of positions in [`NAMES`], plus one;
/// 0 is an empty slot. Built at compile time; a name listed twice is stored once.
static TABLE: [u16; SLOTS] = {
    assert!(NAMES.len() < SLOTS / 2, "the table must stay sparse");
    let mut table = [0u16; SLOTS];
    let mut i = 0;
    while i < NAMES.len() {
        let mut at = slot(PACKED[i]);
        loop {
            if table[at] == 0 {
                table[at] = i as u16 + 1;
                break;
            }
            let other = table[at] as usize - 1;
            if NAMES[other].len() == NAMES[i].len()
                && PACKED[other].0 == PACKED[i].0
                && PACKED[other].1 == PACKED[i].1
            {
                break;
            }
            at = (at + 1) % SLOTS;
        }
        i += 1;
    }
    table
};

/// The interned copy of `name` when it is a known short name. Takes bytes so that a
/// decoder can look a name up before (and instead of) checking that it is UTF-8: every
/// name in the table is ASCII.
pub fn intern(name: &[u8]) -> Option<&'static str> {
    if name.is_empty() || name.len() > MAX_LEN {
        return None;
    }
    let packed = pack(name);
    let mut at = slot(packed);
    // The table has empty slots, so the probe ends.
    loop {
        let index = usize::from(*TABLE.get(at)?).checked_sub(1)?;
        if let (Some(known), Some(known_packed)) = (NAMES.get(index), PACKED.get(index))
            && *known_packed == packed
            && known.len() == name.len()
        {
            return Some(known);
        }
        at = (at + 1) % SLOTS;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_is_interned_as_itself() {
        for name in NAMES {
            assert_eq!(intern(name.as_bytes()), Some(*name));
        }
    }

    #[test]
    fn other_names_prefixes_and_padded_names_are_not_interned() {
        for name in [
            "",
            "r",
            "rnn",
            "m2m:",
            "m2m:aeB",
            "rn\0",
            "\0rn",
            "someFutureName",
        ] {
            assert_eq!(intern(name.as_bytes()), None, "{name:?}");
        }
        assert_eq!(intern(&[0xff, 0xfe]), None);
    }

    #[test]
    fn every_name_is_ascii_and_short_enough() {
        assert!(
            NAMES
                .iter()
                .all(|name| name.is_ascii() && name.len() <= MAX_LEN)
        );
    }

    #[test]
    fn names_that_pack_alike_differ_by_length() {
        // "rr" and "rrr" have the same first, middle and last bytes: only the length tells
        // them apart, and it is compared.
        assert_eq!(pack(b"rr"), pack(b"rrr"));
        assert_eq!(intern(b"rr"), Some("rr"));
        assert_eq!(intern(b"rrr"), None);
        assert_eq!(intern(b"rrats"), Some("rrats"));
        assert_eq!(intern(b"rrat"), Some("rrat"));
        assert_eq!(intern(b"rratt"), None);
    }
}
