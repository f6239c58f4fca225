//! The example site and the default theme, bundled into the binary for `loa init` and for
//! sites without a `themes/` folder.

/// The files of the bundled example that `loa init` writes: settings, locales, its content
/// and the default theme, with their bytes (listed by `build.rs`).
pub const STARTER_FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/starter_files.rs"));

/// The text of a bundled starter file, if there is one at `path`.
pub fn starter_text(path: &str) -> Option<&'static str> {
    STARTER_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
}
