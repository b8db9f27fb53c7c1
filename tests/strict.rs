//! Nothing accepted silently: what a site says that Hugo reads one way and its author may have
//! meant another is read as Hugo reads it and named with its file and line, or refused.
mod common;
use common::*;

#[test]
fn a_weight_that_is_no_number_is_named_and_sorted_last_as_in_hugo() {
    let site = TestSite::with(&[
        (
            "content/a/_index.md",
            "---\ntitle: A\nweight: \"abc\"\n---\n",
        ),
        ("content/b/_index.md", "---\ntitle: B\nweight: 2\n---\n"),
    ]);
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr
            .contains("warning: content/a/_index.md:3: `weight: \"abc\"` is not a number"),
        "{}",
        run.stderr
    );
    let home = site.read("index.html");
    let (a, b) = (home.find(">A<").unwrap(), home.find(">B<").unwrap());
    assert!(b < a, "B (weight 2) before A (no weight)");
}

#[test]
fn a_date_that_is_no_day_is_named_and_never_written() {
    let site = TestSite::with(&[(
        "content/a/_index.md",
        "---\ntitle: A\ndate: 2025-13-45\n---\nText.\n",
    )]);
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr
            .contains("warning: content/a/_index.md:3: `date: 2025-13-45` is not a date"),
        "{}",
        run.stderr
    );
    for file in ["a/index.html", "sitemap.xml"] {
        let text = site.read(file);
        assert!(!text.contains("2025-13-45"), "{file}: {text}");
        assert!(!text.contains("<time"), "{file}: {text}");
    }
}

#[test]
fn a_key_set_twice_is_named_with_both_lines_and_the_last_wins() {
    let site = TestSite::with(&[(
        "content/a/_index.md",
        "---\ntitle: First\nweight: 1\ntitle: Second\n---\n",
    )]);
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr.contains(
            "warning: content/a/_index.md:4: `title` is set again (first on line 2): the last value is used"
        ),
        "{}",
        run.stderr
    );
    assert!(site.read("a/index.html").contains("Second"));
}

/// Found by fuzzing: each repeat rescanned the block, so 20,000 repeats took a minute.
#[test]
fn a_key_set_twenty_thousand_times_names_each_repeat_in_one_pass() {
    let front = "date: 2025-01-01\n".repeat(20_000);
    let site = TestSite::with(&[(
        "content/a/_index.md",
        &format!("---\ntitle: A\n{front}---\n"),
    )]);
    let run = site.build(&["--verbose"]);
    run.ok();
    let repeats: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("is set again"))
        .collect();
    assert_eq!(repeats.len(), 19_999);
    assert!(
        repeats[0].starts_with("warning: content/a/_index.md:4: `date`"),
        "{}",
        repeats[0]
    );
    let last = repeats
        .iter()
        .find(|l| l.contains(":20002: "))
        .expect("the last repeat's line");
    assert!(last.contains("(first on line 3)"), "{last}");
}

#[test]
fn draft_yes_and_draft_1_are_drafts_as_hugo_reads_them() {
    let site = TestSite::with(&[
        (
            "content/yes/_index.md",
            "---\ntitle: Yes\ndraft: yes\n---\n",
        ),
        ("content/one/_index.md", "---\ntitle: One\ndraft: 1\n---\n"),
        (
            "content/t/_index.md",
            "+++\ntitle = 'T'\ndraft = \"true\"\n+++\n",
        ),
        (
            "content/maybe/_index.md",
            "---\ntitle: Maybe\n\ndraft: maybe\n---\n",
        ),
    ]);
    let run = site.build(&[]);
    run.ok();
    for hidden in ["yes", "one", "t"] {
        assert!(!site.exists(&format!("{hidden}/index.html")), "{hidden}");
    }
    assert!(site.exists("maybe/index.html"), "false, as in Hugo");
    let e = &run.stderr;
    assert!(
        e.contains("warning: content/yes/_index.md:3: `draft: yes` is read as true"),
        "{e}"
    );
    assert!(
        e.contains("warning: content/maybe/_index.md:4: `draft: maybe` is neither true nor false"),
        "{e}"
    );
    assert!(!e.contains("content/one/"), "`1` is Hugo's true: {e}");
    site.build(&["--drafts"]).ok();
    assert!(site.exists("yes/index.html"));
}

