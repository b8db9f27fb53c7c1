//! `worklog pdf`: the print page (`/print/`) printed to PDF by the system's Chromium or
//! Google Chrome, headless, as the browser's "Save as PDF" would. The page is served by
//! `worklog serve`'s own server on a free local port, so its stylesheet and images load
//! as they do for a reader.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::serve::{ServeOptions, Server};

/// Browsers tried in order; `WORKLOG_CHROMIUM` names another.
const BROWSERS: [&str; 6] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

/// How long a browser may take to print the journal.
const TIMEOUT: Duration = Duration::from_secs(180);

pub struct PdfOptions {
    pub source: PathBuf,
    pub output: PathBuf,
    /// The language to print (its code), the default language when `None`.
    pub language: Option<String>,
    pub drafts: bool,
}

/// What was printed, and what is worth saying.
pub struct Printed {
    pub url: String,
    pub bytes: u64,
    pub notes: Vec<String>,
}

pub fn print(options: &PdfOptions) -> Result<Printed> {
    let browser = find_browser().ok_or_else(|| {
        anyhow::anyhow!(
            "no Chromium or Google Chrome found to print with. Install one (Debian/Ubuntu: `sudo apt install chromium`; Fedora: `sudo dnf install chromium`; macOS: `brew install --cask chromium`) or name it with WORKLOG_CHROMIUM=/path/to/chrome. Without one: run `worklog serve`, open /print/ and use the browser's Print → \"Save as PDF\""
        )
    })?;
    let config = crate::config::Config::load(&options.source)
        .map_err(|e| anyhow::anyhow!("{}", crate::diagnostics::BuildErrors(e)))?;
    let prefix = match &options.language {
        None => String::new(),
        Some(code) => {
            let Some(lang) = config.languages.iter().find(|l| &l.code == code) else {
                let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
                bail!(
                    "`{code}` is not a language of this site (it has: {})",
                    codes.join(", ")
                );
            };
            config.for_language(lang).language_prefix
        }
    };
    let server = Server::bind(ServeOptions {
        source: options.source.clone(),
        port: 0,
        bind: "127.0.0.1".into(),
        poll: false,
        drafts: options.drafts,
    })?;
    if let Some(errors) = &server.initial_error {
        bail!("{errors}the site does not build; nothing was printed");
    }
    let url = format!("{}{prefix}print/", server.url);
    // The server runs until the process ends: it answers the browser, then is dropped.
    std::thread::spawn(move || server.run(|_| {}, |_| {}));
    let mut notes = Vec::new();
    if config.languages.iter().any(|l| l.code == "vi") && !has_vietnamese_fonts() {
        notes.push(
            "no font with Vietnamese letters was found (fc-list :lang=vi): the PDF may show boxes for ă, ơ, ư, đ… Install one: Debian/Ubuntu `sudo apt install fonts-noto-core` (or fonts-dejavu-core)".into(),
        );
    }
    let output = absolute(&options.output)?;
    if let Ok(bytes) = std::fs::read(&output)
        && !printed_by_us(&bytes)
    {
        bail!(
            "{} exists and is not a PDF that worklog printed: worklog does not write over it; choose another name with -o, or move it away",
            options.output.display()
        );
    }
    print_to_pdf(&browser, &url, &output)?;
    let bytes = std::fs::metadata(&output).map(|m| m.len()).unwrap_or(0);
    Ok(Printed { url, bytes, notes })
}

/// Whether `bytes` are a PDF that a headless Chromium printed, as `worklog pdf` does: the
/// student's own report (from Word, LibreOffice or a browser's "Save as PDF") is never
/// written over.
fn printed_by_us(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF") && bytes.windows(14).any(|w| w == b"HeadlessChrome")
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    Ok(std::env::current_dir()?.join(path))
}

/// The first browser that runs: `WORKLOG_CHROMIUM`, else the usual names.
fn find_browser() -> Option<PathBuf> {
    if let Some(named) = std::env::var_os("WORKLOG_CHROMIUM") {
        return Some(PathBuf::from(named));
    }
    BROWSERS.iter().map(PathBuf::from).find(|b| {
        Command::new(b)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Whether fontconfig knows a font covering Vietnamese; `true` where it cannot be asked
/// (macOS and Windows ship such fonts).
fn has_vietnamese_fonts() -> bool {
    match Command::new("fc-list").arg(":lang=vi").output() {
        Ok(out) => !out.stdout.is_empty(),
        Err(_) => true,
    }
}

/// Prints `url` to `output` with a headless browser; the file is replaced only once the
/// new one is complete.
fn print_to_pdf(browser: &Path, url: &str, output: &Path) -> Result<()> {
    let profile = tempfile_dir()?;
    let partial = output.with_extension("pdf.part");
    let mut command = Command::new(browser);
    command
        .arg("--headless")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--no-default-browser-check")
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", partial.display()));
    // Chromium's sandbox refuses to start as root (containers, CI).
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        command.arg("--no-sandbox");
    }
    // Its messages go to a file: a pipe nobody reads would stop it once full.
    let log = profile.join("worklog-stderr.log");
    let mut child = command
        .arg(url)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log)?)
        .spawn()
        .with_context(|| format!("could not run {}", browser.display()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = std::fs::remove_dir_all(&profile);
            bail!(
                "{} did not finish printing in {} s",
                browser.display(),
                TIMEOUT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let err = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    let printed = std::fs::metadata(&partial).is_ok_and(|m| m.len() > 0);
    if !status.success() || !printed {
        let _ = std::fs::remove_file(&partial);
        bail!(
            "{} could not print {url} ({status}):\n{}",
            browser.display(),
            err.trim()
        );
    }
    std::fs::rename(&partial, output)
        .with_context(|| format!("could not write {}", output.display()))?;
    Ok(())
}

/// A fresh folder for the browser's profile: a running browser's own would be locked.
fn tempfile_dir() -> Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("worklog-pdf-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
    Ok(dir)
}
