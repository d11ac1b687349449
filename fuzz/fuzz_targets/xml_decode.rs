//! The XML request and response decoders on arbitrary bytes: only the absence of a panic (see `check_decoder`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use onem2m_fuzz::check_decoder;
use onem2m_serialization::XmlSerializer;

fuzz_target!(|data: &[u8]| {
    check_decoder(&XmlSerializer::new(), data, false);
});
