//! Fuzz target: see `bosun::fuzz::documents` for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bosun::fuzz::documents(data));
