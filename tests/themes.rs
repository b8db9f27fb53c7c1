//! Theme authors: a copy of the built-in theme to start from (`worklog theme init`), a
//! site's single-file overrides of its theme, themes that extend others, what `--verbose`
//! says about them, and the notices when a theme is selected wrongly or not at all.
mod common;
use common::*;

/// A journal in two languages whose pages use every built-in shortcode, tables and code.
fn journal(config: (&str, &str)) -> TestSite {
    TestSite::with(&[
        config,
        (
            "content/_index.vi.md",
            "---\ntitle: Trang chủ\n---\nXin chào.\n",
        ),
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\npre: \" <b> 1. </b> \"\n---\n{{% children depth=\"2\" description=\"true\" %}}\n",
        ),
        (
            "content/1-Worklog/1.6-Week6/_index.md",
            include_str!("fixtures/seeds/week-6-worklog.md"),
        ),
        (
            "content/1-Worklog/1.7-Week7/_index.md",
            include_str!("fixtures/seeds/week-7-worklog.md"),
        ),
        (
            "content/1-Worklog/1.7-Week7/_index.vi.md",
            "---\ntitle: Tuần 7\nweight: 1\n---\n{{% notice tip %}}Mẹo.{{% /notice %}}\n",
        ),
        (
            "content/5-Workshop/_index.md",
            "---\ntitle: Workshop\nweight: 5\nchapter: true\n---\n{{% children %}}\n",
        ),
        (
            "content/5-Workshop/5.1-S3/_index.md",
            "---\ntitle: S3\nweight: 1\ndescription: A bucket\n---\n## Bucket {#bucket}\n",
        ),
        (
            "content/5-Workshop/5.2-Prerequisite/_index.md",
            "---\ntitle: Prerequisite\nweight: 2\n---\nRoles.\n",
        ),
        (
            "content/5-Workshop/5.3-Lambda/_index.md",
            include_str!("fixtures/seeds/workshop-shortcodes.md"),
        ),
        ("content/5-Workshop/5.3-Lambda/files/guide.pdf", "%PDF"),
        ("static/images/arch.png", "png"),
    ])
}

const CONFIG: (&str, &str) = (
    "worklog.toml",
    "title = \"Journal\"\n# the site's own words\nbase_url = \"/journal/\"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n[params]\nauthor = \"An\"\n",
);

