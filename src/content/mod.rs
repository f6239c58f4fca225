//! Loading `content/`: which files are pages, sections, translations and assets.

pub mod blocks;
pub mod encoding;
pub mod front_matter;
pub mod markdown;
pub mod masked;
pub mod safety;
pub mod shortcodes;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Diagnostics, Error, Position, Result};
use front_matter::FrontMatter;

/// The folder holding the Markdown sources.
pub const CONTENT_DIR: &str = "content";

/// Reads a text source as UTF-8 and normalises it (BOM, CRLF, NFC); `shown` is the path in messages.
pub fn read_source(path: &Path, shown: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(shown, &e))?;
    read_source_bytes(&bytes, shown)
}

/// A file that vanished or may not be read, named by its path in the site.
fn unreadable(shown: &Path, error: &dyn std::fmt::Display) -> Error {
    Error::at(shown, None, msg!("content.unreadable", detail = error))
        .with_hint(msg!("content.unreadable.hint"))
}

/// Source bytes as normalised text, or an error at the first byte that is not UTF-8.
pub fn read_source_bytes(bytes: &[u8], shown: &Path) -> Result<String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(crate::text::normalize_source(text)),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let hint = match encoding::detect(bytes) {
                Some(encoding::Legacy::Tcvn3) => msg!("content.tcvn3.hint"),
                Some(legacy) => msg!("content.legacy_encoding.hint", encoding = legacy.name()),
                None => msg!("content.not_utf8.hint"),
            };
            Err(Error::at(
                shown,
                Some(Position::of_offset(valid, valid.len())),
                msg!("content.not_utf8", offset = e.valid_up_to()),
            )
            .with_hint(hint))
        }
    }
}

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
        let rel = crate::text::relative_slash_path(&content, entry.path());
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
    for link in crate::theme::skipped_links(config) {
        diagnostics.warn(link, None, msg!("content.symlink_skipped"));
    }
    Ok(classify(files, config, diagnostics))
}

/// Refuses a file whose name is not UTF-8 (it could only be published under another name) or
/// too long for the copies and scripts loa makes from it.
pub fn check_file_name(path: &Path, shown: &Path) -> Result<()> {
    let name = path.file_name().unwrap_or_default();
    let refusal = match name.to_str() {
        None => crate::paths::Refusal::NotUtf8,
        Some(name) if name.len() > crate::paths::MAX_NAME_BYTES => {
            crate::paths::Refusal::NameTooLong(name.to_owned())
        }
        Some(_) => return Ok(()),
    };
    let raw = shown.display().to_string();
    Err(Error::at(shown, None, refusal.message(&raw)).with_hint(refusal.hint()))
}

fn walk_error(error: walkdir::Error, root: &Path) -> Error {
    let path =
        error.path().map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf()).unwrap_or_default();
    match error.io_error() {
        Some(io) => unreadable(&path, io),
        None => unreadable(&path, &error),
    }
}

/// Editor backups, swap files and hidden files that are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
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
            None if crate::config::is_language_code(code) => {
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

fn read_document(source: SourceFile, config: &Config) -> Result<Document> {
    let text = read_source(&config.root.join(&source.path), &source.path)?;
    if text.trim().is_empty() {
        return Err(Error::at(&source.path, None, msg!("content.empty"))
            .with_hint(msg!("content.empty.hint")));
    }
    let split = front_matter::split(&text, &source.path)?;
    let front =
        front_matter::parse(split.front, &source.path, split.front_line_offset, config.utc_offset)?;
    let body = split.body.to_owned();
    Ok(Document { body, body_line_offset: split.body_line_offset, front, source })
}
