//! Setting the theme in `worklog.toml` in place, keeping the rest of the file as it was
//! written (comments, order, spacing): `worklog theme init` points the site at its copy.

use std::path::Path;

use super::file::Source;
use super::normalise_key;

/// `text` with its top-level `theme` set to `name`, or why that cannot be done without
/// touching another value (the file does not parse, `theme` is written across lines or as
/// a table): the caller then tells the user what to write.
pub fn with_theme(text: &str, name: &str) -> Result<String, String> {
    let parse = |t: &str| {
        t.parse::<toml::Table>()
            .map_err(|e| e.message().to_string())
    };
    let before = parse(text).map_err(|e| format!("it is not valid TOML ({e})"))?;
    let setting = format!("theme = {}", toml::Value::String(name.to_string()));
    let source = Source {
        file: Path::new("worklog.toml"),
        text,
        yaml: false,
        worklog_own: true,
    };
    let mut lines: Vec<&str> = text.lines().collect();
    match source.line_of("theme") {
        Some(line) => lines[line - 1] = &setting,
        None => {
            let first_table = lines.iter().position(|l| l.trim_start().starts_with('['));
            lines.insert(first_table.unwrap_or(lines.len()), &setting);
        }
    }
    let mut after = lines.join("\n");
    after.push('\n');
    let mut expected = before;
    expected.retain(|key, _| normalise_key(key) != "theme");
    expected.insert("theme".into(), toml::Value::String(name.to_string()));
    match parse(&after) {
        Ok(table) if table == expected => Ok(after),
        _ => Err("its `theme` setting is not one line of the form `theme = \"name\"`".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_line_is_replaced_or_added_above_the_first_table() {
        assert_eq!(
            with_theme(
                "title = 'J'  # mine\nTheme = \"old\"\n[params]\ntheme = 'p'\n",
                "new"
            ),
            Ok("title = 'J'  # mine\ntheme = \"new\"\n[params]\ntheme = 'p'\n".into())
        );
        assert_eq!(
            with_theme(
                "# My journal\ntitle = 'J'\n\n[params]\nauthor = 'A'\n",
                "new"
            ),
            Ok("# My journal\ntitle = 'J'\n\ntheme = \"new\"\n[params]\nauthor = 'A'\n".into())
        );
        assert_eq!(with_theme("", "new"), Ok("theme = \"new\"\n".into()));
        assert_eq!(
            with_theme("title = 'J'", "new"),
            Ok("title = 'J'\ntheme = \"new\"\n".into())
        );
    }

    #[test]
    fn a_file_it_cannot_edit_safely_is_left_to_the_user() {
        for text in [
            "theme = [\n  'a',\n]\n",
            "[theme]\nname = 'a'\n",
            "title = '''\n[x]\n'''\n",
            "title = \n",
        ] {
            assert!(with_theme(text, "new").is_err(), "{text}");
        }
    }
}
