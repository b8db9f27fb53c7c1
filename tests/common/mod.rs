//! `TestSite`: a fixture site in a temporary folder, built with the real `worklog` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TestSite {
    dir: tempfile::TempDir,
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.status, 0,
            "build failed:\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn failed(&self) -> &Self {
        assert_eq!(
            self.status, 1,
            "build should have failed:\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
}

impl TestSite {
    pub fn new() -> Self {
        TestSite {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A site with a home page and the given files.
    pub fn with(files: &[(&str, &str)]) -> Self {
        let site = TestSite::new();
        site.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.dir.path().join(rel)).unwrap();
    }

    pub fn build(&self, args: &[&str]) -> Run {
        let mut cmd = worklog();
        cmd.arg("build")
            .arg("--source")
            .arg(self.dir.path())
            .args(args);
        run(cmd)
    }

    pub fn public(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    /// A file of the default output folder, as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; output has: {:?}", path.display(), self.files()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }

    /// Every file in the default output folder, relative and sorted.
    pub fn files(&self) -> Vec<String> {
        files_under(&self.public())
    }
}

pub fn worklog() -> Command {
    Command::new(env!("CARGO_BIN_EXE_worklog"))
}

pub fn run(mut cmd: Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    Run {
        status: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

pub fn files_under(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

/// A week file in the form real journals use.
pub fn week(n: u32, extra_front: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"Week {n} Worklog\"\nweight: 1\nchapter: false\npre: \" <b> 1.{n}. </b> \"\n{extra_front}---\n{body}"
    )
}

/// The `href`s and `src`s of an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// The text between `start` and the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in page"))
        + start.len();
    let j = html[i..].find(end).unwrap() + i;
    &html[i..j]
}
pub mod browser;
pub mod deploy;
pub mod edits;
pub mod files_http;
pub mod moto;
pub mod server;
pub mod tools;
pub mod tree;
