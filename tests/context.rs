//! `docs/templates.md` lists every variable each template is told; this holds the code to
//! it. From the document a theme is generated whose templates reach every listed variable,
//! check its type, and print the keys of every listed map; a site where every variable has
//! a value is built with it. A listed variable the build never reaches is missing from the
//! context, a printed key that is not listed is undocumented, a wrong type is named. The
//! top level of each context, which no template can list, is checked through
//! `worklog inspect` and the context types themselves.
mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};

const DOC: &str = include_str!("../docs/templates.md");

/// A documented variable and what is documented under it.
#[derive(Debug, Default)]
struct Node {
    ty: String,
    children: BTreeMap<String, Node>,
}

/// Each context (`site`, `page`, `nav`, `sitemap`, `shortcode`, `timeline`, `print`) as a tree of its variables;
/// a list's elements are its child `[]`.
fn documented() -> BTreeMap<String, Node> {
    let mut contexts: BTreeMap<String, Node> = BTreeMap::new();
    let mut current = None;
    for line in DOC.lines() {
        if let Some(name) = line
            .strip_prefix("<!-- context: ")
            .and_then(|l| l.strip_suffix(" -->"))
        {
            current = Some(name.to_string());
            continue;
        }
        let (Some(context), Some(row)) = (&current, line.strip_prefix("| `")) else {
            continue;
        };
        let cells: Vec<String> = row
            .replace("\\|", "¦")
            .split('|')
            .map(|c| c.trim().to_string())
            .collect();
        let path = cells[0].trim_end_matches('`');
        let mut node = contexts.entry(context.clone()).or_default();
        for segment in path.replace("[]", ".[]").split('.') {
            node = node.children.entry(segment.to_string()).or_default();
        }
        node.ty = cells[1].clone();
    }
    contexts
}

/// `"list, like `page.toc`"` → the context and path of what it is like: the same context,
/// or page templates when it says so.
fn like(context: &str, ty: &str) -> Option<(&'static str, String)> {
    let target = ty.split('`').nth(1)?.to_string();
    let context = if ty.contains("in page templates") {
        "page"
    } else {
        context_name(context)
    };
    Some((context, target))
}

fn find<'a>(docs: &'a BTreeMap<String, Node>, context: &str, path: &str) -> Option<&'a Node> {
    let mut node = docs.get(context)?;
    for segment in path.replace("[]", ".[]").split('.') {
        node = node.children.get(segment)?;
    }
    Some(node)
}

/// Where a value is documented: the context and the path in it.
type Doc = (&'static str, String);

/// Template code that reaches `expr`, named `name` (`shortcode:page.title`) and documented
/// at `doc` as `node`, and everything documented under it, leaving `⟦name⟧` where it got,
/// `⟦type name⟧` for a wrong type and `⟦keys context:path: a,b⟧` for the keys of a map.
fn probe(docs: &BTreeMap<String, Node>, expr: &str, name: &str, doc: Doc, node: &Node) -> String {
    // A list's elements (`page.children[]`) are maps of the fields listed under them.
    let ty = if node.ty.is_empty() { "map" } else { &node.ty };
    let test = match ty.split([',', ' ']).next().unwrap_or("") {
        "string" => "string",
        "number" => "number",
        "bool" => "bool",
        "map" => "map",
        "list" => "array",
        _ => panic!("{name}: type `{ty}` is not one this test knows"),
    };
    let none = if ty.ends_with("or none") {
        format!(" or {expr} is none")
    } else {
        String::new()
    };
    let mut code = format!(
        "{{% if {expr} is defined %}}⟦{name}⟧{{% if not ({expr} is {test}{none}) %}}⟦type {name}⟧{{% endif %}}"
    );
    let like = like(doc.0, ty);
    // What the fields are documented as: the node itself, or what it is like.
    let (fields_context, fields_path) = like.clone().unwrap_or(doc.clone());
    let fields = find(docs, fields_context, &fields_path)
        .unwrap_or_else(|| panic!("{name}: `{ty}` names nothing documented"));
    let var = format!("e{}", name.matches("[]").count());
    match test {
        // A list like one of its ancestors: its elements' keys are that one's.
        "array" if like.is_some() && doc.1.starts_with(&fields_path) => {
            code += &format!(
                "{{% for {var} in {expr} %}}⟦keys {fields_context}:{fields_path}[]: {{{{ {var} | keys | join(sep=\",\") }}}}⟧{{% endfor %}}"
            );
        }
        "array" => {
            if let Some(element) = fields.children.get("[]") {
                let element_doc = (fields_context, format!("{fields_path}[]"));
                code += &format!("{{% for {var} in {expr} %}}");
                code += &probe(docs, &var, &format!("{name}[]"), element_doc, element);
                code += "{% endfor %}";
            }
        }
        "map" if !fields.children.is_empty() => {
            code += &format!(
                "{{% if {expr} %}}⟦keys {fields_context}:{fields_path}: {{{{ {expr} | keys | join(sep=\",\") }}}}⟧"
            );
            for (field, child) in &fields.children {
                let child_doc = (fields_context, format!("{fields_path}.{field}"));
                let (e, n) = (format!("{expr}.{field}"), format!("{name}.{field}"));
                code += &probe(docs, &e, &n, child_doc, child);
            }
            code += "{% endif %}";
        }
        _ => {}
    }
    code + "{% endif %}"
}

fn context_name(context: &str) -> &'static str {
    [
        "site",
        "page",
        "nav",
        "sitemap",
        "shortcode",
        "timeline",
        "print",
    ]
    .into_iter()
    .find(|c| *c == context)
    .unwrap()
}

