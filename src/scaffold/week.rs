//! `worklog new week`: the next week's page, made in the site's own style from its last
//! week: folder name, title, `pre` and weight counted on by one, its front matter's keys,
//! order and quoting kept.

use std::path::{Path, PathBuf};

use super::front::{Front, Value};
use super::{NewFile, check_new, load_site};
use crate::config::Config;
use crate::content::weeks::{self, number_after_word, week_of};
use crate::content::{ContentTree, Page, PageId, dates};

/// What `new week` writes.
#[derive(Debug)]
pub struct NewWeek {
    pub number: u32,
    /// The page, then its translations.
    pub files: Vec<NewFile>,
    /// Things worth saying (a date in the future is not published until that day).
    pub notes: Vec<String>,
}

/// Plans the next week of the site at `site_dir`, dated `date` (`YYYY-MM-DD`), with a
/// translation in each of `languages`. Nothing is written: see [`super::create_all`].
pub fn plan(site_dir: &Path, date: &str, languages: &[String]) -> Result<NewWeek, String> {
    if dates::day_part(date) != Some(date) {
        return Err(format!(
            "`{date}` is not a date: write it as YYYY-MM-DD (2025-09-08)"
        ));
    }
    let (config, trees) = load_site(site_dir)?;
    let mut extra = Vec::new();
    for code in languages {
        match config
            .languages
            .iter()
            .position(|l| l.code.eq_ignore_ascii_case(code))
        {
            Some(0) => {}
            Some(i) => extra.push(i),
            None => {
                let known: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
                return Err(format!(
                    "`{code}` is not a language of this site (it has: {}); add it to the config's [languages] first",
                    known.join(", ")
                ));
            }
        }
    }
    let tree = &trees[0];
    let last = last_week(tree);
    let number = last.map_or(1, |(_, n)| n + 1);
    let model = match last {
        Some((id, _)) => Model::of(site_dir, tree, id)?,
        None => Model::first(tree),
    };
    let mut files = vec![model.page(site_dir, number, date, None)?];
    for i in extra {
        let code = &config.languages[i].code;
        let translated = last
            .and_then(|(id, _)| {
                trees[i]
                    .pages
                    .iter()
                    .position(|p| p.key == tree.pages[id].key)
            })
            .map(|id| Model::of(site_dir, &trees[i], id))
            .transpose()?;
        let model = translated.unwrap_or_else(|| model.translated(code));
        let path = translation_path(&config, i, &files[0].path);
        files.push(model.page(site_dir, number, date, Some((code, path)))?);
    }
    let mut notes = Vec::new();
    if date > dates::today().as_str() && !config.build_future {
        notes.push(format!(
            "the week is dated {date}, in the future: as Hugo does, it is published from that day on (or with buildFuture)"
        ));
    }
    Ok(NewWeek {
        number,
        files,
        notes,
    })
}

/// The week with the highest number, in the section holding the most weeks.
fn last_week(tree: &ContentTree) -> Option<(PageId, u32)> {
    let section = weeks::section(tree)?;
    tree.pages[section]
        .children
        .iter()
        .filter(|&&id| tree.pages[id].source.is_some())
        .filter_map(|&id| Some((id, week_of(&tree.pages[id])?)))
        .max_by_key(|&(id, n)| (n, id))
}

/// `text` renumbered from week `from` to week `to`: the number after "week", and the
/// last part of a leading chapter number (`1.9-Week9` → `1.10-Week10`).
fn renumber(text: &str, from: u32, to: u32) -> Option<String> {
    let mut out = text.to_string();
    let mut changed = false;
    if let Some((range, _)) = number_after_word(text) {
        out.replace_range(range, &to.to_string());
        changed = true;
    }
    let lead = out
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(out.len());
    let chapter = out[..lead].trim_end_matches('.');
    if let Some(new) = renumber_chapter(chapter, from, to) {
        out.replace_range(..chapter.len(), &new);
        changed = true;
    }
    changed.then_some(out)
}

/// `1.9` → `1.10` for week 9 → 10: its last part moves as the week does.
fn renumber_chapter(number: &str, from: u32, to: u32) -> Option<String> {
    let (head, last) = number.rsplit_once('.')?;
    let last = i64::from(last.parse::<u32>().ok()?) + i64::from(to) - i64::from(from);
    Some(format!("{head}.{}", last.max(0)))
}

/// `pre` renumbered: `" <b> 1.9. </b> "` → `" <b> 1.10. </b> "`.
fn renumber_pre(pre: &str, from: u32, to: u32) -> Option<String> {
    let number = crate::content::numbering::number_from_pre(pre)?;
    Some(pre.replacen(&number, &renumber_chapter(&number, from, to)?, 1))
}

