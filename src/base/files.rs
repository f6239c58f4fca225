//! Writing into the site's own files (a translation's stamp, a saved page) without losing
//! anyone's work: a file is replaced only if it still holds what was read, and keeps its mode
//! and owner.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};

/// Replaces the file at `path` with `new`, but only while it still holds `expected` (what the
/// caller read): a save made in between by an editor or another person is never overwritten.
/// The new file keeps the old one's permissions and owner. `shown` names the file in messages.
pub fn replace_if_unchanged(path: &Path, shown: &Path, expected: &[u8], new: &[u8]) -> Result<()> {
    let metadata = fs_err::metadata(path)?;
    let temporary = temporary_beside(path);
    write_like(&temporary, &metadata, new)?;
    let result = swap_if_unchanged(path, &temporary, shown, expected);
    if temporary.exists() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// Exchanges `temporary` with `path` in one step, then checks that what it took out of place is
/// what was read; if not (a save came in between), it exchanges them back.
fn swap_if_unchanged(path: &Path, temporary: &Path, shown: &Path, expected: &[u8]) -> Result<()> {
    if fs_err::read(path)? != expected {
        return Err(changed(shown));
    }
    let exchange = |a: &Path, b: &Path| {
        rustix::fs::renameat_with(
            rustix::fs::CWD,
            a,
            rustix::fs::CWD,
            b,
            rustix::fs::RenameFlags::EXCHANGE,
        )
    };
    if exchange(temporary, path).is_err() {
        fs_err::rename(temporary, path)?;
        return Ok(());
    }
    if fs_err::read(temporary)? != expected {
        exchange(temporary, path).map_err(std::io::Error::from)?;
        return Err(changed(shown));
    }
    Ok(())
}

fn changed(shown: &Path) -> Error {
    Error::at(shown, None, msg!("files.changed_meanwhile"))
        .with_hint(msg!("files.changed_meanwhile.hint"))
}

/// Writes `bytes` into a new file at `path` with the permissions and owner of `like`.
fn write_like(path: &Path, like: &std::fs::Metadata, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut file = fs_err::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    fs_err::set_permissions(path, like.permissions())?;
    let same_owner =
        fs_err::metadata(path).is_ok_and(|m| m.uid() == like.uid() && m.gid() == like.gid());
    if !same_owner {
        let _ = std::os::unix::fs::chown(path, Some(like.uid()), Some(like.gid()));
    }
    Ok(())
}

/// A hidden name beside `path` for the file being written.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.loa-tmp-{}", std::process::id()))
}

/// Editor backups, swap files and hidden files that are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn replaces_an_unchanged_file_keeping_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o664)).unwrap();
        replace_if_unchanged(&file, Path::new("a.md"), b"old", b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o664);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn refuses_to_overwrite_a_save_made_since_reading() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "saved by the editor").unwrap();
        let error = replace_if_unchanged(&file, Path::new("a.md"), b"what loa read", b"new");
        assert!(error.is_err());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "saved by the editor");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
