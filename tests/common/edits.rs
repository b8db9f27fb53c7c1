//! A journal site that edits itself at random, every kind of edit a journal sees, for
//! the tests that compare what `serve` shows with a fresh build.
#![allow(dead_code)]

use std::path::PathBuf;

/// A small deterministic generator (xorshift64*): the same seed, the same sequence.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

pub struct Site {
    dir: tempfile::TempDir,
    /// Numbers used for new weeks.
    next_week: u32,
}

const CONFIG: &str = "baseURL = \"https://u.github.io/journal/\"\ntitle = \"Journal\"\ntheme = \"mine\"\ndefaultContentLanguage = \"en\"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\ntitle = \"Nhật ký\"\n[params]\nauthor = \"An\"\n";

fn week_text(n: u32, rng: &mut Rng) -> String {
    let links = [
        format!("../1.{}-Week{}/", n + 1, n + 1),
        "../1.1-WEEK1/".to_string(),
        "3-Workshop/3.1-Setup/".to_string(),
        format!("/images/w{n}.png"),
        "/1-worklog/".to_string(),
        "../../3-Workshop/files/guide.pdf".to_string(),
        "t1.png".to_string(),
    ];
    let a = rng.pick(&links).unwrap();
    let b = rng.pick(&links).unwrap();
    format!(
        "---\ntitle: \"Week {n} Worklog\"\nweight: {n}\ndate: 2025-09-{:02}\npre: \" <b> 1.{n}. </b> \"\n---\n### Goals\n\n| Day | Task | Reference |\n|---|---|---|\n| Mon | Read <br>&emsp; notes | [next]({a}) |\n| Tue | Lab | [ref]({b}) |\n\n{{{{% notice info %}}}}\nWeek {n} note with [a link]({a}).\n{{{{% /notice %}}}}\n\n![shot](/images/w{n}.png)\n",
        1 + n % 28
    )
}

