//! The one pass over a topic name that every decoded PUBLISH pays for: is it
//! plain, that is ASCII without U+0000, `+` or `#`? Only a topic that is not
//! is looked at again, byte by byte. Eight bytes per 64-bit word, without
//! `unsafe`.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;
/// Added to a word of ASCII bytes, sets bit 7 of exactly the non-zero bytes
/// (0x7F + 0x7F < 0x100: no carry crosses a byte).
const NON_ZERO: u64 = LO * 0x7F;
/// `#` (0x23) and `+` (0x2B) differ only in bit 3: clearing it folds `+` onto `#`.
const NOT_BIT3: u64 = !(LO * 0x08);
const HASH: u64 = LO * b'#' as u64;

/// Whether `bytes` is plain: every byte ASCII and none of them 0, `+` or `#`.
///
/// Exact for ASCII words. A byte of 0x80 or above clears bit 7 of its own
/// lane in one of the two sums of [`word`], whatever carry comes into it (its
/// carry out can only disturb lanes above it), so a non-ASCII topic is never
/// plain; no separate ASCII test is needed.
#[inline(always)]
pub(crate) fn is_plain(bytes: &[u8]) -> bool {
    let Some(last) = bytes.last_chunk::<16>() else {
        return is_plain_short(bytes);
    };
    // 16-byte steps, the overlapping last one standing in for a byte-by-byte
    // tail; bytes seen twice are harmless.
    let mut ok = pair(HI, last);
    let mut rest = bytes;
    while let Some((p, tail)) = rest.split_first_chunk::<16>() {
        ok = pair(ok, p);
        rest = tail;
    }
    ok & HI == HI
}

/// Topics under 16 bytes: one word, or two overlapping ones. Out of line,
/// so that the long path keeps its registers.
#[inline(never)]
fn is_plain_short(bytes: &[u8]) -> bool {
    let ok = match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        (Some(a), Some(b)) => word(word(HI, a), b),
        _ => {
            // Padding with an ordinary byte keeps the word test exact.
            let mut w = [b'a'; 8];
            w[..bytes.len()].copy_from_slice(bytes);
            word(HI, &w)
        }
    };
    ok & HI == HI
}

#[inline(always)]
fn pair(ok: u64, p: &[u8; 16]) -> u64 {
    let (a, b) = p.split_at(8);
    match (<&[u8; 8]>::try_from(a), <&[u8; 8]>::try_from(b)) {
        (Ok(a), Ok(b)) => word(word(ok, a), b),
        _ => ok,
    }
}

/// One word: `ok` keeps bit 7 of a byte lane while every byte seen in that
/// lane was ASCII and not 0, `+` or `#`.
///
/// For an ASCII byte `b`, `b + 0x7F` has bit 7 set exactly when `b != 0`,
/// and `(b & !8) ^ b'#' + 0x7F` exactly when `b` is neither `#` nor `+`.
/// For `b >= 0x81` the first sum, and for `b == 0x80` the second (0xA3 +
/// 0x7F), carries out of the lane and leaves its bit 7 clear, also with a
/// carry coming in.
#[inline(always)]
fn word(ok: u64, w: &[u8; 8]) -> u64 {
    let w = u64::from_le_bytes(*w);
    let hash_or_plus = (w & NOT_BIT3) ^ HASH;
    ok & w.wrapping_add(NON_ZERO) & hash_or_plus.wrapping_add(NON_ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(bytes: &[u8]) -> bool {
        bytes
            .iter()
            .all(|&b| b.is_ascii() && !matches!(b, 0 | b'+' | b'#'))
    }

    #[test]
    fn finds_a_bad_byte_at_every_position_of_every_length_to_70() {
        for len in 0..70 {
            let clean = vec![b'a'; len];
            assert_eq!(is_plain(&clean), expected(&clean), "clean, {len} B");
            for pos in 0..len {
                for bad in [0, b'+', b'#', 0x80, 0x81, 0xA3, 0xAB, 0xC3, 0xFF] {
                    let mut t = clean.clone();
                    t[pos] = bad;
                    assert_eq!(is_plain(&t), expected(&t), "{bad:#x} at {pos} of {len}");
                }
            }
        }
    }

    #[test]
    fn a_non_ascii_byte_is_found_whatever_byte_lies_below_it() {
        // A non-ASCII byte carries into the lane above; check every pair of
        // neighbours, in both lanes of the word and across words.
        for low in 0..=255u8 {
            for high in 0x80..=255u8 {
                for at in [0, 6, 7, 14] {
                    let mut t = [b'a'; 16];
                    t[at] = low;
                    t[at + 1] = high;
                    assert!(!is_plain(&t), "{low:#x} then {high:#x} at {at}");
                }
            }
        }
    }

    #[test]
    fn bytes_one_bit_away_from_the_special_ones_are_plain() {
        // Neighbours of 0x00, '#' and '+' the word tricks could confuse.
        for b in [
            0x01, 0x02, 0x03, 0x08, 0x21, 0x22, 0x24, 0x29, 0x2A, 0x2C, 0x2F, 0x7F,
        ] {
            for len in [1, 7, 8, 15, 16, 17, 33] {
                let t = vec![b; len];
                assert!(is_plain(&t), "{b:#x} × {len}");
            }
        }
    }
}
