//! Bundles the example site and the default theme into the binary, for `loa init` and for
//! sites without a `themes/` folder: writes `starter_files.rs` with one entry per file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const ROOTS: &[&str] = &["site.yaml", "locales", "content", "themes/default"];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    for root in ROOTS {
        println!("cargo:rerun-if-changed={root}");
        collect(&manifest, &manifest.join(root), &mut files);
    }
    files.sort();
    let mut code = String::from("&[\n");
    for relative in &files {
        let absolute = manifest.join(relative);
        writeln!(code, "    ({relative:?}, include_bytes!({:?})),", absolute.display())
            .expect("writing to a string");
    }
    code.push_str("]\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("starter_files.rs"), code).expect("OUT_DIR is writable");
}

fn collect(manifest: &Path, path: &Path, files: &mut Vec<String>) {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
        return;
    }
    if path.is_dir() {
        println!("cargo:rerun-if-changed={}", path.display());
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .expect("bundled folders are readable")
            .map(|e| e.expect("bundled folders are readable").path())
            .collect();
        entries.sort();
        for entry in entries {
            collect(manifest, &entry, files);
        }
    } else if path.is_file() {
        let relative = path.strip_prefix(manifest).expect("under the manifest");
        files.push(relative.to_string_lossy().replace('\\', "/"));
    }
}
