//! Embeds every theme under `themes/` in the binary, so `cargo install` gives working
//! themes anywhere and `worklog theme init` can write a copy of one; and names the commit
//! the binary is built from, for `worklog --version`.
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    // Read when the script runs, not when it was compiled: a target folder copied from
    // another checkout keeps its compiled build script, which then embedded that
    // checkout's themes.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let themes = Path::new(&manifest_dir).join("themes");
    println!("cargo:rerun-if-changed={}", themes.display());
    let mut names: Vec<String> = std::fs::read_dir(&themes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut code = String::from("pub static BUILTIN_THEMES: &[(&str, ThemeFiles)] = &[\n");
    for name in names {
        let root = themes.join(&name);
        println!("cargo:rerun-if-changed={}", root.display());
        let mut files = Vec::new();
        collect(&root, &root, &mut files);
        files.sort();
        writeln!(code, "    ({name:?}, &[").unwrap();
        for (rel, abs) in files {
            writeln!(code, "        ({rel:?}, include_bytes!({abs:?})),").unwrap();
        }
        code.push_str("    ]),\n");
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_themes.rs");
    std::fs::write(out, code).unwrap();
    let commit = git_commit(Path::new(&manifest_dir))
        .or_else(|| packaged_commit(Path::new(&manifest_dir)))
        .unwrap_or_default();
    println!("cargo:rustc-env=WORKLOG_COMMIT={commit}");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap();
    let line = match commit.get(..12) {
        Some(short) => format!("{version} (commit {short})"),
        None => version,
    };
    println!("cargo:rustc-env=WORKLOG_VERSION_LINE={line}");
}

/// HEAD of the checkout being built, when the crate is the top of a git work tree (not a
/// crate vendored inside another project's repository).
fn git_commit(manifest_dir: &Path) -> Option<String> {
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(manifest_dir)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != manifest_dir.canonicalize().ok()? {
        return None;
    }
    // A new commit or checkout moves HEAD or the branch it names; only files that exist
    // are named, since cargo reruns a script for a missing one at every build.
    for file in ["HEAD", "packed-refs"] {
        rerun_if_exists(&git(&["rev-parse", "--git-path", file])?, manifest_dir);
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        rerun_if_exists(&git(&["rev-parse", "--git-path", &branch])?, manifest_dir);
    }
    git(&["rev-parse", "HEAD"]).filter(|c| c.len() == 40)
}

fn rerun_if_exists(path: &str, manifest_dir: &Path) {
    let path = manifest_dir.join(path);
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// The commit `cargo package` recorded in `.cargo_vcs_info.json`: a crate from the
/// registry has no `.git`.
fn packaged_commit(manifest_dir: &Path) -> Option<String> {
    let info = std::fs::read_to_string(manifest_dir.join(".cargo_vcs_info.json")).ok()?;
    let at = info.find("\"sha1\"")?;
    let rest = &info[at + "\"sha1\"".len()..];
    let start = rest.find('"')? + 1;
    let sha = &rest[start..start + 40.min(rest.len() - start)];
    (sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit())).then(|| sha.to_string())
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if !path.file_name().unwrap().to_string_lossy().starts_with('.') {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}
