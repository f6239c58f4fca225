//! Writing a build so that a failed or killed build leaves the previous output untouched: the new
//! output is filled beside its place (unchanged files as hard links to the old ones) and
//! exchanged with the old one in a single rename. loa only ever replaces folders that carry its
//! marker.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::base::error::{Error, Result};
use crate::render::{Artifact, Body};

/// The marker file loa puts in every output folder it creates.
pub const MARKER: &str = ".loa-build";

const MARKER_TEXT: &str = "This folder was built by loa and is replaced on every build.\n";

/// Checks that `out` may be (re)placed by a build of the site in `root`.
pub fn check_output_folder(root: &Path, out: &Path) -> Result<()> {
    let root = absolute(root);
    let out = absolute(out);
    let protected: Vec<PathBuf> = ["content", "themes", "site.yaml"]
        .into_iter()
        .chain(crate::load::theme::LAYERED_FOLDERS)
        .map(|d| root.join(d))
        .collect();
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

/// Writes the artifacts as the new content of `out` in one go (see [`Staging`]).
pub fn write_site(out: &Path, artifacts: &[Artifact]) -> Result<()> {
    let staging = Staging::open(out)?;
    staging.put(artifacts)?;
    staging.finish()
}

/// A new output being filled beside `out` while a build renders: artifacts are written as
/// they come (files unchanged since the last build are hard links to the old ones, so nothing
/// is copied), and [`Staging::finish`] exchanges the complete tree with the old one in one
/// step. A build killed or failing at any moment leaves the old output exactly as it was or
/// the complete new one: a staging tree dropped unfinished is removed, and what a killed build
/// left beside the output is removed by the next one.
pub struct Staging {
    /// Where the output goes and where its trees are staged.
    place: Place,
    /// The tree being filled.
    tree: PathBuf,
    /// The previous output, whose unchanged files are linked.
    previous: Option<PathBuf>,
    /// Holds the lock that tells other builds this tree is in use.
    _lock: std::fs::File,
    /// The files written so far, to refuse a second one at the same path.
    written: Mutex<HashSet<String>>,
    /// The folders made so far.
    folders: Mutex<HashSet<PathBuf>>,
    /// Whether the tree was swapped in.
    finished: bool,
}

impl Staging {
    /// Starts a new output for `out`: repairs what killed builds left, then makes an empty
    /// locked tree beside it with loa's marker.
    pub fn open(out: &Path) -> Result<Staging> {
        let out = absolute(out);
        let place = Place::of(&out);
        place.recover()?;
        let tree = place.sibling("new", std::process::id());
        if tree.exists() {
            fs_err::remove_dir_all(&tree)?;
        }
        fs_err::create_dir_all(&tree)?;
        let lock = match lock_tree(&tree).and_then(|lock| {
            fs_err::write(tree.join(MARKER), MARKER_TEXT)?;
            Ok(lock)
        }) {
            Ok(lock) => lock,
            Err(error) => {
                let _ = fs_err::remove_dir_all(&tree);
                return Err(error);
            }
        };
        let previous = out.join(MARKER).is_file().then_some(out);
        Ok(Staging {
            place,
            tree,
            previous,
            _lock: lock,
            written: Mutex::default(),
            folders: Mutex::default(),
            finished: false,
        })
    }

    /// Writes artifacts into the tree, side by side; a path that could leave the output, or
    /// that an artifact already took, is refused.
    pub fn put(&self, artifacts: &[Artifact]) -> Result<()> {
        check_artifact_paths(artifacts)?;
        self.claim(artifacts)?;
        for folder in folders_of(&self.tree, artifacts.iter().map(|a| a.path.as_str())) {
            self.make_folder(folder)?;
        }
        artifacts
            .par_iter()
            .try_for_each(|a| place_artifact(&self.tree, self.previous.as_deref(), a))
    }

    /// How many files were written.
    pub fn files(&self) -> usize {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Makes the filled tree the output in one step, then removes the old tree.
    pub fn finish(mut self) -> Result<()> {
        self.finished = true;
        let swapped = self.place.swap_in(&self.tree);
        if swapped.is_err() && self.tree.exists() {
            let _ = fs_err::remove_dir_all(&self.tree);
        }
        swapped
    }

    /// Notes the artifacts' paths as written; one already written is an error.
    fn claim(&self, artifacts: &[Artifact]) -> Result<()> {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        for artifact in artifacts {
            if !written.insert(artifact.path.clone()) {
                return Err(Error::at(&artifact.path, None, msg!("outputs.same_file"))
                    .with_hint(msg!("outputs.same_file.hint")));
            }
        }
        Ok(())
    }

    /// Makes one folder of the tree, once (its parents come before it).
    fn make_folder(&self, folder: PathBuf) -> Result<()> {
        let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        if folders.contains(&folder) {
            return Ok(());
        }
        fs_err::create_dir(&folder)?;
        folders.insert(folder);
        Ok(())
    }
}

impl Drop for Staging {
    /// A tree left unfinished (a failed or cancelled build) is removed; the output is untouched.
    fn drop(&mut self) {
        if !self.finished && self.tree.exists() {
            let _ = fs_err::remove_dir_all(&self.tree);
        }
    }
}

/// Refuses an artifact whose path could leave the output folder or is too long to write: the
/// sources are checked where they are read, and this is the last guard before the disk.
fn check_artifact_paths(artifacts: &[Artifact]) -> Result<()> {
    for artifact in artifacts {
        if artifact.path == MARKER {
            let refusal = crate::base::paths::Refusal::LookAlike(MARKER.to_owned());
            return Err(Error::at(MARKER, None, refusal.message(MARKER)).with_hint(refusal.hint()));
        }
        if let Err(refusal) = crate::base::paths::checked_file(&artifact.path) {
            return Err(Error::at(&artifact.path, None, refusal.message(&artifact.path))
                .with_hint(refusal.hint()));
        }
    }
    Ok(())
}

/// An output folder and the names loa gives the trees it stages beside it.
struct Place {
    out: PathBuf,
    parent: PathBuf,
    name: String,
}

impl Place {
    fn of(out: &Path) -> Place {
        let parent = out.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        Place { out: out.to_path_buf(), parent, name }
    }

    /// `.<name>.loa-<kind>-<pid>` beside the output.
    fn sibling(&self, kind: &str, pid: u32) -> PathBuf {
        self.parent.join(format!(".{}.loa-{kind}-{pid}", self.name))
    }

    /// The trees that builds no longer running left beside the output: `(kind, path)`.
    fn leftovers(&self) -> Result<Vec<(String, PathBuf)>> {
        if !self.parent.is_dir() {
            return Ok(Vec::new());
        }
        let prefix = format!(".{}.loa-", self.name);
        let mut found = Vec::new();
        for entry in fs_err::read_dir(&self.parent)? {
            let entry = entry?;
            let file_name = entry.file_name();
            let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
                continue;
            };
            let Some((kind, pid)) = rest.split_once('-') else { continue };
            if pid.parse::<u32>().is_err() || !(kind == "new" || kind == "old") {
                continue;
            }
            if in_use(&entry.path()) {
                continue;
            }
            found.push((kind.to_owned(), entry.path()));
        }
        Ok(found)
    }

    /// Puts back an old output that a killed build had moved aside, and removes the trees killed
    /// builds left half-filled. Only folders that carry loa's marker are ever removed.
    fn recover(&self) -> Result<()> {
        let leftovers = self.leftovers()?;
        if !self.out.exists() {
            let moved_aside = leftovers.iter().find(|(kind, _)| kind == "old");
            if let Some((_, old)) = moved_aside {
                fs_err::rename(old, &self.out)?;
            }
        }
        for (_, path) in leftovers.iter().filter(|(_, p)| p.is_dir()) {
            if path.join(MARKER).is_file() {
                remove_marked_tree(path)?;
            } else if fs_err::read_dir(path)?.next().is_none() {
                fs_err::remove_dir(path)?;
            }
        }
        Ok(())
    }

    /// Makes the filled `staging` tree the output in one step, then removes the old tree.
    fn swap_in(&self, staging: &Path) -> Result<()> {
        if !self.out.exists() {
            fs_err::rename(staging, &self.out)?;
            return Ok(());
        }
        let exchanged = rustix::fs::renameat_with(
            rustix::fs::CWD,
            staging,
            rustix::fs::CWD,
            &self.out,
            rustix::fs::RenameFlags::EXCHANGE,
        );
        let old = match exchanged {
            Ok(()) => staging.to_path_buf(),
            Err(_) => self.swap_by_two_renames(staging)?,
        };
        remove_old_tree(&old)
    }

    /// For file systems without an exchange: the old tree is moved aside, the new one moved in.
    /// A build killed between the two renames is repaired by the next one ([`Place::recover`]).
    fn swap_by_two_renames(&self, staging: &Path) -> Result<PathBuf> {
        let old = self.sibling("old", std::process::id());
        fs_err::rename(&self.out, &old)?;
        if let Err(e) = fs_err::rename(staging, &self.out) {
            let _ = fs_err::rename(&old, &self.out);
            return Err(e.into());
        }
        Ok(old)
    }
}

/// Removes the tree a swap replaced: all of it when loa made it, or the empty folder it was.
fn remove_old_tree(old: &Path) -> Result<()> {
    if old.join(MARKER).is_file() { remove_marked_tree(old) } else { Ok(fs_err::remove_dir(old)?) }
}

/// Removes a tree loa made, its marker last, so that a removal cut short still carries the
/// marker and the next build finishes it.
fn remove_marked_tree(tree: &Path) -> Result<()> {
    for entry in fs_err::read_dir(tree)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs_err::remove_dir_all(entry.path())?;
        } else {
            fs_err::remove_file(entry.path())?;
        }
    }
    let _ = fs_err::remove_file(tree.join(MARKER));
    Ok(fs_err::remove_dir(tree)?)
}

