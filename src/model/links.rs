//! Resolving links while bodies are parsed: `@/` source links, relative `.md` links, co-located files.

use std::collections::HashMap;

use crate::base::error::Result;
use crate::load::config::Config;
use crate::load::content::Document;
use crate::load::locales::Locales;
use crate::load::markdown::{Rendered, Resolved};
use crate::model::hotlines::{HotlineView, hotline_views};
use crate::model::shortcodes::Shortcodes;
use crate::model::{Assets, Doc, Skeleton, Variant};

/// What parsing bodies needs from the site: links, shortcodes, languages and hotlines.
pub(crate) struct BodyContext<'a> {
    pub(crate) index: &'a LinkIndex,
    pub(crate) shortcodes: &'a Shortcodes,
    pub(crate) config: &'a Config,
    pub(crate) locales: &'a Locales,
    pub(crate) base_path: &'a str,
}

/// Parses every body, resolving links and shortcodes per language; reports every bad shortcode.
pub(crate) fn render_documents(
    context: &BodyContext,
    skeleton: &Skeleton,
    documents: Vec<Document>,
) -> Result<Vec<Doc>> {
    let own_paths = own_paths(skeleton.all_variants());
    let hotlines = context.hotlines();
    super::parse_all(documents, |position, document| {
        let own_path = own_paths.get(&position).map(String::as_str);
        render_one(context, &hotlines, own_path, document)
    })
}

impl BodyContext<'_> {
    /// The hotlines of each language, as shortcodes show them.
    pub(crate) fn hotlines(&self) -> Vec<Vec<HotlineView>> {
        (0..self.config.languages.len())
            .map(|l| hotline_views(self.config, self.locales, l))
            .collect()
    }
}

/// Parses one body in its own language, published at `own_path`: its links resolved and its
/// shortcodes checked by rendering each once.
pub(crate) fn render_one(
    context: &BodyContext,
    hotlines: &[Vec<HotlineView>],
    own_path: Option<&str>,
    document: &Document,
) -> Result<Rendered> {
    let dir = document.source.dir.as_str();
    let lang = document.source.lang;
    let page_url = format!("{}{}", context.config.base_url, own_path.unwrap_or("/"));
    let files = std::cell::RefCell::new(std::collections::BTreeSet::new());
    let resolver = |dest: &str| {
        if let Some(file) = context.index.file(dest, dir) {
            files.borrow_mut().insert(file.to_owned());
        }
        context.index.resolve(dest, dir, lang, context.base_path)
    };
    let code = &context.config.languages[lang].code;
    let host = context.shortcodes.host(code, &page_url, &hotlines[lang]);
    let mut rendered =
        super::render_body(document, &resolver, &host, context.config.trust_raw_html)?;
    let image = document.front.image.as_deref().and_then(|i| context.index.file(i, dir));
    files.borrow_mut().extend(image.map(str::to_owned));
    rendered.files = files.into_inner().into_iter().collect();
    Ok(rendered)
}

/// For each document, the URL path of the page or section it is the translation of, in its own language.
fn own_paths<'a>(all: impl Iterator<Item = &'a Vec<Option<Variant>>>) -> HashMap<usize, String> {
    all.flatten().flatten().filter(|v| v.translated).map(|v| (v.doc, v.path.clone())).collect()
}

/// Where each source file and co-located file is published, for resolving links.
#[derive(Debug, Default)]
pub struct LinkIndex {
    by_source: HashMap<String, Vec<Option<Variant>>>,
    assets: HashMap<(String, String), String>,
}

impl LinkIndex {
    /// Indexes the sources (by path under `content/`) and the placed co-located files.
    pub(crate) fn new(skeleton: &Skeleton, documents: &[Document], assets: &Assets) -> LinkIndex {
        let mut by_source = HashMap::new();
        for document in documents {
            let key = &document.source.key;
            if let Some(variants) =
                skeleton.variants_of(document.source.kind, key).map(<[_]>::to_vec)
            {
                by_source.insert(content_relative(&document.source.path), variants);
            }
        }
        LinkIndex { by_source, assets: assets.by_location.clone() }
    }