impl Site {
    pub fn new(rng: &mut Rng) -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
            next_week: 5,
        };
        site.write("config.toml", CONFIG);
        site.write(
            "content/_index.md",
            "---\ntitle: Home\n---\nStart at the [worklog](1-Worklog/) or the [workshop](3-Workshop/).\n\n{{% children depth=\"2\" %}}\n",
        );
        site.write(
            "content/_index.vi.md",
            "---\ntitle: Trang chủ\n---\nXin chào.\n",
        );
        site.write(
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\nchapter: true\npre: \" <b> 1. </b> \"\n---\nWeeks:\n\n{{% children %}}\n\nFirst: [week 1]({{< relref \"/1-Worklog/1.1-Week1\" >}}).\n",
        );
        site.write(
            "content/1-Worklog/_index.vi.md",
            "---\ntitle: Nhật ký\nweight: 1\n---\nCác tuần.\n",
        );
        for n in 1..5 {
            site.write(
                &format!("content/1-Worklog/1.{n}-Week{n}/_index.md"),
                &week_text(n, rng),
            );
        }
        site.write(
            "content/1-Worklog/1.1-Week1/_index.vi.md",
            "---\ntitle: \"Tuần 1\"\nweight: 1\n---\nTuần đầu.\n",
        );
        site.write(
            "content/2-Proposal/_index.md",
            "---\nweight: 2\n---\n# Proposal draft\n\nSee the [first week](../1-Worklog/1.1-Week1/).\n",
        );
        site.write(
            "content/3-Workshop/_index.md",
            "---\ntitle: Workshop\nweight: 3\n---\n{{% children %}}\n\n[Guide](files/guide.pdf)\n\n{{% attachments %}}\n",
        );
        site.write("content/3-Workshop/files/guide.pdf", "%PDF guide");
        site.write(
            "content/3-Workshop/3.1-Setup/_index.md",
            "---\ntitle: Setup\nweight: 1\n---\nBack to [the workshop](../).\n",
        );
        site.write(
            "content/3-Workshop/3.2-Deploy/_index.md",
            "---\ntitle: Deploy\nweight: 2\n---\nAfter [setup](../3.1-Setup/).\n",
        );
        for n in 1..4 {
            site.write(&format!("static/images/w{n}.png"), "png");
        }
        site.write("static/css/custom.css", "body { color: #111; }\n");
        site.write("themes/mine/static/css/mine.css", "h1 { color: #222; }\n");
        site.write("themes/base/static/css/base.css", "p { margin: 0; }\n");
        site.write(
            "themes/mine/templates/404.html",
            "<!DOCTYPE html><html lang=\"{{ site.language_code }}\"><head><title>{{ site.title }}</title></head><body><h1>Not here</h1></body></html>\n",
        );
        site
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap_or_default()
    }

    pub fn weeks(&self) -> Vec<String> {
        let mut weeks: Vec<String> = std::fs::read_dir(self.root().join("content/1-Worklog"))
            .unwrap()
            .filter_map(|e| {
                let e = e.unwrap();
                e.file_type()
                    .unwrap()
                    .is_dir()
                    .then(|| format!("content/1-Worklog/{}", e.file_name().to_string_lossy()))
            })
            .collect();
        weeks.sort();
        weeks
    }

    /// Rewrites a front matter line of `file` (added when missing), or removes it.
    pub fn set_front(&self, file: &str, key: &str, value: Option<&str>) -> PathBuf {
        let text = self.read(file);
        let (front, body) = text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---\n"))
            .unwrap_or(("", &text));
        let mut lines: Vec<String> = front
            .lines()
            .filter(|l| !l.starts_with(&format!("{key}:")))
            .map(str::to_string)
            .collect();
        if let Some(v) = value {
            lines.push(format!("{key}: {v}"));
        }
        self.write(file, &format!("---\n{}\n---\n{body}", lines.join("\n")))
    }

    /// Writes `rel` (with `text`), or removes it one time in three when it exists.
    fn toggle(&self, rel: &str, text: &str, rng: &mut Rng) -> (String, Vec<PathBuf>) {
        let path = self.root().join(rel);
        if path.exists() && rng.below(3) == 0 {
            std::fs::remove_file(&path).unwrap();
            (format!("remove {rel}"), vec![path])
        } else {
            (format!("write {rel}"), vec![self.write(rel, text)])
        }
    }

    /// Applies one random edit; returns what it did and the paths a watcher reports.
    pub fn edit(&mut self, rng: &mut Rng) -> (String, Vec<PathBuf>) {
        let weeks = self.weeks();
        let week = rng.pick(&weeks).cloned();
        let week_file = week.as_ref().map(|w| format!("{w}/_index.md"));
        let root = self.root();
        let kind = rng.below(29);
        let what = |s: &str| format!("{s} {}", week.as_deref().unwrap_or(""));
        match (kind, &week_file) {
            (0..=2, Some(f)) => {
                let text = self.read(f);
                let links = [
                    "../1.2-Week2/",
                    "/images/w9.png",
                    "../1.4-Week4/#goals",
                    "3-Workshop/",
                ];
                let extra = format!("\nMore: [x]({}).\n", rng.pick(&links).unwrap());
                (
                    what("body edit"),
                    vec![self.write(f, &format!("{text}{extra}"))],
                )
            }
            (3, Some(f)) => {
                let title = format!("\"Week title {}\"", rng.below(100));
                (
                    what("title"),
                    vec![self.set_front(f, "title", Some(&title))],
                )
            }
            (4, Some(f)) => {
                let w = rng.below(12).to_string();
                (what("weight"), vec![self.set_front(f, "weight", Some(&w))])
            }
            (5, Some(f)) => {
                let on = !self.read(f).contains("draft: true");
                let v = on.then_some("true");
                (what("draft"), vec![self.set_front(f, "draft", v)])
            }
            (6, Some(f)) => {
                let dates = ["2025-01-05", "2024-12-31", "2099-01-01"];
                let d = rng.pick(&dates).unwrap().to_string();
                (what("date"), vec![self.set_front(f, "date", Some(&d))])
            }
            (7, _) => {
                let text = self.read("content/2-Proposal/_index.md");
                let new = format!("# Proposal v{}\n", rng.below(50));
                let text = match text.find("# ") {
                    Some(i) => {
                        let end = text[i..].find('\n').map_or(text.len(), |j| i + j + 1);
                        format!("{}{new}{}", &text[..i], &text[end..])
                    }
                    None => format!("{text}{new}"),
                };
                let path = self.write("content/2-Proposal/_index.md", &text);
                ("heading that titles its page".into(), vec![path])
            }
            (8 | 9, _) => {
                let n = self.next_week;
                self.next_week += 1;
                let path = self.write(
                    &format!("content/1-Worklog/1.{n}-Week{n}/_index.md"),
                    &week_text(n, rng),
                );
                (
                    format!("add week {n}"),
                    vec![path.parent().unwrap().to_path_buf()],
                )
            }
            (10, Some(_)) if weeks.len() > 1 => {
                let dir = root.join(week.as_ref().unwrap());
                std::fs::remove_dir_all(&dir).unwrap();
                (what("remove"), vec![dir])
            }
            (11, Some(_)) => {
                let old = root.join(week.as_ref().unwrap());
                let new = PathBuf::from(format!("{}-b", old.display()));
                std::fs::rename(&old, &new).unwrap();
                (what("rename"), vec![old, new])
            }
            (12, _) => {
                let (a, b) = if root.join("content/3-Workshop").exists() {
                    ("content/3-Workshop", "content/3-Lab")
                } else {
                    ("content/3-Lab", "content/3-Workshop")
                };
                std::fs::rename(root.join(a), root.join(b)).unwrap();
                (
                    format!("rename {a} to {b}"),
                    vec![root.join(a), root.join(b)],
                )
            }
            (13, _) => {
                let rel = "content/3-Workshop/files/extra.pdf";
                let path = root.join(rel);
                if path.exists() {
                    std::fs::remove_file(&path).unwrap();
                    ("remove bundle file".into(), vec![path])
                } else if root.join("content/3-Workshop").exists() {
                    (
                        "add bundle file".into(),
                        vec![self.write(rel, "%PDF extra")],
                    )
                } else {
                    ("nothing".into(), vec![])
                }
            }
            (14, _) => {
                let rel = format!("static/images/w{}.png", 1 + rng.below(9));
                let path = root.join(&rel);
                match rng.below(3) {
                    0 if path.exists() => {
                        std::fs::remove_file(&path).unwrap();
                        (format!("remove {rel}"), vec![path])
                    }
                    // As long as "png": only the hash tells the edit apart.
                    1 => {
                        let text = format!("pn{}", rng.below(10));
                        (format!("edit {rel}"), vec![self.write(&rel, &text)])
                    }
                    _ => (format!("add {rel}"), vec![self.write(&rel, "png")]),
                }
            }
            (15, _) => {
                let css = format!("body {{ color: #{:03}; }}\n", rng.below(999));
                (
                    "site css".into(),
                    vec![self.write("static/css/custom.css", &css)],
                )
            }
            (16, _) => {
                let text = CONFIG.replace("An", &format!("An {}", rng.below(9)));
                let text = text.replace("Journal", &format!("Journal {}", rng.below(3)));
                ("config".into(), vec![self.write("config.toml", &text)])
            }
            (17, _) => {
                let rel = "themes/mine/templates/404.html";
                let text = self.read(rel).replace("Not here", "Nowhere");
                let text = text.replace("Nowhereere", "Not here");
                ("theme template".into(), vec![self.write(rel, &text)])
            }
            (18, _) => {
                let css = format!("h1 {{ color: #{:03}; }}\n", rng.below(999));
                (
                    "theme css".into(),
                    vec![self.write("themes/mine/static/css/mine.css", &css)],
                )
            }
            (19, Some(_)) => {
                let rel = format!("{}/_index.vi.md", week.as_ref().unwrap());
                let path = root.join(&rel);
                if path.exists() {
                    std::fs::remove_file(&path).unwrap();
                    (format!("remove {rel}"), vec![path])
                } else {
                    let text = "---\ntitle: \"Tuần\"\nweight: 3\n---\nMột tuần.\n";
                    (format!("add {rel}"), vec![self.write(&rel, text)])
                }
            }
            (20, Some(f)) => {
                let text = self.read(f);
                let broken = text.replacen("title:", "title: [", 1);
                (what("break front matter"), vec![self.write(f, &broken)])
            }
            (21, Some(f)) => {
                let text = self.read(f).replace("title: [", "title:");
                (what("fix front matter"), vec![self.write(f, &text)])
            }
            // The site's own templates and words over its theme's, one file each.
            (22, _) => {
                let rel = "templates/shortcodes/notice.html";
                let label = ["Heads up", "Note well"][rng.below(2)];
                let text = format!(
                    "<aside class=\"{{{{ args[0] }}}}\"><b>{label}</b>{{{{ body | safe }}}}</aside>\n"
                );
                self.toggle(rel, &text, rng)
            }
            (23, _) => {
                let rel = "templates/404.html";
                let text = "<!DOCTYPE html><html lang=\"{{ site.language_code }}\"><head><title>{{ site.i18n.page_not_found }}</title></head><body><h1>{{ site.i18n.go_home }}</h1></body></html>\n";
                self.toggle(rel, text, rng)
            }
            (24, _) => {
                let rel = ["i18n/vi.toml", "i18n/en.toml"][rng.below(2)];
                let text = format!(
                    "go_home = \"{}\"\n[next]\nother = \"Next {}\"\n",
                    rng.below(9),
                    rng.below(9)
                );
                self.toggle(rel, &text, rng)
            }
            (25, _) => {
                let rel = "themes/mine/theme.toml";
                self.toggle(rel, "name = \"Mine\"\nextends = \"base\"\n", rng)
            }
            // Only while `mine` extends `base`: the server rebuilds for nothing else there.
            (26, _) if self.read("themes/mine/theme.toml").contains("extends") => {
                let css = format!("p {{ margin: {}px; }}\n", rng.below(9));
                let rel = "themes/base/static/css/base.css";
                ("extended theme css".into(), vec![self.write(rel, &css)])
            }
            // A file beside a week page, published beside it in each of its languages.
            (27, Some(_)) => {
                let rel = format!("{}/t1.png", week.as_ref().unwrap());
                self.toggle(&rel, &format!("png{}", rng.below(3)), rng)
            }
            // The site's own learn partial: plain HTML is placed, a Go template skipped.
            (28, _) => {
                let rel = "layouts/partials/menu-footer.html";
                let text = [
                    format!(
                        "<p><a href=\"/1-worklog/\">Weeks {}</a></p>\n",
                        rng.below(9)
                    ),
                    "<p>{{ now.Year }}</p>\n".to_string(),
                ];
                self.toggle(rel, &text[rng.below(2)], rng)
            }
            _ => ("nothing".into(), vec![]),
        }
    }
}
