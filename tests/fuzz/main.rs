//! Fuzzing the parsers that take user bytes, on stable Rust: seeded inputs made from real
//! journal files (see `input`), every panic caught and its input saved (see `runner`).
//!
//! `cargo test` runs a short deterministic pass of each target. `scripts/fuzz` runs the
//! long campaign, the ignored `campaign` test in release mode; its settings come from
//! `WORKLOG_FUZZ_INPUTS`, `WORKLOG_FUZZ_SECONDS` (per target), `WORKLOG_FUZZ_SEED`,
//! `WORKLOG_FUZZ_FROM` (first iteration, to go back to an input) and
//! `WORKLOG_FUZZ_TARGETS` (names, comma-separated). The checks themselves (`targets`)
//! are also the cargo-fuzz targets' (`fuzz/`).

mod input;
mod runner;
mod targets;

use std::time::Duration;

use runner::{Budget, Report, run};
use targets::{FrontMatterTarget, LinkTarget, RenderTarget, ScanTarget, ServeTarget, Target};

/// The seed of the short pass: fixed, so that `cargo test` is the same run every time.
const SEED: u64 = 0x0077_6f72_6b6c_6f67;

fn short<T: Target>(target: &T, inputs: u64) {
    let report = run(target, SEED, 0, Budget { inputs, time: None }, false);
    assert_eq!(report.inputs, inputs);
    assert_eq!(
        report.panics,
        0,
        "{}\ninputs: {:?}",
        report.line(),
        report.crashes
    );
}

/// The seed files as they are, read as libFuzzer reads its corpus.
fn seeds_pass<T: Target>(target: &T) {
    for seed in input::SEEDS {
        target.check(&target.read(seed.as_bytes()));
    }
}

#[test]
fn the_seeds_pass_every_target() {
    seeds_pass(&FrontMatterTarget);
    seeds_pass(&ScanTarget);
    seeds_pass(&LinkTarget::new());
    seeds_pass(&RenderTarget::new());
    seeds_pass(&ServeTarget);
}

#[test]
fn front_matter_survives_any_file() {
    short(&FrontMatterTarget, 1500);
}

#[test]
fn shortcode_scan_survives_any_body() {
    short(&ScanTarget, 1500);
}

#[test]
fn link_resolution_survives_any_url() {
    short(&LinkTarget::new(), 4000);
}

#[test]
fn page_rendering_survives_any_body() {
    short(&RenderTarget::new(), 300);
}

#[test]
fn request_paths_never_leave_the_site() {
    short(&ServeTarget, 20_000);
}

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
#[ignore = "the long campaign: run it with scripts/fuzz"]
fn campaign() {
    let budget = Budget {
        inputs: env("WORKLOG_FUZZ_INPUTS").unwrap_or(1_000_000),
        time: env("WORKLOG_FUZZ_SECONDS").map(Duration::from_secs),
    };
    let seed = env("WORKLOG_FUZZ_SEED").unwrap_or(SEED);
    let from = env("WORKLOG_FUZZ_FROM").unwrap_or(0);
    let wanted = std::env::var("WORKLOG_FUZZ_TARGETS").unwrap_or_default();
    let wanted = |name: &str| wanted.is_empty() || wanted.split(',').any(|w| w == name);
    eprintln!("fuzz campaign: seed {seed}, from input #{from}, {budget:?} per target");
    let mut reports: Vec<Report> = Vec::new();
    let mut go = |report: Report| {
        eprintln!("{}", report.line());
        for c in &report.crashes {
            eprintln!("  input saved: {}", c.display());
        }
        reports.push(report);
    };
    if wanted("front-matter") {
        go(run(&FrontMatterTarget, seed, from, budget, true));
    }
    if wanted("shortcodes") {
        go(run(&ScanTarget, seed, from, budget, true));
    }
    if wanted("links") {
        go(run(&LinkTarget::new(), seed, from, budget, true));
    }
    if wanted("render-page") {
        go(run(&RenderTarget::new(), seed, from, budget, true));
    }
    if wanted("serve-path") {
        go(run(&ServeTarget, seed, from, budget, true));
    }
    let panics: u64 = reports.iter().map(|r| r.panics).sum();
    assert_eq!(panics, 0, "panics found: see the saved inputs above");
}

// Inputs the campaign found, kept as they were minimised.

#[test]
fn a_yaml_error_after_lone_carriage_returns_names_a_line_of_the_file() {
    // The YAML parser's own line number counted each `\r` as a line: "line 571 of 96".
    let text = "---\ntitle: a\r\r\r\r\r\r\r\r\nb\n---\nBody.\n";
    let line = |text: &str| {
        worklog::content::front_matter::split(text)
            .unwrap_err()
            .line
    };
    assert_eq!(line(text), line(&text.replace('\r', "")));
    assert_eq!(line(text), 4);
    FrontMatterTarget.check(&targets::FileBytes(text.as_bytes().to_vec()));
}

#[test]
fn a_run_of_shortcode_openings_is_scanned_in_one_pass() {
    // The campaign's slowest input: each `{{<` of a run read the run to its end, so
    // 17 KB took 166 ms and 256 KB would take minutes.
    ScanTarget.check(&("{{<".repeat(60_000) + " {{< x >}}"));
    RenderTarget::new().check(&("a{{%".repeat(20_000) + "\n"));
}
