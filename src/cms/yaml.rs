//! Writing the CMS's `config.yml`: block YAML whose every scalar is written as JSON.
//!
//! Decap reads its config with the `yaml` npm package (YAML 1.2). A JSON string, number,
//! boolean or `null` is a valid YAML 1.2 flow scalar with the same meaning, so quoting every
//! string the JSON way leaves nothing to YAML's plain-scalar rules (`no`, `on`, `1e3`,
//! `: ` inside a value, a leading `*` or `&`). The block layout keeps the file readable and
//! lets a person add settings of their own below the marker, which kring keeps.

use serde_json::Value;

/// The line after which the file is the user's: `kring cms` keeps it as it is, and leaves out
/// the top-level settings it defines.
pub const KEEP_MARKER: &str = "# ---- kept by kring cms: your own settings below this line ----";

/// `value` (a map at the top) as block YAML.
pub fn write(value: &Value) -> String {
    let mut out = String::new();
    block(value, 0, &mut out);
    out
}

fn key(k: &str) -> String {
    let plain = k
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if plain {
        k.to_string()
    } else {
        scalar(&Value::String(k.to_string()))
    }
}

fn scalar(v: &Value) -> String {
    // serde_json escapes control characters and quotes; U+2028/9 are fine inside YAML quotes.
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn is_empty_container(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.is_empty()) || matches!(v, Value::Array(a) if a.is_empty())
}

/// Writes the entries of a map or list at `indent`, each on its own line.
fn block(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) => {
            for (k, item) in map {
                out.push_str(&format!("{pad}{}:", key(k)));
                child(item, indent, out);
            }
        }
        Value::Array(list) => {
            for item in list {
                out.push_str(&format!("{pad}-"));
                match item {
                    // A map in a list starts on the dash's line, its keys aligned after it.
                    Value::Object(m) if !m.is_empty() => {
                        let mut inner = String::new();
                        block(item, indent + 2, &mut inner);
                        out.push(' ');
                        out.push_str(&inner[indent + 2..]);
                    }
                    _ => child(item, indent, out),
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// The value after `key:` or `-`: inline when a scalar or empty, else on the lines below.
fn child(item: &Value, indent: usize, out: &mut String) {
    match item {
        Value::Object(_) | Value::Array(_) if !is_empty_container(item) => {
            out.push('\n');
            block(item, indent + 2, out);
        }
        Value::Object(_) => out.push_str(" {}\n"),
        Value::Array(_) => out.push_str(" []\n"),
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// What an earlier `config.yml` keeps: the text after [`KEEP_MARKER`] (empty when there is
/// none), and the top-level keys it sets.
pub fn kept(previous: &str) -> (String, Vec<String>) {
    let Some(at) = previous.find(KEEP_MARKER) else {
        return (String::new(), Vec::new());
    };
    let rest = &previous[at + KEEP_MARKER.len()..];
    let rest = rest.strip_prefix('\n').unwrap_or(rest).to_string();
    let keys = rest
        .lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']) && !l.trim().is_empty())
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim().trim_matches('"')))
        .map(str::to_string)
        .collect();
    (rest, keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nesting_lists_of_maps_and_empty_containers() {
        let v = json!({
            "a": "x",
            "list": [{"name": "n", "fields": [{"k": 1}]}, "s", []],
            "empty": {},
            "Odd key": true
        });
        assert_eq!(
            write(&v),
            // serde_json's maps are sorted by key.
            "\"Odd key\": true\na: \"x\"\nempty: {}\nlist:\n  - fields:\n      - k: 1\n    name: \"n\"\n  - \"s\"\n  - []\n"
        );
    }

    #[test]
    fn strings_that_yaml_would_misread_are_quoted() {
        for s in [
            "no",
            "on",
            "1e3",
            "a: b",
            "*x",
            "# c",
            "line\nbreak",
            "\"q\"",
            "\u{7}",
        ] {
            let out = write(&json!({ "k": s }));
            let line = out.strip_prefix("k: ").unwrap().trim_end();
            let back: String = serde_json::from_str(line).unwrap();
            assert_eq!(back, s);
            assert_eq!(out.lines().count(), 1, "{s:?} stays on one line");
        }
    }

    #[test]
    fn the_kept_part_and_its_keys() {
        let prev = format!(
            "a: 1\n{KEEP_MARKER}\nbackend:\n  name: \"github\"\n# note\n\"site_url\": \"x\"\n"
        );
        let (text, keys) = kept(&prev);
        assert!(text.starts_with("backend:"));
        assert_eq!(keys, ["backend", "site_url"]);
        assert_eq!(kept("a: 1\n"), (String::new(), vec![]));
    }
}
