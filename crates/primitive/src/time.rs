//! oneM2M time values (TS-0004 6.3.3): the basic-format timestamp `m2m:timestamp`, and
//! `m2m:absRelTimestamp`, which is either such a timestamp or a relative number of
//! milliseconds. ISO 8601 durations (`PT2S`) are accepted as a third form, as ACME does.
//!
//! Everything here is pure: "now" is always a parameter, never read from a clock.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::Error;

const MICROS_PER_SEC: i64 = 1_000_000;
const SECS_PER_DAY: i64 = 86_400;

/// A UTC point in time in the oneM2M basic format `YYYYMMDDThhmmss[,ffffff]`.
///
/// Stored as microseconds since the Unix epoch plus the number of fraction digits it was
/// written with, so that a timestamp read from the wire is written back unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    micros: i64,
    fraction_digits: u8,
}

impl Timestamp {
    /// A timestamp at `micros` microseconds after the Unix epoch, written with all six
    /// fraction digits.
    pub const fn from_unix_micros(micros: i64) -> Self {
        Self {
            micros,
            fraction_digits: 6,
        }
    }

    /// A timestamp at whole `secs` seconds after the Unix epoch, written without fraction.
    pub const fn from_unix_secs(secs: i64) -> Self {
        Self {
            micros: secs * MICROS_PER_SEC,
            fraction_digits: 0,
        }
    }

    /// The current time from the system clock (for the shell crates; the core never calls
    /// it on its own).
    pub fn now() -> Self {
        Self::from_system_time(SystemTime::now())
    }

    /// Converts a [`SystemTime`]; times before 1970 are clamped to the epoch.
    pub fn from_system_time(t: SystemTime) -> Self {
        let micros = t
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Self::from_unix_micros(micros)
    }

    /// Microseconds since the Unix epoch.
    pub const fn unix_micros(self) -> i64 {
        self.micros
    }

    /// Milliseconds since the Unix epoch.
    pub const fn unix_millis(self) -> i64 {
        self.micros.div_euclid(1000)
    }

    /// This time moved by `millis` milliseconds (negative moves back), saturating.
    pub fn add_millis(self, millis: i64) -> Self {
        Self {
            micros: self.micros.saturating_add(millis.saturating_mul(1000)),
            fraction_digits: self
                .fraction_digits
                .max(if millis % 1000 == 0 { 0 } else { 3 }),
        }
    }

    /// Reads `YYYYMMDDThhmmss` with an optional `,` (or `.`) and 1 to 6 fraction digits.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let err = |reason| Error::InvalidTimestamp {
            value: Error::excerpt(s),
            reason,
        };
        let b = s.as_bytes();
        if b.len() < 15 || b[8] != b'T' {
            return Err(err("expected YYYYMMDDThhmmss"));
        }
        let digits = |range: std::ops::Range<usize>| -> Result<i64, Error> {
            let part = &b[range];
            if !part.iter().all(u8::is_ascii_digit) {
                return Err(err("expected digits in YYYYMMDDThhmmss"));
            }
            Ok(part.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
        };
        let (year, month, day) = (digits(0..4)?, digits(4..6)?, digits(6..8)?);
        let (hour, minute, second) = (digits(9..11)?, digits(11..13)?, digits(13..15)?);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(err("no such date"));
        }
        // 60 admits a leap second; it is folded into the next minute.
        if hour > 23 || minute > 59 || second > 60 {
            return Err(err("no such time of day"));
        }
        let (fraction, fraction_digits) = match &b[15..] {
            [] => (0, 0),
            [sep, frac @ ..] if (*sep == b',' || *sep == b'.') && (1..=6).contains(&frac.len()) => {
                if !frac.iter().all(u8::is_ascii_digit) {
                    return Err(err("fraction must be digits"));
                }
                let value = frac.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
                let scale = 10i64.pow(6 - frac.len() as u32);
                (value * scale, frac.len() as u8)
            }
            _ => {
                return Err(err(
                    "trailing text: only ',' and 1-6 fraction digits may follow",
                ));
            }
        };
        let secs =
            days_from_civil(year, month, day) * SECS_PER_DAY + hour * 3600 + minute * 60 + second;
        Ok(Self {
            micros: secs * MICROS_PER_SEC + fraction,
            fraction_digits,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.micros.div_euclid(MICROS_PER_SEC);
        let micros = self.micros.rem_euclid(MICROS_PER_SEC);
        let (days, rem) = (secs.div_euclid(SECS_PER_DAY), secs.rem_euclid(SECS_PER_DAY));
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}{m:02}{d:02}T{:02}{:02}{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )?;
        if self.fraction_digits > 0 {
            let digits = usize::from(self.fraction_digits);
            let shown = micros / 10i64.pow(6 - u32::from(self.fraction_digits));
            write!(f, ",{shown:0digits$}")?;
        }
        Ok(())
    }
}

