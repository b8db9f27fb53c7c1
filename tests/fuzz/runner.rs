//! Runs a fuzz target over many inputs: every panic is caught, counted and its input
//! saved, so that one campaign reports all it finds and each find becomes a test.

use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::input::Rng;
use super::targets::Target;

/// How long to go on: whichever comes first.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub inputs: u64,
    pub time: Option<Duration>,
}

#[derive(Debug)]
pub struct Report {
    pub name: &'static str,
    pub inputs: u64,
    pub elapsed: Duration,
    /// Where the inputs that panicked were written.
    pub crashes: Vec<PathBuf>,
    pub panics: u64,
    /// The slowest input: its time and iteration, to make it again with the seed.
    pub slowest: (Duration, u64),
}

impl Report {
    pub fn line(&self) -> String {
        format!(
            "{:<12} {:>9} inputs in {:>7.1} s, {} panics; slowest input #{} took {:.1} ms",
            self.name,
            self.inputs,
            self.elapsed.as_secs_f64(),
            self.panics,
            self.slowest.1,
            self.slowest.0.as_secs_f64() * 1000.0
        )
    }
}

/// Saved inputs per target at most: a bug hit a million times needs one example.
const MAX_SAVED: usize = 20;

/// Runs `target` from iteration `first` on; `progress` prints a line now and then.
pub fn run<T: Target>(target: &T, seed: u64, first: u64, budget: Budget, progress: bool) -> Report {
    let started = Instant::now();
    let mut report = Report {
        name: target.name(),
        inputs: 0,
        elapsed: Duration::ZERO,
        crashes: Vec::new(),
        panics: 0,
        slowest: (Duration::ZERO, first),
    };
    let mut last_progress = Instant::now();
    let mut iteration = first;
    while report.inputs < budget.inputs && budget.time.is_none_or(|t| started.elapsed() < t) {
        let input = target.make(&mut Rng::new(seed, iteration));
        let one = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| target.check(&input)));
        let took = one.elapsed();
        if took > report.slowest.0 {
            report.slowest = (took, iteration);
        }
        if let Err(payload) = outcome {
            report.panics += 1;
            if report.crashes.len() < MAX_SAVED {
                let message = payload
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| payload.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)");
                let note = format!("panicked: {message}");
                let path = save(
                    "fuzz-crashes",
                    target.name(),
                    seed,
                    iteration,
                    &note,
                    &input,
                );
                report.crashes.push(path);
            }
        }
        report.inputs += 1;
        iteration += 1;
        if progress && last_progress.elapsed() > Duration::from_secs(30) {
            last_progress = Instant::now();
            report.elapsed = started.elapsed();
            eprintln!("  … {} (at iteration {iteration})", report.line());
        }
    }
    report.elapsed = started.elapsed();
    if progress {
        let slowest = target.make(&mut Rng::new(seed, report.slowest.1));
        let note = format!("the slowest input: {:?}", report.slowest.0);
        let path = save(
            "fuzz-slowest",
            target.name(),
            seed,
            report.slowest.1,
            &note,
            &slowest,
        );
        eprintln!("  slowest input saved: {}", path.display());
    }
    report
}

/// Writes an input to `target/tmp/<folder>/`, with the note saying why it was kept.
fn save(
    folder: &str,
    name: &str,
    seed: u64,
    iteration: u64,
    note: &str,
    input: &impl Debug,
) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(folder);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{name}-{seed}-{iteration}.txt"));
    let text = format!("{name}: seed {seed}, input #{iteration}\n{note}\n\n{input:#?}\n");
    let _ = std::fs::write(&path, text);
    path
}
