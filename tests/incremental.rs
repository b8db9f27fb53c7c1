//! What `serve` shows equals a fresh build, after any sequence of edits: random sequences
//! of every kind of edit a journal sees are applied to a fixture site through
//! `Pipeline::apply` (as `serve` does, with the paths a file watcher reports), and after
//! each edit every output path is compared, byte for byte, with a fresh build of the same
//! files, including which paths exist, and so are the warnings printed.
//!
//! `WORKLOG_SEQUENCES=N` runs more sequences (`scripts/incremental` runs thousands).

use std::path::{Path, PathBuf};

use worklog::BuildOptions;
use worklog::output::Content;
use worklog::pipeline::Pipeline;

mod common;
use common::edits::{Rng, Site};

/// The path to `target` from the current folder, as `../../tmp/x`: the site named as a
/// user in another folder would name it.
fn relative_from_cwd(target: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap().canonicalize().unwrap();
    let ups = cwd.components().count() - 1;
    (0..ups)
        .map(|_| Path::new(".."))
        .collect::<PathBuf>()
        .join(target.strip_prefix("/").unwrap())
}

fn compare(served: &Pipeline, fresh: &Pipeline, history: &[String]) {
    let (mut w1, mut w2) = (served.warnings(), fresh.warnings());
    w1.sort();
    w2.sort();
    let only_served: Vec<String> = w1
        .iter()
        .filter(|w| !w2.contains(w))
        .map(|w| w.to_string())
        .collect();
    let only_fresh: Vec<String> = w2
        .iter()
        .filter(|w| !w1.contains(w))
        .map(|w| w.to_string())
        .collect();
    assert!(
        only_served.is_empty() && only_fresh.is_empty(),
        "after {history:?}: warnings only while serving {only_served:?}, only in a fresh build {only_fresh:?}"
    );
    let a: Vec<&str> = served.output().paths().collect();
    let b: Vec<&str> = fresh.output().paths().collect();
    let only_served: Vec<_> = a.iter().filter(|p| !b.contains(p)).collect();
    let only_fresh: Vec<_> = b.iter().filter(|p| !a.contains(p)).collect();
    assert!(
        only_served.is_empty() && only_fresh.is_empty(),
        "after {history:?}: paths only served {only_served:?}, only in a fresh build {only_fresh:?}"
    );
    for path in a {
        let (x, y) = (served.output().content(path), fresh.output().content(path));
        let (x, y) = (x.unwrap(), y.unwrap());
        // Both read a static file from the same disk: its bytes match whatever the update
        // did, its hash only if the update read the file again after its last edit.
        if matches!(x, Content::File(_)) || matches!(y, Content::File(_)) {
            assert!(
                x.same_as(y),
                "after {history:?}: {path} is described as it was before an edit: {x:?}, fresh {y:?}"
            );
        }
        let (x, y) = (x.bytes().unwrap(), y.bytes().unwrap());
        if x != y {
            let x = String::from_utf8_lossy(&x);
            let y = String::from_utf8_lossy(&y);
            let at = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
            let from = at.saturating_sub(150);
            panic!(
                "after {history:?}: {path} differs from a fresh build at byte {at}:\nserved: {}\nfresh:  {}",
                &x[from..(at + 150).min(x.len())],
                &y[from..(at + 150).min(y.len())]
            );
        }
    }
}

fn run_sequence(seed: u64, edits: usize) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut site = Site::new(&mut rng);
    let source = if seed.is_multiple_of(2) {
        relative_from_cwd(&site.root())
    } else {
        site.root()
    };
    let options = BuildOptions {
        source,
        ..BuildOptions::default()
    };
    let mut served = Pipeline::new(&options).expect("the fixture builds");
    let mut history = vec![format!("seed {seed}")];
    // Paths of a failed update, applied again with the next ones, as `serve` does.
    let mut pending: Vec<PathBuf> = Vec::new();
    for _ in 0..edits {
        let (what, paths) = site.edit(&mut rng);
        history.push(what);
        pending.extend(paths);
        let applied = served.apply(&pending);
        let fresh = Pipeline::new(&options);
        match (applied, fresh) {
            (Ok(_), Ok(fresh)) => {
                compare(&served, &fresh, &history);
                pending.clear();
            }
            (Err(_), Err(_)) => {}
            (Ok(_), Err(e)) => panic!("after {history:?}: served a site, but a build fails: {e}"),
            (Err(e), Ok(_)) => {
                panic!("after {history:?}: the update failed, but a build works: {e}")
            }
        }
    }
}

