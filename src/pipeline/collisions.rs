//! Output files claimed twice: two pages, or a page and a static or theme file, written to
//! one path (the last would silently win), or one written as a file where another needs a
//! folder (`css/site.css` and a page at `css/site.css/index.html`, which fails the write with
//! "Is a directory"). Each is an error naming both sources. Hugo writes both and the last
//! one wins, in no set order.
//!
//! The site's static files laid over the theme's are not a collision: that is how a site
//! replaces a theme file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::front_matter::line_of_key;
use crate::content::load::display;
use crate::content::{ContentTree, Page};
use crate::diagnostics::Diagnostic;
use crate::output::StaticFile;
use crate::render::{Theme, alias_file, page_file};

/// Who writes an output file. Named only when it collides: naming looks at the disk.
struct Claim<'a> {
    path: String,
    origin: Origin<'a>,
}

enum Origin<'a> {
    Page(&'a Page),
    /// A redirect for one of the page's `aliases`.
    Alias(&'a Page),
    /// The site's `static/`, or a bundle's `files/`.
    Static,
    Theme,
    /// What worklog writes by itself.
    Made(&'static str),
}

/// Whose a claim is, in the order a message is best placed on: the author chose a page's
/// path, put a file in the site, and neither wrote the built-in ones.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Page,
    File,
    BuiltIn,
}

/// Every file the pages, static files, theme and worklog itself write, checked against the
/// others. `configs` are the languages' configs, in the order of `trees`.
pub fn check(
    site_dir: &Path,
    config: &Config,
    configs: &[Config],
    trees: &[ContentTree],
    statics: &BTreeMap<String, StaticFile>,
    theme: &Theme,
) -> Vec<Diagnostic> {
    let pages: Vec<&Page> = trees.iter().flat_map(|t| &t.pages).collect();
    let mut claims: Vec<Claim> = pages
        .iter()
        .map(|p| Claim {
            path: page_file(&p.path),
            origin: Origin::Page(p),
        })
        .collect();
    let claim = |path: &String, origin| Claim {
        path: path.clone(),
        origin,
    };
    claims.extend(pages.iter().flat_map(|&page| {
        page.front
            .aliases
            .iter()
            .filter_map(|alias| alias_file(&page.path, alias))
            .map(move |path| Claim {
                path,
                origin: Origin::Alias(page),
            })
    }));
    claims.extend(statics.keys().map(|p| claim(p, Origin::Static)));
    claims.extend(
        theme
            .static_files
            .keys()
            .filter(|path| !statics.contains_key(*path))
            .map(|p| claim(p, Origin::Theme)),
    );
    // The pages worklog writes by itself (see `render::Renderer::render_extras`).
    for prefix in configs.iter().map(|c| &c.language_prefix) {
        claims.push(claim(
            &format!("{prefix}404.html"),
            Origin::Made("the 404 page"),
        ));
        claims.push(claim(
            &format!("{prefix}sitemap.xml"),
            Origin::Made("the sitemap"),
        ));
    }
    for (path, _) in super::implicit_pages(config) {
        claims.push(claim(
            &path,
            Origin::Made("the redirect to the default language"),
        ));
    }
    // The search index's file names are known only once it is made: the whole folder is
    // its own, and a site file in it would be dropped without a word.
    if config.search {
        for path in statics.keys().filter(|p| crate::search::is_index_file(p)) {
            claims.push(claim(path, Origin::Made("the search index")));
        }
    }
    let names = Names {
        site_dir,
        pages: &pages,
        theme_dir: config
            .theme
            .as_ref()
            .map(|t| site_dir.join("themes").join(t)),
    };
    clashes(&claims, &names)
}

fn clashes(claims: &[Claim], names: &Names) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut first: HashMap<&str, &Claim> = HashMap::new();
    for claim in claims {
        match first.get(claim.path.as_str()) {
            Some(other) => errors.push(names.report(
                claim,
                other,
                format!("are both written to /{}: rename one", claim.path),
            )),
            None => {
                first.insert(&claim.path, claim);
            }
        }
    }
    for claim in claims {
        let folders = claim.path.match_indices('/').map(|(i, _)| &claim.path[..i]);
        for folder in folders {
            if let Some(file) = first.get(folder) {
                errors.push(names.report(
                    claim,
                    file,
                    format!(
                        "collide: /{folder} is written as a file, and /{} needs it to be a folder: rename one",
                        claim.path
                    ),
                ));
            }
        }
    }
    errors
}

