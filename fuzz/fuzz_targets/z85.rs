//! Z85 decoding and encoding, and CURVE keys from text or bytes: any input is either a typed
//! error or a value that round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zmq4::security::{z85_decode, z85_encode, CurveKey};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(bytes) = z85_decode(text) {
            assert_eq!(bytes.len(), text.len() / 5 * 4);
            assert_eq!(z85_encode(&bytes).unwrap(), text, "decode, then encode");
        }
        if let Ok(key) = CurveKey::from_z85(text) {
            assert_eq!(key.to_z85(), text);
        }
        let _ = text.parse::<CurveKey>();
    }
    if let Ok(key) = CurveKey::try_from(data) {
        assert!(data.len() == 32 || data.len() == 40);
        if data.len() == 32 {
            assert_eq!(key.as_bytes(), data);
        }
    }
    match z85_encode(data) {
        Ok(text) => assert_eq!(z85_decode(&text).unwrap(), data, "encode, then decode"),
        Err(_) => assert!(data.len() % 4 != 0),
    }
});