/// The page a new week is made like.
#[derive(Debug, Clone)]
struct Model {
    /// The section's folder (`content/1-Worklog`).
    dir: PathBuf,
    /// The last week's folder or file stem (`1.9-Week9`); `None` for the first week.
    name: Option<String>,
    /// The week `name` and `front` are.
    week: u32,
    /// `_index.md` (a folder per week), or `None` for a file per week.
    index_file: Option<String>,
    /// A title of the site's weeks, and the week it is of.
    title: (String, u32),
    weight: Weight,
    front: Front,
    /// The language of the built-in body.
    language: String,
}

#[derive(Debug, Clone, Copy)]
enum Weight {
    /// Each week's weight is its number.
    Number,
    Same(f64),
    After(f64),
    None,
}

impl Model {
    fn of(site_dir: &Path, tree: &ContentTree, id: PageId) -> Result<Model, String> {
        let page = &tree.pages[id];
        let source = page.source.as_deref().unwrap_or(Path::new(""));
        let text = std::fs::read_to_string(site_dir.join(source))
            .map_err(|e| format!("{}: {e}", source.display()))?;
        let file = source.file_name().unwrap_or_default().to_string_lossy();
        let folder_page = file.starts_with("_index.") || file.starts_with("index.");
        let (dir, name) = if folder_page {
            let folder = source.parent().unwrap_or(Path::new(""));
            (folder.parent(), folder.file_name())
        } else {
            (source.parent(), source.file_stem())
        };
        let siblings: Vec<&Page> = page
            .parent
            .map(|p| {
                tree.pages[p]
                    .children
                    .iter()
                    .map(|&c| &tree.pages[c])
                    .collect()
            })
            .unwrap_or_default();
        let weeks: Vec<(u32, f64)> = siblings
            .iter()
            .filter_map(|p| Some((week_of(p)?, p.front.weight?)))
            .collect();
        let weight = match page.front.weight {
            None => Weight::None,
            Some(w) if week_of(page).is_some_and(|n| f64::from(n) == w) => Weight::Number,
            Some(w) if weeks.iter().all(|&(_, other)| other == w) => Weight::Same(w),
            Some(w) => Weight::After(w),
        };
        Ok(Model {
            dir: dir.unwrap_or(Path::new("content")).to_path_buf(),
            name: name.map(|n| n.to_string_lossy().into_owned()),
            index_file: folder_page.then(|| {
                // `_index.vi.md` is the translation of a folder's `_index.md`.
                if file.starts_with("_index.") {
                    "_index.md"
                } else {
                    "index.md"
                }
                .to_string()
            }),
            week: week_of(page).unwrap_or(0),
            title: title_model(page, &siblings),
            weight,
            front: Front::read(&text),
            language: tree.language.clone(),
        })
    }

    /// Week 1 of a site with no weeks: in its worklog chapter, or `content/1-Worklog/`.
    fn first(tree: &ContentTree) -> Model {
        let chapter = tree.pages.iter().find(|p| {
            p.parent == Some(tree.root)
                && p.key
                    .last()
                    .is_some_and(|k| k.to_lowercase().contains("worklog"))
        });
        let dir = chapter
            .and_then(|p| p.source.as_deref()?.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| Path::new("content").join("1-Worklog"));
        let number = chapter.and_then(|p| p.number.clone()).unwrap_or("1".into());
        Model {
            dir,
            name: Some(format!("{number}.0-Week0")),
            week: 0,
            index_file: Some("_index.md".into()),
            title: ("Week 0 Worklog".into(), 0),
            weight: Weight::Same(1.0),
            front: Front::builtin(),
            language: tree.language.clone(),
        }
        .with_pre(&format!(" <b> {number}.0. </b> "))
    }

    fn with_pre(mut self, pre: &str) -> Model {
        for (key, line) in &mut self.front.lines {
            if key == "pre" {
                *line = format!("pre: {}", super::quoted(pre));
            }
        }
        self
    }

    /// The model for a language that has no week yet: the default language's, in words
    /// of that language.
    fn translated(&self, code: &str) -> Model {
        let mut model = self.clone();
        model.language = code.to_string();
        if code == "vi" {
            model.title = (format!("Tuần {}", self.week), self.week);
        }
        model
    }

