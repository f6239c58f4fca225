//! Sorting a burst of file events into what `loa serve` has to do about them.

use std::path::{Path, PathBuf};

/// What a burst of changed files asks of the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing loa reads: editors' swap, backup and probe files.
    Nothing,
    /// Only Markdown sources under `content/` (paths relative to the site root, sorted).
    Pages(Vec<PathBuf>),
    /// Only stylesheets of the site's or a theme's `static/` folder.
    Styles,
    /// Only HTML templates of the site's or a theme's `templates/` folder.
    Templates,
    /// Anything else: `site.yaml`, locales, shortcodes, co-located files, folders.
    Everything,
}

/// Classifies the paths of one burst of events; `root` is the site folder.
pub fn classify(root: &Path, paths: &[PathBuf]) -> Change {
    let root = crate::write::absolute(root);
    let mut relative: Vec<PathBuf> = paths
        .iter()
        .filter(|p| !p.file_name().is_some_and(|n| is_editor_file(&n.to_string_lossy())))
        .map(|p| relative_to(&root, p))
        .filter(|p| is_read_by_loa(p))
        .collect();
    relative.sort();
    relative.dedup();
    if relative.is_empty() {
        return Change::Nothing;
    }
    if relative.iter().all(|p| is_page_source(p)) {
        return Change::Pages(relative);
    }
    if relative.iter().all(|p| is_stylesheet(p)) {
        return Change::Styles;
    }
    if relative.iter().all(|p| is_template(p)) {
        return Change::Templates;
    }
    Change::Everything
}

/// Whether loa reads this path: one in a watched folder or the settings file, not another file
/// of the site folder (a README, `.git`).
fn is_read_by_loa(relative: &Path) -> bool {
    relative
        .components()
        .next()
        .is_some_and(|first| super::WATCHED.iter().any(|w| first.as_os_str() == *w))
}

/// Files editors make beside the one being saved: Vim's `.swp`/`.swx` and `4913` probe, Emacs's
/// `.#name` lock and `#name#` autosave, `name~` backups, hidden and temporary files.
pub fn is_editor_file(name: &str) -> bool {
    crate::base::files::is_ignored(name)
        || name == "4913"
        || [".swx", ".swo", ".swpx", ".bak", ".part", ".crdownload"]
            .iter()
            .any(|e| name.ends_with(e))
}

/// `path` relative to the site folder, with its folder resolved the way `root` was, so that a
/// deleted file (which cannot be resolved itself) still matches.
pub fn relative_to(root: &Path, path: &Path) -> PathBuf {
    let absolute = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => crate::write::absolute(parent).join(name),
        _ => crate::write::absolute(path),
    };
    absolute.strip_prefix(root).map_or(absolute.clone(), Path::to_path_buf)
}

/// A Markdown source under `content/` (not a folder: a moved folder is a bigger change).
fn is_page_source(relative: &Path) -> bool {
    relative.starts_with(crate::load::content::CONTENT_DIR)
        && relative.extension().is_some_and(|e| e == "md")
        && !relative.is_dir()
}

/// A stylesheet in `static/` or in `themes/<name>/static/`.
fn is_stylesheet(relative: &Path) -> bool {
    is_in(relative, "static") && relative.extension().is_some_and(|e| e == "css")
}

/// An HTML template in `templates/` or in `themes/<name>/templates/`.
fn is_template(relative: &Path) -> bool {
    is_in(relative, "templates") && relative.extension().is_some_and(|e| e == "html")
}

/// Whether `relative` is inside the site's folder `name` or the one of a theme.
fn is_in(relative: &Path, name: &str) -> bool {
    let parts: Vec<_> = relative.components().map(|c| c.as_os_str()).collect();
    (parts.len() > 1 && parts[0] == name)
        || (parts.len() > 3 && parts[0] == "themes" && parts[2] == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(paths: &[&str]) -> Change {
        let root = Path::new("/site");
        classify(root, &paths.iter().map(|p| root.join(p)).collect::<Vec<_>>())
    }

    #[test]
    fn ignores_editor_files() {
        for name in ["content/.a.md.swp", "content/a.md~", "content/.#a.md", "content/4913"] {
            assert_eq!(change(&[name]), Change::Nothing, "{name}");
        }
        assert_eq!(change(&["content/#a.md#", "content/a.md.swx"]), Change::Nothing);
    }

    #[test]
    fn sees_page_edits_through_atomic_saves() {
        assert_eq!(
            change(&[
                "content/tin-tuc/b.md",
                "content/.b.md.swp",
                "content/a.en.md",
                "content/a.en.md"
            ]),
            Change::Pages(vec!["content/a.en.md".into(), "content/tin-tuc/b.md".into()])
        );
    }

    #[test]
    fn sees_stylesheets_alone() {
        assert_eq!(change(&["themes/default/static/style.css", "static/x.css"]), Change::Styles);
        assert_eq!(
            change(&["themes/default/static/style.css", "content/a.md"]),
            Change::Everything
        );
    }

    #[test]
    fn ignores_files_of_the_site_folder_loa_does_not_read() {
        assert_eq!(change(&["README.md", ".git/index", "notes.txt"]), Change::Nothing);
        assert_eq!(change(&["README.md", "site.yaml"]), Change::Everything);
    }

    #[test]
    fn sees_templates_alone() {
        assert_eq!(
            change(&["themes/default/templates/partials/list.html", "templates/page.html"]),
            Change::Templates
        );
        assert_eq!(change(&["templates/page.html", "content/a.md"]), Change::Everything);
        assert_eq!(change(&["themes/default/shortcodes/qr.html"]), Change::Everything);
    }

    #[test]
    fn rebuilds_everything_for_settings_shortcodes_and_assets() {
        for path in [
            "site.yaml",
            "locales/vi.yaml",
            "themes/default/shortcodes/hotline.html",
            "templates",
            "content/anh.jpg",
            "static/app.js",
        ] {
            assert_eq!(change(&[path]), Change::Everything, "{path}");
        }
    }
}
