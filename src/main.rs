//! The `worklog` command line: parses arguments, calls the library, prints the outcome.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "worklog",
    version,
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
    /// Work on the site's theme.
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
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
        Command::Theme {
            command: ThemeCommand::Init { name, source, from },
        } => theme_init(&source, &name, &from),
        Command::Inspect {
            page,
            source,
            drafts,
        } => inspect(source, &page, drafts),
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
            };
            let site = match worklog::build(&options) {
                Ok(site) => site,
                Err(errors) => {
                    eprint!("{errors}");
                    eprintln!("worklog: build failed; nothing was written");
                    return ExitCode::FAILURE;
                }
            };
            print_warnings(&site.warnings);
            let out = output.unwrap_or_else(|| source.join("public"));
            if let Err(e) = worklog::write(&site, &source, &out, force) {
                eprintln!("error: {e}");
                if e.previous_intact {
                    eprintln!("worklog: not written; {} was left as it was", out.display());
                } else {
                    eprintln!("worklog: build failed");
                }
                return ExitCode::FAILURE;
            }
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

/// `worklog inspect`: one JSON document, `template` and `context`.
fn inspect(source: PathBuf, page: &str, drafts: bool) -> ExitCode {
    let options = worklog::BuildOptions {
        source,
        base_url: None,
        drafts,
    };
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
/// of dead links made as many small writes.
fn print_warnings(warnings: &[worklog::diagnostics::Diagnostic]) {
    let text: String = warnings.iter().map(|w| format!("{w}\n")).collect();
    eprint!("{text}");
}

/// `--base-url`, refused before anything is built when it is no URL or path.
fn base_url(url: &str) -> Result<String, String> {
    worklog::config::check_base_url(url)
}

fn serve(options: worklog::serve::ServeOptions, open: bool) -> anyhow::Result<()> {
    let server = worklog::serve::Server::bind(options)?;
    if let Some(p) = server.pipeline() {
        print_warnings(&p.warnings());
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
    server.run(|report| match &report.error {
        None => println!(
            "worklog: rebuilt in {} ms, {} file{} changed{}",
            report.elapsed.as_millis(),
            report.changed,
            if report.changed == 1 { "" } else { "s" },
            report
                .search
                .map(|d| format!("; search index in {} ms", d.as_millis()))
                .unwrap_or_default()
        ),
        Some(message) if report.still => {
            eprintln!(
                "{message}worklog: the site still does not build; serving the last good build"
            )
        }
        Some(message) => eprintln!("{message}worklog: serving the last good build"),
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