/// Every file of the output folder with its bytes.
fn output(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    site.files()
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(site.public().join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

fn theme_init(site: &TestSite, args: &[&str]) -> Run {
    let mut cmd = worklog();
    cmd.args(["theme", "init"])
        .args(args)
        .arg("--source")
        .arg(site.path());
    run(cmd)
}

#[test]
fn theme_init_writes_a_copy_that_builds_the_same_bytes() {
    let site = journal(CONFIG);
    site.build(&[]).ok();
    let before = output(&site);
    let init = theme_init(&site, &["mine"]);
    init.ok();
    assert!(
        init.stdout
            .contains("worklog.toml now says theme = \"mine\""),
        "{}",
        init.stdout
    );
    let config = std::fs::read_to_string(site.path().join("worklog.toml")).unwrap();
    assert_eq!(
        config,
        CONFIG
            .1
            .replace("[languages.en]", "theme = \"mine\"\n[languages.en]")
    );
    for file in [
        "templates/page.html",
        "static/css/worklog.css",
        "i18n/vi.toml",
        "README.md",
    ] {
        assert!(
            site.path().join("themes/mine").join(file).is_file(),
            "{file}"
        );
    }
    let run = site.build(&["--verbose"]);
    run.ok();
    assert!(
        run.stdout
            .contains("theme layers, lowest first: (built-in) default, themes/mine"),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("themes/"), "{}", run.stderr);
    let after = output(&site);
    assert_eq!(before.len(), after.len());
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{path} differs after theme init");
    }
    // The copy is now the site's own, and its edits show.
    let css = site.path().join("themes/mine/static/css/worklog.css");
    std::fs::write(&css, "body { color: rgb(1, 2, 3); }").unwrap();
    site.build(&[]).ok();
    assert_eq!(
        site.read("css/worklog.css"),
        "body { color: rgb(1, 2, 3); }"
    );
}

#[test]
fn theme_init_never_writes_over_a_folder_and_creates_a_config_where_there_was_none() {
    let site = TestSite::with(&[("themes/mine/static/css/worklog.css", "mine")]);
    let run = theme_init(&site, &["mine"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("themes/mine already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(
        files_under(&site.path().join("themes/mine")),
        ["static/css/worklog.css"]
    );
    assert!(!site.path().join("worklog.toml").exists());
    theme_init(&site, &["other"]).ok();
    assert_eq!(
        std::fs::read_to_string(site.path().join("worklog.toml")).unwrap(),
        "theme = \"other\"\n"
    );
}

#[test]
fn theme_init_on_a_hugo_site_says_which_line_to_change_and_leaves_the_config() {
    let config = "baseURL = \"https://u.github.io/fcj/\"\ntheme = \"hugo-theme-learn\"\n";
    let site = TestSite::with(&[("config.toml", config)]);
    let run = theme_init(&site, &["mine"]);
    run.ok();
    assert!(
        run.stdout
            .contains("set `theme = \"mine\"` in it (line 2: `theme = \"hugo-theme-learn\"`)"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("config.toml")).unwrap(),
        config
    );
}

#[test]
fn a_site_overrides_one_template_one_word_and_one_static_file_of_its_theme() {
    let site = journal(CONFIG);
    site.write(
        "templates/shortcodes/notice.html",
        "<aside class=\"{{ args[0] }}\">{{ site.i18n.next }}: {{ body | safe }}</aside>",
    );
    site.write("i18n/vi.toml", "next = \"Sau\"\n");
    site.write("static/css/worklog.css", "body { color: red; }");
    let run = site.build(&["--verbose"]);
    run.ok();
    let vi = site.read("vi/1-worklog/1.7-week7/index.html");
    assert!(
        vi.contains("<aside class=\"tip\">Sau: <p>Mẹo.</p>"),
        "{}",
        &vi[vi.find("<aside").unwrap_or(0)..]
    );
    // The other words of Vietnamese still come from the theme.
    assert!(vi.contains("Trang trước và trang sau"), "{vi}");
    assert_eq!(site.read("css/worklog.css"), "body { color: red; }");
    assert!(
        site.read("1-worklog/index.html")
            .contains("class=\"breadcrumbs\"")
    );
    for line in [
        "worklog: templates/shortcodes/notice.html: templates/shortcodes/notice.html over (built-in) themes/default/templates/shortcodes/notice.html",
        "worklog: i18n/vi.toml: words of i18n/vi.toml over (built-in) themes/default/i18n/vi.toml",
        "worklog: static/css/worklog.css: static/css/worklog.css over (built-in) themes/default/static/css/worklog.css",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    assert!(!site.build(&[]).stdout.contains("over (built-in)"));
}

#[test]
fn a_theme_extends_another_which_falls_back_to_the_default() {
    let site = journal(("worklog.toml", "theme = \"child\"\n"));
    site.write(
        "themes/child/theme.toml",
        "name = \"Child\"\nextends = \"parent\"\n",
    );
    site.write("themes/child/static/css/child.css", "a {}");
    site.write(
        "themes/child/templates/404.html",
        "child 404 {% include \"footer.html\" %}",
    );
    site.write("themes/parent/templates/404.html", "parent 404");
    site.write("themes/parent/templates/footer.html", "parent footer");
    site.write("themes/parent/i18n/en.toml", "next = \"Onward\"\n");
    let run = site.build(&["--verbose"]);
    run.ok();
    assert_eq!(site.read("404.html"), "child 404 parent footer");
    assert!(site.exists("css/child.css"));
    assert!(
        site.read("1-worklog/1.6-week6/index.html")
            .contains("Onward")
    );
    assert!(
        run.stdout
            .contains("(built-in) default, themes/parent, themes/child"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("templates/404.html: themes/child/templates/404.html over themes/parent/templates/404.html"),
        "{}",
        run.stdout
    );
    site.write("themes/parent/theme.toml", "extends = \"child\"\n");
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains(
            "themes/parent/theme.toml:1: `extends = \"child\"` makes a loop: child → parent → child"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_theme_folder_that_no_setting_selects_is_named_with_the_fix() {
    let site = TestSite::with(&[
        ("config.toml", "title = \"J\"\n[params]\ntheme = \"mine\"\n"),
        ("themes/mine/templates/home.html", "mine"),
    ]);
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr.contains("warning: themes/mine: no theme is selected, so the default theme is used and themes/mine/ is not: to use it, `theme = \"mine\"` is under [params] in config.toml, where it is a param: move it above [params]"),
        "{}",
        run.stderr
    );
    site.write("config.toml", "title = \"J\"\n");
    let run = site.build(&[]);
    assert!(
        run.stderr
            .contains("to use it, set `theme = \"mine\"` in config.toml, above any [table]"),
        "{}",
        run.stderr
    );
    site.write("config.toml", "title = \"J\"\ntheme = \"mine\"\n");
    let run = site.build(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(site.read("index.html"), "mine");
}

#[test]
fn a_copy_of_learn_builds_what_learn_does() {
    let site = journal(("worklog.toml", "theme = \"learn\"\n"));
    site.build(&[]).ok();
    assert!(
        site.read("index.html")
            .contains("<body class=\"learn kind-home\">")
    );
    let before = output(&site);
    theme_init(&site, &["mine", "--from", "learn"]).ok();
    assert_eq!(
        std::fs::read_to_string(site.path().join("themes/mine/theme.toml")).unwrap(),
        include_str!("../themes/learn/theme.toml")
    );
    site.build(&[]).ok();
    assert!(
        before == output(&site),
        "a copy of learn builds other bytes"
    );
}
