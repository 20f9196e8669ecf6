#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| samskap::fuzzing::change_view(data));
