//! The output folder as `loa serve` last wrote it: a hash of every file's bytes kept in memory,
//! so that a rebuild writes only the files whose bytes changed and removes those no longer made.

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::base::error::Result;
use crate::render::{Artifact, Body};

/// What a call to the mirror did to the output folder.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files rendered and compared with those last written.
    pub rendered: usize,
    /// Files written, because they are new or their bytes changed.
    pub written: Vec<String>,
    /// Files removed, because the build no longer makes them.
    pub removed: Vec<String>,
}

/// The files of an output folder with a hash of their bytes, as last written.
#[derive(Debug)]
pub struct Mirror {
    out: PathBuf,
    hashes: HashMap<String, u64>,
}

impl Mirror {
    /// A mirror of `out` as a full build just wrote it with these artifacts.
    pub fn new(out: &Path, artifacts: &[Artifact]) -> Result<Mirror> {
        let hashes: Vec<(String, u64)> = artifacts
            .par_iter()
            .map(|a| Ok((a.path.clone(), hash_body(&a.body)?)))
            .collect::<Result<_>>()?;
        Ok(Mirror { out: out.to_path_buf(), hashes: hashes.into_iter().collect() })
    }

    /// A mirror of a folder holding nothing loa knows of.
    pub fn empty(out: &Path) -> Mirror {
        Mirror { out: out.to_path_buf(), hashes: HashMap::new() }
    }

    /// Writes the artifacts whose bytes differ from what was last written; others stay untouched.
    pub fn update(&mut self, artifacts: &[Artifact]) -> Result<Written> {
        let hashed: Vec<(&Artifact, u64)> =
            artifacts.par_iter().map(|a| Ok((a, hash_body(&a.body)?))).collect::<Result<_>>()?;
        let changed: Vec<(&Artifact, u64)> =
            hashed.into_iter().filter(|(a, h)| self.hashes.get(&a.path) != Some(h)).collect();
        changed.par_iter().try_for_each(|(a, _)| write_one(&self.out, a))?;
        let mut written = Written { rendered: artifacts.len(), ..Written::default() };
        for (artifact, hash) in changed {
            self.hashes.insert(artifact.path.clone(), hash);
            written.written.push(artifact.path.clone());
        }
        Ok(written)
    }

    /// Makes the folder hold exactly these artifacts: changed files written, others removed.
    pub fn replace(&mut self, artifacts: &[Artifact]) -> Result<Written> {
        let mut written = self.update(artifacts)?;
        let wanted: std::collections::HashSet<&str> =
            artifacts.iter().map(|a| a.path.as_str()).collect();
        let mut stale: Vec<String> =
            self.hashes.keys().filter(|p| !wanted.contains(p.as_str())).cloned().collect();
        stale.sort();
        for path in &stale {
            remove_one(&self.out, path)?;
            self.hashes.remove(path);
        }
        written.removed = stale;
        Ok(written)
    }

    /// How many files the mirror knows.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the mirror knows no file.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

/// A 64-bit hash of an artifact's bytes (a copied file is read).
fn hash_body(body: &Body) -> Result<u64> {
    let mut hasher = siphasher::sip::SipHasher13::new();
    match body {
        Body::Bytes(bytes) => hasher.write(bytes),
        Body::Copy(source) => hasher.write(&fs_err::read(source)?),
    }
    Ok(hasher.finish())
}

/// Writes one file in place through [`crate::write::replace_file`], making its folder first.
fn write_one(out: &Path, artifact: &Artifact) -> Result<()> {
    let target = out.join(&artifact.path);
    if let Some(folder) = target.parent() {
        fs_err::create_dir_all(folder)?;
    }
    crate::write::replace_file(&target, &artifact.body)
}

/// Removes a file no longer made, and the folders it leaves empty (never `out` itself).
fn remove_one(out: &Path, path: &str) -> Result<()> {
    let target = out.join(path);
    if target.is_file() {
        fs_err::remove_file(&target)?;
    }
    let mut folder = target.parent();
    while let Some(dir) = folder.filter(|d| *d != out && d.starts_with(out)) {
        if std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_some()) {
            break;
        }
        fs_err::remove_dir(dir)?;
        folder = dir.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(path: &str, text: &str) -> Artifact {
        Artifact { path: path.into(), body: Body::Bytes(text.as_bytes().to_vec()) }
    }

    fn identity(path: &Path) -> (std::time::SystemTime, u64) {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).unwrap();
        (meta.modified().unwrap(), meta.ino())
    }

    #[test]
    fn writes_only_files_whose_bytes_changed() {
        let dir = tempfile::tempdir().unwrap();
        let first = [bytes("a/index.html", "a"), bytes("b.txt", "b")];
        let mut mirror = Mirror::new(dir.path(), &[]).unwrap();
        assert_eq!(mirror.update(&first).unwrap().written, ["a/index.html", "b.txt"]);
        let before = identity(&dir.path().join("b.txt"));
        std::thread::sleep(std::time::Duration::from_millis(20));
        let done = mirror.update(&[bytes("a/index.html", "A"), bytes("b.txt", "b")]).unwrap();
        assert_eq!(done.written, ["a/index.html"]);
        assert_eq!(identity(&dir.path().join("b.txt")), before);
        assert_eq!(std::fs::read_to_string(dir.path().join("a/index.html")).unwrap(), "A");
    }

    #[test]
    fn removes_files_no_longer_made_and_their_empty_folders() {
        let dir = tempfile::tempdir().unwrap();
        let mut mirror = Mirror::new(dir.path(), &[]).unwrap();
        mirror.update(&[bytes("x/y/index.html", "y"), bytes("z.txt", "z")]).unwrap();
        let done = mirror.replace(&[bytes("z.txt", "z")]).unwrap();
        assert_eq!(
            done,
            Written { rendered: 1, written: vec![], removed: vec!["x/y/index.html".into()] }
        );
        assert!(!dir.path().join("x").exists() && dir.path().join("z.txt").is_file());
        assert_eq!(mirror.len(), 1);
    }

    #[test]
    fn starts_from_a_full_build_without_writing_it_again() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("k.txt"), "k").unwrap();
        let mut mirror = Mirror::new(dir.path(), &[bytes("k.txt", "k")]).unwrap();
        let before = identity(&dir.path().join("k.txt"));
        assert!(mirror.update(&[bytes("k.txt", "k")]).unwrap().written.is_empty());
        assert_eq!(identity(&dir.path().join("k.txt")), before);
    }
}
