//! What `serve` shows equals a fresh build, after any sequence of edits: random sequences
//! of every kind of edit a journal sees are applied to a fixture site through
//! `Pipeline::apply` (as `serve` does, with the paths a file watcher reports), and after
//! each edit every output path is compared, byte for byte, with a fresh build of the same
//! files, including which paths exist, and so are the warnings printed.
//!
//! `WORKLOG_SEQUENCES=N` runs more sequences (`scripts/incremental` runs thousands).

use std::path::{Path, PathBuf};

use worklog::BuildOptions;
use worklog::pipeline::Pipeline;

/// A small deterministic generator (xorshift64*): the same seed, the same sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

struct Site {
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
    ];
    let a = rng.pick(&links).unwrap();
    let b = rng.pick(&links).unwrap();
    format!(
        "---\ntitle: \"Week {n} Worklog\"\nweight: {n}\ndate: 2025-09-{:02}\npre: \" <b> 1.{n}. </b> \"\n---\n### Goals\n\n| Day | Task | Reference |\n|---|---|---|\n| Mon | Read <br>&emsp; notes | [next]({a}) |\n| Tue | Lab | [ref]({b}) |\n\n{{{{% notice info %}}}}\nWeek {n} note with [a link]({a}).\n{{{{% /notice %}}}}\n\n![shot](/images/w{n}.png)\n",
        1 + n % 28
    )
}

impl Site {
    fn new(rng: &mut Rng) -> Site {
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
        site.write(
            "themes/mine/templates/404.html",
            "<!DOCTYPE html><html lang=\"{{ site.language_code }}\"><head><title>{{ site.title }}</title></head><body><h1>Not here</h1></body></html>\n",
        );
        site
    }

    fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap_or_default()
    }

    fn weeks(&self) -> Vec<String> {
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
    fn set_front(&self, file: &str, key: &str, value: Option<&str>) -> PathBuf {
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

    /// Applies one random edit; returns what it did and the paths a watcher reports.
    fn edit(&mut self, rng: &mut Rng) -> (String, Vec<PathBuf>) {
        let weeks = self.weeks();
        let week = rng.pick(&weeks).cloned();
        let week_file = week.as_ref().map(|w| format!("{w}/_index.md"));
        let root = self.root();
        let kind = rng.below(22);
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
                    1 => (format!("edit {rel}"), vec![self.write(&rel, "png2")]),
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
            _ => ("nothing".into(), vec![]),
        }
    }
}

/// The path to `target` from the current folder, as `../../tmp/x`: the site named as a
/// user in another folder would name it.
fn relative_from_cwd(target: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap().canonicalize().unwrap();
    let ups = cwd.components().count() - 1;
    (0..ups)
        .map(|_| Path::new(".."))
        .collect::<PathBuf>()
        .join(target.strip_prefix("/").unwrap())
}

fn compare(served: &Pipeline, fresh: &Pipeline, history: &[String]) {
    let (mut w1, mut w2) = (served.warnings(), fresh.warnings());
    w1.sort();
    w2.sort();
    let only_served: Vec<String> = w1
        .iter()
        .filter(|w| !w2.contains(w))
        .map(|w| w.to_string())
        .collect();
    let only_fresh: Vec<String> = w2
        .iter()
        .filter(|w| !w1.contains(w))
        .map(|w| w.to_string())
        .collect();
    assert!(
        only_served.is_empty() && only_fresh.is_empty(),
        "after {history:?}: warnings only while serving {only_served:?}, only in a fresh build {only_fresh:?}"
    );
    let a: Vec<&str> = served.output().paths().collect();
    let b: Vec<&str> = fresh.output().paths().collect();
    let only_served: Vec<_> = a.iter().filter(|p| !b.contains(p)).collect();
    let only_fresh: Vec<_> = b.iter().filter(|p| !a.contains(p)).collect();
    assert!(
        only_served.is_empty() && only_fresh.is_empty(),
        "after {history:?}: paths only served {only_served:?}, only in a fresh build {only_fresh:?}"
    );
    for path in a {
        let (x, y) = (served.output().get(path), fresh.output().get(path));
        if x != y {
            let x = String::from_utf8_lossy(x.as_deref().unwrap());
            let y = String::from_utf8_lossy(y.as_deref().unwrap());
            let at = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
            let from = at.saturating_sub(150);
            panic!(
                "after {history:?}: {path} differs from a fresh build at byte {at}:\nserved: {}\nfresh:  {}",
                &x[from..(at + 150).min(x.len())],
                &y[from..(at + 150).min(y.len())]
            );
        }
    }
}

