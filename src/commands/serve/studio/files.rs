//! The studio's reach into the site folder: only `content/`, `static/` and `locales/`, through
//! the project's path checks (no `..`, no absolute or encoded forms, no look-alikes, no
//! symbolic link on the way, no hidden file), and saves that replace one file atomically and
//! never over a version the writer has not seen.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};
use crate::base::paths::{self, Refusal};

/// The folders of a site the studio may read and write.
pub const ROOTS: [&str; 3] = ["content", "static", "locales"];

/// A path the studio was asked for, refused: why, for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outside(pub String);

/// The file `raw` (a `/`-separated path relative to the site, such as `content/a.md`) names
/// inside one of [`ROOTS`]; refused when it leaves them in any spelling, goes through a symbolic
/// link, or names a hidden file.
pub fn source_path(root: &Path, raw: &str) -> std::result::Result<PathBuf, Refusal> {
    if raw.contains('%') {
        return Err(Refusal::BadEncoding);
    }
    let relative = paths::relative(raw)?;
    let first = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
    if !first.is_some_and(|first| ROOTS.contains(&first.as_str()))
        || relative.components().count() < 2
    {
        return Err(Refusal::Parent);
    }
    if crate::commands::serve::is_hidden(&relative) {
        return Err(Refusal::LookAlike(raw.to_owned()));
    }
    let file = paths::inside(root, &relative)?;
    if let (Ok(real_root), Some(parent)) = (root.canonicalize(), file.parent()) {
        let real_parent = parent.canonicalize().unwrap_or_else(|_| parent.to_path_buf());
        if parent.exists() && !real_parent.starts_with(&real_root) {
            return Err(Refusal::ThroughLink(relative));
        }
    }
    Ok(file)
}

/// A Markdown source in `content/` (what the editor opens and saves).
pub fn page_path(root: &Path, raw: &str) -> std::result::Result<PathBuf, Refusal> {
    if !raw.starts_with("content/") || !raw.ends_with(".md") {
        return Err(Refusal::Parent);
    }
    source_path(root, raw)
}

/// A short fingerprint of a file's bytes, which a save must name to replace them.
pub fn version(bytes: &[u8]) -> String {
    use std::hash::Hasher;
    let mut hasher = siphasher::sip128::SipHasher13::new();
    hasher.write(bytes);
    let hash = siphasher::sip128::Hasher128::finish128(&hasher);
    format!("{:016x}{:016x}-{}", hash.h1, hash.h2, bytes.len())
}

/// What a save did.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    /// The file now holds the new bytes, of this version.
    Written(String),
    /// The file changed since the writer opened it: nothing was written; its bytes now.
    Conflict(Vec<u8>),
}

/// Replaces `file` with `bytes` when it still has version `expected` (`None`: it must not
/// exist yet), through a temporary file in the same folder renamed over it, so a reader sees
/// the old file or the new one, never a part.
pub fn save(file: &Path, shown: &Path, bytes: &[u8], expected: Option<&str>) -> Result<Saved> {
    let current = match std::fs::read(file) {
        Ok(current) => Some(current),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(crate::base::encoding::unreadable(shown, &e)),
    };
    let matches = match (&current, expected) {
        (Some(current), Some(expected)) => version(current) == expected,
        (None, None) => true,
        _ => false,
    };
    if !matches {
        return Ok(Saved::Conflict(current.unwrap_or_default()));
    }
    write_atomically(file, shown, bytes)?;
    Ok(Saved::Written(version(bytes)))
}

/// Writes `bytes` to a hidden temporary file beside `file`, flushed to disk, then renames it
/// over `file` (keeping the old file's permissions).
pub fn write_atomically(file: &Path, shown: &Path, bytes: &[u8]) -> Result<()> {
    let failed = |e: std::io::Error| {
        Error::at(shown, None, msg!("studio.write_failed", detail = e))
            .with_hint(msg!("studio.write_failed.hint"))
    };
    let folder = file.parent().ok_or_else(|| failed(std::io::ErrorKind::InvalidInput.into()))?;
    std::fs::create_dir_all(folder).map_err(failed)?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = folder.join(format!(".{name}.{}.loa-studio", std::process::id()));
    let result = (|| {
        let mut out = std::fs::File::create(&temporary)?;
        out.write_all(bytes)?;
        out.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(file) {
            std::fs::set_permissions(&temporary, metadata.permissions())?;
        }
        std::fs::rename(&temporary, file)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.map_err(failed)
}

/// The sources in `content/` whose text links to `target` (`content/a/b.md`) with `@/a/b.md`,
/// for the confirmation before a page is deleted.
pub fn linking_pages(root: &Path, target: &str) -> Vec<String> {
    let Some(inside) = target.strip_prefix("content/") else { return Vec::new() };
    let needle = format!("@/{inside}");
    let content = root.join("content");
    let mut found: Vec<String> = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|text| mentions(&text, &needle)))
        .filter_map(|e| {
            Some(format!("content/{}", e.path().strip_prefix(&content).ok()?.to_str()?))
        })
        .filter(|path| path != target)
        .collect();
    found.sort();
    found
}

