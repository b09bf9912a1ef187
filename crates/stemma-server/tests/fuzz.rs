//! Stable-toolchain fuzzing of the API's request-body parser: the checks of
//! `fuzz/checks/api_body.rs` on the kept regression inputs and on seeded mutations, for a
//! bounded time (`STEMMA_FUZZ_SECS`, default 1 s). See `fuzz/driver.rs`.

#[path = "../../../fuzz/driver.rs"]
mod driver;

#[path = "../../../fuzz/checks/api_body.rs"]
mod api_body;

#[test]
fn fuzz_api_body() {
    driver::run(
        "api_body",
        api_body::seeds(),
        api_body::DICT,
        api_body::check,
    );
}
