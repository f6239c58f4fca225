//! Images: a site with 100 photos of 4000×3000 (noisy gradients, JPEG), built twice; the second
//! build takes every resized copy from `.loa-cache/images/`. `LOA_BENCH_PHOTOS` changes the count.
//! Run with `cargo bench --bench images`.

use std::io::Cursor;
use std::path::Path;
use std::time::{Duration, Instant};

use image::{DynamicImage, ImageFormat, RgbImage};
use rayon::prelude::*;

/// A 4000×3000 photo-like JPEG: a gradient with noise, different for each `seed`.
fn photo(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let pixels = RgbImage::from_fn(4000, 3000, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = state % 48;
        let r = (x * 200 / 4000 + noise) as u8;
        let g = (y * 200 / 3000 + noise) as u8;
        let b = ((x + y + seed * 40) % 200 + noise) as u8;
        image::Rgb([r, g, b])
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(pixels).write_to(&mut out, ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn write(root: &Path, path: &str, bytes: &[u8]) {
    let file = root.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, bytes).unwrap();
}

fn make_site(root: &Path, count: u32) {
    let config = "title: Bench\nbase_url: https://example.org\nlanguages:\n  - code: vi\nhotlines:\n  - id: \"111\"\n    number: \"111\"\n    display: \"111\"\n    free: true\n";
    write(root, "site.yaml", config.as_bytes());
    write(root, "content/_index.md", b"---\ntitle: Trang chu\n---\n");
    let mut body = String::from("---\ntitle: Anh\n---\n\n");
    for n in 0..count {
        body.push_str(&format!("![Anh so {n}](anh-{n}.jpg)\n\n"));
    }
    write(root, "content/anh/index.md", body.as_bytes());
    (0..count).into_par_iter().for_each(|n| {
        write(root, &format!("content/anh/anh-{n}.jpg"), &photo(n));
    });
}

fn timed_build(root: &Path) -> Duration {
    let options = loa::BuildOptions {
        drafts: false,
        now: loa::base::dates::parse_date("2024-08-01", loa::base::dates::default_offset())
            .unwrap(),
        base_url: None,
        bleed: false,
        untrusted_authors: false,
    };
    let started = Instant::now();
    loa::build(root, &root.join("public"), &options).expect("build");
    started.elapsed()
}

fn main() {
    let count: u32 =
        std::env::var("LOA_BENCH_PHOTOS").ok().and_then(|n| n.parse().ok()).unwrap_or(100);
    let site = tempfile::tempdir().unwrap();
    let started = Instant::now();
    make_site(site.path(), count);
    eprintln!("generated {count} photos of 4000×3000 in {:.1?}", started.elapsed());
    let first = timed_build(site.path());
    let second = timed_build(site.path());
    let ratio = second.as_secs_f64() / first.as_secs_f64() * 100.0;
    println!("first build (no cache): {first:.2?}");
    println!("second build (cached):  {second:.2?} = {ratio:.1}% of the first");
    assert!(ratio < 5.0, "the cached build must take under 5% of the first");
}
