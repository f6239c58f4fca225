//! The layers of `src/` and the rule that no module imports from a layer above its own:
//! base → engines → load → model → render → write → commands (see docs/architecture.md).

use std::path::Path;

use crate::common;

/// The layers from the bottom up; a module may use its own layer and those below it.
const LAYERS: [&str; 7] = ["base", "engines", "load", "model", "render", "write", "commands"];

/// Arrows that still point upward, each with the reason, until the redesign removes them.
const KNOWN: &[(&str, &str)] = &[];

/// The rank of the layer a source file belongs to (the crate root is above every layer).
fn layer_of(relative: &str) -> usize {
    let top = relative.split('/').next().unwrap_or_default();
    LAYERS.iter().position(|l| *l == top).unwrap_or(LAYERS.len())
}

/// Every `crate::layer` a file names, with the line it is on.
fn references(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: &str =
                rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default();
            if LAYERS.contains(&name) {
                found.push((number + 1, name));
            }
        }
    }
    found
}

/// Every upward arrow in `src/`, as `file:line → layer`.
fn upward_arrows(src: &Path) -> Vec<(String, usize, String)> {
    let mut arrows = Vec::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = entry.path().strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
        let own = layer_of(&relative);
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (line, target) in references(&text) {
            if layer_of(target) > own {
                arrows.push((relative.clone(), line, target.to_owned()));
            }
        }
    }
    arrows
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let arrows = upward_arrows(&common::repo().join("src"));
    let unexplained: Vec<String> = arrows
        .iter()
        .filter(|(file, _, target)| !KNOWN.iter().any(|(f, t)| f == file && t == target))
        .map(|(file, line, target)| format!("src/{file}:{line} uses crate::{target}"))
        .collect();
    assert!(unexplained.is_empty(), "imports from a layer above:\n{}", unexplained.join("\n"));
    for (file, target) in KNOWN {
        assert!(
            arrows.iter().any(|(f, _, t)| f == file && t == target),
            "src/{file} no longer uses crate::{target}: remove it from KNOWN"
        );
    }
}

#[test]
fn every_source_file_lies_in_a_layer_folder() {
    let src = common::repo().join("src");
    for entry in std::fs::read_dir(&src).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let allowed =
            LAYERS.contains(&name.as_str()) || ["lib.rs", "main.rs"].contains(&name.as_str());
        assert!(allowed, "src/{name} is outside the layer folders {LAYERS:?}");
    }
}

#[test]
fn an_upward_arrow_is_found_with_its_line() {
    let text =
        "use crate::base::text;\n// crate::write in a comment\nfn f() { crate::render::x(); }\n";
    assert_eq!(references(text), vec![(1, "base"), (3, "render")]);
    assert!(layer_of("model/links.rs") < layer_of("render"));
    assert!(layer_of("engines/typeset/mod.rs") < layer_of("load"));
}