fn run_sequence(seed: u64, edits: usize) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut site = Site::new(&mut rng);
    let source = if seed.is_multiple_of(2) {
        relative_from_cwd(&site.root())
    } else {
        site.root()
    };
    let options = BuildOptions {
        source,
        ..BuildOptions::default()
    };
    let mut served = Pipeline::new(&options).expect("the fixture builds");
    let mut history = vec![format!("seed {seed}")];
    // Paths of a failed update, applied again with the next ones, as `serve` does.
    let mut pending: Vec<PathBuf> = Vec::new();
    for _ in 0..edits {
        let (what, paths) = site.edit(&mut rng);
        history.push(what);
        pending.extend(paths);
        let applied = served.apply(&pending);
        let fresh = Pipeline::new(&options);
        match (applied, fresh) {
            (Ok(_), Ok(fresh)) => {
                compare(&served, &fresh, &history);
                pending.clear();
            }
            (Err(_), Err(_)) => {}
            (Ok(_), Err(e)) => panic!("after {history:?}: served a site, but a build fails: {e}"),
            (Err(e), Ok(_)) => {
                panic!("after {history:?}: the update failed, but a build works: {e}")
            }
        }
    }
}

#[test]
fn served_output_equals_a_fresh_build_after_random_edits() {
    let var = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let (first, sequences) = (
        var("WORKLOG_FIRST_SEQUENCE", 0),
        var("WORKLOG_SEQUENCES", 200),
    );
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get() as u64);
    std::thread::scope(|scope| {
        for worker in 0..workers {
            scope.spawn(move || {
                let mut seed = first + worker;
                while seed < first + sequences {
                    run_sequence(seed, 8);
                    seed += workers;
                }
            });
        }
    });
}

/// The site after `edit`, served and freshly built, compared.
fn served_equals_fresh_after(edit: impl FnOnce(&Site) -> Vec<PathBuf>) {
    let site = Site::new(&mut Rng(7));
    let options = BuildOptions {
        source: relative_from_cwd(&site.root()),
        ..BuildOptions::default()
    };
    let mut served = Pipeline::new(&options).unwrap();
    served.apply(&edit(&site)).unwrap();
    compare(&served, &Pipeline::new(&options).unwrap(), &[]);
}

#[test]
fn a_new_title_shows_in_the_parents_children_list() {
    served_equals_fresh_after(|site| {
        vec![site.set_front(
            "content/1-Worklog/1.2-Week2/_index.md",
            "title",
            Some("\"Renamed week\""),
        )]
    });
}

#[test]
fn links_to_a_renamed_folder_are_reported_and_written_as_a_build_would() {
    served_equals_fresh_after(|site| {
        let old = site.root().join("content/1-Worklog/1.2-Week2");
        let new = site.root().join("content/1-Worklog/1.2-Week-two");
        std::fs::rename(&old, &new).unwrap();
        vec![old, new]
    });
}

#[test]
fn a_page_titled_by_its_first_heading_takes_the_new_heading() {
    served_equals_fresh_after(|site| {
        let text = site.read("content/2-Proposal/_index.md");
        let text = text.replace("# Proposal draft", "# Proposal, final");
        vec![site.write("content/2-Proposal/_index.md", &text)]
    });
}
