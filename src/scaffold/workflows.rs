//! The GitHub Actions workflows `worklog init --github-actions` writes. They install
//! worklog with this repository's action (`action.yml`: a prebuilt binary, never a
//! compile), pin every action to a commit, and give each job only the permissions it uses.

use std::path::{Path, PathBuf};

/// Where the journal is published from GitHub Actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    Pages,
    S3,
}

/// A commit of this repository whose `action.yml` is the one beside `Cargo.toml`: the
/// workflows pin the action to it. `tests/distribution.rs` fails when `action.yml`
/// changes and this still names a commit with the old one.
pub const ACTION_COMMIT: &str = "be510b5dd9c33b5538c28acb45bd309d98876704";

/// `owner/name` of this repository on GitHub, from the crate's `repository`.
pub fn action_repository() -> &'static str {
    env!("CARGO_PKG_REPOSITORY")
        .trim_start_matches("https://github.com/")
        .trim_end_matches('/')
}

/// The `uses:` value of the install step, with the version it is the action of.
pub fn action_reference() -> String {
    format!(
        "{}@{ACTION_COMMIT} # action.yml of worklog {}",
        action_repository(),
        env!("CARGO_PKG_VERSION")
    )
}

/// Where the workflow goes, relative to the site's folder.
pub fn path(publish: Publish) -> PathBuf {
    Path::new(".github/workflows").join(match publish {
        Publish::Pages => "pages.yml",
        Publish::S3 => "deploy.yml",
    })
}

/// The workflow's text, installing the worklog release that writes it.
pub fn text(publish: Publish) -> String {
    let template = match publish {
        Publish::Pages => include_str!("templates/pages.yml"),
        Publish::S3 => include_str!("templates/s3.yml"),
    };
    template
        .replace("{{ worklog_action }}", &action_reference())
        .replace("{{ version }}", env!("CARGO_PKG_VERSION"))
}

/// Whether a `.gitignore` already keeps the output folder out of git.
pub fn ignores_public(gitignore: &str) -> bool {
    gitignore.lines().any(|line| {
        matches!(
            line.trim(),
            "public" | "public/" | "/public" | "/public/" | "public/*" | "/public/*"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_pinned_to_a_commit() {
        for publish in [Publish::Pages, Publish::S3] {
            let text = text(publish);
            // Every `{{` left is a GitHub expression, `${{ … }}`.
            assert_eq!(
                text.matches("{{").count(),
                text.matches("${{").count(),
                "{text}"
            );
            for line in text.lines().filter(|l| l.contains("uses:")) {
                let reference = line.split("uses:").nth(1).unwrap().trim();
                let (_, rest) = reference.split_once('@').expect(line);
                let commit = rest.split_whitespace().next().unwrap();
                assert!(
                    commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{line}"
                );
                assert!(rest.contains(" # "), "no version comment: {line}");
            }
            assert!(!text.contains("cargo install"), "{text}");
        }
    }

    #[test]
    fn a_gitignore_ignoring_public_is_recognised() {
        assert!(ignores_public("node_modules\n/public/\n"));
        assert!(ignores_public("public\n"));
        assert!(!ignores_public("public-notes/\n# public\n"));
    }
}
