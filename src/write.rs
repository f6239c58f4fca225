//! Writing a build: into a fresh folder beside the output, then swapped in, so a failed build
//! leaves the previous output untouched; loa only ever replaces folders that carry its marker.

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
    let result = fill(&staging, artifacts).and_then(|()| swap(&staging, &out, &parent, &name));
    if result.is_err() && staging.exists() {
        let _ = fs_err::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, artifacts: &[Artifact]) -> Result<()> {
    fs_err::create_dir_all(staging)?;
    fs_err::write(staging.join(MARKER), MARKER_TEXT)?;
    let mut folders: Vec<PathBuf> = artifacts
        .iter()
        .filter_map(|a| Path::new(&a.path).parent().map(|p| staging.join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        fs_err::create_dir_all(folder)?;
    }
    artifacts.par_iter().try_for_each(|artifact| -> Result<()> {
        let target = staging.join(&artifact.path);
        match &artifact.body {
            Body::Bytes(bytes) => fs_err::write(&target, bytes)?,
            Body::Copy(source) => {
                fs_err::copy(source, &target)?;
            }
        }
        Ok(())
    })
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
