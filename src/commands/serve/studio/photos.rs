//! Photos dropped onto the editor: refused unless a JPEG, PNG, WebP or GIF of at most
//! [`MAX_BYTES`]; every metadata block (EXIF with its GPS position, XMP, IPTC, comments)
//! taken out and the photo turned upright (`engines::images::process::clean`) before anything
//! is written; stored in the page's folder, a `name.md` page (with its translations) first
//! becoming `name/index.md`.

use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};
use crate::engines::images::{Budget, Kind, kind, process};

/// The largest photo taken, in bytes.
pub const MAX_BYTES: usize = 25 * 1024 * 1024;

/// A stored photo.
#[derive(Debug, serde::Serialize)]
pub struct Stored {
    /// The page's file now (it moves when it becomes a folder).
    pub page: String,
    /// The photo's name in the page's folder, as the text refers to it.
    pub name: String,
}

/// Cleans `bytes` and stores them beside the page at `page` (`content/…`, checked by the
/// caller) under a name made from `name`.
pub fn store(root: &Path, page: &str, name: &str, bytes: &[u8]) -> Result<Stored> {
    let shown = Path::new(page);
    let refused = || {
        Error::at(shown, None, msg!("studio.not_a_photo", name = name))
            .with_hint(msg!("studio.not_a_photo.hint"))
    };
    if !matches!(kind::sniff(bytes), Some(Kind::Jpeg | Kind::Png | Kind::WebP | Kind::Gif)) {
        return Err(refused());
    }
    let cleaned =
        process::clean(bytes, Path::new(name), &Budget::new(1 << 30))?.ok_or_else(refused)?;
    let extension = kind::sniff(&cleaned).ok_or_else(refused)?.extension();
    let page = into_folder(root, page)?;
    let folder = root.join(&page).parent().map(Path::to_path_buf).unwrap_or_default();
    let stem =
        Path::new(name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = match crate::base::text::slugify(&stem) {
        empty if empty.is_empty() => "anh".to_owned(),
        slug => slug,
    };
    let mut file_name = format!("{stem}.{extension}");
    let mut n = 2;
    while folder.join(&file_name).exists() {
        file_name = format!("{stem}-{n}.{extension}");
        n += 1;
    }
    let shown_photo = PathBuf::from(&page).with_file_name(&file_name);
    super::files::write_atomically(&folder.join(&file_name), &shown_photo, &cleaned)?;
    Ok(Stored { page, name: file_name })
}

/// The page's file once it has a folder of its own: `a/b.md` and its translations `a/b.*.md`
/// become `a/b/index.md` and `a/b/index.*.md`; `…/index.md` and `_index.md` stay.
fn into_folder(root: &Path, page: &str) -> Result<String> {
    let path = Path::new(page);
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if file_name.starts_with("index.") || file_name.starts_with("_index.") {
        return Ok(page.to_owned());
    }
    let stem = file_name.split('.').next().unwrap_or_default().to_owned();
    let parent = path.parent().unwrap_or(Path::new(""));
    let folder = parent.join(&stem);
    let moved_error = |e: std::io::Error| super::rename::write_failed(path, &e);
    if root.join(&folder).exists() {
        return Err(Error::at(path, None, msg!("studio.folder_exists", folder = folder.display()))
            .with_hint(msg!("studio.folder_exists.hint")));
    }
    let versions = super::rename::versions(root, parent, &stem)?;
    std::fs::create_dir(root.join(&folder)).map_err(moved_error)?;
    let mut moved = page.to_owned();
    for version in versions {
        let rest = &version[stem.len()..];
        let to = folder.join(format!("index{rest}"));
        std::fs::rename(root.join(parent).join(&version), root.join(&to)).map_err(moved_error)?;
        if version == file_name {
            moved = to.to_string_lossy().into_owned();
        }
    }
    Ok(moved)
}
