//! Stable-toolchain fuzzing of HTML extraction: the checks of `fuzz/checks/html.rs` on the
//! kept regression inputs and on seeded mutations, for a bounded time
//! (`STEMMA_FUZZ_SECS`, default 1 s). See `fuzz/driver.rs`.

#[path = "../../../fuzz/driver.rs"]
mod driver;

#[path = "../../../fuzz/checks/html.rs"]
mod html;

#[test]
fn fuzz_html() {
    driver::run("html", html::seeds(), html::DICT, html::check);
}