/// Whether a running build holds the lock on a tree it stages (see [`lock_tree`]); a tree whose
/// build was killed has no lock, whatever process now has its number.
fn in_use(tree: &Path) -> bool {
    let Ok(folder) = std::fs::File::open(tree) else { return false };
    let attempt = rustix::fs::flock(&folder, rustix::fs::FlockOperation::NonBlockingLockExclusive);
    attempt.is_err()
}

/// Locks a tree this build stages for as long as the returned handle lives.
fn lock_tree(tree: &Path) -> Result<std::fs::File> {
    let folder = fs_err::File::open(tree)?.into_parts().0;
    rustix::fs::flock(&folder, rustix::fs::FlockOperation::NonBlockingLockExclusive)
        .map_err(std::io::Error::from)?;
    Ok(folder)
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

/// Whether the file at `target` already holds exactly the artifact's bytes.
fn same_bytes(target: &Path, body: &Body) -> bool {
    let Ok(existing) = std::fs::symlink_metadata(target) else { return false };
    if !existing.file_type().is_file() {
        return false;
    }
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

/// Writes one artifact into the new tree, or links the old file when it has the same bytes.
fn place_artifact(staging: &Path, previous: Option<&Path>, artifact: &Artifact) -> Result<()> {
    let target = staging.join(&artifact.path);
    if let Some(previous) = previous {
        let old = previous.join(&artifact.path);
        if same_bytes(&old, &artifact.body) && std::fs::hard_link(&old, &target).is_ok() {
            return Ok(());
        }
    }
    write_body(&target, &artifact.body)
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
