//! The core's modules depend on each other one way: among the modules of
//! one parent (the top level, or the files of `store/`, `sync/` …) there is
//! no cycle. A parent and its own children may use each other (a child
//! implements its parent's type; the parent re-exports the child's), so only
//! edges between siblings count. Read from the `use` paths and `crate::` /
//! `super::` paths in the source, test code left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Every module file under `src/` (binaries left out), by its module path.
fn modules(root: &Path) -> BTreeMap<Module, PathBuf> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<Module, PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if name != "bin" {
                    walk(&path, &[prefix, &[name]].concat(), out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let module = match name.as_str() {
                    "mod" | "lib" => prefix.to_vec(),
                    _ => [prefix, &[name]].concat(),
                };
                out.insert(module, path);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, &[], &mut out);
    // Modules compiled for tests only (`#[cfg(test)] mod coverage;`) are test code.
    let test_only: Vec<Module> = out
        .iter()
        .flat_map(|(module, path)| {
            let source = std::fs::read_to_string(path).unwrap();
            let lines: Vec<&str> = source.lines().map(str::trim).collect();
            let module = module.clone();
            lines
                .windows(2)
                .filter(|w| w[0] == "#[cfg(test)]" && w[1].starts_with("mod ") && w[1].ends_with(';'))
                .map(move |w| [&module[..], &[w[1][4..w[1].len() - 1].to_string()]].concat())
                .collect::<Vec<_>>()
        })
        .collect();
    out.retain(|m, _| !test_only.iter().any(|t| m.starts_with(t)));
    out
}

/// The source without comments and without what is compiled for tests only.
fn product_code(source: &str) -> String {
    let mut out = String::new();
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            // The attributed item: a one-line `mod x;`/`use …;`, or a block to its closing brace.
            let mut depth = 0i32;
            for l in std::iter::once(line).chain(lines.by_ref()).skip(1) {
                depth += l.matches('{').count() as i32 - l.matches('}').count() as i32;
                if depth <= 0 && (l.contains('}') || l.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        if !t.starts_with("//") {
            out.push_str(line.split(" //").next().unwrap_or(line));
            out.push('\n');
        }
    }
    out
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let path: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = path.find('{') else { return vec![path] };
    let (head, rest) = (&path[..open], &path[open + 1..path.rfind('}').unwrap_or(path.len())]);
    let mut parts = vec![];
    let (mut depth, mut start) = (0, 0);
    for (i, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&rest[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&rest[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).flat_map(|p| expand(&format!("{head}{p}"))).collect()
}

/// The paths one file names, made absolute (`crate::…`) and cut to the longest known module.
fn dependencies(
    module: &Module,
    code: &str,
    known: &BTreeMap<Module, PathBuf>,
    is_dir_module: bool,
) -> BTreeSet<Module> {
    let mut paths = vec![];
    for stmt in code.split(';') {
        if let Some(i) = stmt.find("use ") {
            let u = &stmt[i + 4..];
            if u.trim_start().starts_with("crate::") || u.trim_start().starts_with("super::") {
                paths.extend(expand(u));
            }
        }
    }
    let bytes = code.as_bytes();
    for start in ["crate::", "super::"] {
        for (i, _) in code.match_indices(start) {
            if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
                continue;
            }
            let end =
                code[i..].find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).map_or(code.len(), |e| i + e);
            paths.push(code[i..end].to_string());
        }
    }
    // `super` of a `mod.rs` module is its parent; of a plain file, the module holding the file.
    let here: Module = if is_dir_module { module.clone() } else { module[..module.len().saturating_sub(0)].to_vec() };
    let mut out = BTreeSet::new();
    for p in paths {
        let mut segs: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
        let mut abs: Module = match segs.first() {
            Some(&"crate") => {
                segs.remove(0);
                vec![]
            }
            Some(&"super") => {
                let mut base = here.clone();
                while segs.first() == Some(&"super") {
                    segs.remove(0);
                    base.pop();
                }
                base
            }
            _ => continue,
        };
        abs.extend(segs.iter().map(|s| s.to_string()));
        while !abs.is_empty() && !known.contains_key(&abs) {
            abs.pop();
        }
        out.insert(abs);
    }
    out
}

/// Cycles among the children of each module, as "a -> b -> a" lines.
fn sibling_cycles(root: &Path) -> Vec<String> {
    let known = modules(root);
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, path) in &known {
        let is_dir = path.file_name().is_some_and(|n| n == "mod.rs" || n == "lib.rs");
        let code = product_code(&std::fs::read_to_string(path).unwrap());
        for dep in dependencies(module, &code, &known, is_dir) {
            let common = module.iter().zip(&dep).take_while(|(a, b)| a == b).count();
            // An ancestor or a descendant: not a sibling edge.
            if common == module.len() || common == dep.len() {
                continue;
            }
            edges.entry(module[..=common].to_vec()).or_default().insert(dep[..=common].to_vec());
        }
    }
    let mut cycles = vec![];
    for (a, targets) in &edges {
        for b in targets {
            // A path back from b to a among the same siblings.
            let mut seen = BTreeSet::new();
            let mut stack = vec![vec![b.clone()]];
            while let Some(route) = stack.pop() {
                let last = route.last().unwrap().clone();
                if &last == a {
                    let names: Vec<String> = std::iter::once(a).chain(&route).map(|m| m.join("::")).collect();
                    cycles.push(names.join(" -> "));
                    break;
                }
                if !seen.insert(last.clone()) {
                    continue;
                }
                for next in edges.get(&last).into_iter().flatten() {
                    stack.push([route.clone(), vec![next.clone()]].concat());
                }
            }
        }
    }
    cycles
}

#[test]
fn expands_use_trees_and_finds_a_cycle() {
    assert_eq!(expand("super::{a::X, b::{c, d}}"), ["super::a::X", "super::b::c", "super::b::d"]);
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir(src.join("store")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod store;\npub mod keys;\n").unwrap();
    std::fs::write(src.join("store/mod.rs"), "mod a;\nmod b;\npub use a::A;\npub struct Store;\n").unwrap();
    std::fs::write(src.join("store/a.rs"), "use super::{b::B, Store};\npub struct A;\n").unwrap();
    std::fs::write(src.join("store/b.rs"), "pub struct B;\n#[cfg(test)]\nmod tests {\n use super::super::a::A;\n}\n")
        .unwrap();
    std::fs::write(src.join("keys.rs"), "pub fn k() { let _ = crate::store::Store; }\n").unwrap();
    assert_eq!(sibling_cycles(src), Vec::<String>::new(), "test code and parent edges do not count");
    std::fs::write(src.join("store/b.rs"), "pub struct B;\nfn f() { crate::store::a::A; }\n").unwrap();
    std::fs::write(src.join("store/mod.rs"), "mod a;\nmod b;\nuse crate::keys::k;\npub struct Store;\n").unwrap();
    let found = sibling_cycles(src);
    assert!(found.contains(&"store::a -> store::b -> store::a".to_string()), "{found:?}");
    assert!(found.contains(&"keys -> store -> keys".to_string()), "{found:?}");
}

#[test]
fn the_core_modules_depend_on_each_other_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let cycles = sibling_cycles(&src);
    assert_eq!(cycles, Vec::<String>::new(), "import cycles between sibling modules");
}