#[test]
fn wrong_config_values_are_all_named_with_the_config_file_and_line() {
    let site = TestSite::with(&[(
        "worklog.toml",
        "title = \"J\"\nauto_number = \"yes\"\nnav = 5\n",
    )]);
    let run = site.build(&[]);
    run.failed();
    let e = &run.stderr;
    assert!(
        e.contains("worklog.toml:2: `auto_number = \"yes\"` must be true or false"),
        "{e}"
    );
    assert!(e.contains("worklog.toml:3: `nav = 5`"), "{e}");
    assert!(e.contains("2 errors"), "{e}");
}

#[test]
fn an_unknown_nav_mode_names_the_line_and_the_allowed_ones() {
    let site = TestSite::with(&[("worklog.toml", "title = \"J\"\n\nnav = \"bogus\"\n")]);
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains(
            "worklog.toml:3: `nav = \"bogus\"`: nav is \"auto\", \"inline\" or \"shared\""
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_setting_written_below_params_is_named_with_its_line() {
    let site = TestSite::with(&[
        (
            "worklog.toml",
            "title = \"J\"\n[params]\nauthor = \"A\"\ntheme = \"mine\"\n",
        ),
        ("themes/mine/templates/home.html", "mine"),
    ]);
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr.contains(
            "worklog.toml:4: `theme` is under [params], where it is a param, not the setting: move it above [params]"
        ),
        "{}",
        run.stderr
    );
    assert_ne!(site.read("index.html"), "mine", "TOML makes it a param");
}

#[test]
fn a_base_url_without_scheme_is_refused_not_read_as_a_path() {
    let site = TestSite::with(&[]);
    let run = site.build(&["--base-url", "user.github.io/journal/"]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("write `https://user.github.io/journal/` (or `/journal/` for a path alone)"),
        "{}",
        run.stderr
    );
    assert!(!site.public().exists());
    site.write(
        "worklog.toml",
        "title = \"J\"\nbase_url = \"user.github.io/journal/\"\n",
    );
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("worklog.toml:2: base URL"),
        "{}",
        run.stderr
    );
    site.write("worklog.toml", "base_url = \"//user.github.io/journal/\"\n");
    site.build(&[]).ok();
    assert!(site.read("index.html").contains("href=\"/journal/css/"));
}

