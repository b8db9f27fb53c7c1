//! Files attached to a page: those of its `files/` folder, the page bundle's own
//! (`content/3-Workshop/files/`) or hugo-theme-learn's habit of `static/<page folders>/files/`.
//! Every output file is indexed once by folder, so that each page finds its own without
//! going through the whole site.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::config::Config;
use crate::content::Page;

/// `page.attachments`: one file.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub name: String,
    pub url: String,
    /// In bytes.
    pub size: usize,
}

/// Output files directly inside a folder named `files`, by that folder's path.
#[derive(Debug, Default)]
pub struct Attachments {
    /// `3-workshop/files/` → (place in the site's file order, file name, size).
    by_folder: HashMap<String, Vec<(usize, String, usize)>>,
}

impl Attachments {
    /// `files`: every output file with its size, in order.
    pub fn new(files: &[(String, usize)]) -> Attachments {
        let mut by_folder: HashMap<String, Vec<(usize, String, usize)>> = HashMap::new();
        for (i, (path, size)) in files.iter().enumerate() {
            let Some(at) = path.rfind("files/") else {
                continue;
            };
            let (folder, name) = path.split_at(at + "files/".len());
            if (at == 0 || path[..at].ends_with('/')) && !name.contains('/') {
                by_folder
                    .entry(folder.to_string())
                    .or_default()
                    .push((i, name.to_string(), *size));
            }
        }
        Attachments { by_folder }
    }

    /// The page's files in the site's file order; a name in both folders once.
    pub fn of(&self, page: &Page, config: &Config) -> Vec<Attachment> {
        let key = page.key.join("/");
        let in_static = if key.is_empty() {
            "files/".to_string()
        } else {
            format!("{key}/files/")
        };
        let in_bundle = format!("{}files/", page.path);
        let mut found: Vec<(usize, &str, usize, &str)> = Vec::new();
        for folder in [&in_bundle, &in_static] {
            for (i, name, size) in self.by_folder.get(folder.as_str()).into_iter().flatten() {
                found.push((*i, name, *size, folder));
            }
        }
        found.sort_by_key(|f| f.0);
        let mut seen = HashSet::new();
        found
            .into_iter()
            .filter(|(_, name, ..)| seen.insert(*name))
            .map(|(_, name, size, folder)| {
                let path = format!("{folder}{name}");
                Attachment {
                    name: name.to_string(),
                    url: config.url(&path.replace('%', "%25").replace(' ', "%20")),
                    size,
                }
            })
            .collect()
    }
}