#[test]
fn served_output_equals_a_fresh_build_after_random_edits() {
    let var = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let (first, sequences) = (
        var("WORKLOG_FIRST_SEQUENCE", 0),
        var("WORKLOG_SEQUENCES", 200),
    );
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get() as u64);
    std::thread::scope(|scope| {
        for worker in 0..workers {
            scope.spawn(move || {
                let mut seed = first + worker;
                while seed < first + sequences {
                    run_sequence(seed, 8);
                    seed += workers;
                }
            });
        }
    });
}

/// The site after `edit`, served and freshly built, compared.
fn served_equals_fresh_after(edit: impl FnOnce(&Site) -> Vec<PathBuf>) {
    let site = Site::new(&mut Rng(7));
    let options = BuildOptions {
        source: relative_from_cwd(&site.root()),
        ..BuildOptions::default()
    };
    let mut served = Pipeline::new(&options).unwrap();
    served.apply(&edit(&site)).unwrap();
    compare(&served, &Pipeline::new(&options).unwrap(), &[]);
}

#[test]
fn a_new_title_shows_in_the_parents_children_list() {
    served_equals_fresh_after(|site| {
        vec![site.set_front(
            "content/1-Worklog/1.2-Week2/_index.md",
            "title",
            Some("\"Renamed week\""),
        )]
    });
}

#[test]
fn links_to_a_renamed_folder_are_reported_and_written_as_a_build_would() {
    served_equals_fresh_after(|site| {
        let old = site.root().join("content/1-Worklog/1.2-Week2");
        let new = site.root().join("content/1-Worklog/1.2-Week-two");
        std::fs::rename(&old, &new).unwrap();
        vec![old, new]
    });
}

#[test]
fn a_page_titled_by_its_first_heading_takes_the_new_heading() {
    served_equals_fresh_after(|site| {
        let text = site.read("content/2-Proposal/_index.md");
        let text = text.replace("# Proposal draft", "# Proposal, final");
        vec![site.write("content/2-Proposal/_index.md", &text)]
    });
}

#[test]
fn a_static_file_edited_to_the_same_length_is_a_change() {
    let site = Site::new(&mut Rng(7));
    site.write("static/images/w1.png", "png");
    let options = BuildOptions {
        source: site.root(),
        ..BuildOptions::default()
    };
    let mut served = Pipeline::new(&options).unwrap();
    let on_disk = served.output().content("images/w1.png");
    assert!(matches!(on_disk, Some(Content::File(_))), "{on_disk:?}");
    let edited = site.write("static/images/w1.png", "pn1");
    let changed = served.apply(std::slice::from_ref(&edited)).unwrap();
    assert_eq!(changed.files, ["images/w1.png"]);
    // Saved again as it was: the bytes changed back, so the page must reload again.
    std::fs::write(&edited, "png").unwrap();
    assert_eq!(served.apply(&[edited]).unwrap().files, ["images/w1.png"]);
    compare(&served, &Pipeline::new(&options).unwrap(), &[]);
}

#[test]
fn a_static_file_added_where_a_bundle_file_is_fails_as_a_build_would() {
    let site = Site::new(&mut Rng(7));
    site.write("content/1-Worklog/1.2-Week2/t1.png", "bundle");
    let options = BuildOptions {
        source: site.root(),
        ..BuildOptions::default()
    };
    let mut served = Pipeline::new(&options).unwrap();
    let added = site.write("static/1-worklog/1.2-week2/t1.png", "static");
    let error = served.apply(&[added]).unwrap_err().to_string();
    assert!(
        error.contains("are both written to /1-worklog/1.2-week2/t1.png"),
        "{error}"
    );
    assert!(Pipeline::new(&options).is_err());
    let kept = served.output().content("1-worklog/1.2-week2/t1.png");
    assert!(
        matches!(kept, Some(Content::File(f)) if f.source.ends_with("t1.png") && f.source.to_string_lossy().contains("content")),
        "{kept:?}"
    );
}
