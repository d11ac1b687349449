//! Mobius and nCube-Thyme send CBOR as hex text (`cbor.encode(obj).toString('hex')`),
//! not as binary. Accepting it costs nothing on binary input: a hex digit is never the
//! first byte of a binary primitive (`0`-`9` start negative integers, `A`-`F` byte strings,
//! `a`-`f` text strings; a primitive starts with a map, 0xa0-0xbf, or a tag).

/// The binary CBOR that `payload` spells in hex, or `None` when it is not entirely hex
/// digits (upper or lower case) of even length.
pub(super) fn to_binary(payload: &[u8]) -> Option<Vec<u8>> {
    if !payload.len().is_multiple_of(2) || !payload.first().is_some_and(u8::is_ascii_hexdigit) {
        return None;
    }
    payload
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

fn digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}
