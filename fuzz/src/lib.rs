//! What the decoder fuzz targets check, shared so that each serializer's target is
//! the same property on another decoder.

use std::fmt::Debug;

use onem2m_serialization::{Error, Serializer};

/// Runs `serializer`'s request and response decoders on `data`. Neither may panic;
/// with `round_trip`, whatever decodes must encode again and decode back to the same
/// primitive. XML passes `false`: its untyped text may read back differently
/// (`"1"` as a number), so only the absence of a panic is checked there.
pub fn check_decoder(serializer: &dyn Serializer, data: &[u8], round_trip: bool) {
    let name = serializer.name();
    check_one(
        data,
        |d| serializer.decode_request(d),
        |r| serializer.encode_request(r),
        round_trip.then_some((name, "request")),
    );
    check_one(
        data,
        |d| serializer.decode_response(d),
        |r| serializer.encode_response(r),
        round_trip.then_some((name, "response")),
    );
}

/// Decodes `data`, and if that works encodes and decodes again; with `compare`
/// (the serializer and the primitive's kind, for the message) the two must be equal.
fn check_one<T: PartialEq + Debug, B: AsRef<[u8]>>(
    data: &[u8],
    decode: impl Fn(&[u8]) -> Result<T, Error>,
    encode: impl Fn(&T) -> Result<B, Error>,
    compare: Option<(&str, &str)>,
) {
    let Ok(first) = decode(data) else {
        return;
    };
    let Ok(bytes) = encode(&first) else {
        return;
    };
    let again = decode(bytes.as_ref());
    if let Some((serializer, kind)) = compare {
        assert_eq!(
            again.as_ref().ok(),
            Some(&first),
            "{serializer} {kind} changed"
        );
    }
}
