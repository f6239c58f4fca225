//! Writing a build so that a failed build leaves the previous output untouched: a new output is
//! filled beside its place and swapped in; an existing one is updated in two phases (changed
//! files are first written beside their targets, then renamed over them), and unchanged files
//! are not touched. loa only ever replaces folders that carry its marker.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::outputs::{Artifact, Body};

/// The marker file loa puts in every output folder it creates.
pub const MARKER: &str = ".loa-build";

const MARKER_TEXT: &str = "This folder was built by loa and is replaced on every build.\n";

/// Checks that `out` may be (re)placed by a build of the site in `root`.
pub fn check_output_folder(root: &Path, out: &Path) -> Result<()> {
    let root = absolute(root);
    let out = absolute(out);
    let protected = ["content", "locales", "themes", "static", "templates"].map(|d| root.join(d));
    if root.starts_with(&out) {
        return Err(Error::at(&out, None, msg!("write.out_contains_site"))
            .with_hint(msg!("write.choose_out")));
    }
    if protected.iter().any(|p| out.starts_with(p) || p.starts_with(&out)) {
        return Err(
            Error::at(&out, None, msg!("write.out_is_sources")).with_hint(msg!("write.choose_out"))
        );
    }
    if out.is_file() {
        return Err(
            Error::at(&out, None, msg!("write.out_is_file")).with_hint(msg!("write.choose_out"))
        );
    }
    if out.is_dir() && !out.join(MARKER).is_file() && fs_err::read_dir(&out)?.next().is_some() {
        return Err(Error::at(&out, None, msg!("write.foreign_folder"))
            .with_hint(msg!("write.foreign_folder.hint")));
    }
    Ok(())
}

/// Writes the artifacts as the new content of `out`.
pub fn write_site(out: &Path, artifacts: &[Artifact]) -> Result<()> {
    let out = absolute(out);
    if out.join(MARKER).is_file() && !blocks_update(&out, artifacts) {
        return update_in_place(&out, artifacts);
    }
    write_fresh(&out, artifacts)
}

/// Fills a new folder beside `out` and swaps it in.
fn write_fresh(out: &Path, artifacts: &[Artifact]) -> Result<()> {
    let parent = out.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    fs_err::create_dir_all(&parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.loa-new-{}", std::process::id()));
    if staging.exists() {
        fs_err::remove_dir_all(&staging)?;
    }
    let result = fill(&staging, artifacts).and_then(|()| swap(&staging, out, &parent, &name));
    if result.is_err() && staging.exists() {
        let _ = fs_err::remove_dir_all(&staging);
    }
    result
}

/// Whether something in `out` stands where a folder or file of the new build must go (a file
/// where a folder is needed, a folder or link where a file is), so it cannot be updated in place.
fn blocks_update(out: &Path, artifacts: &[Artifact]) -> bool {
    let is_dir = |path: &Path| std::fs::symlink_metadata(path).map(|m| m.is_dir());
    let paths = artifacts.iter().map(|a| a.path.as_str());
    let folders_blocked = folders_of(out, paths).iter().any(|f| matches!(is_dir(f), Ok(false)));
    folders_blocked
        || artifacts.par_iter().any(|a| {
            std::fs::symlink_metadata(out.join(&a.path)).is_ok_and(|m| !m.file_type().is_file())
        })
}

/// The folders the artifacts go in, below `base`, parents before children.
fn folders_of<'a>(base: &Path, paths: impl Iterator<Item = &'a str>) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = paths
        .filter_map(|p| Path::new(p).parent())
        .flat_map(Path::ancestors)
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| base.join(p))
        .collect();
    folders.sort();
    folders.dedup();
    folders
}

/// Updates an output loa made before: changed files are staged beside their targets, then
/// renamed over them; files no longer built are removed.
fn update_in_place(out: &Path, artifacts: &[Artifact]) -> Result<()> {
    let changed: Vec<&Artifact> =
        artifacts.par_iter().filter(|a| !same_bytes(&out.join(&a.path), &a.body)).collect();
    let created = create_missing_folders(out, &changed)?;
    let staged = changed.par_iter().map(|a| stage(out, a)).collect::<Vec<_>>();
    if staged.iter().any(Result::is_err) {
        let error = staged.into_iter().find_map(Result::err);
        for path in &created_staging(out, &changed) {
            let _ = std::fs::remove_file(path);
        }
        for folder in created.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
        return Err(error.expect("a staging error"));
    }
    changed.par_iter().try_for_each(|a| -> Result<()> {
        fs_err::rename(staging_path(out, a), out.join(&a.path))?;
        Ok(())
    })?;
    remove_stale(out, artifacts)
}

/// Whether the file at `target` already holds exactly the artifact's bytes.
fn same_bytes(target: &Path, body: &Body) -> bool {
    let Ok(existing) = std::fs::metadata(target) else { return false };
    match body {
        Body::Bytes(bytes) => {
            existing.len() == bytes.len() as u64 && std::fs::read(target).is_ok_and(|b| b == *bytes)
        }
        Body::Copy(source) => {
            std::fs::metadata(source).is_ok_and(|m| m.len() == existing.len())
                && matches!((std::fs::read(source), std::fs::read(target)), (Ok(a), Ok(b)) if a == b)
        }
    }
}

/// Creates the folders the changed artifacts need, returning those it made, parents first.
fn create_missing_folders(out: &Path, changed: &[&Artifact]) -> Result<Vec<PathBuf>> {
    let mut created = Vec::new();
    for folder in folders_of(out, changed.iter().map(|a| a.path.as_str())) {
        if !folder.is_dir() {
            fs_err::create_dir(&folder)?;
            created.push(folder);
        }
    }
    Ok(created)
}

