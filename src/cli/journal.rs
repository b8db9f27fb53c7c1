//! The commands around the pages: `init`, `new`, `check`, `pdf`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::{Format, NewCommand, Publish};

/// `worklog check`: the report, and 1 when something is broken.
pub fn check(
    source: PathBuf,
    format: Format,
    drafts: bool,
    external: Option<worklog::external::ExternalOptions>,
) -> ExitCode {
    use worklog::pipeline::check::Report;
    let options = worklog::BuildOptions::reading(source, drafts);
    let report = match worklog::pipeline::Pipeline::new(&options) {
        Ok(pipeline) => match external {
            Some(external) => {
                let links = pipeline.external_links();
                pipeline
                    .check()
                    .with(worklog::external::check(&links, &external))
            }
            None => pipeline.check(),
        },
        Err(errors) => Report::failed(&errors.0),
    };
    if format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        let mut text = String::new();
        for p in &report.problems {
            let line = p.line.map_or(String::new(), |l| format!(":{l}"));
            let kind = serde_json::to_value(p.kind).unwrap_or_default();
            let kind = kind.as_str().unwrap_or_default();
            text.push_str(&format!(
                "{}{line}: {kind}: {}\n",
                p.file.display(),
                p.message
            ));
        }
        let n = report.problems.len();
        text.push_str(&format!(
            "worklog check: {n} problem{}, {} broken\n",
            if n == 1 { "" } else { "s" },
            report.broken
        ));
        print!("{text}");
    }
    if report.broken > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `worklog init`: asks what the flags did not say when a person is there to answer.
pub fn init(
    dir: &Path,
    author: Option<String>,
    title: Option<String>,
    date: Option<String>,
    publish: Option<Publish>,
) -> ExitCode {
    use std::io::IsTerminal;
    use worklog::scaffold::init::{InitOptions, Publish as To};
    let asking = std::io::stdin().is_terminal();
    let author = author
        .or_else(|| asking.then(|| ask("Your full name", "")).flatten())
        .unwrap_or_default();
    let default_title = if author.is_empty() {
        "Internship Report".to_string()
    } else {
        format!("Internship Report: {author}")
    };
    let title = title
        .or_else(|| {
            asking
                .then(|| ask("The journal's title", &default_title))
                .flatten()
        })
        .unwrap_or(default_title);
    let options = InitOptions {
        author,
        title,
        date: date.unwrap_or_else(worklog::content::dates::today),
        publish: publish.map(|p| match p {
            Publish::Pages => To::Pages,
            Publish::S3 => To::S3,
        }),
    };
    match worklog::scaffold::init::init(dir, &options) {
        Ok(done) => {
            print_initialised(dir, &done);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn print_initialised(dir: &Path, done: &worklog::scaffold::init::Initialised) {
    use worklog::scaffold::init::Gitignore;
    for path in &done.kept {
        println!("worklog: kept your {}", path.display());
    }
    match done.gitignore {
        Gitignore::Added => println!("worklog: added /public/ to your .gitignore"),
        Gitignore::Left => println!(
            "worklog: your .gitignore is a link, which worklog does not write through: add /public/ to it yourself"
        ),
        Gitignore::Kept if done.existing_site.is_none() => {
            println!("worklog: kept your .gitignore")
        }
        _ => {}
    }
    if let Some(found) = &done.existing_site {
        let workflow = done.written[0].display();
        println!(
            "worklog: {} already holds a site ({found}): added only {workflow}; its content and config are unchanged",
            dir.display()
        );
        println!(
            "worklog: next: commit and push {workflow} (see its first lines for the settings it needs)"
        );
        return;
    }
    println!(
        "worklog: wrote {} files to {}",
        done.written.len() + usize::from(done.gitignore == Gitignore::Written),
        dir.display()
    );
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    println!("worklog: next: {cd}worklog serve");
}

/// One question on the terminal; an empty answer takes `default`.
fn ask(question: &str, default: &str) -> Option<String> {
    use std::io::Write;
    if default.is_empty() {
        print!("{question}: ");
    } else {
        print!("{question} [{default}]: ");
    }
    std::io::stdout().flush().ok()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).ok()?;
    let answer = line.trim();
    Some(if answer.is_empty() { default } else { answer }.to_string())
}

/// `worklog new week|page`: the files written, or why none was.
pub fn new(command: NewCommand) -> ExitCode {
    use worklog::scaffold;
    let today = worklog::content::dates::today;
    let (source, planned) = match command {
        NewCommand::Week {
            source,
            date,
            languages,
        } => {
            let date = date.unwrap_or_else(today);
            let planned = scaffold::week::plan(&source, &date, &languages);
            let planned = planned.map(|week| (week.files, week.notes));
            (source, planned)
        }
        NewCommand::Page { path, source, date } => {
            let date = date.unwrap_or_else(today);
            let planned = scaffold::new_page(&source, &path, &date).map(|f| (vec![f], vec![]));
            (source, planned)
        }
    };
    let written = planned.and_then(|(files, notes)| {
        scaffold::create_all(&source, &files)?;
        Ok((files, notes))
    });
    match written {
        Ok((files, notes)) => {
            for file in files {
                let shown = if source == Path::new(".") {
                    file.path
                } else {
                    source.join(&file.path)
                };
                println!("worklog: wrote {}", shown.display());
            }
            for note in notes {
                println!("worklog: note: {note}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `worklog pdf`: the PDF written, or why not.
pub fn pdf(
    source: PathBuf,
    output: Option<PathBuf>,
    language: Option<String>,
    drafts: bool,
) -> ExitCode {
    let output = output.unwrap_or_else(|| match source.as_path() {
        dot if dot == Path::new(".") => PathBuf::from("journal.pdf"),
        site => site.join("journal.pdf"),
    });
    let options = worklog::pdf::PdfOptions {
        source,
        output: output.clone(),
        language,
        drafts,
    };
    match worklog::pdf::print(&options) {
        Ok(printed) => {
            for note in &printed.notes {
                eprintln!("worklog: note: {note}");
            }
            println!(
                "worklog: printed {} to {} ({} kB)",
                printed.url,
                output.display(),
                printed.bytes.div_ceil(1024)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
