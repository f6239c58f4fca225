//! Where theme files come from: `themes/<theme>/` in the site, or, when the site has no such
//! folder and asks for `default`, the default theme bundled in the binary. A site's own
//! `templates/`, `shortcodes/`, `locales/` and `static/` come on top.

use std::path::{Path, PathBuf};

use crate::base::error::Result;
use crate::load::config::Config;

/// The theme every site gets unless it names another.
pub const DEFAULT_THEME: &str = "default";

/// Where a file's bytes are.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file on disk.
    Disk(PathBuf),
    /// A file of the bundled default theme.
    Embedded(&'static [u8]),
}

/// A file of a theme or site folder.
#[derive(Debug, Clone)]
pub struct LayerFile {
    /// Path inside the folder, `/`-separated.
    pub relative: String,
    /// Path shown in messages, relative to the site root.
    pub shown: PathBuf,
    /// Its bytes.
    pub source: Source,
}

impl LayerFile {
    /// The file as normalised text (UTF-8, NFC, `\n`).
    pub fn text(&self) -> Result<String> {
        match &self.source {
            Source::Disk(path) => crate::base::encoding::read_source(path, &self.shown),
            Source::Embedded(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Ok(crate::base::text::normalize_source(text)),
                Err(_) => crate::base::encoding::read_source_bytes(bytes, &self.shown),
            },
        }
    }

    /// The file's bytes as they are (fonts, images).
    pub fn bytes(&self) -> Result<Vec<u8>> {
        match &self.source {
            Source::Disk(path) => Ok(fs_err::read(path)?),
            Source::Embedded(bytes) => Ok(bytes.to_vec()),
        }
    }
}

/// The files of `folder` (e.g. `templates`) in the theme.
pub fn theme_files(config: &Config, folder: &str) -> Result<Vec<LayerFile>> {
    let shown = Path::new("themes").join(&config.theme).join(folder);
    if config.theme_dir().is_dir() || config.theme != DEFAULT_THEME {
        return disk_files(&config.root, &shown);
    }
    let prefix = format!("themes/{DEFAULT_THEME}/{folder}/");
    Ok(crate::base::bundle::STARTER_FILES
        .iter()
        .filter_map(|(path, bytes)| {
            let relative = path.strip_prefix(&prefix)?;
            Some(LayerFile {
                relative: relative.to_owned(),
                shown: PathBuf::from(path),
                source: Source::Embedded(bytes),
            })
        })
        .collect())
}

/// The files of the site's own `folder` (e.g. `locales`).
pub fn site_files(config: &Config, folder: &str) -> Result<Vec<LayerFile>> {
    disk_files(&config.root, Path::new(folder))
}

/// The theme's files of `folder`, then the site's, which replace theme files of the same path.
pub fn layered_files(config: &Config, folder: &str) -> Result<Vec<LayerFile>> {
    let mut files = theme_files(config, folder)?;
    for file in site_files(config, folder)? {
        files.retain(|f| f.relative != file.relative);
        files.push(file);
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(files)
}

/// The folders loa reads from a theme and, on top, from the site itself.
pub const LAYERED_FOLDERS: [&str; 7] =
    ["templates", "shortcodes", "static", "locales", "print", "banners", "fonts"];

/// Symbolic links in the theme and site folders loa reads, which it skips: a build never
/// follows a link, so it never publishes a file from outside the site.
pub fn skipped_links(config: &Config) -> Vec<PathBuf> {
    let theme = Path::new("themes").join(&config.theme);
    let mut folders: Vec<PathBuf> = vec![theme.clone()];
    for folder in LAYERED_FOLDERS {
        folders.push(PathBuf::from(folder));
        folders.push(theme.join(folder));
    }
    let mut links: Vec<PathBuf> = folders
        .iter()
        .filter(|f| !through_link(&config.root, f.parent().unwrap_or(Path::new(""))))
        .flat_map(|f| walkdir::WalkDir::new(config.root.join(f)).follow_root_links(false))
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path_is_symlink())
        .map(|entry| entry.path().strip_prefix(&config.root).unwrap_or(entry.path()).to_path_buf())
        .collect();
    links.sort();
    links.dedup();
    links
}

/// Whether `shown`, or a folder on the way to it from `root`, is a symbolic link.
fn through_link(root: &Path, shown: &Path) -> bool {
    shown
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .any(|a| root.join(a).symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()))
}

fn disk_files(root: &Path, shown: &Path) -> Result<Vec<LayerFile>> {
    let folder = root.join(shown);
    if !folder.is_dir() || through_link(root, shown) {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&folder).follow_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| {
        e.depth() == 0 || !crate::base::files::is_ignored(&e.file_name().to_string_lossy())
    }) {
        let entry = entry.map_err(|e| std::io::Error::other(e.to_string()))?;
        if entry.file_type().is_file() {
            let relative = crate::base::text::relative_slash_path(&folder, entry.path());
            crate::base::paths::check_file_name(entry.path(), &shown.join(&relative))?;
            files.push(LayerFile {
                shown: shown.join(&relative),
                relative,
                source: Source::Disk(entry.path().to_path_buf()),
            });
        }
    }
    Ok(files)
}
