//! libFuzzer target `front-matter`: the checks of tests/fuzz/targets.rs on raw bytes.
#![no_main]

// The seeded generator serves the stable harness; here libFuzzer makes the inputs.
#[allow(dead_code)]
#[path = "../../tests/fuzz/input.rs"]
mod input;
#[allow(dead_code)]
#[path = "../../tests/fuzz/targets.rs"]
mod targets;

use std::sync::LazyLock;

use targets::Target;

static TARGET: LazyLock<targets::FrontMatterTarget> = LazyLock::new(|| targets::FrontMatterTarget);

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    TARGET.check(&TARGET.read(data));
});
