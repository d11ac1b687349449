//! The one pass over a topic name that every decoded PUBLISH pays for: does
//! it hold U+0000, `+` or `#`, and does it hold non-ASCII bytes (only then is
//! UTF-8 checked)? Eight bytes per 64-bit word, without `unsafe`.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;
/// Added to a word of ASCII bytes, sets bit 7 of exactly the non-zero bytes
/// (0x7F + 0x7F < 0x100: no carry crosses a byte).
const NON_ZERO: u64 = LO * 0x7F;
/// `#` (0x23) and `+` (0x2B) differ only in bit 3: or-ing it in folds `#` onto `+`.
const BIT3: u64 = LO * 0x08;
const PLUS: u64 = LO * b'+' as u64;

/// What a scan found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TopicScan {
    /// A U+0000, `+` or `#` byte is present.
    pub(crate) special: bool,
    /// A byte of 0x80 or above is present.
    pub(crate) non_ascii: bool,
}

/// Scans `bytes` once, assuming ASCII (bit 7 of every byte clear), which
/// makes each zero-byte test a single add (no carry crosses a byte); a topic
/// that turns out not to be ASCII is rescanned byte by byte, off the hot path.
#[inline(always)]
pub(crate) fn scan_topic(bytes: &[u8]) -> TopicScan {
    let Some(last) = bytes.last_chunk::<16>() else {
        return scan_short(bytes);
    };
    // 16-byte steps, the overlapping last one standing in for a byte-by-byte
    // tail; bytes seen twice are harmless.
    let mut acc = pair((HI, 0), last);
    let mut rest = bytes;
    while let Some((p, tail)) = rest.split_first_chunk::<16>() {
        acc = pair(acc, p);
        rest = tail;
    }
    finish(bytes, acc)
}

/// Topics under 16 bytes: one word, or two overlapping ones. Out of line,
/// so that the long path keeps its registers.
#[inline(never)]
fn scan_short(bytes: &[u8]) -> TopicScan {
    let acc = match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        (Some(a), Some(b)) => word(word((HI, 0), a), b),
        _ => {
            // Padding with an ordinary byte keeps the word test exact.
            let mut w = [b'a'; 8];
            w[..bytes.len()].copy_from_slice(bytes);
            word((HI, 0), &w)
        }
    };
    finish(bytes, acc)
}

#[inline(always)]
fn finish(bytes: &[u8], (ok, all): (u64, u64)) -> TopicScan {
    if all & HI != 0 {
        return scan_non_ascii(bytes);
    }
    TopicScan {
        special: ok & HI != HI,
        non_ascii: false,
    }
}

#[inline(always)]
fn pair(acc: (u64, u64), p: &[u8; 16]) -> (u64, u64) {
    let (a, b) = p.split_at(8);
    match (<&[u8; 8]>::try_from(a), <&[u8; 8]>::try_from(b)) {
        (Ok(a), Ok(b)) => word(word(acc, a), b),
        _ => acc,
    }
}

/// One word: `ok` keeps bit 7 of a byte lane while no byte seen in that
/// lane was 0, `+` or `#`; `all` gathers every bit, for the ASCII check.
#[inline(always)]
fn word((ok, all): (u64, u64), w: &[u8; 8]) -> (u64, u64) {
    let w = u64::from_le_bytes(*w);
    let plus_or_hash = (w | BIT3) ^ PLUS;
    (
        ok & w.wrapping_add(NON_ZERO) & plus_or_hash.wrapping_add(NON_ZERO),
        all | w,
    )
}

/// The exact scan, for a topic with non-ASCII bytes.
#[cold]
#[inline(never)]
fn scan_non_ascii(bytes: &[u8]) -> TopicScan {
    TopicScan {
        special: bytes.iter().any(|&b| matches!(b, 0 | b'+' | b'#')),
        non_ascii: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(bytes: &[u8]) -> TopicScan {
        TopicScan {
            special: bytes.iter().any(|&b| matches!(b, 0 | b'+' | b'#')),
            non_ascii: bytes.iter().any(|&b| b >= 0x80),
        }
    }

    #[test]
    fn finds_a_bad_byte_at_every_position_of_every_length_to_70() {
        for len in 0..70 {
            let clean = vec![b'a'; len];
            assert_eq!(scan_topic(&clean), expected(&clean), "clean, {len} B");
            for pos in 0..len {
                for bad in [0, b'+', b'#', 0x80, 0xC3, 0xFF] {
                    let mut t = clean.clone();
                    t[pos] = bad;
                    assert_eq!(scan_topic(&t), expected(&t), "{bad:#x} at {pos} of {len}");
                }
            }
        }
    }

    #[test]
    fn bytes_one_bit_away_from_the_special_ones_are_not_special() {
        // Neighbours of 0x00, '#' and '+' the word tricks could confuse.
        for b in [
            0x01, 0x02, 0x03, 0x08, 0x21, 0x22, 0x24, 0x29, 0x2A, 0x2C, 0x2F, 0x7F,
        ] {
            for len in [1, 7, 8, 15, 16, 17, 33] {
                let t = vec![b; len];
                assert_eq!(scan_topic(&t), expected(&t), "{b:#x} × {len}");
            }
        }
    }
}