/// A claim's source as a message shows it.
struct Named {
    kind: Kind,
    /// Claimed by one of the page's `aliases`, not the page itself.
    alias: bool,
    source: PathBuf,
    line: Option<usize>,
}

/// Names the sources of claims for messages.
struct Names<'a> {
    site_dir: &'a Path,
    pages: &'a [&'a Page],
    theme_dir: Option<PathBuf>,
}

impl Names<'_> {
    /// One error about `a` and `b`, placed on the one its author can best change: a page
    /// before a file, and a page whose `url` or `slug` chose its path before one that did
    /// not.
    fn report(&self, a: &Claim, b: &Claim, what: String) -> Diagnostic {
        let (a, b) = (self.name(a), self.name(b));
        let rank = |n: &Named| (n.kind, n.line.is_none());
        let (here, other) = if rank(&b) < rank(&a) { (b, a) } else { (a, b) };
        let this = match here.kind {
            _ if here.alias => "an alias of this page",
            Kind::Page => "this page",
            _ => "this file",
        };
        let other_name = match other.alias {
            true => format!("an alias of {}", other.source.display()),
            false => other.source.display().to_string(),
        };
        let message = format!("{this} and {other_name} {what}");
        Diagnostic::error(&here.source, here.line, message)
    }

    fn name(&self, claim: &Claim) -> Named {
        let (kind, source, line) = match &claim.origin {
            Origin::Page(p) => {
                // A folder without `_index.md` is a section too.
                let source = p.source.clone();
                let source = source.unwrap_or_else(|| Path::new("content").join(p.key.join("/")));
                (Kind::Page, source, p.path_line)
            }
            Origin::Alias(p) => {
                let source = p.source.clone().unwrap_or_default();
                let text = std::fs::read_to_string(self.site_dir.join(&source));
                let line = text.ok().and_then(|t| line_of_key(&t, "aliases"));
                (Kind::Page, source, line)
            }
            Origin::Static => (Kind::File, self.static_source(&claim.path), None),
            Origin::Theme => {
                let in_site = self
                    .theme_dir
                    .as_ref()
                    .map(|dir| dir.join("static").join(&claim.path))
                    .filter(|file| file.is_file());
                match in_site {
                    Some(file) => (Kind::File, display(self.site_dir, &file), None),
                    None => {
                        let built_in = format!("(built-in) themes/default/static/{}", claim.path);
                        (Kind::BuiltIn, PathBuf::from(built_in), None)
                    }
                }
            }
            Origin::Made(what) => {
                let made = format!("({what}, which worklog writes)");
                (Kind::BuiltIn, PathBuf::from(made), None)
            }
        };
        let alias = matches!(claim.origin, Origin::Alias(_));
        Named {
            kind,
            alias,
            source,
            line,
        }
    }

    /// `static/…`, or the file beside a page it comes from (the page with the longest
    /// URL path that holds it, and has it on disk).
    fn static_source(&self, path: &str) -> PathBuf {
        let in_static = Path::new("static").join(path);
        if self.site_dir.join(&in_static).exists() {
            return in_static;
        }
        self.pages
            .iter()
            .filter_map(|p| {
                let rest = path.strip_prefix(p.path.as_str())?;
                let file = p.source.as_ref()?.parent()?.join(rest);
                self.site_dir
                    .join(&file)
                    .exists()
                    .then_some((p.path.len(), file))
            })
            .max_by_key(|(len, _)| *len)
            .map_or(in_static, |(_, file)| file)
    }
}
