//! The `worklog` command line: parses arguments, calls the library, prints the outcome.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[path = "cli/journal.rs"]
mod journal;

#[derive(Parser)]
#[command(
    name = "worklog",
    version = env!("WORKLOG_VERSION_LINE"),
    about = "A static site generator for study journals (Hugo content layout, Tera themes)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder, ready for any static host (S3 + CloudFront, GitHub Pages).
    Build {
        /// The site's folder (with content/, static/, worklog.toml or config.toml).
        #[arg(short, long, default_value = ".")]
        source: PathBuf,
        /// Where to write the site [default: public/ in the site's folder]. Replaced whole,
        /// and only when the build succeeds.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The URL the site will be published at (overrides the config's base_url):
        /// `https://user.github.io/journal/`, or a path alone (`/journal/`).
        #[arg(long, value_parser = base_url)]
        base_url: Option<String>,
        /// Also build pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Leave out the search index and the search box, as `search = false` in the
        /// config does: the index is most of the build's time.
        #[arg(long)]
        no_search: bool,
        /// Replace the output folder even if it holds files worklog did not write.
        #[arg(long)]
        force: bool,
        /// Also say which theme files the site's own files replace.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Serve the site from memory with live reload: every save rebuilds what changed and
    /// refreshes the open pages. Nothing is written to disk.
    Serve {
        /// The site's folder.
        #[arg(short, long, default_value = ".")]
        source: PathBuf,
        /// The port; if it is busy, the next free one is used. 0 lets the system choose.
        #[arg(short, long, default_value_t = 1313)]
        port: u16,
        /// The address or host name to listen on (`localhost`); `0.0.0.0` listens on every
        /// interface, making the site reachable from other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Poll for changes instead of using file system events (WSL, Docker mounts).
        #[arg(long)]
        poll: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Also show pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also say which theme files the site's own files replace.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Build the site in memory and publish it to an S3 bucket: uploads what changed,
    /// deletes what is gone, and invalidates the changed URLs in CloudFront. Every
    /// setting can also be written under [deploy] in worklog.toml.
    Deploy {
        /// The site's folder.
        #[arg(short, long, default_value = ".")]
        source: PathBuf,
        /// Where to publish: s3://bucket or s3://bucket/prefix.
        #[arg(long)]
        target: Option<String>,
        /// An S3-compatible server instead of AWS (http://127.0.0.1:9000).
        #[arg(long)]
        endpoint: Option<String>,
        /// The bucket's region [default: AWS_REGION, the profile's, us-east-1].
        #[arg(long)]
        region: Option<String>,
        /// A profile of ~/.aws/credentials and ~/.aws/config [default: AWS_PROFILE].
        #[arg(long)]
        profile: Option<String>,
        /// The CloudFront distribution whose cache forgets the changed URLs.
        #[arg(long)]
        distribution: Option<String>,
        /// Print what would be uploaded, deleted and invalidated; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Refuse, changing nothing, to delete more objects than this [default: 256].
        #[arg(long)]
        max_deletes: Option<usize>,
        /// Upload every object, changed or not.
        #[arg(long)]
        force: bool,
        /// Do not ask before deleting.
        #[arg(short, long)]
        yes: bool,
        /// Do not also upload each dir/index.html under the key dir/ (which an S3 REST
        /// origin behind CloudFront needs to serve /dir/).
        #[arg(long)]
        no_index_keys: bool,
    },
    /// Build the site and report, with file and line, every link, image and #anchor that
    /// leads nowhere, links whose letter case differs from their target, pages no nav
    /// reaches and missing translations. Exits with 1 when a link, image or anchor is broken.
    Check {
        /// The site's folder.
        #[arg(short, long, default_value = ".")]
        source: PathBuf,
        /// `text` for people, `json` for tools.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Also check pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also check external links (http, https): those that answer well are
        /// remembered for a day (in ~/.cache/worklog/).
        #[arg(long)]
        external: bool,
        /// Seconds an external link has to answer.
        #[arg(long, default_value_t = 10, requires = "external")]
        timeout: u64,
        /// How many external links are asked at once.
        #[arg(long, default_value_t = 8, requires = "external")]
        concurrency: usize,
        /// Ask every external link, ignoring and not writing the cache.
        #[arg(long, requires = "external")]
        no_cache: bool,
    },
    /// Print the whole journal (/print/) to a PDF with the system's Chromium or Chrome.
    Pdf {
        /// The site's folder.
        #[arg(short, long, default_value = ".")]
        source: PathBuf,
        /// The PDF to write [default: journal.pdf in the site's folder].
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The language to print (`vi`) [default: the site's default language].
        #[arg(long = "lang")]
        language: Option<String>,
        /// Also print pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Print, as JSON, what a page's template is told (`site`, `page`, `nav`), and which
    /// template renders it.
    Inspect {
        /// The page: its file (content/1-Worklog/_index.md) or its URL (/1-worklog/).
        page: String,
        /// The site's folder.
        #[arg(short, long, default_value = ".")]
        source: PathBuf,
        /// Also build pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Start a new journal in DIR: worklog.toml, the usual chapters and week 1, a
    /// .gitignore and a README. Asks for the student's name and the title on a terminal.
    /// In a folder that holds a site already (a Hugo journal), `--github-actions` adds
    /// only the workflow, and `/public/` to .gitignore.
    Init {
        /// The new journal's folder (made if missing) [default: the current folder].
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The student's name.
        #[arg(long, visible_alias = "name")]
        author: Option<String>,
        /// The journal's title [default: "Internship Report: NAME"].
        #[arg(long)]
        title: Option<String>,
        /// Week 1's date, YYYY-MM-DD [default: today].
        #[arg(long)]
        date: Option<String>,
        /// Also write a GitHub Actions workflow that publishes the journal at every push:
        /// on GitHub Pages, or on S3 + CloudFront with `worklog deploy` (OIDC role). It
        /// installs this version of worklog, prebuilt, in seconds.
        #[arg(long, value_enum)]
        github_actions: Option<Publish>,
    },
    /// Add a page: the next week, or any page.
    New {
        #[command(subcommand)]
        command: NewCommand,
    },
    /// Work on the site's theme.
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Publish {
    Pages,
    S3,
}

#[derive(Subcommand)]
enum NewCommand {
    /// The next week's page, numbered, dated and laid out like the site's last week
    /// (body from archetypes/week.md, or a built-in template).
    Week {
        /// The site's folder.
        #[arg(short, long, default_value = ".")]
        source: PathBuf,
        /// The week's date, YYYY-MM-DD [default: today].
        #[arg(long)]
        date: Option<String>,
        /// Also write the week's translation in this language (`--lang vi`); repeatable.
        #[arg(long = "lang")]
        languages: Vec<String>,
    },
    /// Any page: PATH under content/ (`2-Proposal/notes.md`, or a folder for `_index.md`).
    Page {
        path: String,
        /// The site's folder.
        #[arg(short, long, default_value = ".")]
        source: PathBuf,
        /// The page's date, YYYY-MM-DD [default: today].
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Write a built-in theme into themes/NAME/ to edit, and select it in worklog.toml.
    Init {
        /// The new theme's name: its folder under themes/.
        name: String,
        /// The site's folder.
        #[arg(short, long, default_value = ".")]
        source: PathBuf,
        /// The built-in theme to copy.
        #[arg(long, default_value = "default")]
        from: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::New { command } => journal::new(command),
        Command::Pdf {
            source,
            output,
            language,
            drafts,
        } => journal::pdf(source, output, language, drafts),
        Command::Check {
            source,
            format,
            drafts,
            external,
            timeout,
            concurrency,
            no_cache,
        } => {
            let external = external.then(|| worklog::external::ExternalOptions {
                timeout: std::time::Duration::from_secs(timeout),
                concurrency,
                cache: if no_cache {
                    None
                } else {
                    worklog::external::default_cache()
                },
            });
            journal::check(source, format, drafts, external)
        }
        Command::Init {
            dir,
            author,
            title,
            date,
            github_actions,
        } => journal::init(&dir, author, title, date, github_actions),
        Command::Theme {
            command: ThemeCommand::Init { name, source, from },
        } => theme_init(&source, &name, &from),
        Command::Inspect {
            page,
            source,
            drafts,
        } => inspect(source, &page, drafts),
        Command::Deploy {
            source,
            target,
            endpoint,
            region,
            profile,
            distribution,
            dry_run,
            max_deletes,
            force,
            yes,
            no_index_keys,
        } => {
            let flags = worklog::config::DeploySettings {
                target,
                endpoint,
                region,
                profile,
                distribution,
                max_deletes,
                index_keys: no_index_keys.then_some(false),
                ..Default::default()
            };
            deploy(&source, &flags, force, dry_run, yes)
        }
        Command::Serve {
            source,
            port,
            bind,
            poll,
            open,
            drafts,
            verbose,
        } => {
            if verbose {
                print_theme(&source);
            }
            match serve(
                worklog::serve::ServeOptions {
                    source,
                    port,
                    bind,
                    poll,
                    drafts,
                },
                open,
                verbose,
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Build {
            source,
            output,
            base_url,
            drafts,
            no_search,
            force,
            verbose,
        } => {
            if verbose {
                print_theme(&source);
            }
            let options = worklog::BuildOptions {
                source: source.clone(),
                base_url,
                drafts,
                no_search,
                ..Default::default()
            };
            let out = output.unwrap_or_else(|| source.join("public"));
            let site = match worklog::build_and_write(&options, &out, force) {
                Ok(site) => site,
                Err(worklog::BuildFailure::Build(errors)) => {
                    eprint!("{errors}");
                    eprintln!("worklog: build failed; nothing was written");
                    return ExitCode::FAILURE;
                }
                Err(worklog::BuildFailure::Write(e)) => {
                    eprintln!("error: {e}");
                    if e.previous_intact {
                        eprintln!("worklog: not written; {} was left as it was", out.display());
                    } else {
                        eprintln!("worklog: build failed");
                    }
                    return ExitCode::FAILURE;
                }
            };
            print_warnings(&site.warnings, verbose);
            let per_language: Vec<String> = site
                .pages
                .iter()
                .map(|(lang, n)| format!("{n} pages ({lang})"))
                .collect();
            println!(
                "worklog: {}, {} static files in {} ms → {}",
                per_language.join(", "),
                site.static_files,
                site.elapsed.as_millis(),
                out.display()
            );
            ExitCode::SUCCESS
        }
    }
}

/// `worklog deploy`: build, plan, ask before deleting on a terminal, run, summarise.
fn deploy(
    source: &Path,
    flags: &worklog::config::DeploySettings,
    force: bool,
    dry_run: bool,
    yes: bool,
) -> ExitCode {
    use std::io::{IsTerminal, Write};
    use worklog::deploy;
    let options = worklog::BuildOptions {
        source: source.to_path_buf(),
        ..Default::default()
    };
    let site = match worklog::build(&options) {
        Ok(site) => site,
        Err(errors) => {
            eprint!("{errors}");
            eprintln!("worklog: build failed; nothing was deployed");
            return ExitCode::FAILURE;
        }
    };
    print_warnings(&site.warnings, false);
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let prepared = deploy::Options::resolve(flags, &site.config.deploy, force, &env)
        .and_then(|o| deploy::prepare(&site.output, &site.config, o, &env));
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let plan = &prepared.plan;
    if dry_run {
        for u in &plan.uploads {
            println!("upload {} ({:?})", u.local.key, u.reason);
        }
        for key in &plan.deletes {
            println!("delete {key}");
        }
        for path in &prepared.invalidation {
            println!("invalidate {path}");
        }
        println!(
            "worklog: dry run: {} to upload ({}), {} to delete, {} unchanged, {} invalidation paths; nothing was changed",
            plan.uploads.len(),
            bytes(plan.upload_bytes()),
            plan.deletes.len(),
            plan.unchanged.len(),
            prepared.invalidation.len()
        );
        if let Some(refusal) = prepared.too_many_deletes() {
            eprintln!("worklog: {refusal}");
        }
        return ExitCode::SUCCESS;
    }
    if let Some(refusal) = prepared.too_many_deletes() {
        eprintln!("error: {refusal}");
        return ExitCode::FAILURE;
    }
    if !plan.deletes.is_empty() && !yes && std::io::stdin().is_terminal() {
        for key in plan.deletes.iter().take(20) {
            println!("  {key}");
        }
        print!("Delete these {} objects? [y/N] ", plan.deletes.len());
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("worklog: nothing was changed");
            return ExitCode::FAILURE;
        }
    }
    let terminal = std::io::stderr().is_terminal();
    let progress = |done: usize, all: usize| {
        if terminal {
            eprint!("\rworklog: uploaded {done}/{all}");
        }
    };
    match prepared.run(&progress) {
        Ok(s) => {
            if terminal && s.uploaded > 0 {
                eprintln!();
            }
            let invalidation = match &s.invalidation_id {
                Some(id) => format!(
                    "; {} invalidation path{} sent ({id})",
                    s.invalidation_paths,
                    if s.invalidation_paths == 1 { "" } else { "s" }
                ),
                None if flags.distribution.is_some()
                    || site.config.deploy.distribution.is_some() =>
                {
                    "; no invalidation (nothing changed)".to_string()
                }
                None => String::new(),
            };
            println!(
                "worklog: uploaded {} ({}), deleted {}, unchanged {} in {} ms{invalidation}",
                s.uploaded,
                bytes(s.bytes),
                s.deleted,
                s.unchanged,
                s.elapsed.as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("worklog: the deploy stopped; running it again finishes it");
            ExitCode::FAILURE
        }
    }
}

fn bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} KB", n as f64 / 1e3),
        _ => format!("{:.1} MB", n as f64 / 1e6),
    }
}

/// `worklog inspect`: one JSON document, `template` and `context`.
fn inspect(source: PathBuf, page: &str, drafts: bool) -> ExitCode {
    let options = worklog::BuildOptions::reading(source, drafts);
    let pipeline = match worklog::pipeline::Pipeline::new(&options) {
        Ok(p) => p,
        Err(errors) => {
            eprint!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    match pipeline.inspect(page) {
        Ok(found) => {
            let json = serde_json::json!({
                "template": found.template.display().to_string(),
                "context": found.context,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `worklog theme init`: the copy, then what became of the config.
fn theme_init(source: &Path, name: &str, from: &str) -> ExitCode {
    use worklog::render::theme::init::{ConfigChange, init};
    match init(source, name, from) {
        Ok(done) => {
            println!(
                "worklog: wrote {} files of the built-in {from} theme to {}/",
                done.files,
                done.dir.display()
            );
            match done.config {
                ConfigChange::Set(file) => println!(
                    "worklog: {file} now says theme = \"{name}\": the site looks the same until you edit {}/",
                    done.dir.display()
                ),
                ConfigChange::Advice(advice) => println!("worklog: {advice}"),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--verbose`: the theme's layers, and each file of the site's that replaces a theme's.
fn print_theme(source: &Path) {
    // A site that does not load says why in the build itself.
    let Ok(config) = worklog::config::Config::load(source) else {
        return;
    };
    let Ok((theme, _)) = worklog::render::Theme::load(source, &config) else {
        return;
    };
    println!(
        "worklog: theme layers, lowest first: {}",
        theme.layers.join(", ")
    );
    for o in &theme.overrides {
        println!("worklog: {o}");
    }
}

/// Warnings to stderr, in one write: stderr is unbuffered, and a journal with thousands
/// of dead links made as many small writes. Each one when `all` (`--verbose`), else
/// summarised: a kind that repeats in one line, at most a screenful in all.
fn print_warnings(warnings: &[worklog::diagnostics::Diagnostic], all: bool) {
    let text: String = if all {
        warnings.iter().map(|w| format!("{w}\n")).collect()
    } else {
        worklog::diagnostics::summarise(warnings)
            .into_iter()
            .map(|line| line + "\n")
            .collect()
    };
    eprint!("{text}");
}

/// `--base-url`, refused before anything is built when it is no URL or path.
fn base_url(url: &str) -> Result<String, String> {
    worklog::config::check_base_url(url)
}

fn serve(options: worklog::serve::ServeOptions, open: bool, verbose: bool) -> anyhow::Result<()> {
    let server = worklog::serve::Server::bind(options)?;
    if let Some(p) = server.pipeline() {
        print_warnings(&p.warnings(), verbose);
    }
    if let Some(errors) = &server.initial_error {
        eprint!("{errors}");
        eprintln!("worklog: the site does not build yet; serving the errors until it does");
    }
    if let Some(busy) = server.busy_port {
        println!("worklog: port {busy} is busy, using the next free one");
    }
    if let Some(local) = &server.local_url {
        println!(
            "worklog: listening on all interfaces: other machines open the URL below, this one also {local}"
        );
    }
    let pages: usize = server
        .pipeline()
        .map_or(0, |p| p.page_counts().iter().map(|(_, n)| n).sum());
    println!(
        "worklog: serving {pages} pages at {}  (Ctrl-C to stop)",
        server.url
    );
    if open {
        open_browser(&server.url);
    }
    let on_rebuild = |report: &worklog::serve::RebuildReport| match &report.error {
        None => println!(
            "worklog: rebuilt in {} ms, {} file{} changed",
            report.elapsed.as_millis(),
            report.changed,
            if report.changed == 1 { "" } else { "s" },
        ),
        Some(message) if report.still => {
            eprintln!(
                "{message}worklog: the site still does not build; serving the last good build"
            )
        }
        Some(message) => eprintln!("{message}worklog: serving the last good build"),
    };
    server.run(on_rebuild, |took| {
        println!("worklog: search index in {} ms", took.as_millis())
    });
    Ok(())
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("worklog: could not open a browser ({opener}: {e}); open {url}");
    }
}