/// `m2m:absRelTimestamp`: the type of `rqet`, `rset`, `oet` and `rp`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AbsRelTimestamp {
    /// An absolute UTC time.
    Absolute(Timestamp),
    /// Milliseconds relative to the time the primitive was sent (may be negative).
    Relative(i64),
    /// An ISO 8601 duration such as `PT2S`, relative like [`AbsRelTimestamp::Relative`];
    /// kept as text so that it is written back as received.
    Duration(IsoDuration),
}

impl AbsRelTimestamp {
    /// Reads the text form: digits (optionally signed) are relative milliseconds, `P...`
    /// is an ISO 8601 duration, anything else must be a basic-format timestamp.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let unsigned = s.strip_prefix('-').unwrap_or(s);
        if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return s
                .parse()
                .map(AbsRelTimestamp::Relative)
                .map_err(|_| Error::InvalidTimestamp {
                    value: Error::excerpt(s),
                    reason: "relative time does not fit in 64 bits",
                });
        }
        if unsigned.starts_with('P') {
            return IsoDuration::parse(s).map(AbsRelTimestamp::Duration);
        }
        Timestamp::parse(s).map(AbsRelTimestamp::Absolute)
    }

    /// The absolute time this value stands for, when relative values count from `base`
    /// (the originating timestamp `ot` if the primitive has one, else the time it arrived).
    pub fn resolve(&self, base: Timestamp) -> Timestamp {
        match self {
            AbsRelTimestamp::Absolute(t) => *t,
            AbsRelTimestamp::Relative(ms) => base.add_millis(*ms),
            AbsRelTimestamp::Duration(d) => base.add_millis(d.millis()),
        }
    }

    /// Whether the time has passed at `now` (a time equal to `now` has passed: TS-0004
    /// rejects a request whose expiration time is reached).
    pub fn is_expired(&self, base: Timestamp, now: Timestamp) -> bool {
        self.resolve(base).unix_micros() <= now.unix_micros()
    }
}

impl fmt::Display for AbsRelTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AbsRelTimestamp::Absolute(t) => t.fmt(f),
            AbsRelTimestamp::Relative(ms) => ms.fmt(f),
            AbsRelTimestamp::Duration(d) => d.fmt(f),
        }
    }
}

impl From<Timestamp> for AbsRelTimestamp {
    fn from(t: Timestamp) -> Self {
        AbsRelTimestamp::Absolute(t)
    }
}

/// An ISO 8601 duration of days, hours, minutes and seconds (`P1DT2H`, `PT0.5S`, `-PT2S`).
///
/// Years and months are refused: their length depends on the calendar, and no oneM2M
/// peer sends them for expiration times.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IsoDuration {
    text: String,
    millis: i64,
}

impl IsoDuration {
    /// Reads `[-]P[nW][nD][T[nH][nM][n[.f]S]]`.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let err = |reason| Error::InvalidTimestamp {
            value: Error::excerpt(s),
            reason,
        };
        let (negative, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s),
        };
        let rest = rest
            .strip_prefix('P')
            .ok_or_else(|| err("duration must start with P"))?;
        let (date, time) = match rest.split_once('T') {
            Some((d, t)) if !t.is_empty() => (d, Some(t)),
            Some(_) => return Err(err("nothing after T")),
            None => (rest, None),
        };
        if date.is_empty() && time.is_none() {
            return Err(err("empty duration"));
        }
        let mut millis: i64 = 0;
        let mut add = |value_ms: Option<i64>| -> Result<(), Error> {
            millis = value_ms
                .and_then(|v| millis.checked_add(v))
                .ok_or_else(|| err("duration too large"))?;
            Ok(())
        };
        for (number, unit) in components(date).map_err(err)? {
            let whole = whole_number(number).map_err(err)?;
            let scale = match unit {
                'W' => 7 * SECS_PER_DAY * 1000,
                'D' => SECS_PER_DAY * 1000,
                'Y' | 'M' => return Err(err("years and months have no fixed length")),
                _ => return Err(err("unknown date unit")),
            };
            add(whole.checked_mul(scale))?;
        }
        if let Some(time) = time {
            for (number, unit) in components(time).map_err(err)? {
                let value = match unit {
                    'H' => whole_number(number).map_err(err)?.checked_mul(3_600_000),
                    'M' => whole_number(number).map_err(err)?.checked_mul(60_000),
                    'S' => seconds_to_millis(number).map_err(err)?,
                    _ => return Err(err("unknown time unit")),
                };
                add(value)?;
            }
        }
        Ok(Self {
            text: s.to_owned(),
            millis: if negative { -millis } else { millis },
        })
    }

    /// The length in milliseconds (negative for a `-P...` duration).
    pub fn millis(&self) -> i64 {
        self.millis
    }

    /// The length as a [`Duration`], or `None` if negative.
    pub fn to_std(&self) -> Option<Duration> {
        u64::try_from(self.millis).ok().map(Duration::from_millis)
    }
}

impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Splits `1D2H` into `[("1", 'D'), ("2", 'H')]`.
fn components(s: &str) -> Result<Vec<(&str, char)>, &'static str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c.is_ascii_alphabetic() {
            if i == start {
                return Err("a unit without a number");
            }
            out.push((&s[start..i], c));
            start = i + 1;
        }
    }
    if start != s.len() {
        return Err("a number without a unit");
    }
    Ok(out)
}

fn whole_number(s: &str) -> Result<i64, &'static str> {
    if s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("duration parts must be whole numbers of at most 12 digits");
    }
    s.parse().map_err(|_| "not a number")
}

fn seconds_to_millis(s: &str) -> Result<Option<i64>, &'static str> {
    let (whole, frac) = s.split_once(['.', ',']).unwrap_or((s, ""));
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err("bad fraction of seconds");
    }
    let whole = whole_number(whole)?;
    let frac_ms = format!("{frac:0<3}")[..3]
        .parse::<i64>()
        .map_err(|_| "bad fraction")?;
    Ok(whole
        .checked_mul(1000)
        .and_then(|ms| ms.checked_add(frac_ms)))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn basic_format_round_trips_with_and_without_fraction() {
        for s in [
            "20261124T120000",
            "20261124T215237,116712",
            "20000229T235959,5",
            "19700101T000000",
        ] {
            assert_eq!(Timestamp::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(
            Timestamp::parse("19700101T000001").unwrap().unix_micros(),
            1_000_000
        );
        assert_eq!(
            Timestamp::parse("20261124T120000.25").unwrap().to_string(),
            "20261124T120000,25"
        );
    }

    #[test]
    fn impossible_dates_and_junk_are_refused() {
        for s in [
            "20261324T120000",
            "20250229T120000",
            "20261124T250000",
            "20261124 120000",
            "20261124T120000,",
            "20261124T120000,1234567",
            "20261124T120000Z",
            "2026112T120000",
            "",
        ] {
            assert!(Timestamp::parse(s).is_err(), "{s} accepted");
        }
    }

    #[test]
    fn abs_rel_forms() {
        let base = Timestamp::parse("20261124T120000").unwrap();
        let rel = AbsRelTimestamp::parse("3600000").unwrap();
        assert_eq!(rel, AbsRelTimestamp::Relative(3_600_000));
        assert_eq!(rel.resolve(base).to_string(), "20261124T130000");
        assert_eq!(
            AbsRelTimestamp::parse("-10000").unwrap(),
            AbsRelTimestamp::Relative(-10_000)
        );
        let dur = AbsRelTimestamp::parse("PT2S").unwrap();
        assert_eq!(dur.resolve(base).to_string(), "20261124T120002");
        assert_eq!(dur.to_string(), "PT2S");
        assert_eq!(
            IsoDuration::parse("P1DT1H1M1.5S").unwrap().millis(),
            90_061_500
        );
        assert!(IsoDuration::parse("P1M").is_err());
        assert!(IsoDuration::parse("PT").is_err());
        assert!(IsoDuration::parse("P").is_err());
        assert!(IsoDuration::parse("PTS").is_err());
        assert!(AbsRelTimestamp::parse("99999999999999999999").is_err());
    }

    #[test]
    fn expiry_against_a_given_now() {
        let now = Timestamp::parse("20261124T120000").unwrap();
        let past = AbsRelTimestamp::parse("20261124T115959").unwrap();
        let future = AbsRelTimestamp::parse("20261124T120001").unwrap();
        assert!(past.is_expired(now, now));
        assert!(!future.is_expired(now, now));
        assert!(AbsRelTimestamp::Absolute(now).is_expired(now, now));
        assert!(AbsRelTimestamp::Relative(-10_000).is_expired(now, now));
        assert!(!AbsRelTimestamp::Relative(10_000).is_expired(now, now));
    }

    proptest! {
        #[test]
        fn any_timestamp_round_trips(micros in 0i64..253_402_300_799_000_000) {
            let t = Timestamp::from_unix_micros(micros);
            prop_assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Timestamp::parse(&s);
            let _ = AbsRelTimestamp::parse(&s);
        }
    }
}
