//! A small run of the build benchmark (`benches/compare.py`, loa alone, 200 pages per language)
//! so that the runner and its site generator cannot rot; asserts on what the site builds to.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{has_tool, read, run_loa};

const PAGES: usize = 200;
const LANGUAGES: [(&str, &str); 3] = [("vi", ""), ("en", "en/"), ("ktv", "ktv/")];

/// The article pages (`<section>/bai-NNNNN/index.html`) built for a language prefix.
fn articles(public: &Path, prefix: &str) -> Vec<String> {
    let root = public.join(prefix);
    let mut found = Vec::new();
    for section in std::fs::read_dir(&root).unwrap().flatten() {
        for page in std::fs::read_dir(section.path()).into_iter().flatten().flatten() {
            let name = page.file_name().to_string_lossy().into_owned();
            if name.starts_with("bai-") && page.path().join("index.html").is_file() {
                let section = section.file_name().to_string_lossy().into_owned();
                found.push(format!("{prefix}{section}/{name}/index.html"));
            }
        }
    }
    found.sort();
    found
}

/// Runs the benchmark runner on loa alone and returns the folder holding the generated site.
fn run_benchmark(keep: &Path) -> std::path::PathBuf {
    let output = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/compare.py"))
        .args(["--pages", &PAGES.to_string(), "--runs", "1", "--engines", "loa"])
        .arg("--loa")
        .arg(env!("CARGO_BIN_EXE_loa"))
        .arg("--keep")
        .arg(keep)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let report = stdout.lines().find(|l| l.contains(" loa ")).expect("a line for loa");
    assert!(report.trim_start().starts_with(&(PAGES * 3).to_string()), "{stdout}");
    keep.join(format!("loa-{PAGES}"))
}

#[test]
fn benchmark_site_builds_every_page_of_every_language_and_falls_back() {
    if !has_tool("python3") {
        return;
    }
    let keep = tempfile::tempdir().unwrap();
    let site = run_benchmark(keep.path());
    let leftovers: Vec<_> = std::fs::read_dir(&site)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("out-"))
        .collect();
    assert!(leftovers.is_empty(), "the runner removes the folders it built into");
    let (ok, _, err) = run_loa(&site, &["build"]);
    assert!(ok, "{err}");
    let public = site.join("public");
    for (code, prefix) in LANGUAGES {
        assert_eq!(articles(&public, prefix).len(), PAGES, "articles in {code}");
        assert!(public.join(prefix).join("atom.xml").is_file(), "feed of {code}");
        assert!(public.join(prefix).join("tags/index.html").is_file(), "tags of {code}");
    }
    let sitemap = read(&site, "sitemap.xml");
    assert!(sitemap.matches("<loc>").count() >= PAGES * 3, "sitemap lists every page");

    let untranslated: Vec<_> = std::fs::read_dir(site.join("content/tin-tuc"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".ktv.md") && !p.ends_with("_index.ktv.md"))
        .collect();
    assert!(!untranslated.is_empty());
    for file in &untranslated {
        std::fs::remove_file(file).unwrap();
    }
    let (ok, stdout, stderr) = run_loa(&site, &["build"]);
    assert!(ok, "{stderr}");
    let counts =
        format!("ktv: {} pages + {} fallback", PAGES - untranslated.len(), untranslated.len());
    assert!(stdout.contains(&counts), "{stdout}");
    assert_eq!(articles(&public, "ktv/").len(), PAGES, "fallbacks keep every URL");
    let stem = untranslated[0].file_name().unwrap().to_string_lossy().replace(".ktv.md", "");
    let fallback = read(&site, &format!("ktv/tin-tuc/{stem}/index.html"));
    let original =
        std::fs::read_to_string(site.join(format!("content/tin-tuc/{stem}.md"))).unwrap();
    let title = original.lines().find_map(|l| l.strip_prefix("title: ")).unwrap().trim_matches('"');
    assert!(fallback.contains("<p class=notice role=note>"), "fallback notice");
    assert!(fallback.contains(title), "the Vietnamese text at the Cơ Tu URL");
}
