//! Loading `content/`: which files are pages, sections, translations and assets.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::base::encoding::read_source;
use crate::base::error::{Diagnostics, Error, Result};
use crate::base::files::is_ignored;
use crate::base::paths::check_file_name;
use crate::load::config::Config;
use crate::load::front_matter::FrontMatter;

/// The folder holding the Markdown sources.
pub const CONTENT_DIR: &str = "content";

/// Whether a source is a page or a section (`_index.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A page (`name.md` or `name/index.md`).
    Page,
    /// A section (`_index.md`).
    Section,
}

/// A Markdown source found in `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, for messages.
    pub path: PathBuf,
    /// The page or section this file is a language version of, e.g. `tin-tuc/lua-dao` or `tin-tuc/`.
    pub key: String,
    /// Page or section.
    pub kind: Kind,
    /// Index of the language in the configuration.
    pub lang: usize,
    /// Folder of co-located files, relative to `content/` (`""` for the top).
    pub dir: String,
    /// The name the slug is made from (file stem or bundle folder name).
    pub name: String,
}

/// A source with its front matter read and its body ready to parse.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it comes from.
    pub source: SourceFile,
    /// Validated front matter.
    pub front: FrontMatter,
    /// The Markdown body.
    pub body: String,
    /// Lines before the body in the file.
    pub body_line_offset: usize,
}

/// A non-Markdown file beside the sources (images, PDFs…).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AssetFile {
    /// Folder relative to `content/`, with `/` separators.
    pub dir: String,
    /// File path relative to that folder.
    pub name: String,
}

/// Everything found in `content/`.
#[derive(Debug, Default)]
pub struct Inventory {
    /// Markdown sources.
    pub sources: Vec<SourceFile>,
    /// Co-located files.
    pub assets: Vec<AssetFile>,
}

/// Walks `content/`, classifying files; never follows symbolic links.
pub fn discover(config: &Config, diagnostics: &mut Diagnostics) -> Result<Inventory> {
    let content = config.root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(Error::at(CONTENT_DIR, None, msg!("content.no_folder"))
            .with_hint(msg!("content.no_folder.hint")));
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter();
    for entry in
        walker.filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
    {
        let entry = entry.map_err(|e| walk_error(e, &config.root))?;
        let rel = crate::base::text::relative_slash_path(&content, entry.path());
        check_file_name(entry.path(), &Path::new(CONTENT_DIR).join(&rel))?;
        if entry.path_is_symlink() {
            diagnostics.warn(
                Path::new(CONTENT_DIR).join(&rel),
                None,
                msg!("content.symlink_skipped"),
            );
        } else if entry.file_type().is_file() {
            files.push(rel);
        }
    }
    for link in crate::load::theme::skipped_links(config) {
        diagnostics.warn(link, None, msg!("content.symlink_skipped"));
    }
    Ok(classify(files, config, diagnostics))
}

fn walk_error(error: walkdir::Error, root: &Path) -> Error {
    let path =
        error.path().map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf()).unwrap_or_default();
    match error.io_error() {
        Some(io) => crate::base::encoding::unreadable(&path, io),
        None => crate::base::encoding::unreadable(&path, &error),
    }
}

fn classify(files: Vec<String>, config: &Config, diagnostics: &mut Diagnostics) -> Inventory {
    let bundles: Vec<String> = files
        .iter()
        .filter_map(|f| bundle_dir_of_index(f, config))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let owning_bundle =
        |file: &str| bundles.iter().find(|b| file.starts_with(&format!("{b}/"))).cloned();
    let mut inventory = Inventory::default();
    for file in files {
        let (dir, name) = split_dir(&file);
        if !file.ends_with(".md") {
            let (dir, name) = match owning_bundle(&file) {
                Some(bundle) => (bundle.clone(), file[bundle.len() + 1..].to_owned()),
                None => (dir.to_owned(), name.to_owned()),
            };
            inventory.assets.push(AssetFile { dir, name });
            continue;
        }
        let shown = Path::new(CONTENT_DIR).join(&file);
        let stem = &name[..name.len() - 3];
        let Some((base, lang)) = language_of(stem, config, &shown, diagnostics) else { continue };
        let source = match base {
            "_index" => SourceFile {
                path: shown,
                key: section_key(dir),
                kind: Kind::Section,
                lang,
                dir: dir.into(),
                name: last(dir),
            },
            "index" if !dir.is_empty() => SourceFile {
                path: shown,
                key: dir.to_owned(),
                kind: Kind::Page,
                lang,
                dir: dir.into(),
                name: last(dir),
            },
            _ if owning_bundle(&file).is_some() => {
                diagnostics.warn(shown, None, msg!("content.markdown_in_bundle"));
                continue;
            }
            _ => SourceFile {
                path: shown,
                key: if dir.is_empty() { base.to_owned() } else { format!("{dir}/{base}") },
                kind: Kind::Page,
                lang,
                dir: dir.into(),
                name: base.to_owned(),
            },
        };
        inventory.sources.push(source);
    }
    inventory
}

fn bundle_dir_of_index(file: &str, config: &Config) -> Option<String> {
    let (dir, name) = split_dir(file);
    let stem = name.strip_suffix(".md")?;
    let base = match stem.rsplit_once('.') {
        Some((base, code)) if config.language_index(code).is_some() => base,
        _ => stem,
    };
    (base == "index" && !dir.is_empty()).then(|| dir.to_owned())
}

fn split_dir(file: &str) -> (&str, &str) {
    file.rsplit_once('/').unwrap_or(("", file))
}

fn last(dir: &str) -> String {
    split_dir(dir).1.to_owned()
}

fn section_key(dir: &str) -> String {
    if dir.is_empty() { String::new() } else { format!("{dir}/") }
}

/// Splits `name.<code>` into the name and the language index, warning on an unconfigured code.
fn language_of<'a>(
    stem: &'a str,
    config: &Config,
    shown: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<(&'a str, usize)> {
    match stem.rsplit_once('.') {
        Some((base, code)) => match config.language_index(code) {
            Some(lang) => Some((base, lang)),
            None if crate::load::config::is_language_code(code) => {
                diagnostics.warn(
                    shown.to_path_buf(),
                    None,
                    msg!("content.unknown_language", code = code),
                );
                None
            }
            None => Some((stem, 0)),
        },
        None => Some((stem, 0)),
    }
}

/// Reads every source in parallel and parses its front matter; reports all errors at once.
pub fn read_documents(sources: Vec<SourceFile>, config: &Config) -> Result<Vec<Document>> {
    let results: Vec<Result<Document>> =
        sources.into_par_iter().map(|source| read_document(source, config)).collect();
    Error::collect(results)
}

/// Reads one source file into a document.
pub fn read_document(source: SourceFile, config: &Config) -> Result<Document> {
    let text = read_source(&config.root.join(&source.path), &source.path)?;
    document_from_text(source, &text, config)
}

/// A source read from `text` (normalised as a file on disk is) instead of its file: the
/// studio's unsaved text, previewed in memory.
pub fn document_from_text(source: SourceFile, text: &str, config: &Config) -> Result<Document> {
    let text = crate::base::text::normalize_source(text);
    if text.trim().is_empty() {
        return Err(Error::at(&source.path, None, msg!("content.empty"))
            .with_hint(msg!("content.empty.hint")));
    }
    let split = crate::load::front_matter::split(&text, &source.path)?;
    let front = crate::load::front_matter::parse(
        split.front,
        &source.path,
        split.front_line_offset,
        config.utc_offset,
    )?;
    let body = split.body.to_owned();
    Ok(Document { body, body_line_offset: split.body_line_offset, front, source })
}