#[test]
fn a_file_given_as_source_is_called_a_file() {
    let site = TestSite::with(&[("worklog.toml", "title = \"J\"\n")]);
    let mut cmd = worklog();
    cmd.arg("build")
        .arg("-s")
        .arg(site.path().join("worklog.toml"));
    let run = run(cmd);
    run.failed();
    assert!(
        run.stderr
            .contains("worklog.toml: this is a file: --source takes the site's folder"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlinked_pages_and_static_files_are_followed_even_outside_the_site() {
    use std::os::unix::fs::symlink;
    let elsewhere = tempfile::tempdir().unwrap();
    let notes = elsewhere.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("_index.md"), "---\ntitle: Notes\n---\nShared.\n").unwrap();
    std::fs::write(elsewhere.path().join("cv.pdf"), "%PDF").unwrap();
    let site = TestSite::with(&[("week.txt", "---\ntitle: Week\n---\nLinked.\n")]);
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    symlink(&notes, site.path().join("content/notes")).unwrap();
    symlink(
        site.path().join("week.txt"),
        site.path().join("content/week.md"),
    )
    .unwrap();
    symlink(
        elsewhere.path().join("cv.pdf"),
        site.path().join("static/cv.pdf"),
    )
    .unwrap();
    let run = site.build(&[]);
    run.ok();
    assert!(site.read("notes/index.html").contains("Shared."));
    assert!(site.read("week/index.html").contains("Linked."));
    assert_eq!(site.read("cv.pdf"), "%PDF");
    assert!(
        !std::fs::symlink_metadata(site.public().join("cv.pdf"))
            .unwrap()
            .is_symlink(),
        "the output holds the bytes, not the link"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_or_a_link_to_nothing_is_named() {
    use std::os::unix::fs::symlink;
    let site = TestSite::with(&[("static/a/x.txt", "x")]);
    symlink("..", site.path().join("content/up")).unwrap();
    symlink("/no/such/file.md", site.path().join("content/gone.md")).unwrap();
    symlink("../../static", site.path().join("static/a/loop")).unwrap();
    symlink("/", site.path().join("static/a/root")).unwrap();
    // Emacs's lock beside an edited file is a link to nothing: litter, not an error.
    symlink("user@host.1234", site.path().join("content/.#gone.md")).unwrap();
    symlink("user@host.1234", site.path().join("static/.#x.txt")).unwrap();
    let run = site.build(&[]);
    run.failed();
    let e = &run.stderr;
    assert!(
        e.contains(
            "content/up: a symbolic link to the site's folder, a folder that holds it: a loop"
        ),
        "{e}"
    );
    assert!(
        e.contains("content/gone.md: a symbolic link to /no/such/file.md, which does not exist"),
        "{e}"
    );
    assert!(
        e.contains("static/a/loop: a symbolic link to static,"),
        "{e}"
    );
    assert!(e.contains("static/a/root: a symbolic link to /,"), "{e}");
    assert!(e.contains("4 errors"), "{e}");
}

#[test]
fn a_page_whose_url_collides_with_a_theme_or_static_file_names_both() {
    let site = TestSite::with(&[
        (
            "content/style/_index.md",
            "---\ntitle: Style\nurl: /css/worklog.css\n---\n",
        ),
        (
            "content/gallery/_index.md",
            "---\ntitle: Gallery\n\nurl: /images/\n---\n",
        ),
        ("static/images/index.html", "<p>my gallery</p>"),
        (
            "content/missing/_index.md",
            "---\ntitle: M\nslug: 404.html\n---\n",
        ),
    ]);
    let out = site.path().join("out");
    let run = site.build(&["-o", out.to_str().unwrap()]);
    run.failed();
    let e = &run.stderr;
    assert!(
        e.contains(
            "content/style/_index.md:3: this page and (built-in) themes/default/static/css/worklog.css collide: /css/worklog.css is written as a file, and /css/worklog.css/index.html needs it to be a folder"
        ),
        "{e}"
    );
    assert!(
        e.contains(
            "content/gallery/_index.md:4: this page and static/images/index.html are both written to /images/index.html"
        ),
        "{e}"
    );
    assert!(
        e.contains("content/missing/_index.md:3: this page and (the 404 page, which worklog writes) collide"),
        "{e}"
    );
    assert!(!e.contains("Is a directory"), "{e}");
    assert!(!out.exists());
}

#[test]
fn pages_of_two_languages_written_to_one_path_name_both() {
    let site = TestSite::with(&[
        (
            "config.toml",
            "defaultContentLanguage = 'en'\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n",
        ),
        ("content/a/_index.vi.md", "---\ntitle: A vi\n---\n"),
        ("content/b/_index.md", "---\ntitle: B\nurl: /vi/a/\n---\n"),
    ]);
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains(
            "content/b/_index.md:3: this page and content/a/_index.vi.md are both written to /vi/a/index.html"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_url_or_slug_that_leaves_its_place_is_refused_and_nothing_is_written() {
    let site = TestSite::with(&[
        (
            "content/a/_index.md",
            "---\ntitle: A\nurl: ../../escaped\n---\n",
        ),
        ("content/b/_index.md", "---\ntitle: B\nslug: ..\n---\n"),
        (
            "content/c/_index.md",
            "---\ntitle: C\nurl: https://x.io/c/\n---\n",
        ),
    ]);
    let out = site.path().join("deep/out");
    let run = site.build(&["-o", out.to_str().unwrap()]);
    run.failed();
    let e = &run.stderr;
    assert!(
        e.contains("content/a/_index.md:3: `url: ../../escaped` has a `.` or `..` folder"),
        "{e}"
    );
    assert!(
        e.contains("content/b/_index.md:3: `slug: ..` names no page"),
        "{e}"
    );
    assert!(
        e.contains("content/c/_index.md:3: `url: https://x.io/c/` is an address"),
        "{e}"
    );
    assert!(!site.path().join("escaped").exists());
    assert!(!out.exists());
}

#[test]
fn hugo_s_config_folder_is_named_as_not_read() {
    let site = TestSite::with(&[(
        "config/_default/hugo.toml",
        "baseURL = \"https://u.github.io/j/\"\n",
    )]);
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr
            .contains("warning: config/_default: Hugo's config folder is not read"),
        "{}",
        run.stderr
    );
}
