//! The output folder: worklog replaces only what it wrote. Every path a user may type for
//! `--output` (relative, with `..`, through symlinks) is tried from the site's folder as
//! users run it, and every byte outside the output is checked to be unchanged.
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::tree::{assert_unchanged_outside, snapshot};
use common::*;

/// A folder holding a site and what users keep beside it.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace { dir };
        for (path, text) in [
            ("site/worklog.toml", "title = \"Journal\"\n"),
            ("site/content/_index.md", "---\ntitle: Home\n---\nHello.\n"),
            (
                "site/content/1-Worklog/_index.md",
                "---\ntitle: Worklog\nweight: 1\n---\nWeeks.\n",
            ),
            ("site/static/images/a.png", "png"),
            ("site/themes/mine/static/x.css", "body{}"),
            ("site/.git/HEAD", "ref: refs/heads/main\n"),
            ("Documents/thesis.docx", "years of work"),
            ("shared-tmp/other-site/index.html", "someone else's site"),
            ("report.pdf", "%PDF-1.4"),
            ("home/.bashrc", "alias ll='ls -l'"),
        ] {
            let path = ws.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink("site", ws.path().join("link-to-site")).unwrap();
        ws
    }

    fn path(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    fn site(&self) -> PathBuf {
        self.path().join("site")
    }

    /// `worklog build ARGS` run in `cwd` (relative to the workspace), with the
    /// workspace's `home/` as the home folder.
    fn build_in(&self, cwd: &str, args: &[&str]) -> Run {
        let mut cmd = worklog();
        cmd.current_dir(self.path().join(cwd))
            .env("HOME", self.path().join("home"))
            .arg("build")
            .args(args);
        run(cmd)
    }
}

impl Workspace {
    /// No staging, retired or lock file of worklog's beside the site or its outputs.
    fn assert_no_staging_left(&self) {
        let beside: Vec<_> = std::fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("worklog"))
            .collect();
        assert!(beside.is_empty(), "{beside:?}");
    }
}

fn refused(run: &Run, why: &str) {
    run.failed();
    assert!(
        run.stderr.contains(why),
        "expected {why:?} in:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("left as it was") || run.stderr.contains("Nothing was changed"),
        "{}",
        run.stderr
    );
}

#[test]
fn outputs_that_would_replace_the_site_or_its_inputs_are_refused_touching_nothing() {
    let ws = Workspace::new();
    let abs_dotdot = format!("{}/../site", ws.site().display());
    let cases: &[(&str, &[&str], &str)] = &[
        ("site", &["-o", "../site"], "the site's own folder"),
        ("site", &["-o", "./../site"], "the site's own folder"),
        ("site", &["-o", &abs_dotdot], "the site's own folder"),
        ("site", &["-o", "."], "the site's own folder"),
        ("site", &["-o", ".."], "holds the site"),
        (
            ".",
            &["-s", "link-to-site", "-o", "site"],
            "the site's own folder",
        ),
        (
            ".",
            &["-s", "site", "-o", "link-to-site"],
            "the site's own folder",
        ),
        ("site", &["-o", ".git"], "inside the site's .git"),
        ("site", &["-o", "themes"], "inside the site's themes"),
        ("site", &["-o", "content/out"], "inside the site's content"),
        ("site", &["-o", "static"], "inside the site's static"),
        ("site", &["-o", "layouts"], "inside the site's layouts"),
        (
            "site",
            &["-o", "worklog.toml"],
            "inside the site's worklog.toml",
        ),
        (
            "site",
            &["-o", "config.toml"],
            "inside the site's config.toml",
        ),
        ("site", &["-o", "../report.pdf"], "is a file, not a folder"),
        ("site", &["-o", "../home"], "your home folder"),
        ("site", &["-o", "../home", "--force"], "your home folder"),
        ("site", &["-o", "/"], "root of the file system"),
        ("site", &["-o", "../Documents"], "worklog did not write"),
        ("site", &["-o", "../shared-tmp"], "worklog did not write"),
    ];
    for (cwd, args, why) in cases {
        let before = snapshot(&ws.path());
        let run = ws.build_in(cwd, args);
        refused(&run, why);
        assert!(
            run.stderr.contains("Nothing was changed"),
            "{args:?}: {}",
            run.stderr
        );
        assert_unchanged_outside(&before, &snapshot(&ws.path()), &[]);
    }
}

#[test]
fn a_folder_of_other_files_is_replaced_only_with_force() {
    let ws = Workspace::new();
    let before = snapshot(&ws.path());
    let run = ws.build_in("site", &["-o", "../Documents"]);
    refused(&run, "--force");
    assert!(run.stderr.contains("thesis.docx"), "{}", run.stderr);
    ws.build_in("site", &["-o", "../Documents", "--force"]).ok();
    let docs = ws.path().join("Documents");
    assert!(docs.join("index.html").is_file());
    assert!(!docs.join("thesis.docx").exists());
    assert_unchanged_outside(&before, &snapshot(&ws.path()), &[Path::new("Documents")]);
}

