//! cargo-fuzz target `warc`: the checks of `fuzz/checks/warc.rs`, also run on stable by
//! the stable driver (`fuzz/driver.rs`).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks/warc.rs"]
mod check;

fuzz_target!(|data: &[u8]| check::check(data));
