//! Fuzz target: see `bosun::fuzz::set` for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bosun::fuzz::set(data));