/// `text` with each link to `from` (`@/a.md`) made a link to `to` (`@/b.md`), the anchor or
/// the rest of the link kept; `None` when it has none.
pub fn relinked(text: &str, from: &str, to: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (at, _) in text.match_indices(from) {
        let after = text[at + from.len()..].chars().next();
        if after.is_none_or(|c| matches!(c, ')' | '#' | '"' | '\'' | ' ' | '>')) {
            out.push_str(&text[rest..at]);
            out.push_str(to);
            rest = at + from.len();
        }
    }
    (rest > 0).then(|| out + &text[rest..])
}

/// Whether `text` holds `needle` followed by the end of a link (`)`, `#`, a quote, a space).
fn mentions(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        text[at + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, ')' | '#' | '"' | '\'' | ' ' | '>'))
    })
}

#[cfg(test)]
mod relink_tests {
    use super::*;

    #[test]
    fn links_to_a_renamed_page_follow_it_and_nothing_else_changes() {
        let text = "Xem [bài](@/tin/a.md#muc) và [khác](@/tin/a.md.bak) và [ảnh](@/tin/a.md).\r\n";
        assert_eq!(
            relinked(text, "@/tin/a.md", "@/tin/b.md").as_deref(),
            Some("Xem [bài](@/tin/b.md#muc) và [khác](@/tin/a.md.bak) và [ảnh](@/tin/b.md).\r\n")
        );
        assert_eq!(relinked("không có liên kết", "@/tin/a.md", "@/tin/b.md"), None);
    }
}

/// Removes a page's file (after the writer confirmed, having seen its version).
pub fn delete(file: &Path, shown: &Path, expected: &str) -> Result<bool> {
    let current = std::fs::read(file).map_err(|e| crate::base::encoding::unreadable(shown, &e))?;
    if version(&current) != expected {
        return Ok(false);
    }
    std::fs::remove_file(file).map_err(|e| {
        Error::at(shown, None, msg!("studio.write_failed", detail = e))
            .with_hint(msg!("studio.write_failed.hint"))
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_three_folders_are_reached() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ROOTS {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
        }
        std::os::unix::fs::symlink("/etc", dir.path().join("content/etc")).unwrap();
        assert!(source_path(dir.path(), "content/a.md").is_ok());
        assert!(source_path(dir.path(), "static/x/y.png").is_ok());
        for bad in [
            "site.yaml",
            "content",
            "themes/default/base.html",
            "content/../site.yaml",
            "/etc/passwd",
            "content/etc/passwd",
            "content/%2e%2e/site.yaml",
            "content\\..\\site.yaml",
            "content/\u{FF0E}\u{FF0E}/site.yaml",
            "content/.git/config",
            "public/index.html",
        ] {
            assert!(source_path(dir.path(), bad).is_err(), "{bad}");
        }
        assert!(page_path(dir.path(), "static/a.md").is_err());
        assert!(page_path(dir.path(), "content/a.yaml").is_err());
    }

    #[test]
    fn a_save_over_a_version_not_seen_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "one").unwrap();
        let seen = version(b"one");
        std::fs::write(&file, "two").unwrap();
        let saved = save(&file, Path::new("a.md"), b"mine", Some(&seen)).unwrap();
        assert_eq!(saved, Saved::Conflict(b"two".to_vec()));
        assert_eq!(std::fs::read(&file).unwrap(), b"two");
        let saved = save(&file, Path::new("a.md"), b"mine", Some(&version(b"two"))).unwrap();
        assert_eq!(saved, Saved::Written(version(b"mine")));
        assert_eq!(std::fs::read(&file).unwrap(), b"mine");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
        let made = save(&dir.path().join("b.md"), Path::new("b.md"), b"new", Some(&seen)).unwrap();
        assert!(matches!(made, Saved::Conflict(_)), "a file that does not exist has no version");
    }
}