/// The template probing every top-level variable of `context` (and `site`, with `site`).
fn template(docs: &BTreeMap<String, Node>, context: &str, with_site: bool) -> String {
    let mut code = String::new();
    let mut contexts = vec![context];
    if with_site {
        contexts.push("site");
    }
    for c in contexts {
        let c = context_name(c);
        for (name, node) in &docs[c].children {
            code += &probe(docs, name, &format!("{c}:{name}"), (c, name.clone()), node);
            code.push('\n');
        }
    }
    code
}

fn site(docs: &BTreeMap<String, Node>) -> TestSite {
    let page = template(docs, "page", true) + "{{ nav | safe }}\n{{ page.content | safe }}\n";
    TestSite::with(&[
        (
            "worklog.toml",
            "title = \"Journal\"\nbase_url = \"https://u.github.io/journal/\"\ntheme = \"probe\"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\nlanguageName = \"Tiếng Việt\"\n[[menu.shortcuts]]\nname = \"<i class='fab fa-aws'></i> AWS\"\nurl = \"https://aws.amazon.com\"\nweight = 1\n[params]\nauthor = \"An\"\n",
        ),
        ("themes/probe/templates/page.html", &page),
        ("themes/probe/templates/404.html", &page),
        (
            "themes/probe/templates/nav.html",
            &template(docs, "nav", false),
        ),
        (
            "themes/probe/templates/sitemap.xml",
            &template(docs, "sitemap", false),
        ),
        (
            "themes/probe/templates/shortcodes/probe.html",
            &template(docs, "shortcode", false),
        ),
        (
            "themes/probe/templates/timeline.html",
            &template(docs, "timeline", true),
        ),
        (
            "themes/probe/templates/print.html",
            &template(docs, "print", true),
        ),
        (
            "content/_index.vi.md",
            "---\ntitle: Trang chủ\n---\nXin chào.\n",
        ),
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\npre: \" <b> 1. </b> \"\ndescription: Every week\n---\n{{% probe \"a\" depth=\"2\" %}}*Inner*{{% /probe %}}\n",
        ),
        (
            "content/1-Worklog/_index.vi.md",
            "---\ntitle: Nhật ký\nweight: 1\n---\nText {{< probe >}} inline.\n",
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.md",
            "---\ntitle: Week 1\nmenuTitle: W1\nweight: 1\ndate: 2025-09-08\nchapter: true\nmood: good\n---\n# Week 1\n\n## Goals\n\n### Monday\n\n## Done\n\n[Guide](files/guide.pdf) {{< probe >}}\n",
        ),
        ("content/1-Worklog/1.1-Week1/files/guide.pdf", "%PDF"),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            "---\ntitle: Week 2\nweight: 2\n---\nText.\n",
        ),
        (
            "content/1-Worklog/1.2-Week2/1.2.1-Lab/_index.md",
            "---\ntitle: Lab\nweight: 1\n---\nLab.\n",
        ),
    ])
}

