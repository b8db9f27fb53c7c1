//! The `worklog` command line: parses arguments, calls the library, prints the outcome.

use std::path::PathBuf;
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
        /// The URL the site will be published at (overrides the config's base_url).
        #[arg(long)]
        base_url: Option<String>,
        /// Also build pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            source,
            output,
            base_url,
            drafts,
        } => {
            let options = worklog::BuildOptions {
                source: source.clone(),
                base_url,
                drafts,
            };
            let result = worklog::build(&options).and_then(|site| {
                let out = output.unwrap_or_else(|| source.join("public"));
                worklog::write(&site, &source, &out).map(|()| (site, out))
            });
            match result {
                Ok((site, out)) => {
                    for w in &site.warnings {
                        eprintln!("{w}");
                    }
                    println!(
                        "worklog: {} pages ({}), {} static files in {} ms → {}",
                        site.pages,
                        site.config.language,
                        site.static_files,
                        site.elapsed.as_millis(),
                        out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(errors) => {
                    eprint!("{errors}");
                    eprintln!("worklog: build failed; the previous output was left as it was");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
