//! Programs some tests run that are not part of worklog: the workflow linters, maturin.
//!
//! A program is found at `$WORKLOG_<NAME>` (as `.ci/run` sets), else on the PATH. A test
//! whose program is missing fails, naming what to install; `WORKLOG_SKIP=<group>,...`
//! (e.g. `WORKLOG_SKIP=workflows,wheel`) skips that group instead, saying so.

use std::path::PathBuf;

/// `program`'s path, or `None` when its `group` is skipped on request.
pub fn find(program: &str, group: &str, install: &str) -> Option<PathBuf> {
    if skipped(group) {
        eprintln!("skipped ({group} is in WORKLOG_SKIP): {program} not run");
        return None;
    }
    let var = format!("WORKLOG_{}", program.to_uppercase().replace('-', "_"));
    if let Some(path) = std::env::var_os(&var) {
        return Some(PathBuf::from(path));
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    });
    Some(on_path.unwrap_or_else(|| {
        panic!(
            "{program} is not installed: {install} (bash .ci/run installs it), or set {var}; \
             WORKLOG_SKIP={group} skips these tests"
        )
    }))
}

fn skipped(group: &str) -> bool {
    std::env::var("WORKLOG_SKIP")
        .map(|list| list.split(',').any(|g| g.trim() == group))
        .unwrap_or(false)
}