/// Where an artifact is written before it is renamed into place.
fn staging_path(out: &Path, artifact: &Artifact) -> PathBuf {
    beside(&out.join(&artifact.path))
}

/// The staged files that exist, for clean-up after a failure.
fn created_staging(out: &Path, changed: &[&Artifact]) -> Vec<PathBuf> {
    changed.iter().map(|a| staging_path(out, a)).filter(|p| p.exists()).collect()
}

/// Writes one artifact beside its target.
fn stage(out: &Path, artifact: &Artifact) -> Result<()> {
    write_body(&staging_path(out, artifact), &artifact.body)
}

/// Removes files of earlier builds that this build no longer makes, and folders left empty.
fn remove_stale(out: &Path, artifacts: &[Artifact]) -> Result<()> {
    let wanted: std::collections::HashSet<PathBuf> =
        artifacts.iter().map(|a| out.join(&a.path)).chain([out.join(MARKER)]).collect();
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1).contents_first(true) {
        let entry = entry.map_err(std::io::Error::from)?;
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else if !wanted.contains(entry.path()) {
            fs_err::remove_file(entry.path())?;
        }
    }
    for folder in folders {
        if fs_err::read_dir(&folder)?.next().is_none() {
            fs_err::remove_dir(&folder)?;
        }
    }
    Ok(())
}

fn fill(staging: &Path, artifacts: &[Artifact]) -> Result<()> {
    fs_err::create_dir_all(staging)?;
    fs_err::write(staging.join(MARKER), MARKER_TEXT)?;
    for folder in folders_of(staging, artifacts.iter().map(|a| a.path.as_str())) {
        fs_err::create_dir(folder)?;
    }
    artifacts.par_iter().try_for_each(|a| write_body(&staging.join(&a.path), &a.body))
}

/// Writes an artifact's body at `target`: its bytes, or a copy of its file.
fn write_body(target: &Path, body: &Body) -> Result<()> {
    match body {
        Body::Bytes(bytes) => fs_err::write(target, bytes)?,
        Body::Copy(source) => {
            fs_err::copy(source, target)?;
        }
    }
    Ok(())
}

/// Where a file is written before it is renamed over `target`.
fn beside(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.loa-new-{}", std::process::id()))
}

/// Replaces the file at `target` with `body`, written beside it first and renamed over it, so
/// that a reader never sees half a file.
pub(crate) fn replace_file(target: &Path, body: &Body) -> Result<()> {
    let staged = beside(target);
    write_body(&staged, body)?;
    fs_err::rename(&staged, target)?;
    Ok(())
}

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<()> {
    if !out.exists() {
        fs_err::rename(staging, out)?;
        return Ok(());
    }
    let old = parent.join(format!(".{name}.loa-old-{}", std::process::id()));
    fs_err::rename(out, &old)?;
    if let Err(e) = fs_err::rename(staging, out) {
        let _ = fs_err::rename(&old, out);
        return Err(e.into());
    }
    if old.join(MARKER).is_file() {
        fs_err::remove_dir_all(&old)?;
    } else {
        fs_err::remove_dir(&old)?;
    }
    Ok(())
}

/// `path` made absolute against the current folder, with `.` and `..` resolved lexically.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean.canonicalize().unwrap_or(clean)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::MetadataExt;

    use super::*;

    fn bytes(path: &str, text: &str) -> Artifact {
        Artifact { path: path.into(), body: Body::Bytes(text.as_bytes().to_vec()) }
    }

    fn inode(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().ino()
    }

    fn files_under(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = walkdir::WalkDir::new(folder)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap().path().strip_prefix(folder).unwrap().display().to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn rebuild_touches_only_changed_files_and_removes_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = [bytes("a/index.html", "A"), bytes("b/index.html", "B"), bytes("c.txt", "C")];
        write_site(&out, &first).unwrap();
        let (a, b) = (inode(&out.join("a/index.html")), inode(&out.join("b/index.html")));
        let second =
            [bytes("a/index.html", "A"), bytes("b/index.html", "B2"), bytes("d/e.txt", "E")];
        write_site(&out, &second).unwrap();
        assert_eq!(inode(&out.join("a/index.html")), a, "an unchanged file is left alone");
        assert_ne!(inode(&out.join("b/index.html")), b, "a changed file is replaced");
        assert_eq!(std::fs::read_to_string(out.join("b/index.html")).unwrap(), "B2");
        assert_eq!(
            files_under(&out),
            [".loa-build", "a", "a/index.html", "b", "b/index.html", "d", "d/e.txt"]
        );
    }

    #[test]
    fn failed_update_leaves_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[bytes("a/index.html", "A")]).unwrap();
        let missing =
            Artifact { path: "new/x.png".into(), body: Body::Copy(dir.path().join("no")) };
        let broken = [bytes("a/index.html", "A2"), missing];
        assert!(write_site(&out, &broken).is_err());
        assert_eq!(files_under(&out), [".loa-build", "a", "a/index.html"]);
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "A");
    }

    #[test]
    fn a_file_where_a_folder_must_go_is_replaced_by_a_fresh_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[bytes("tin-tuc", "old file")]).unwrap();
        write_site(&out, &[bytes("tin-tuc/index.html", "page")]).unwrap();
        assert_eq!(files_under(&out), [".loa-build", "tin-tuc", "tin-tuc/index.html"]);
    }
}
