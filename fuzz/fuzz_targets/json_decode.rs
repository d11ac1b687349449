//! The JSON request and response decoders on arbitrary bytes: no panic, and what decodes survives an encode/decode round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onem2m_fuzz::check_decoder;
use onem2m_serialization::JsonSerializer;

fuzz_target!(|data: &[u8]| {
    check_decoder(&JsonSerializer::new(), data, true);
});
