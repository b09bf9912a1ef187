//! cargo-fuzz target `jsonl`: the checks of `fuzz/checks/jsonl.rs`, also run on stable by
//! the stable driver (`fuzz/driver.rs`).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks/jsonl.rs"]
mod check;

fuzz_target!(|data: &[u8]| check::check(data));
