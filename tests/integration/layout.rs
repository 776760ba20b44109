//! The shape of the code: modules in pipeline order, imports pointing down only, and no
//! source file much past 600 lines. A layer that reaches up (the config calling the
//! renderer, a view asking the output for paths) is how a codebase stops being one
//! pipeline; this keeps it from creeping back.

use crate::common;

/// The layers, lowest first; a module may use its own layer and those below it.
const LAYERS: &[&[&str]] = &[
    &["error", "time", "text", "cleanup", "vocabulary", "http"],
    &["config"],
    &["content", "discussions"],
    &["model"],
    &["render"],
    &["output"],
    &["build", "import", "scaffold", "cms"],
    &["serve"],
    &["commands"],
];

const MOST_LINES: usize = 620;

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn sources() -> Vec<(String, String)> {
    let src = common::repo().join("src");
    walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn imports_point_down_the_pipeline() {
    let mut upward = Vec::new();
    for (rel, text) in sources() {
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(own) = layer(top) else { continue };
        for (n, line) in text.lines().enumerate() {
            for (at, _) in line.match_indices("crate::") {
                let target: String = line[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if layer(&target).is_some_and(|t| t > own) {
                    upward.push(format!("src/{rel}:{}: {top} uses {target}", n + 1));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that point up:\n{}",
        upward.join("\n")
    );
}

#[test]
fn every_module_has_a_layer_and_no_file_is_long() {
    let mut problems = Vec::new();
    for (rel, text) in sources() {
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        if layer(top).is_none() && !matches!(top, "lib" | "main") {
            problems.push(format!("src/{rel}: module `{top}` is in no layer"));
        }
        let lines = text.lines().count();
        if lines > MOST_LINES {
            problems.push(format!("src/{rel}: {lines} lines (at most {MOST_LINES})"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