    /// What a link written in a source in folder `dir` leads to, for a page shown in `lang`.
    pub fn resolve(&self, dest: &str, dir: &str, lang: usize, base_path: &str) -> Resolved {
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') {
            return Resolved::Keep;
        }
        if let Some(target) = dest.strip_prefix("@/") {
            return self.resolve_source(target, lang, base_path);
        }
        if has_scheme(dest) {
            return Resolved::Keep;
        }
        let (path_part, anchor) = dest.split_once('#').map_or((dest, None), |(p, a)| (p, Some(a)));
        let joined = crate::base::paths::join_inside(dir, path_part);
        if path_part.ends_with(".md") {
            let target = match anchor {
                Some(anchor) => format!("{joined}#{anchor}"),
                None => joined,
            };
            return self.resolve_source(&target, lang, base_path);
        }
        match self.file(dest, dir) {
            Some(url) => Resolved::Rewrite(format!("{base_path}{url}")),
            None => Resolved::Keep,
        }
    }

    /// The URL path of the co-located file a relative destination in folder `dir` names.
    pub fn file(&self, dest: &str, dir: &str) -> Option<&str> {
        if dest.is_empty() || dest.starts_with(['#', '/', '@']) || has_scheme(dest) {
            return None;
        }
        let path_part = dest.split(['#', '?']).next().unwrap_or(dest);
        let joined = crate::base::paths::join_inside(dir, path_part);
        let (folder, name) = joined.rsplit_once('/').unwrap_or(("", joined.as_str()));
        self.assets.get(&(folder.to_owned(), name.to_owned())).map(String::as_str)
    }

    /// The paths under `content/` of every source, for "did you mean".
    pub fn sources(&self) -> Vec<&str> {
        let mut sources: Vec<&str> = self.by_source.keys().map(String::as_str).collect();
        sources.sort_unstable();
        sources
    }

    /// The names of the co-located files in folder `dir`, for "did you mean".
    pub fn files_beside(&self, dir: &str) -> Vec<&str> {
        let dir = dir.trim_matches('/');
        let mut names: Vec<&str> = self
            .assets
            .keys()
            .filter(|(folder, _)| folder.trim_matches('/') == dir)
            .map(|(_, name)| name.as_str())
            .collect();
        names.sort_unstable();
        names
    }

    fn resolve_source(&self, target: &str, lang: usize, base_path: &str) -> Resolved {
        let (path, anchor) = target.split_once('#').map_or((target, None), |(p, a)| (p, Some(a)));
        let path = crate::base::text::nfc(path.trim_start_matches('/'));
        let Some(variants) = self.by_source.get(&path) else {
            return Resolved::Broken(msg!("link.no_source", path = &path));
        };
        match variants[lang].as_ref().or_else(|| variants.iter().flatten().next()) {
            Some(v) => Resolved::Rewrite(match anchor {
                Some(a) => format!("{base_path}{}#{a}", v.path),
                None => format!("{base_path}{}", v.path),
            }),
            None => Resolved::Broken(msg!("link.not_published", path = &path)),
        }
    }
}

fn content_relative(path: &std::path::Path) -> String {
    crate::base::text::relative_slash_path(
        std::path::Path::new(crate::load::content::CONTENT_DIR),
        path,
    )
}

/// Whether a destination names a Markdown source rather than a URL.
pub fn is_source_link(dest: &str) -> bool {
    dest.starts_with("@/")
        || (!has_scheme(dest) && dest.split('#').next().is_some_and(|p| p.ends_with(".md")))
}

/// Whether a destination starts with a URL scheme such as `https:` or `tel:`.
pub fn has_scheme(dest: &str) -> bool {
    dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_schemes() {
        assert!(has_scheme("https://x.org"));
        assert!(has_scheme("tel:111"));
        assert!(!has_scheme("a.md"));
    }
}
