//! Renaming a page: every language version of it moves to the new file name (a page folder
//! moves whole, photos included), and each version keeps its old address in its `aliases`, so
//! that links to it from elsewhere keep working through the redirect page loa leaves there.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::base::error::{Error, Result};

/// What a rename did.
#[derive(Debug, Serialize)]
pub struct Renamed {
    /// The file the writer had open, at its new place.
    pub path: String,
    /// Each file moved: from, to.
    pub moved: Vec<(String, String)>,
    /// The old addresses kept as aliases.
    pub aliases: Vec<String>,
    /// The other pages whose `@/…` links to a moved file were made to follow it.
    pub relinked: Vec<String>,
}

/// One language version of the page to move: where it is, where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The file now, relative to the site.
    pub from: PathBuf,
    /// The file after the rename.
    pub to: PathBuf,
}

/// The language versions of the page whose file is `page` (`content/…`, relative to the site
/// `root`), each with its file after a rename to `slug`, and the folder to move whole for a
/// page folder (`name/index.md`); refused for a section, or when a file or folder of the new
/// name exists.
pub fn plan(root: &Path, page: &str, slug: &str) -> Result<(Vec<Move>, Option<Move>)> {
    let path = Path::new(page);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parent = path.parent().unwrap_or(Path::new("")).to_path_buf();
    if name.starts_with("_index.") {
        return Err(Error::at(path, None, msg!("studio.rename_section"))
            .with_hint(msg!("studio.rename_section.hint")));
    }
    if name.starts_with("index.") {
        let folder = parent.clone();
        let to_folder = folder.with_file_name(slug);
        refuse_existing(root, path, &[to_folder.clone(), to_folder.with_extension("md")])?;
        let moves = versions(root, &folder, "index")?
            .into_iter()
            .map(|file| Move { to: to_folder.join(&file), from: folder.join(&file) })
            .collect();
        return Ok((moves, Some(Move { from: folder, to: to_folder })));
    }
    let stem = name.split('.').next().unwrap_or_default().to_owned();
    let moves: Vec<Move> = versions(root, &parent, &stem)?
        .into_iter()
        .map(|file| Move {
            to: parent.join(format!("{slug}{}", &file[stem.len()..])),
            from: parent.join(&file),
        })
        .collect();
    let mut taken: Vec<PathBuf> = moves.iter().map(|m| m.to.clone()).collect();
    taken.push(parent.join(slug));
    refuse_existing(root, path, &taken)?;
    Ok((moves, None))
}

/// The Markdown files of folder `dir` that are language versions of `stem` (`stem.md`,
/// `stem.en.md`), by file name.
pub(super) fn versions(root: &Path, dir: &Path, stem: &str) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(root.join(dir)).map_err(|e| write_failed(dir, &e))?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| {
            n == &format!("{stem}.md")
                || (n.starts_with(&format!("{stem}."))
                    && n.ends_with(".md")
                    && n.matches('.').count() == 2)
        })
        .collect();
    names.sort();
    Ok(names)
}

/// 409-worthy: one of `paths` exists already.
fn refuse_existing(root: &Path, page: &Path, paths: &[PathBuf]) -> Result<()> {
    match paths.iter().find(|p| root.join(p).exists()) {
        Some(taken) => {
            Err(Error::at(page, None, msg!("studio.rename_taken", path = taken.display()))
                .with_hint(msg!("studio.rename_taken.hint")))
        }
        None => Ok(()),
    }
}

/// `text` (a version's file) with `address` added to its `aliases` after `kept` (the aliases it
/// has), and its `slug:`, if it has one, set to `slug`; every other byte is kept.
pub fn with_alias(
    text: &str,
    kept: &[String],
    address: &str,
    slug: Option<&str>,
    shown: &Path,
) -> Result<String> {
    let mut aliases: Vec<&str> = kept.iter().map(String::as_str).collect();
    if !aliases.contains(&address) {
        aliases.push(address);
    }
    let list = serde_json::to_string(&aliases).unwrap_or_default();
    let text = crate::load::staleness::with_yaml(text, "aliases", Some(&list), shown)?;
    match slug {
        Some(slug) => crate::load::staleness::with_field(&text, "slug", slug, shown),
        None => Ok(text),
    }
}

/// Moves the files (or the folder) of a rename, writing each version's new text at its new
/// place; `texts` holds the new text of each move, in order. Nothing is removed before every
/// new file is written.
pub fn apply(root: &Path, moves: &[Move], folder: Option<&Move>, texts: &[String]) -> Result<()> {
    if let Some(folder) = folder {
        std::fs::rename(root.join(&folder.from), root.join(&folder.to))
            .map_err(|e| write_failed(&folder.from, &e))?;
        for (one, text) in moves.iter().zip(texts) {
            super::files::write_atomically(&root.join(&one.to), &one.to, text.as_bytes())?;
        }
        return Ok(());
    }
    for (one, text) in moves.iter().zip(texts) {
        if let super::files::Saved::Conflict(_) =
            super::files::save(&root.join(&one.to), &one.to, text.as_bytes(), None)?
        {
            return Err(Error::at(
                &one.to,
                None,
                msg!("studio.rename_taken", path = one.to.display()),
            )
            .with_hint(msg!("studio.rename_taken.hint")));
        }
    }
    for one in moves {
        std::fs::remove_file(root.join(&one.from)).map_err(|e| write_failed(&one.from, &e))?;
    }
    Ok(())
}

/// Makes the `@/…` links of every page to a moved file follow it (after the move); the pages
/// rewritten.
pub fn relink(root: &Path, moves: &[Move]) -> Result<Vec<String>> {
    let shown = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let mut rewritten = std::collections::BTreeSet::new();
    for one in moves {
        let (from, to) = (shown(&one.from), shown(&one.to));
        let (Some(old), Some(new)) = (from.strip_prefix("content/"), to.strip_prefix("content/"))
        else {
            continue;
        };
        for page in super::files::linking_pages(root, &from) {
            let file = root.join(&page);
            let text = std::fs::read_to_string(&file)
                .map_err(|e| crate::base::encoding::unreadable(Path::new(&page), &e))?;
            if let Some(text) =
                super::files::relinked(&text, &format!("@/{old}"), &format!("@/{new}"))
            {
                super::files::write_atomically(&file, Path::new(&page), text.as_bytes())?;
                rewritten.insert(page);
            }
        }
    }
    Ok(rewritten.into_iter().collect())
}

/// The error of a file the studio could not write or move at `path`.
pub(super) fn write_failed(path: &Path, error: &std::io::Error) -> Error {
    Error::at(path, None, msg!("studio.write_failed", detail = error))
        .with_hint(msg!("studio.write_failed.hint"))
}
