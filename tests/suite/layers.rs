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

/// The modules of `src/render/` that are not outputs but what outputs share: the plan, the
/// body HTML, the theme, the typesetter and the hotlines a page shows.
const SHARED_BY_OUTPUTS: [&str; 5] = ["plan", "body", "theme", "typesetting", "hotlines"];

/// The output a file of `src/render/` belongs to (`None` for `mod.rs` and the shared parts).
fn output_of(relative: &str) -> Option<&str> {
    let name = relative.strip_prefix("render/")?.split('/').next()?.trim_end_matches(".rs");
    (name != "mod" && !SHARED_BY_OUTPUTS.contains(&name)).then_some(name)
}

/// Every `crate::render::<name>` a file names (a module, or an item of `render/mod.rs`),
/// with the line it is on.
fn render_modules(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        for (at, _) in code.match_indices("crate::render::") {
            let rest = &code[at + "crate::render::".len()..];
            let name = rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next();
            found.extend(name.filter(|n| !n.is_empty()).map(|n| (number + 1, n)));
        }
    }
    found
}

#[test]
fn outputs_meet_only_through_the_plan_and_what_they_share() {
    let src = common::repo().join("src");
    let mut crossings = Vec::new();
    for entry in walkdir::WalkDir::new(src.join("render")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative =
            entry.path().strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let Some(own) = output_of(&relative) else { continue };
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (line, module) in render_modules(&text) {
            let path = format!("render/{module}");
            let is_module = src.join(format!("{path}.rs")).is_file() || src.join(&path).is_dir();
            if is_module && output_of(&path).is_some_and(|other| other != own) {
                crossings.push(format!("src/{relative}:{line} uses crate::render::{module}"));
            }
        }
    }
    assert!(crossings.is_empty(), "outputs that use another output:\n{}", crossings.join("\n"));
}

#[test]
fn an_output_using_another_is_found_with_its_line() {
    let text = "use crate::render::plan::Plan;\nfn f() { crate::render::web::Web::new(); }\n";
    assert_eq!(render_modules(text), vec![(1, "plan"), (2, "web")]);
    assert_eq!(output_of("render/feeds.rs"), Some("feeds"));
    assert_eq!(output_of("render/web/context.rs"), Some("web"));
    assert_eq!(output_of("render/theme/mod.rs"), None);
    assert_eq!(output_of("render/mod.rs"), None);
}
