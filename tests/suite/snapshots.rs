//! Golden snapshots of whole built sites: every file the example site and the fixture sites
//! publish, byte for byte, so that a change to the code shows exactly which output files it
//! changed and how. Text files are kept as they are under `tests/snapshots/<site>/`; binary
//! files (PDFs, PNGs) by size and content hash in `tests/snapshots/<site>.binary.txt`.
//!
//! After a change whose effect on the output is intended, write them again with
//! `LOA_BLESS=1 cargo test --test suite snapshots` and review the diff in git.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use crate::common;

/// Where the golden copy of a site's output lives.
fn golden(name: &str) -> PathBuf {
    common::repo().join("tests/snapshots").join(name)
}

fn binary_list(name: &str) -> PathBuf {
    common::repo().join("tests/snapshots").join(format!("{name}.binary.txt"))
}

/// A built output: text files with their content, binary files with size and hash.
#[derive(Default, PartialEq)]
struct Output {
    text: BTreeMap<String, String>,
    binary: BTreeMap<String, String>,
}

fn content_hash(bytes: &[u8]) -> String {
    let mut hasher = siphasher::sip128::SipHasher13::new();
    hasher.write(bytes);
    format!(
        "{} bytes, {:032x}",
        bytes.len(),
        siphasher::sip128::Hasher128::finish128(&hasher).as_u128()
    )
}

/// Reads every file under `public`, with the temporary site folder written as `<site>`.
fn read_output(site: &Path) -> Output {
    let public = site.join("public");
    let site_name = site.display().to_string();
    let mut output = Output::default();
    for entry in walkdir::WalkDir::new(&public).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().strip_prefix(&public).unwrap().to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(entry.path()).unwrap();
        match String::from_utf8(bytes) {
            Ok(text) => {
                output.text.insert(path, text.replace(&site_name, "<site>"));
            }
            Err(e) => {
                output.binary.insert(path, content_hash(e.as_bytes()));
            }
        }
    }
    output
}

/// Reads the golden copy (empty when it was never written).
fn read_golden(name: &str) -> Output {
    let mut output = Output::default();
    let root = golden(name);
    if root.is_dir() {
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let path =
                    entry.path().strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(entry.path()).unwrap();
                output.text.insert(path, text);
            }
        }
    }
    if let Ok(list) = std::fs::read_to_string(binary_list(name)) {
        for line in list.lines() {
            if let Some((path, hash)) = line.split_once(": ") {
                output.binary.insert(path.to_owned(), hash.to_owned());
            }
        }
    }
    output
}

fn write_golden(name: &str, output: &Output) {
    let root = golden(name);
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    for (path, text) in &output.text {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let list: String =
        output.binary.iter().map(|(path, hash)| format!("{path}: {hash}\n")).collect();
    std::fs::write(binary_list(name), list).unwrap();
}

/// Around the first difference between two texts, for a readable failure on minified HTML.
fn first_difference(expected: &str, actual: &str) -> String {
    let at = expected.bytes().zip(actual.bytes()).take_while(|(a, b)| a == b).count();
    let window = |text: &str| {
        let mut start = at.saturating_sub(120);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (at + 120).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text[start..end].to_owned()
    };
    format!("at byte {at}:\n  expected …{}…\n  actual   …{}…", window(expected), window(actual))
}

/// Every way the output differs from the golden copy, one line (or excerpt) each.
fn differences(expected: &Output, actual: &Output) -> Vec<String> {
    let mut found = Vec::new();
    for (kind, want, got) in
        [("", &expected.text, &actual.text), (" (binary)", &expected.binary, &actual.binary)]
    {
        for (path, text) in want {
            match got.get(path) {
                None => found.push(format!("{path}{kind}: no longer written")),
                Some(new) if new != text && kind.is_empty() => {
                    found.push(format!("{path}: changed {}", first_difference(text, new)))
                }
                Some(new) if new != text => found.push(format!("{path}{kind}: {text} → {new}")),
                Some(_) => {}
            }
        }
        for path in got.keys().filter(|p| !want.contains_key(*p)) {
            found.push(format!("{path}{kind}: new file"));
        }
    }
    found
}

/// Builds `site` and compares its whole output with the golden copy `name`.
fn assert_matches_golden(name: &str, site: &Path, options: &loa::BuildOptions) {
    loa::build(site, &site.join("public"), options).unwrap_or_else(|e| panic!("{name}: {e}"));
    let actual = read_output(site);
    assert!(!actual.text.is_empty(), "{name}: the build wrote no text file");
    if std::env::var_os("LOA_BLESS").is_some() {
        write_golden(name, &actual);
        return;
    }
    let found = differences(&read_golden(name), &actual);
    assert!(
        found.is_empty(),
        "the output of {name} differs from tests/snapshots/{name} in {} files \
         (LOA_BLESS=1 writes it again when the change is intended):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_example_site_publishes_what_its_snapshot_holds() {
    let site = common::example();
    assert_matches_golden("example", site.path(), &common::options_at("2024-08-01"));
}

#[test]
fn the_example_site_with_bleed_and_drafts_publishes_what_its_snapshot_holds() {
    let site = common::example();
    let options =
        loa::BuildOptions { bleed: true, drafts: true, ..common::options_at("2025-07-20") };
    assert_matches_golden("example-bleed-drafts", site.path(), &options);
}

#[test]
fn the_fixture_sites_publish_what_their_snapshots_hold() {
    for name in ["minimal", "i18n"] {
        let site = common::fixture(name);
        assert_matches_golden(name, site.path(), &common::options_at("2024-08-01"));
    }
}

#[test]
fn a_changed_byte_is_reported_with_its_file_and_place() {
    let mut expected = Output::default();
    expected.text.insert("vi/index.html".into(), "<p>Gọi 111</p>".into());
    expected.binary.insert("a.pdf".into(), "3 bytes, 1".into());
    let mut actual = Output::default();
    actual.text.insert("vi/index.html".into(), "<p>Gọi 113</p>".into());
    actual.text.insert("new.txt".into(), String::new());
    let found = differences(&expected, &actual);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].starts_with("vi/index.html: changed at byte 11"), "{}", found[0]);
    assert!(found[0].contains("113"), "{}", found[0]);
    assert!(found.iter().any(|f| f == "new.txt: new file"));
    assert!(found.iter().any(|f| f == "a.pdf (binary): no longer written"));
}
