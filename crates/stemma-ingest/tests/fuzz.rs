//! Stable-toolchain fuzzing of the readers: the checks of `fuzz/checks/` run on the kept
//! regression inputs of `fuzz/regressions/` and on seeded mutations of a seed corpus, for a
//! bounded time (`STEMMA_FUZZ_SECS`, default 1 s per target). See `fuzz/driver.rs`.

#[path = "../../../fuzz/driver.rs"]
mod driver;

#[path = "../../../fuzz/checks/warc.rs"]
mod warc;

#[path = "../../../fuzz/checks/jsonl.rs"]
mod jsonl;

#[path = "../../../fuzz/checks/charset.rs"]
mod charset;

#[test]
fn fuzz_warc() {
    driver::run("warc", warc::seeds(), warc::DICT, warc::check);
}

#[test]
fn fuzz_jsonl() {
    driver::run("jsonl", jsonl::seeds(), jsonl::DICT, jsonl::check);
}

#[test]
fn fuzz_charset() {
    driver::run("charset", charset::seeds(), charset::DICT, charset::check);
}
