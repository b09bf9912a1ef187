//! cargo-fuzz target `api_body`: the checks of `fuzz/checks/api_body.rs`, also run on stable by
//! the stable driver (`fuzz/driver.rs`).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks/api_body.rs"]
mod check;

fuzz_target!(|data: &[u8]| check::check(data));
