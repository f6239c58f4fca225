//! The one place that turns a path coming from a source (an alias, a slug, a tag, an image,
//! a link, a shortcode argument, `theme:`, a `loa new` argument, a static or theme file) into a
//! path inside its root, refusing anything that would leave it: `..`, absolute forms, percent
//! encoding, backslashes, control characters, Unicode look-alikes of `.` and `/`, symbolic links
//! and names too long for the file system.

use std::path::{Component, Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::base::messages::Message;

/// The longest file or folder name loa writes, in bytes (file systems allow 255; loa keeps room
/// for the suffixes its outputs add, such as `.ssml`).
pub const MAX_NAME_BYTES: usize = 200;

/// The longest path loa writes below an output folder, in bytes.
pub const MAX_PATH_BYTES: usize = 3000;

/// Why a path from a source was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A `..` part (after decoding), which climbs out of the folder.
    Parent,
    /// An absolute path (`/etc`, `C:\`, `\\server`) where only a relative one may stand.
    Absolute,
    /// A backslash, a NUL or another control character.
    ForbiddenCharacter(char),
    /// Percent-encoding that does not decode to UTF-8 text.
    BadEncoding,
    /// A part that is only dots, or that reads as `.`/`..` once Unicode look-alikes are folded.
    LookAlike(String),
    /// A part longer than [`MAX_NAME_BYTES`].
    NameTooLong(String),
    /// The whole path is longer than [`MAX_PATH_BYTES`].
    PathTooLong,
    /// Nothing left once cleaned.
    Empty,
    /// A symbolic link on the way, which could lead anywhere.
    ThroughLink(PathBuf),
    /// A file name that is not valid UTF-8.
    NotUtf8,
}

