//! Fuzz target: see `bosun::fuzz::values` for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bosun::fuzz::values(data));
