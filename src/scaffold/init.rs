//! `worklog init [DIR]`: a new journal that builds without a warning and serves as it is:
//! `worklog.toml`, the usual chapters and week 1, a `.gitignore` for the output, a short
//! README, and on request a GitHub Actions workflow that publishes it. In a folder that
//! already holds a site (a Hugo journal moving over), only the workflow is added.

use std::io::Write;
use std::path::{Path, PathBuf};

pub use super::workflows::Publish;
use super::{NewFile, create_all, quoted, week, workflows};
use crate::config::CONFIG_FILES;

#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The student's name.
    pub author: String,
    pub title: String,
    /// Week 1's date (`YYYY-MM-DD`).
    pub date: String,
    pub publish: Option<Publish>,
}

/// What `init` wrote, and the files of the user's it left alone.
#[derive(Debug)]
pub struct Initialised {
    pub written: Vec<PathBuf>,
    pub kept: Vec<PathBuf>,
    /// The file that shows the folder held a site already: then only the workflow and
    /// the `.gitignore` line were added.
    pub existing_site: Option<String>,
    /// What became of `.gitignore`.
    pub gitignore: Gitignore,
}

/// `/public/`, the output folder, in the site's `.gitignore`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gitignore {
    /// There was none: it was written, with that one line.
    Written,
    /// The user's lacked the line: it was added at the end.
    Added,
    /// The user's already keeps `public/` out.
    Kept,
    /// It is a link (or not a file): worklog writes only inside the site, so the line is
    /// the user's to add.
    Left,
}

/// The usual chapters of an internship journal, after the worklog.
const CHAPTERS: [(&str, &str); 4] = [
    ("2-Proposal", "Proposal"),
    ("3-Workshop", "Workshop"),
    ("4-Self-evaluation", "Self-evaluation"),
    ("5-Feedback", "Sharing and Feedback"),
];

/// Writes a new journal into `dir` (made if missing). A folder that holds a site gets
/// only the workflow asked for, and without one is refused.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Initialised, String> {
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{} is a file, not a folder", dir.display()));
    }
    let held = CONFIG_FILES
        .iter()
        .chain(&["content"])
        .find(|f| dir.join(f).exists());
    if let Some(found) = held {
        let Some(publish) = options.publish else {
            return Err(format!(
                "{} already holds a site ({found}): worklog init starts a journal in an empty or a new folder (worklog init my-journal); `worklog init --github-actions pages|s3` adds only a workflow that publishes this one",
                dir.display()
            ));
        };
        return add_workflow(dir, publish, found);
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // A README the folder has (a repository cloned from GitHub) is the user's: kept.
    let (kept, files): (Vec<NewFile>, Vec<NewFile>) = files(options)
        .into_iter()
        .partition(|f| f.path == Path::new("README.md") && dir.join(&f.path).exists());
    create_all(dir, &files)?;
    let first = week::plan(dir, &options.date, &[])?;
    create_all(dir, &first.files)?;
    let gitignore = ignore_public(dir)?;
    Ok(Initialised {
        written: files
            .into_iter()
            .chain(first.files)
            .map(|f| f.path)
            .collect(),
        kept: kept.into_iter().map(|f| f.path).collect(),
        existing_site: None,
        gitignore,
    })
}

/// The workflow alone, for a site that exists: its content and config are not touched.
fn add_workflow(dir: &Path, publish: Publish, found: &str) -> Result<Initialised, String> {
    let workflow = NewFile {
        path: workflows::path(publish),
        text: workflows::text(publish),
    };
    create_all(dir, std::slice::from_ref(&workflow))?;
    let gitignore = ignore_public(dir)?;
    Ok(Initialised {
        written: vec![workflow.path],
        kept: Vec::new(),
        existing_site: Some(found.to_string()),
        gitignore,
    })
}

/// Keeps the output folder out of git: a `.gitignore` is written, or the user's (a
/// repository cloned from GitHub, a Hugo journal) gets `/public/` at its end.
fn ignore_public(dir: &Path) -> Result<Gitignore, String> {
    let path = dir.join(".gitignore");
    if path
        .symlink_metadata()
        .is_ok_and(|m| !m.file_type().is_file())
    {
        return Ok(Gitignore::Left);
    }
    let existing = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let file = NewFile {
                path: PathBuf::from(".gitignore"),
                text: "/public/\n".into(),
            };
            create_all(dir, &[file])?;
            return Ok(Gitignore::Written);
        }
        Err(e) => return Err(format!(".gitignore: {e}")),
    };
    if workflows::ignores_public(&String::from_utf8_lossy(&existing)) {
        return Ok(Gitignore::Kept);
    }
    let line = if existing.is_empty() || existing.ends_with(b"\n") {
        "/public/\n"
    } else {
        "\n/public/\n"
    };
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(line.as_bytes()))
        .map_err(|e| format!(".gitignore: {e}"))?;
    Ok(Gitignore::Added)
}

fn files(options: &InitOptions) -> Vec<NewFile> {
    let fill = |template: &str| {
        template
            .replace("{{ title_yaml }}", &quoted(&options.title))
            .replace("{{ title }}", &options.title)
            .replace("{{ author }}", &options.author)
            .replace("{{ date }}", &options.date)
    };
    let file = |path: &str, text: String| NewFile {
        path: PathBuf::from(path),
        text,
    };
    let mut files = vec![
        file("worklog.toml", config(options)),
        file("README.md", fill(include_str!("templates/README.md"))),
        file("content/_index.md", fill(include_str!("templates/home.md"))),
        file(
            "content/1-Worklog/_index.md",
            chapter(
                "Worklog",
                1,
                &options.date,
                "One page per week: what I planned, did and learnt.",
            ),
        ),
    ];
    for (n, (folder, title)) in (2..).zip(CHAPTERS) {
        files.push(file(
            &format!("content/{folder}/_index.md"),
            chapter(title, n, &options.date, ""),
        ));
    }
    if let Some(publish) = options.publish {
        files.push(NewFile {
            path: workflows::path(publish),
            text: workflows::text(publish),
        });
    }
    files
}

fn config(options: &InitOptions) -> String {
    let toml_string = |s: &str| toml::Value::String(s.to_string()).to_string();
    format!(
        "# worklog's settings: every key is optional (see worklog's README).\ntitle = {}\nbase_url = \"/\"\nlanguage = \"en\"\n\n[params]\nauthor = {}\n",
        toml_string(&options.title),
        toml_string(&options.author)
    )
}

/// A chapter's page, numbered as real journals number them (`pre: " <b> 2. </b> "`).
fn chapter(title: &str, n: u32, date: &str, text: &str) -> String {
    format!(
        "---\ntitle: {}\ndate: {date}\nweight: {n}\nchapter: false\npre: \" <b> {n}. </b> \"\n---\n\n{text}\n",
        quoted(title)
    )
}
