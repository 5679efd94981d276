//! The web layer's structure rules (issue 15, "done when"), checked on the sources: no file in
//! `src/web/` over 700 lines, no function over 200, no import cycle between its top-level
//! modules, and no lookup of Leaflet's private fields. Each rule's checker is also run on a small
//! text that breaks it, so the test can fail.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 700;
const MAX_FN_LINES: usize = 200;
/// Leaflet's private members the map once reached through `Reflect` (issue 15).
const PRIVATE: [&str; 6] = [
    "\"_renderer\"",
    "\"_ctx\"",
    "\"_icon\"",
    "\"_fillStroke\"",
    "\"_updatePath\"",
    "\"_layers\"",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/web is readable").flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// (name, lines) of every function whose body, as rustfmt lays it out, spans more than `max`
/// lines: from its `fn` line to the first `}` at the same indentation.
fn long_functions(text: &str, max: usize) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let indent = &l[..l.len() - t.len()];
        let t = t
            .strip_prefix("pub(crate) ")
            .or_else(|| t.strip_prefix("pub(super) "))
            .or_else(|| t.strip_prefix("pub "))
            .unwrap_or(t);
        let Some(rest) = t.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        if let Some(j) = lines[i + 1..].iter().position(|m| *m == close)
            && j + 2 > max
        {
            out.push((name, j + 2));
        }
    }
    out
}

/// The top-level modules of `src/web` a file names (`crate::web::x`, or `super::x` from a file
/// directly in `src/web`), comments left out.
fn named_modules(text: &str, top_level_file: bool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut prefixes = vec!["crate::web::"];
        prefixes.push(if top_level_file {
            "super::"
        } else {
            "super::super::"
        });
        for p in prefixes {
            for (at, _) in line.match_indices(p) {
                // `super::super::x` also contains `super::x`: count only a whole prefix.
                if p == "super::" && line[..at].ends_with("super::") {
                    continue;
                }
                let name: String = line[at + p.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "super" {
                    out.insert(name);
                }
            }
        }
    }
    out
}

/// A cycle in a module graph, if there is one (depth-first search with colours).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        v: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(v.to_owned(), 1);
        path.push(v.to_owned());
        for w in graph.get(v).into_iter().flatten() {
            match state.get(w.as_str()).copied().unwrap_or(0) {
                1 => {
                    let from = path.iter().position(|p| p == w).unwrap_or(0);
                    let mut cycle = path[from..].to_vec();
                    cycle.push(w.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(w, graph, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(v.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for v in graph.keys() {
        if state.get(v.as_str()).copied().unwrap_or(0) == 0
            && let Some(c) = visit(v, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_web_layer_keeps_its_structure_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 20, "src/web has its modules");
    let mut broken = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let text = fs::read_to_string(f).expect("a source file is UTF-8");
        let rel = f.strip_prefix(&root).expect("under src/web");
        let n = text.lines().count();
        if n > MAX_FILE_LINES {
            broken.push(format!("{}: {n} lines", rel.display()));
        }
        for (name, len) in long_functions(&text, MAX_FN_LINES) {
            broken.push(format!("{}: fn {name} has {len} lines", rel.display()));
        }
        for p in PRIVATE {
            if text.contains(p) {
                broken.push(format!("{}: Leaflet's private {p}", rel.display()));
            }
        }
        let top = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|s| s.trim_end_matches(".rs").to_owned())
            .unwrap_or_default();
        let deps = named_modules(&text, rel.components().count() == 1);
        graph
            .entry(top.clone())
            .or_default()
            .extend(deps.into_iter().filter(|d| *d != top));
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for deps in graph.values_mut() {
        deps.retain(|d| modules.contains(d));
    }
    if let Some(cycle) = find_cycle(&graph) {
        broken.push(format!("import cycle: {}", cycle.join(" → ")));
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_checkers_see_what_breaks_the_rules() {
    let long = format!(
        "pub fn big() {{\n{}}}\nfn small() {{\n}}\n",
        "    x();\n".repeat(5)
    );
    assert_eq!(long_functions(&long, 6), vec![("big".to_owned(), 7)]);
    assert!(long_functions(&long, 7).is_empty());
    let uses = "use super::map::X;\n// use super::panels::Y;\nlet a = crate::web::state::Z;\n";
    assert_eq!(
        named_modules(uses, true),
        ["map", "state"].map(str::to_owned).into()
    );
    assert_eq!(
        named_modules("use super::super::engine::E;", false),
        ["engine"].map(str::to_owned).into()
    );
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.insert("a".into(), ["b".to_owned()].into());
    g.insert("b".into(), ["c".to_owned()].into());
    g.insert("c".into(), BTreeSet::new());
    assert_eq!(find_cycle(&g), None);
    g.insert("c".into(), ["a".to_owned()].into());
    assert_eq!(find_cycle(&g).map(|c| c.len()), Some(4));
}
