//! Resolving links while bodies are parsed: `@/` source links, relative `.md` links, co-located files.

use std::collections::{BTreeMap, HashMap};

use crate::content::markdown::Resolved;
use crate::content::{Document, Kind};
use crate::error::Diagnostics;
use crate::model::{Assets, Doc, Skeleton, Variant};

/// Parses every body, resolving links per language, and records links that lead nowhere.
pub(crate) fn render_documents(
    skeleton: &Skeleton,
    documents: Vec<Document>,
    assets: &Assets,
    base_path: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Doc> {
    let targets = source_targets(skeleton, &documents);
    let fallback_langs = fallback_languages(skeleton);
    let docs = super::parse_all(documents, |document| {
        let own = document.source.lang;
        let targets = &targets;
        let resolver = |lang: usize| {
            move |dest: &str| resolve(dest, document, lang, targets, assets, base_path)
        };
        let rendered = super::render_body(document, &resolver(own));
        let mut localized = BTreeMap::new();
        if rendered.links.iter().any(|l| is_source_link(&l.destination)) {
            for lang in fallback_langs.get(&document_index(document, targets)).into_iter().flatten()
            {
                localized.insert(*lang, super::render_body(document, &resolver(*lang)).html);
            }
        }
        (rendered, localized)
    });
    for doc in &docs {
        for (reference, reason) in &doc.rendered.broken_links {
            diagnostics.warn(&doc.source.path, Some(reference.position), reason.clone());
        }
    }
    docs
}

/// Where each source file (by path under `content/`) is published, per language.
struct Targets {
    by_source: HashMap<String, Vec<Option<Variant>>>,
    doc_of_source: HashMap<String, usize>,
}

fn source_targets(skeleton: &Skeleton, documents: &[Document]) -> Targets {
    let mut by_source = HashMap::new();
    let mut doc_of_source = HashMap::new();
    for (index, document) in documents.iter().enumerate() {
        let relative = document
            .source
            .path
            .strip_prefix(crate::content::CONTENT_DIR)
            .unwrap_or(&document.source.path);
        let relative = relative.to_string_lossy().replace('\\', "/");
        let variants = match document.source.kind {
            Kind::Page => skeleton
                .pages
                .iter()
                .find(|p| p.key == document.source.key)
                .map(|p| p.variants.clone()),
            Kind::Section => skeleton
                .sections
                .iter()
                .find(|s| s.key == document.source.key)
                .map(|s| s.variants.clone()),
        };
        if let Some(variants) = variants {
            by_source.insert(relative.clone(), variants);
        }
        doc_of_source.insert(relative, index);
    }
    Targets { by_source, doc_of_source }
}

fn document_index(document: &Document, targets: &Targets) -> usize {
    let relative = document
        .source
        .path
        .strip_prefix(crate::content::CONTENT_DIR)
        .unwrap_or(&document.source.path);
    targets.doc_of_source[&relative.to_string_lossy().replace('\\', "/")]
}

/// For each document, the languages that show it as a fallback.
fn fallback_languages(skeleton: &Skeleton) -> HashMap<usize, Vec<usize>> {
    let mut map: HashMap<usize, Vec<usize>> = HashMap::new();
    let all = skeleton
        .pages
        .iter()
        .map(|p| &p.variants)
        .chain(skeleton.sections.iter().map(|s| &s.variants));
    for variant in all.flatten().flatten().filter(|v| !v.translated) {
        map.entry(variant.doc).or_default().push(variant.lang);
    }
    map
}

fn is_source_link(dest: &str) -> bool {
    dest.starts_with("@/")
        || (!has_scheme(dest) && dest.split('#').next().is_some_and(|p| p.ends_with(".md")))
}

fn has_scheme(dest: &str) -> bool {
    dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

fn resolve(
    dest: &str,
    document: &Document,
    lang: usize,
    targets: &Targets,
    assets: &Assets,
    base_path: &str,
) -> Resolved {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') || dest.starts_with("//") {
        return Resolved::Keep;
    }
    if let Some(target) = dest.strip_prefix("@/") {
        return resolve_source(target, lang, targets, base_path);
    }
    if has_scheme(dest) {
        return Resolved::Keep;
    }
    let (path_part, anchor) = dest.split_once('#').map_or((dest, None), |(p, a)| (p, Some(a)));
    let joined = join(&document.source.dir, path_part);
    if path_part.ends_with(".md") {
        let target = match anchor {
            Some(anchor) => format!("{joined}#{anchor}"),
            None => joined,
        };
        return resolve_source(&target, lang, targets, base_path);
    }
    let (dir, name) = joined.rsplit_once('/').map_or(("", joined.as_str()), |(d, n)| (d, n));
    match assets.by_location.get(&(dir.to_owned(), name.to_owned())) {
        Some(url) => Resolved::Rewrite(format!("{base_path}{url}")),
        None => {
            match assets.by_location.get(&(document.source.dir.clone(), path_part.to_owned())) {
                Some(url) => Resolved::Rewrite(format!("{base_path}{url}")),
                None => Resolved::Keep,
            }
        }
    }
}

fn resolve_source(target: &str, lang: usize, targets: &Targets, base_path: &str) -> Resolved {
    let (path, anchor) = target.split_once('#').map_or((target, None), |(p, a)| (p, Some(a)));
    let path = crate::text::nfc(path.trim_start_matches('/'));
    match targets.by_source.get(&path) {
        Some(variants) => {
            let variant = variants[lang].as_ref().or_else(|| variants.iter().flatten().next());
            match variant {
                Some(v) => Resolved::Rewrite(match anchor {
                    Some(a) => format!("{base_path}{}#{a}", v.path),
                    None => format!("{base_path}{}", v.path),
                }),
                None => Resolved::Broken(format!(
                    "the link to `{path}` leads to a page that is not published"
                )),
            }
        }
        None => {
            Resolved::Broken(format!("the link points to `content/{path}`, which does not exist"))
        }
    }
}

/// Joins a relative path to a folder under `content/`, resolving `.` and `..`.
fn join(dir: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_join_relative_paths() {
        assert_eq!(join("tin-tuc", "../ke-hoach.md"), "ke-hoach.md");
        assert_eq!(join("a/b", "./c.png"), "a/b/c.png");
        assert_eq!(join("", "x.md"), "x.md");
    }

    #[test]
    fn knows_schemes() {
        assert!(has_scheme("https://x.org"));
        assert!(has_scheme("tel:111"));
        assert!(!has_scheme("a.md"));
    }
}
