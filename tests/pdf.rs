//! `worklog pdf`: the sample journal printed by the system's Chromium, read back with
//! poppler's `pdfinfo` and `pdftotext` (Debian `chromium`, `poppler-utils`).
mod common;
use common::*;

use std::process::Command;

fn tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

fn journal() -> TestSite {
    let site = TestSite::with(&[
        (
            "worklog.toml",
            "title = \"Internship Report\"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n[params]\nbyline = \"Nguyễn Minh Khoa\"\n",
        ),
        (
            "content/_index.vi.md",
            "---\ntitle: Báo cáo thực tập\n---\nXin chào.\n",
        ),
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\npre: \" <b> 1. </b> \"\n---\nEvery week.\n",
        ),
        (
            "content/2-Proposal/_index.md",
            "---\ntitle: Proposal\nweight: 2\npre: \" <b> 2. </b> \"\n---\nThe project.\n",
        ),
    ]);
    for n in 1..=3 {
        site.write(
            &format!("content/1-Worklog/1.{n}-Week{n}/_index.md"),
            &week(n, "", &format!("### Week {n} Objectives:\n\n* Objective of week {n}\n\n| Day | Task |\n|---|---|\n| Mon | Lab {n} |\n")),
        );
        site.write(
            &format!("content/1-Worklog/1.{n}-Week{n}/_index.vi.md"),
            &week(
                n,
                "",
                &format!("### Mục tiêu tuần {n}:\n\n* Học về Amazon S3 và Đám mây tuần {n}\n"),
            ),
        );
    }
    site
}

fn pdf(site: &TestSite, args: &[&str]) -> Run {
    let mut cmd = worklog();
    cmd.current_dir(site.path()).arg("pdf").args(args);
    run(cmd)
}

fn pages_and_text(file: &std::path::Path) -> (usize, String) {
    let info = Command::new("pdfinfo").arg(file).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap_or_else(|| panic!("no page count in {info}"))
        .trim()
        .parse()
        .unwrap();
    let text = Command::new("pdftotext")
        .arg(file)
        .arg("-")
        .output()
        .unwrap();
    (pages, String::from_utf8_lossy(&text.stdout).into_owned())
}

#[test]
fn the_journal_prints_to_a_pdf_with_its_pages_and_vietnamese_text() {
    if !(tool("chromium") && tool("pdftotext") && tool("pdfinfo")) {
        eprintln!("skipped: chromium or poppler-utils (pdftotext, pdfinfo) is not installed");
        return;
    }
    let site = journal();
    let run = pdf(&site, &[]);
    run.ok();
    assert!(
        run.stdout.contains("/print/ to journal.pdf"),
        "{}",
        run.stdout
    );
    let (pages, text) = pages_and_text(&site.path().join("journal.pdf"));
    // A cover, the contents, then each chapter on a page of its own.
    assert!((4..=12).contains(&pages), "{pages} pages");
    for part in [
        "Internship Report",
        "Nguyễn Minh Khoa",
        "1.2 Week 2 Worklog",
        "Objective of week 3",
        "Lab 1",
        "The project.",
    ] {
        assert!(
            text.contains(part),
            "{part} missing from the PDF's text:\n{text}"
        );
    }
    let run = pdf(&site, &["--lang", "vi", "-o", "vi.pdf"]);
    run.ok();
    let (_, text) = pages_and_text(&site.path().join("vi.pdf"));
    assert!(
        text.contains("Học về Amazon S3 và Đám mây tuần 2"),
        "{text}"
    );
    assert!(text.contains("Mục tiêu tuần 1"), "{text}");
}

#[test]
fn without_a_browser_it_says_how_to_get_one_and_writes_nothing() {
    let site = journal();
    let mut cmd = worklog();
    cmd.current_dir(site.path())
        .env("PATH", "")
        .env_remove("WORKLOG_CHROMIUM")
        .arg("pdf");
    let run = run(cmd);
    run.failed();
    for part in [
        "sudo apt install chromium",
        "WORKLOG_CHROMIUM",
        "Save as PDF",
    ] {
        assert!(
            run.stderr.contains(part),
            "{part} missing from {}",
            run.stderr
        );
    }
    assert!(!site.path().join("journal.pdf").exists());
    std::fs::write(site.path().join("notes.pdf"), "my notes").unwrap();
    let mut cmd = worklog();
    cmd.current_dir(site.path())
        .env("WORKLOG_CHROMIUM", "/bin/true")
        .args(["pdf", "-o", "notes.pdf"]);
    let refused = common::run(cmd);
    refused.failed();
    assert!(
        refused
            .stderr
            .contains("notes.pdf exists and is not a PDF that worklog printed"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("notes.pdf")).unwrap(),
        "my notes"
    );
    // A student's own report, a real PDF from another program, is not written over.
    let report = "%PDF-1.7\n1 0 obj << /Creator (Microsoft Word) >> endobj\n%%EOF\n";
    std::fs::write(site.path().join("report.pdf"), report).unwrap();
    let mut cmd = worklog();
    cmd.current_dir(site.path())
        .env("WORKLOG_CHROMIUM", "/bin/true")
        .args(["pdf", "-o", "report.pdf"]);
    common::run(cmd).failed();
    assert_eq!(
        std::fs::read_to_string(site.path().join("report.pdf")).unwrap(),
        report
    );
}