/// Every marker of every output file.
fn markers(site: &TestSite) -> Vec<String> {
    let mut out = Vec::new();
    for file in site.files() {
        let text = std::fs::read_to_string(site.public().join(&file)).unwrap_or_default();
        let mut rest = text.as_str();
        while let Some(start) = rest.find('⟦') {
            let end = rest[start..].find('⟧').map_or(rest.len(), |e| start + e);
            out.push(rest[start + '⟦'.len_utf8()..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

#[test]
fn every_documented_variable_is_in_the_context_and_every_variable_is_documented() {
    let docs = documented();
    let site = site(&docs);
    site.build(&[]).ok();
    let found = markers(&site);
    let reached: BTreeSet<&str> = found.iter().map(String::as_str).collect();
    let mut missing = Vec::new();
    /// Every documented name, those of a value like one of another context too.
    fn walk(
        docs: &BTreeMap<String, Node>,
        context: &str,
        path: &str,
        node: &Node,
        into: &mut Vec<String>,
    ) {
        if !path.is_empty() {
            into.push(format!("{context}:{path}"));
        }
        let node = match like(context, &node.ty) {
            Some((other, target)) if other != context => find(docs, other, &target).unwrap(),
            _ => node,
        };
        for (name, child) in &node.children {
            let sub = match (path.is_empty(), name.as_str()) {
                (true, _) => name.clone(),
                (false, "[]") => format!("{path}[]"),
                (false, _) => format!("{path}.{name}"),
            };
            walk(docs, context, &sub, child, into);
        }
    }
    let mut all = Vec::new();
    for (context, node) in &docs {
        walk(&docs, context, "", node, &mut all);
    }
    // As documented, a shortcode's `page.toc` is always empty: the body is being made.
    all.retain(|at| !at.starts_with("shortcode:page.toc[]"));
    for at in all.iter().filter(|at| !at.ends_with("[]")) {
        if !reached.contains(at.as_str()) {
            missing.push(at.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "documented, but not in any context: {missing:?}"
    );
    let wrong: Vec<&&str> = reached.iter().filter(|m| m.starts_with("type ")).collect();
    assert!(wrong.is_empty(), "not of the documented type: {wrong:?}");
    let mut undocumented = BTreeSet::new();
    for m in reached.iter().filter_map(|m| m.strip_prefix("keys ")) {
        let (at, keys) = m.rsplit_once(": ").unwrap();
        let (context, path) = at.split_once(':').unwrap();
        let Some(node) = find(&docs, context, path) else {
            undocumented.insert(at.to_string());
            continue;
        };
        let node = node.children.get("[]").unwrap_or(node);
        for key in keys.split(',').filter(|k| !node.children.contains_key(*k)) {
            undocumented.insert(format!("{at}.{key}"));
        }
    }
    assert!(
        undocumented.is_empty(),
        "in the context, not documented: {undocumented:?}"
    );
}

#[test]
fn every_top_level_variable_of_every_template_is_documented() {
    let docs = documented();
    let names = |context: &str| -> BTreeSet<String> {
        let mut names: BTreeSet<String> = docs[context].children.keys().cloned().collect();
        names.insert("site".into());
        names
    };
    let keys = |value: serde_json::Value| -> BTreeSet<String> {
        value.as_object().unwrap().keys().cloned().collect()
    };
    let site = TestSite::with(&[]);
    let mut cmd = worklog();
    cmd.args(["inspect", "/", "--source"]).arg(site.path());
    let run = run(cmd);
    run.ok();
    let inspected: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        inspected["template"],
        "(built-in) themes/default/templates/page.html"
    );
    assert_eq!(keys(inspected["context"].clone()), names("page"));
    let shortcode = worklog::render::shortcodes::ShortcodeContext {
        name: "x",
        args: &[],
        kwargs: Default::default(),
        body: None,
        markdown: false,
        inline: false,
        page: tera::Value::none(),
    };
    let mut shortcode = keys(serde_json::to_value(shortcode).unwrap());
    shortcode.insert("site".into());
    assert_eq!(shortcode, names("shortcode"));
    let nav = worklog::render::nav::NavContext {
        items: Vec::new(),
        entries: Vec::new(),
    };
    let mut nav = keys(serde_json::to_value(nav).unwrap());
    nav.insert("site".into());
    assert_eq!(nav, names("nav"));
    let sitemap = worklog::render::SitemapContext { pages: Vec::new() };
    let mut sitemap = keys(serde_json::to_value(sitemap).unwrap());
    sitemap.insert("site".into());
    assert_eq!(sitemap, names("sitemap"));
}

#[test]
fn inspect_names_the_template_and_finds_pages_by_file_or_url() {
    let site = TestSite::with(&[
        (
            "worklog.toml",
            "base_url = \"https://u.github.io/journal/\"\n",
        ),
        ("templates/section.html", "{{ page.title }}"),
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\n---\n## Goals\n",
        ),
    ]);
    let inspect = |page: &str| {
        let mut cmd = worklog();
        cmd.args(["inspect", page, "--source"]).arg(site.path());
        run(cmd)
    };
    let file = site.path().join("content/1-Worklog/_index.md");
    for page in [
        "content/1-Worklog/_index.md",
        file.to_str().unwrap(),
        "https://u.github.io/journal/1-worklog/",
        "/journal/1-worklog/index.html",
    ] {
        let run = inspect(page);
        run.ok();
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(json["template"], "templates/section.html", "{page}");
        let page_context = &json["context"]["page"];
        assert_eq!(page_context["title"], "Worklog", "{page}");
        assert_eq!(page_context["toc"][0]["id"], "goals", "{page}");
        assert!(
            json["context"]["nav"]
                .as_str()
                .unwrap()
                .contains("aria-current=\"page\""),
            "{page}: the nav as it ends up in the page"
        );
    }
    let run = inspect("/nowhere/");
    run.failed();
    assert!(
        run.stderr.contains("no page of the site is `/nowhere/`"),
        "{}",
        run.stderr
    );
}
