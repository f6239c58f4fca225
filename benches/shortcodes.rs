//! Speed of shortcode expansion: a page of 5,000, 20,000 and 100,000 `{{ hotline(id="111") }}`
//! calls, and one of 100,000 unclosed `{{`, loaded with the minimal fixture and the default
//! theme (Markdown parsed, every call checked and rendered by its Tera component). Run with
//! `cargo bench --bench shortcodes`; the time per call must stay flat as the page grows.

use std::path::Path;
use std::time::{Duration, Instant};

use loa::model::{BuildOptions, Site};

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The best of three loads of the minimal site with `body` as one more page.
fn time_load(body: &str) -> Duration {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root.join("tests/fixtures/minimal"), dir.path());
    copy_tree(&root.join("themes/default"), &dir.path().join("themes/default"));
    std::fs::write(
        dir.path().join("content/nhieu.md"),
        format!("---\ntitle: Nhiều\n---\n\n{body}\n"),
    )
    .unwrap();
    let now =
        loa::base::dates::parse_date("2024-08-01", loa::base::dates::default_offset()).unwrap();
    let options =
        BuildOptions { drafts: false, now, base_url: None, bleed: false, untrusted_authors: false };
    (0..3)
        .map(|_| {
            let mut diagnostics = loa::base::error::Diagnostics::default();
            let start = Instant::now();
            Site::load(dir.path(), &options, &mut diagnostics).unwrap();
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn report(what: &str, count: usize, body: &str) {
    let time = time_load(body);
    println!(
        "{count:>7} {what}: {:>8.1} ms, {:.2} µs each",
        time.as_secs_f64() * 1000.0,
        time.as_secs_f64() * 1e6 / count as f64
    );
}

fn main() {
    for count in [5_000, 20_000, 100_000] {
        report("hotline calls", count, &"{{ hotline(id=\"111\") }} ".repeat(count));
    }
    report("unclosed {{", 100_000, &"{{ ".repeat(100_000));
}
