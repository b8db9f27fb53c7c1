//! `worklog serve`, started in the site's folder with no flags as users start it, answers
//! every path as a fresh build of the same files would, after every edit of a random
//! sequence: the same bytes (the live reload tag aside) for every file of the build, and
//! 404 for every path the build no longer has. `tests/incremental.rs` runs many more
//! sequences through the pipeline alone; this one goes through the watcher and HTTP.
mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::edits::{Rng, Site};
use common::server::ServeProcess;
use worklog::BuildOptions;
use worklog::pipeline::Pipeline;

const LIVE_TAG: &str = "<script src=\"/__worklog/live.js\"></script>";

/// Lines the server prints once per rebuild, good or failed.
fn rebuild_lines(server: &ServeProcess) -> usize {
    server
        .output()
        .iter()
        .filter(|l| l.contains("rebuilt in") || l.contains("serving the last good build"))
        .count()
}

/// Waits until the server has printed a rebuild line since `before`, then until it has
/// been quiet for a while: a burst may take more than one rebuild.
fn wait_for_rebuild(server: &ServeProcess, before: usize, history: &[String]) {
    let started = Instant::now();
    while rebuild_lines(server) == before {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "after {history:?}: no rebuild; the server printed {:?}",
            server.output()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut seen = rebuild_lines(server);
    loop {
        std::thread::sleep(Duration::from_millis(250));
        let now = rebuild_lines(server);
        if now == seen {
            return;
        }
        seen = now;
    }
}

#[test]
fn served_paths_equal_a_fresh_build_after_random_edits_over_http() {
    for seed in 0..6u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut site = Site::new(&mut rng);
        let server = ServeProcess::start_in(&site.root(), &["--port", "0"]);
        let base = "/journal/";
        let options = BuildOptions {
            source: site.root(),
            ..BuildOptions::default()
        };
        let mut history = vec![format!("seed {seed}")];
        let mut ever: BTreeSet<String> = BTreeSet::new();
        for _ in 0..6 {
            let before = rebuild_lines(&server);
            let (what, paths) = site.edit(&mut rng);
            history.push(what);
            if paths.is_empty() {
                continue;
            }
            wait_for_rebuild(&server, before, &history);
            let Ok(fresh) = Pipeline::new(&options) else {
                // The site does not build: the server keeps the last good one, with the
                // error over it (tests/serve.rs).
                continue;
            };
            let output = fresh.output();
            ever.extend(output.paths().map(str::to_owned));
            for path in &ever {
                // The search index follows the pages, made off the rebuild loop: it
                // must come to equal the build's, soon.
                let settles = worklog::search::is_index_file(path);
                let started = Instant::now();
                loop {
                    let got = server.get(&format!("{base}{path}"));
                    let wanted = output.get(path).map(Result::unwrap);
                    // Bodies are read as text: a binary file (the search index) is
                    // compared as text too.
                    let served = got.body.replace(LIVE_TAG, "");
                    let same = match &wanted {
                        Some(bytes) => {
                            got.status == 200 && served == String::from_utf8_lossy(bytes)
                        }
                        None => got.status == 404,
                    };
                    if same {
                        break;
                    }
                    if !settles || started.elapsed() > Duration::from_secs(30) {
                        match wanted {
                            Some(bytes) => panic!(
                                "after {history:?}: {path} differs from a fresh build ({}):\nserved: {served}\nfresh:  {}",
                                got.status,
                                String::from_utf8_lossy(&bytes)
                            ),
                            None => {
                                panic!("after {history:?}: {path} is gone, served {}", got.status)
                            }
                        }
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }
}