#[test]
fn worklogs_own_output_empty_and_new_folders_are_written_leaving_nothing_beside_them() {
    let ws = Workspace::new();
    std::fs::create_dir(ws.path().join("empty")).unwrap();
    let before = snapshot(&ws.path());
    for _ in 0..2 {
        ws.build_in("site", &[]).ok();
        ws.build_in("site", &["-o", "../empty"]).ok();
        ws.build_in("site", &["-o", "../new/deeper/out"]).ok();
        ws.build_in("site", &["-o", "content/../public"]).ok();
    }
    for out in ["site/public", "empty", "new/deeper/out"] {
        assert!(ws.path().join(out).join("index.html").is_file(), "{out}");
    }
    let after = snapshot(&ws.path());
    assert_unchanged_outside(
        &before,
        &after,
        &[
            Path::new("site/public"),
            Path::new("empty"),
            Path::new("new"),
        ],
    );
    let litter: Vec<_> = after
        .keys()
        .filter(|p| p.to_string_lossy().contains(".worklog-"))
        .filter(|p| !p.ends_with(".worklog-output"))
        .collect();
    assert!(litter.is_empty(), "{litter:?}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_updates_what_it_points_at_and_stays_a_link() {
    let ws = Workspace::new();
    std::fs::create_dir_all(ws.path().join("www/site")).unwrap();
    std::os::unix::fs::symlink("../www/site", ws.site().join("public")).unwrap();
    std::os::unix::fs::symlink("../nowhere/yet", ws.site().join("dangling")).unwrap();
    let before = snapshot(&ws.path());
    for _ in 0..2 {
        ws.build_in("site", &[]).ok();
        ws.build_in("site", &["-o", "dangling"]).ok();
    }
    assert!(
        ws.site()
            .join("public")
            .symlink_metadata()
            .unwrap()
            .is_symlink()
    );
    assert!(ws.path().join("www/site/index.html").is_file());
    assert!(ws.path().join("nowhere/yet/index.html").is_file());
    assert_unchanged_outside(
        &before,
        &snapshot(&ws.path()),
        &[Path::new("www/site"), Path::new("nowhere")],
    );
}

#[test]
fn concurrent_builds_to_one_output_leave_one_whole_site() {
    let ws = Workspace::new();
    for n in 1..=150 {
        let path = ws
            .site()
            .join(format!("content/1-Worklog/1.{n}-Week{n}/_index.md"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, week(n, "", &"A line of the journal.\n".repeat(50))).unwrap();
    }
    ws.build_in("site", &["-o", "../reference"]).ok();
    let children: Vec<_> = (0..6)
        .map(|_| {
            let mut cmd = worklog();
            cmd.current_dir(ws.site())
                .env("HOME", ws.path().join("home"))
                .args(["build", "-o", "../shared-out"]);
            cmd.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut won = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => won += 1,
            Some(1) => assert!(
                stderr.contains("another build is writing"),
                "a raw failure: {stderr}"
            ),
            other => panic!("exit {other:?}: {stderr}"),
        }
    }
    assert!(won >= 1);
    assert_eq!(
        snapshot(&ws.path().join("shared-out")),
        snapshot(&ws.path().join("reference"))
    );
    ws.assert_no_staging_left();
}

#[test]
fn a_failed_build_says_nothing_was_written() {
    let ws = Workspace::new();
    ws.build_in("site", &[]).ok();
    std::fs::write(ws.site().join("content/_index.md"), "---\ntitle: [\n---\n").unwrap();
    let before = snapshot(&ws.path());
    let run = ws.build_in("site", &[]);
    run.failed();
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_unchanged_outside(&before, &snapshot(&ws.path()), &[]);
}

/// A mount point (a Docker volume) cannot be renamed: it is updated in place. Needs a
/// private mount namespace (`unshare`, as root); skipped with a note where there is none.
#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_output_is_updated_in_place() {
    let ws = Workspace::new();
    let volume = ws.path().join("volume");
    std::fs::create_dir(&volume).unwrap();
    let probe = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no private mount namespace here (unshare --mount)");
        return;
    }
    let worklog = env!("CARGO_BIN_EXE_worklog");
    let script = format!(
        "mount -t tmpfs tmpfs '{v}' && echo old > '{v}/stale.txt' && touch '{v}/.worklog-output' \
         && '{w}' build -o '{v}' && '{w}' build -o '{v}' && cd '{v}' && find . | sort",
        v = volume.display(),
        w = worklog
    );
    let out = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .current_dir(ws.site())
        .env("HOME", ws.path().join("home"))
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{listing}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(listing.contains("./index.html"), "{listing}");
    assert!(!listing.contains("stale.txt"), "{listing}");
    assert!(!listing.contains(".worklog-new"), "{listing}");
    ws.assert_no_staging_left();
}
