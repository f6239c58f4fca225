//! The bad-input fixtures of `tests/fixtures/bad/` and byte-for-byte snapshots of folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{copy_tree, fixture, repo};

/// One folder of `tests/fixtures/bad/` and what it expects.
pub struct Case {
    /// The folder name.
    pub name: String,
    /// Whether the build must succeed.
    pub builds: bool,
    /// Text stderr must contain.
    pub present: Vec<String>,
    /// Text stderr must not contain.
    pub absent: Vec<String>,
    /// Files a successful build writes under `public/`.
    pub public: Vec<String>,
}

/// Every case of `tests/fixtures/bad/`, by name.
pub fn cases() -> Vec<Case> {
    let root = repo().join("tests/fixtures/bad");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.into_iter().map(|name| parse(name.clone(), &root.join(name).join("expect"))).collect()
}

fn parse(name: String, expect: &Path) -> Case {
    let text = std::fs::read_to_string(expect).unwrap_or_else(|e| panic!("{name}/expect: {e}"));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let builds = match lines.next() {
        Some("builds") => true,
        Some("fails") => false,
        other => panic!("{name}/expect must start with `builds` or `fails`, not {other:?}"),
    };
    let mut case = Case { name, builds, present: vec![], absent: vec![], public: vec![] };
    for line in lines {
        if let Some(path) = line.strip_prefix("public: ") {
            case.public.push(path.to_owned());
        } else if let Some(text) = line.strip_prefix('!') {
            case.absent.push(text.to_owned());
        } else {
            case.present.push(line.to_owned());
        }
    }
    case
}

/// The minimal fixture with the case's files laid over it.
pub fn site(case: &str) -> tempfile::TempDir {
    let site = fixture("minimal");
    lay_over(case, site.path());
    site
}

/// Lays the files of a case over a site folder.
pub fn lay_over(case: &str, site: &Path) {
    copy_tree(&repo().join("tests/fixtures/bad").join(case), site);
    std::fs::remove_file(site.join("expect")).unwrap();
}

/// Every file under `dir` with its bytes and modification time.
pub type Snapshot = BTreeMap<PathBuf, (Vec<u8>, SystemTime)>;

/// A snapshot of every file under `dir` (empty if it does not exist); links are not followed.
pub fn snapshot(dir: &Path) -> Snapshot {
    if !dir.exists() {
        return Snapshot::new();
    }
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            let modified = e.metadata().unwrap().modified().unwrap();
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), (bytes, modified))
        })
        .collect()
}

/// Panics naming the first file that differs between two snapshots.
pub fn assert_same(before: &Snapshot, after: &Snapshot, what: &str) {
    let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let removed: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(added.is_empty() && removed.is_empty(), "{what}: added {added:?}, removed {removed:?}");
    for (path, (bytes, modified)) in before {
        let (now, now_modified) = &after[path];
        assert!(bytes == now, "{what}: {} changed", path.display());
        assert_eq!(modified, now_modified, "{what}: {} was rewritten", path.display());
    }
}

/// Panics if loa's output shows a panic or a backtrace.
pub fn assert_no_panic(output: &str, what: &str) {
    for sign in ["panicked at", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!output.contains(sign), "{what} panicked:\n{output}");
    }
}
