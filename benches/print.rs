//! Speed of print: lays out the example site's six PDFs (three layouts in vi and en), in
//! parallel and one at a time. Run with `cargo bench --bench print`; target: a leaflet in
//! under 300 ms. Each round edits the printed pages so that no PDF comes from the cache.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use loa::model::{BuildOptions, Site};
use loa::render::print::Print;

const PRINTED: [&str; 6] = [
    "content/nhan-biet/index.md",
    "content/nhan-biet/index.en.md",
    "content/quyen-cua-nan-nhan.md",
    "content/quyen-cua-nan-nhan.en.md",
    "content/ngay-30-thang-7/ap-phich.md",
    "content/ngay-30-thang-7/ap-phich.en.md",
];

fn copy_example(to: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("site.yaml"), to.join("site.yaml")).unwrap();
    for folder in ["locales", "content", "themes/default"] {
        for entry in walkdir::WalkDir::new(root.join(folder)).into_iter().flatten() {
            let target = to.join(entry.path().strip_prefix(root).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
}

/// Makes every printed page differ from the last round (one word), so that nothing is cached.
fn edit(site: &Path, round: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for page in PRINTED {
        let text = std::fs::read_to_string(root.join(page)).unwrap();
        std::fs::write(site.join(page), format!("{text}\n{round}\n")).unwrap();
    }
}

fn time_round(site: &Path, options: &BuildOptions, round: usize) -> Duration {
    edit(site, round);
    let mut diagnostics = loa::base::error::Diagnostics::default();
    let loaded = Site::load(site, options, &mut diagnostics).unwrap();
    let typesetter = loa::render::typesetting::typesetter(&loaded, Default::default()).unwrap();
    let typesetter = Arc::new(typesetter);
    let print = Print::new(typesetter);
    let plan = loa::render::plan::SitePlan::default();
    let start = Instant::now();
    let pdfs = loa::render::Output::render(&print, &loaded, &plan).unwrap();
    let elapsed = start.elapsed();
    assert_eq!(pdfs.len(), PRINTED.len());
    elapsed
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    let now =
        loa::base::dates::parse_date("2024-07-20", loa::base::dates::default_offset()).unwrap();
    let options =
        BuildOptions { drafts: false, now, base_url: None, bleed: false, untrusted_authors: false };
    let parallel: Duration =
        (1..=5).map(|round| time_round(dir.path(), &options, round)).min().unwrap();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let serial: Duration = pool
        .install(|| (6..=10).map(|round| time_round(dir.path(), &options, round)).min().unwrap());
    println!(
        "6 PDFs in parallel: {:.0} ms; one at a time: {:.0} ms, {:.0} ms per PDF (best of 5)",
        parallel.as_secs_f64() * 1000.0,
        serial.as_secs_f64() * 1000.0,
        serial.as_secs_f64() * 1000.0 / PRINTED.len() as f64,
    );
}
