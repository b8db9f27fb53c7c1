//! Embeds every theme under `themes/` in the binary, so `cargo install` gives working
//! themes anywhere and `worklog theme init` can write a copy of one.
use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a target folder copied from
    // another checkout keeps its compiled build script, which then embedded that
    // checkout's themes.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let themes = Path::new(&manifest_dir).join("themes");
    println!("cargo:rerun-if-changed={}", themes.display());
    let mut names: Vec<String> = std::fs::read_dir(&themes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut code = String::from("pub static BUILTIN_THEMES: &[(&str, ThemeFiles)] = &[\n");
    for name in names {
        let root = themes.join(&name);
        println!("cargo:rerun-if-changed={}", root.display());
        let mut files = Vec::new();
        collect(&root, &root, &mut files);
        files.sort();
        writeln!(code, "    ({name:?}, &[").unwrap();
        for (rel, abs) in files {
            writeln!(code, "        ({rel:?}, include_bytes!({abs:?})),").unwrap();
        }
        code.push_str("    ]),\n");
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_themes.rs");
    std::fs::write(out, code).unwrap();
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if !path.file_name().unwrap().to_string_lossy().starts_with('.') {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}
