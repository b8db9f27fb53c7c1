//! Updates: which stages a changed path needs, and the cheap paths through them (one
//! page's body, one static file) before the full reload of the content.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::change::{self, ChangeKind, PathState};
use super::{Layout, Pipeline, body_errors, render_trees};
use crate::content::{self, PageId, front_matter};
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::markdown;
use crate::output::{Output, StaticFile};
use crate::render::{Renderer, Theme, documents};
use crate::{search, static_files};

/// Files a change touched.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Changed {
    /// Output paths whose bytes changed (added and removed ones too).
    pub files: Vec<String>,
}

impl Changed {
    /// Only stylesheets changed in a way a reader sees: pages differ only by the
    /// stylesheet URLs, which a browser can swap without reloading.
    pub fn only_css(&self, before: &Output, after: &Output) -> bool {
        let css: Vec<&String> = self.files.iter().filter(|f| f.ends_with(".css")).collect();
        !css.is_empty()
            && self.files.iter().all(|f| {
                f.ends_with(".css")
                    || (f.ends_with(".html")
                        && match (before.content(f), after.content(f)) {
                            (Some(a), Some(b)) => a.same_after(b, strip_asset_versions),
                            _ => false,
                        })
            })
    }
}

/// A page with every quoted stylesheet or script URL under its plain name
/// (`/css/worklog.3f9a1c2b.css` → `/css/worklog.css`).
fn strip_asset_versions(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    text.split_inclusive('"')
        .map(|piece| {
            let url = piece.strip_suffix('"').unwrap_or(piece);
            if url.ends_with(".css") || url.ends_with(".js") {
                format!(
                    "{}{}",
                    super::assets::unfingerprinted(url),
                    &piece[url.len()..]
                )
            } else {
                piece.to_string()
            }
        })
        .collect::<String>()
        .into_bytes()
}

impl Pipeline {
    /// What a changed path is to the build; `None` for anything it does not read (the
    /// output folder, logs, `.git`, editor litter).
    pub fn classify(&self, path: &Path) -> Option<ChangeKind> {
        let rel = self.root.relative(path)?;
        change::classify(rel, PathState::of(path), &self.layout)
    }