impl Refusal {
    /// The message for people.
    pub fn message(&self, raw: &str) -> Message {
        match self {
            Refusal::Parent => msg!("paths.parent", path = raw),
            Refusal::Absolute => msg!("paths.absolute", path = raw),
            Refusal::ForbiddenCharacter(c) => {
                msg!("paths.character", path = raw, code = format!("U+{:04X}", *c as u32))
            }
            Refusal::BadEncoding => msg!("paths.encoding", path = raw),
            Refusal::LookAlike(part) => msg!("paths.look_alike", path = raw, part = part),
            Refusal::NameTooLong(part) => {
                msg!("paths.name_too_long", bytes = part.len(), max = MAX_NAME_BYTES)
            }
            Refusal::PathTooLong => msg!("paths.path_too_long", max = MAX_PATH_BYTES),
            Refusal::Empty => msg!("paths.empty", path = raw),
            Refusal::ThroughLink(link) => msg!("paths.link", path = raw, link = link.display()),
            Refusal::NotUtf8 => msg!("paths.not_utf8", path = raw),
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> Message {
        match self {
            Refusal::NameTooLong(_) | Refusal::PathTooLong => msg!("paths.too_long.hint"),
            Refusal::NotUtf8 => msg!("paths.not_utf8.hint"),
            _ => msg!("paths.stay_inside.hint"),
        }
    }
}

/// A URL path (or a path written in a source, such as an alias) as a file path inside an output
/// folder: `/`-separated normal parts, no leading `/`. A leading `/` means the output's root.
pub fn output_file(raw: &str) -> Result<String, Refusal> {
    let decoded = super::percent::decode_utf8(raw).ok_or(Refusal::BadEncoding)?;
    let parts = clean_parts(&decoded, true)?;
    let joined = parts.join("/");
    if looks_like_windows_root(&joined) {
        return Err(Refusal::Absolute);
    }
    if joined.len() > MAX_PATH_BYTES {
        return Err(Refusal::PathTooLong);
    }
    Ok(joined)
}

/// Joins a relative path written in a source to its folder (both `/`-separated, under one
/// root such as `content/`), resolving `.` and `..`; a `..` at the root stays at the root, so
/// the result never climbs out of it.
pub fn join_inside(dir: &str, relative: &str) -> String {
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

/// Checks a file path inside an output folder that an output made: it must already be clean
/// (normal parts, NFC, no leading `/`), so that writing it cannot leave the folder.
pub fn checked_file(path: &str) -> Result<(), Refusal> {
    let parts = clean_parts(path, false)?;
    if path.len() > MAX_PATH_BYTES {
        return Err(Refusal::PathTooLong);
    }
    if parts.join("/") != path {
        return Err(Refusal::LookAlike(path.to_owned()));
    }
    Ok(())
}

/// A path relative to a folder (a `loa new` argument, a name in `content/`): normal parts only,
/// never absolute, never `..`.
pub fn relative(raw: &str) -> Result<PathBuf, Refusal> {
    if raw.starts_with('/') || looks_like_windows_root(raw) {
        return Err(Refusal::Absolute);
    }
    Ok(clean_parts(raw, false)?.iter().collect())
}

/// A single folder or file name (a theme's name): one normal part.
pub fn plain_name(raw: &str) -> Result<&str, Refusal> {
    let parts = relative(raw)?;
    if parts.components().count() != 1 || raw.contains('/') {
        return Err(Refusal::Parent);
    }
    Ok(raw)
}

/// `relative` below `root`, refused when a folder on the way (or the file itself) is a symbolic
/// link, so that neither reading nor writing can be led outside `root`.
pub fn inside(root: &Path, relative: &Path) -> Result<PathBuf, Refusal> {
    let mut at = root.to_path_buf();
    for part in relative.components() {
        match part {
            Component::Normal(name) => at.push(name),
            Component::CurDir => {}
            _ => return Err(Refusal::Parent),
        }
        let is_link = std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            let shown = at.strip_prefix(root).unwrap_or(&at).to_path_buf();
            return Err(Refusal::ThroughLink(shown));
        }
    }
    Ok(at)
}

/// The UTF-8 name of a file found on disk, refused when the name is not UTF-8 (publishing it
/// under a lossy name would publish it somewhere else).
pub fn utf8_name(path: &Path) -> Result<&str, Refusal> {
    path.to_str().ok_or(Refusal::NotUtf8)
}

/// The parts of a `/`-separated path, checked: `allow_root` lets a leading `/` stand for the
/// root (URL paths); empty and `.` parts are dropped.
fn clean_parts(text: &str, allow_root: bool) -> Result<Vec<String>, Refusal> {
    if let Some(c) = text.chars().find(|c| c.is_control() || *c == '\\') {
        return Err(Refusal::ForbiddenCharacter(c));
    }
    if !allow_root && text.starts_with('/') || looks_like_windows_root(text) {
        return Err(Refusal::Absolute);
    }
    let mut parts = Vec::new();
    for part in text.split('/') {
        let part: String = part.nfc().collect();
        if part.is_empty() || part == "." {
            continue;
        }
        if part == ".." {
            return Err(Refusal::Parent);
        }
        if reads_as_dots(&part) || part.nfkc().any(|c| c == '/' || c == '\\') {
            return Err(Refusal::LookAlike(part));
        }
        if part.len() > MAX_NAME_BYTES {
            return Err(Refusal::NameTooLong(part));
        }
        parts.push(part);
    }
    if parts.is_empty() && !allow_root {
        return Err(Refusal::Empty);
    }
    Ok(parts)
}

/// Whether a part is made only of dots once compatibility forms are folded (`．．`, `‥`).
fn reads_as_dots(part: &str) -> bool {
    let folded: String = part.nfkc().filter(|c| !c.is_whitespace()).collect();
    !folded.is_empty() && folded.chars().all(|c| c == '.')
}

/// `C:`, `C:\`, `\\server`: roots on Windows, refused everywhere.
fn looks_like_windows_root(text: &str) -> bool {
    let bytes = text.as_bytes();
    (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
        || text.starts_with("\\\\")
}

/// Refuses a file whose name is not UTF-8 (it could only be published under another name) or
/// too long for the copies and scripts loa makes from it.
pub fn check_file_name(path: &Path, shown: &Path) -> crate::base::error::Result<()> {
    let name = path.file_name().unwrap_or_default();
    let refusal = match name.to_str() {
        None => crate::base::paths::Refusal::NotUtf8,
        Some(name) if name.len() > crate::base::paths::MAX_NAME_BYTES => {
            crate::base::paths::Refusal::NameTooLong(name.to_owned())
        }
        Some(_) => return Ok(()),
    };
    let raw = shown.display().to_string();
    Err(crate::base::error::Error::at(shown, None, refusal.message(&raw)).with_hint(refusal.hint()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files_stay_below_the_root() {
        assert_eq!(output_file("/tin-cu/a/").unwrap(), "tin-cu/a");
        assert_eq!(output_file("/a/b%20c.png").unwrap(), "a/b c.png");
        assert_eq!(output_file("/").unwrap(), "");
        assert_eq!(output_file("../../victim/notes.txt"), Err(Refusal::Parent));
        assert_eq!(output_file("/a/%2e%2e/%2E%2E/x"), Err(Refusal::Parent));
        assert_eq!(output_file("a/..%2fb"), Err(Refusal::Parent));
        assert!(matches!(output_file("a\\..\\b"), Err(Refusal::ForbiddenCharacter('\\'))));
        assert!(matches!(output_file("a/\u{FF0E}\u{FF0E}/b"), Err(Refusal::LookAlike(_))));
        assert!(matches!(output_file("a/\u{2025}/b"), Err(Refusal::LookAlike(_))));
        assert!(matches!(output_file("a/x\u{FF0F}y"), Err(Refusal::LookAlike(_))));
        assert!(matches!(output_file("a/...."), Err(Refusal::LookAlike(_))));
        assert!(matches!(output_file("C:/Windows"), Err(Refusal::Absolute)));
        assert!(matches!(output_file("a/%00b"), Err(Refusal::ForbiddenCharacter('\0'))));
        assert!(matches!(output_file("a/%ff"), Err(Refusal::BadEncoding)));
        assert!(matches!(output_file(&"x".repeat(201)), Err(Refusal::NameTooLong(_))));
    }

    #[test]
    fn can_join_relative_paths_without_climbing_out() {
        assert_eq!(join_inside("tin-tuc", "../ke-hoach.md"), "ke-hoach.md");
        assert_eq!(join_inside("a/b", "./c.png"), "a/b/c.png");
        assert_eq!(join_inside("", "x.md"), "x.md");
        assert_eq!(join_inside("a", "../../../victim/notes.txt"), "victim/notes.txt");
    }

    #[test]
    fn relative_paths_are_never_absolute() {
        assert_eq!(relative("tin-tuc/bai").unwrap(), PathBuf::from("tin-tuc/bai"));
        assert_eq!(relative("/tmp/x"), Err(Refusal::Absolute));
        assert_eq!(relative("../../escaped"), Err(Refusal::Parent));
        assert_eq!(relative(""), Err(Refusal::Empty));
    }

    #[test]
    fn plain_names_are_one_part() {
        assert_eq!(plain_name("default").unwrap(), "default");
        assert!(plain_name("../other/theme").is_err());
        assert!(plain_name("a/b").is_err());
        assert!(plain_name("/abs").is_err());
    }

    #[test]
    fn links_on_the_way_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink("/tmp", dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling"))
            .unwrap();
        assert!(inside(dir.path(), Path::new("real/x.md")).is_ok());
        assert!(matches!(inside(dir.path(), Path::new("link/x.md")), Err(Refusal::ThroughLink(_))));
        assert!(matches!(inside(dir.path(), Path::new("dangling")), Err(Refusal::ThroughLink(_))));
    }

    /// Pieces an attacker would combine: climbing parts in many spellings, roots, separators
    /// and look-alikes, mixed with plain names.
    fn piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            Just("..".to_owned()),
            Just("%2e%2e".to_owned()),
            Just("%2E.".to_owned()),
            Just(".%2e".to_owned()),
            Just("%252e%252e".to_owned()),
            Just("\u{FF0E}\u{FF0E}".to_owned()),
            Just("\u{2025}".to_owned()),
            Just("\u{FE52}\u{FE52}".to_owned()),
            Just("/".to_owned()),
            Just("%2f".to_owned()),
            Just("\\".to_owned()),
            Just("%5c".to_owned()),
            Just("\u{FF0F}".to_owned()),
            Just("\u{2215}".to_owned()),
            Just("C:".to_owned()),
            Just("%00".to_owned()),
            Just(".".to_owned()),
            "[a-z0-9-]{1,8}",
            "\\PC{1,4}",
        ]
    }

    proptest::proptest! {
        #[test]
        fn no_output_file_leaves_its_folder(parts in proptest::collection::vec(piece(), 1..8)) {
            let raw = parts.concat();
            if let Ok(file) = output_file(&raw) {
                let root = Path::new("/site/public");
                let joined = root.join(&file);
                proptest::prop_assert!(checked_file(&file).is_ok() || file.is_empty(), "{file}");
                proptest::prop_assert!(
                    joined.components().all(|c| !matches!(c, Component::ParentDir)),
                    "{raw} gave {file}"
                );
                proptest::prop_assert!(joined.starts_with(root), "{raw} gave {file}");
                for part in file.split('/') {
                    let folded: String = part.nfkc().collect();
                    proptest::prop_assert!(folded != ".." && folded != ".", "{raw} gave {file}");
                }
            }
        }

        #[test]
        fn no_relative_path_leaves_its_folder(parts in proptest::collection::vec(piece(), 1..8)) {
            let raw = parts.concat();
            if let Ok(path) = relative(&raw) {
                proptest::prop_assert!(path.is_relative(), "{raw}");
                proptest::prop_assert!(
                    path.components().all(|c| matches!(c, Component::Normal(_))),
                    "{raw} gave {}", path.display()
                );
            }
        }

        #[test]
        fn no_path_through_a_link_is_accepted(parts in proptest::collection::vec("[ab]", 1..4)) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join("a")).unwrap();
            std::os::unix::fs::symlink("/", dir.path().join("b")).unwrap();
            let path: PathBuf = parts.iter().collect();
            let through_link = parts[0] == "b";
            let accepted = inside(dir.path(), &path);
            proptest::prop_assert_eq!(accepted.is_err(), through_link, "{:?}", accepted);
        }
    }
}