    /// The new week's file. `translation`: its language and path.
    fn page(
        &self,
        site_dir: &Path,
        number: u32,
        date: &str,
        translation: Option<(&str, PathBuf)>,
    ) -> Result<NewFile, String> {
        let path = match translation {
            Some((_, path)) => path,
            None => {
                let name = self
                    .name
                    .as_deref()
                    .and_then(|n| renumber(n, self.week, number))
                    .unwrap_or_else(|| format!("Week{number}"));
                match &self.index_file {
                    Some(file) => self.dir.join(name).join(file),
                    None => self.dir.join(format!("{name}.md")),
                }
            }
        };
        check_new(site_dir, &path)?;
        let (model_title, of) = &self.title;
        let title = renumber(model_title, *of, number).unwrap_or_else(|| format!("Week {number}"));
        let weight = match self.weight {
            Weight::Number => Some(f64::from(number)),
            Weight::Same(w) => Some(w),
            Weight::After(w) => Some(w + 1.0),
            Weight::None => None,
        };
        let pre = self
            .front
            .lines
            .iter()
            .find(|(k, _)| k == "pre")
            .and_then(|(_, line)| {
                let value = line.split_once([':', '='])?.1.trim();
                let pre: String = serde_yaml::from_str(value).ok()?;
                renumber_pre(&pre, self.week, number)
            });
        let front = self.front.write(&[
            ("title", Some(Value::Text(title.clone()))),
            ("date", Some(Value::Date(date.to_string()))),
            ("weight", weight.map(Value::Number)),
            ("pre", pre.map(Value::Text)),
        ]);
        let body = body(site_dir, &self.language, number, date, &title)?;
        Ok(NewFile {
            path,
            text: format!("{front}{body}"),
        })
    }
}

/// The title of the last week that is not a draft (a draft's title often says so), and
/// its week.
fn title_model(page: &Page, siblings: &[&Page]) -> (String, u32) {
    let title = |p: &Page| p.front.title.clone().unwrap_or_else(|| p.title.clone());
    siblings
        .iter()
        .filter(|p| !p.front.draft)
        .filter_map(|p| Some((week_of(p)?, p)))
        .max_by_key(|(n, _)| *n)
        .map_or((title(page), week_of(page).unwrap_or(0)), |(n, p)| {
            (title(p), n)
        })
}

/// Where a translation of the page at `path` goes: beside it (`_index.vi.md`), or at the
/// same place in the language's own content folder.
fn translation_path(config: &Config, language: usize, path: &Path) -> PathBuf {
    let lang = &config.languages[language];
    if let Some(dir) = &lang.content_dir {
        let inside = path.strip_prefix("content").unwrap_or(path);
        return Path::new(dir).join(inside);
    }
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!("{stem}.{}.md", lang.code))
}

/// The week's text: the site's `archetypes/week.md` (`week.vi.md` for Vietnamese) when
/// there is one, else the built-in template; `{{ week }}`, `{{ date }}` and `{{ title }}`
/// are filled in.
fn body(
    site_dir: &Path,
    language: &str,
    week: u32,
    date: &str,
    title: &str,
) -> Result<String, String> {
    let names = [format!("week.{language}.md"), "week.md".to_string()];
    let archetype = names
        .iter()
        .map(|n| Path::new("archetypes").join(n))
        .find(|p| site_dir.join(p).is_file());
    let template = match &archetype {
        Some(path) => {
            let text = std::fs::read_to_string(site_dir.join(path))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            without_front_matter(&text).to_string()
        }
        None if language == "vi" => include_str!("templates/week.vi.md").to_string(),
        None => include_str!("templates/week.en.md").to_string(),
    };
    Ok(template
        .replace("{{ week }}", &week.to_string())
        .replace("{{ date }}", date)
        .replace("{{ title }}", title)
        .replace("{{ tasks }}", &tasks(date, language)))
}

/// An archetype's body: Hugo archetypes start with front matter, which worklog writes.
fn without_front_matter(text: &str) -> &str {
    for fence in ["---", "+++"] {
        if let Some(rest) = text.strip_prefix(fence).and_then(|r| r.strip_prefix('\n'))
            && let Some(end) = rest.find(&format!("\n{fence}"))
        {
            let after = &rest[end + 1 + fence.len()..];
            return after.strip_prefix('\n').unwrap_or(after);
        }
    }
    text
}

/// One row per working day from `date`, dated.
fn tasks(date: &str, language: &str) -> String {
    let names: [&str; 7] = if language == "vi" {
        ["Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "CN"]
    } else {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    };
    (0..5)
        .filter_map(|i| dates::day_after(date, i))
        .map(|(day, weekday)| format!("| {} | | {day} | {day} | |\n", names[weekday as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn week_numbers_are_counted_on_where_the_site_writes_them() {
        let next = |t| renumber(t, 9, 10);
        assert_eq!(next("1.9-Week9").as_deref(), Some("1.10-Week10"));
        assert_eq!(renumber("1.1-Week1", 1, 2).as_deref(), Some("1.2-Week2"));
        assert_eq!(renumber("week-03", 3, 4).as_deref(), Some("week-4"));
        assert_eq!(
            renumber("Week 12 Worklog", 12, 14).as_deref(),
            Some("Week 14 Worklog")
        );
        assert_eq!(next("Nhật ký tuần 9").as_deref(), Some("Nhật ký tuần 10"));
        assert_eq!(next("Tuần 9").as_deref(), Some("Tuần 10"));
        assert_eq!(next("Notes"), None);
        let pre = renumber_pre(" <b> 1.9. </b> ", 9, 10);
        assert_eq!(pre.as_deref(), Some(" <b> 1.10. </b> "));
    }
}