    /// Re-runs what `paths` need, search index included. On error, nothing changes.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Changed, BuildErrors> {
        let changed = self.apply_to_pages(paths)?;
        self.update_search()?;
        Ok(changed)
    }

    /// [`Self::apply`] but for the search index, which keeps its previous files: the
    /// server shows a save first, then indexes [`Self::search_pages`] off its rebuild
    /// loop (see [`Self::take_search_stale`]). The files changed are those of the pages.
    pub fn apply_to_pages(&mut self, paths: &[PathBuf]) -> Result<Changed, BuildErrors> {
        let kinds: BTreeMap<ChangeKind, Vec<&PathBuf>> =
            paths.iter().fold(BTreeMap::new(), |mut m, p| {
                if let Some(k) = self.classify(p) {
                    m.entry(k).or_insert_with(Vec::new).push(p);
                }
                m
            });
        if kinds.is_empty() {
            return Ok(Changed::default());
        }
        let before = self.site.output.clone();
        // A config change builds anew; a static file that pages do not name by its
        // content changes no page.
        let mut index = true;
        if kinds.contains_key(&ChangeKind::Config) {
            *self = Pipeline::without_search_index(&self.options)?;
        } else if kinds.contains_key(&ChangeKind::Theme) {
            let inputs_too = kinds.len() > 1;
            self.reload_theme(inputs_too)?;
        } else if let Some(pages) = kinds
            .get(&ChangeKind::Page)
            .filter(|_| !kinds.contains_key(&ChangeKind::Static))
        {
            match self.body_only_edits(pages)? {
                Some(edits) => self.apply_body_edits(edits)?,
                None => self.reload_content()?,
            }
        } else if let Some(files) = kinds
            .get(&ChangeKind::Static)
            .filter(|_| kinds.len() == 1)
            .and_then(|paths| self.static_edits(paths))
        {
            for (path, file) in files {
                self.site.output.insert_file(path.clone(), file.clone());
                self.site.statics.insert(path, file);
            }
            index = false;
        } else {
            self.reload_content()?;
        }
        if index {
            if self.searchable() {
                self.site.output.share_from(&before, search::is_index_file);
            }
            self.search_stale = true;
            self.index_current = false;
        }
        Ok(Changed {
            files: before.changed_paths(&self.site.output),
        })
    }

    /// Indexes the pages again when they changed since the index was made; whether it did.
    fn update_search(&mut self) -> Result<bool, BuildErrors> {
        if !self.take_search_stale() {
            return Ok(false);
        }
        self.index_for_search()?;
        Ok(true)
    }

    /// Whether the pages changed since the index was last made or asked for; the next
    /// call says no until they change again. For a caller that indexes
    /// [`Self::search_pages`] itself, off this thread (`serve`).
    pub fn take_search_stale(&mut self) -> bool {
        std::mem::take(&mut self.search_stale) && self.searchable()
    }

    /// When every changed file is an existing file of `static/` that pages do not name by
    /// its content (not a stylesheet or script, whose URLs carry a hash), returns each
    /// one read anew: nothing but those files changes.
    fn static_edits(&self, paths: &[&PathBuf]) -> Option<Vec<(String, StaticFile)>> {
        paths
            .iter()
            .map(|path| {
                let rel = self.root.relative(path)?.strip_prefix("static").ok()?;
                let rel = rel.to_string_lossy().replace('\\', "/");
                // Known as a static file, not as a bundle's file of the same output path.
                let known = self
                    .site
                    .statics
                    .get(&rel)
                    .is_some_and(|f| f.source.ends_with(Path::new("static").join(&rel)));
                let hashed = rel.ends_with(".css") || rel.ends_with(".js");
                if !known || hashed {
                    return None;
                }
                Some((rel, StaticFile::read(path).ok()?))
            })
            .collect()
    }

    /// When every changed file is an existing page whose front matter is unchanged and
    /// that does not take its title from its body, returns the new bodies: nothing but
    /// those pages needs rendering.
    fn body_only_edits(&self, paths: &[&PathBuf]) -> Result<Option<Vec<Edit>>, BuildErrors> {
        let mut edits = Vec::new();
        for path in paths {
            let Some(display) = self.root.relative(path) else {
                return Ok(None);
            };
            let found = self
                .site
                .languages
                .iter()
                .enumerate()
                .find_map(|(l, site)| {
                    let id = site
                        .tree
                        .pages
                        .iter()
                        .position(|p| p.source.as_deref() == Some(display))?;
                    Some((l, id))
                });
            let Some((language, id)) = found else {
                return Ok(None);
            };
            let Ok(bytes) = std::fs::read(path) else {
                return Ok(None);
            };
            let text = content::load::decode(bytes).map_err(|(line, msg)| {
                BuildErrors(vec![Diagnostic::error(display, Some(line), msg)])
            })?;
            let split = front_matter::split(&text).map_err(|e| {
                BuildErrors(vec![Diagnostic::error(display, Some(e.line), e.message)])
            })?;
            let page = &self.site.languages[language].tree.pages[id];
            let titled = page
                .front
                .title
                .as_ref()
                .is_some_and(|t| !t.trim().is_empty());
            if split.front_matter != page.front || split.body_line != page.body_line || !titled {
                return Ok(None);
            }
            edits.push(Edit {
                language,
                id,
                body: split.body.to_string(),
            });
        }
        Ok(Some(edits))
    }

    /// Renders the edited bodies and their pages; all or nothing.
    fn apply_body_edits(&mut self, edits: Vec<Edit>) -> Result<(), BuildErrors> {
        // New bodies first; a page's old body goes back if anything fails, so the site
        // is never half updated. Nothing else of the tree is copied: a save at 1,000
        // weeks costs one page, not the whole journal.
        let mut rendered = Vec::with_capacity(edits.len());
        for e in edits {
            let site = &self.site.languages[e.language];
            let shortcodes = self.renderer.shortcodes(
                &site.tree,
                &site.config,
                &self.site.inputs,
                &self.site.file_sizes,
            );
            let mut page = site.tree.pages[e.id].clone();
            page.body = e.body;
            let body = markdown::render_page(&page, &site.markdown, &shortcodes);
            rendered.push((e.language, e.id, page.body, body));
        }
        let errors = body_errors(rendered.iter().map(|(.., b)| b));
        if !errors.is_empty() {
            return Err(BuildErrors::sorted(errors));
        }
        for (language, id, text, body) in &mut rendered {
            let site = &mut self.site.languages[*language];
            std::mem::swap(&mut site.tree.pages[*id].body, text);
            std::mem::swap(&mut site.bodies[*id], body);
        }
        let mut output = self.site.output.clone();
        let mut failed = None;
        for (language, id, ..) in &rendered {
            let site = &self.site.languages[*language];
            match self.renderer.render_page(
                &site.layout,
                &site.tree,
                &site.bodies,
                &site.config,
                *id,
            ) {
                Ok((path, content)) => output.insert_content(path, content),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        // The timeline and the print page are made of the bodies: the edited ones are
        // made again for the print page (in place; the old ones come back if anything
        // fails), and the timeline only when a week's objectives changed.
        let mut print_edits = Vec::new();
        let mut timeline = BTreeSet::new();
        for (language, id, _, old) in &rendered {
            let site = &mut self.site.languages[*language];
            let new = &site.bodies[*id].html;
            if documents::objectives(new) != documents::objectives(&old.html) {
                timeline.insert(*language);
            }
            let (layout, tree, bodies, config) =
                (&site.layout, &site.tree, &site.bodies, &site.config);
            if let Some(previous) = site.print.update(layout, tree, bodies, config, *id) {
                print_edits.push((*language, previous));
            }
        }
        let mut languages: Vec<usize> = rendered.iter().map(|(l, ..)| *l).collect();
        languages.sort_unstable();
        languages.dedup();
        for &language in &languages {
            if failed.is_some() {
                break;
            }
            let site = &self.site.languages[language];
            match self.renderer.render_documents(
                &site.layout,
                &site.tree,
                &site.bodies,
                &site.print,
                &site.config,
                timeline.contains(&language),
            ) {
                Ok(files) => {
                    for (path, content) in files {
                        output.insert_content(path, content);
                    }
                }
                Err(e) => failed = Some(e),
            }
        }
        if let Some(errors) = failed {
            for (language, previous) in print_edits.into_iter().rev() {
                self.site.languages[language].print.restore(previous);
            }
            for (language, id, text, body) in &mut rendered {
                let site = &mut self.site.languages[*language];
                std::mem::swap(&mut site.tree.pages[*id].body, text);
                std::mem::swap(&mut site.bodies[*id], body);
            }
            return Err(BuildErrors::sorted(errors));
        }
        self.site.output = output;
        Ok(())
    }

    /// Pages were added, removed, renamed, or their front matter or static files changed:
    /// the trees are rebuilt; bodies whose text and place did not change are not rendered
    /// again.
    fn reload_content(&mut self) -> Result<(), BuildErrors> {
        let source = &self.options.source;
        let (trees, notices) = content::load(source, &self.config).map_err(BuildErrors::sorted)?;
        let statics = static_files::read(source).map_err(BuildErrors::sorted)?;
        let site = render_trees(
            source,
            &self.config,
            &self.renderer,
            trees,
            statics,
            Some(&self.site),
        )?;
        self.site = site;
        self.notices.content = notices;
        Ok(())
    }

    /// The theme changed: it is loaded and compiled again and every page re-rendered, but
    /// the content is read again only when `inputs_too` (pages or static files changed in
    /// the same batch), and bodies are reused as in [`Self::reload_content`]: those made
    /// without shortcodes keep their HTML.
    fn reload_theme(&mut self, inputs_too: bool) -> Result<(), BuildErrors> {
        let source = &self.options.source;
        let (theme, theme_notices) =
            Theme::load(source, &self.config).map_err(BuildErrors::sorted)?;
        let renderer = Renderer::new(theme).map_err(BuildErrors::sorted)?;
        let (trees, content_notices, statics) = if inputs_too {
            let (trees, notices) =
                content::load(source, &self.config).map_err(BuildErrors::sorted)?;
            let statics = static_files::read(source).map_err(BuildErrors::sorted)?;
            (trees, notices, statics)
        } else {
            let trees = self.site.languages.iter().map(|l| l.tree.clone()).collect();
            (
                trees,
                self.notices.content.clone(),
                self.site.statics.clone(),
            )
        };
        let site = render_trees(
            source,
            &self.config,
            &renderer,
            trees,
            statics,
            Some(&self.site),
        )?;
        self.layout = Layout::of(&self.config, &renderer.theme().folders);
        self.renderer = renderer;
        self.site = site;
        self.notices.theme = theme_notices;
        self.notices.content = content_notices;
        Ok(())
    }
}

/// A new body for one page.
struct Edit {
    language: usize,
    id: PageId,
    body: String,
}
