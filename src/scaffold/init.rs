//! `worklog init [DIR]`: a new journal that builds without a warning and serves as it is:
//! `worklog.toml`, the usual chapters and week 1, a `.gitignore` for the output, a short
//! README, and on request a GitHub Actions workflow that publishes it.

use std::path::{Path, PathBuf};

use super::{NewFile, create_all, quoted, week};
use crate::config::CONFIG_FILES;

/// Where the journal is published from GitHub Actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    Pages,
    S3,
}

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
}

/// The usual chapters of an internship journal, after the worklog.
const CHAPTERS: [(&str, &str); 4] = [
    ("2-Proposal", "Proposal"),
    ("3-Workshop", "Workshop"),
    ("4-Self-evaluation", "Self-evaluation"),
    ("5-Feedback", "Sharing and Feedback"),
];

/// Writes a new journal into `dir` (made if missing), refusing a folder that holds a site.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Initialised, String> {
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{} is a file, not a folder", dir.display()));
    }
    let held = CONFIG_FILES
        .iter()
        .chain(&["content"])
        .find(|f| dir.join(f).exists());
    if let Some(found) = held {
        return Err(format!(
            "{} already holds a site ({found}): worklog init starts a journal in an empty or a new folder (worklog init my-journal)",
            dir.display()
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (files, kept): (Vec<NewFile>, Vec<NewFile>) = files(options)
        .into_iter()
        .partition(|f| !is_users(dir, &f.path));
    create_all(dir, &files)?;
    let first = week::plan(dir, &options.date, &[])?;
    create_all(dir, &first.files)?;
    Ok(Initialised {
        written: files
            .into_iter()
            .chain(first.files)
            .map(|f| f.path)
            .collect(),
        kept: kept.into_iter().map(|f| f.path).collect(),
    })
}

/// A README or `.gitignore` the folder already has (a repository cloned from GitHub) is
/// the user's: kept, not refused.
fn is_users(dir: &Path, path: &Path) -> bool {
    matches!(path.to_str(), Some("README.md" | ".gitignore")) && dir.join(path).exists()
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
        file(".gitignore", "/public/\n".into()),
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
    match options.publish {
        Some(Publish::Pages) => files.push(file(
            ".github/workflows/pages.yml",
            include_str!("templates/pages.yml").into(),
        )),
        Some(Publish::S3) => files.push(file(
            ".github/workflows/deploy.yml",
            include_str!("templates/s3.yml").into(),
        )),
        None => {}
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
