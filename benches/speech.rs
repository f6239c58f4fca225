//! Speed of the Vietnamese loudspeaker reading: the example site's text, and 1 MB of text.
//! Run with `cargo bench --bench speech`; targets: under 50 ms and under 200 ms.

use std::time::{Duration, Instant};

use loa::engines::speech::reader::Reader;

fn best_of(runs: usize, mut work: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let reader = Reader::for_language("vi", &loa::load::locales::built_in_entries("vi"), None);
    let example: Vec<String> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| {
            e.path().extension().is_some_and(|x| x == "md")
                && !e.file_name().to_string_lossy().contains(".en.")
        })
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let example_bytes: usize = example.iter().map(String::len).sum();
    let example_time = best_of(20, || {
        for text in &example {
            for line in text.lines() {
                std::hint::black_box(reader.read(line));
            }
        }
    });
    let paragraph = "Ngày 30/7/2024, UBND tỉnh Quảng Nam tổ chức mít tinh với 1.500 người tham dự lúc 7h30. \
        Hơn 95% bà con biết số 111 và 1800 1581; kế hoạch số 4215/KH-UBND hỗ trợ 12 nạn nhân, mỗi người 500.000đ. ";
    let megabyte: String = paragraph.repeat(1_000_000 / paragraph.len() + 1);
    let lines: Vec<&str> = megabyte.split_inclusive(". ").collect();
    let megabyte_time = best_of(5, || {
        for line in &lines {
            std::hint::black_box(reader.read(line));
        }
    });
    println!(
        "example site ({example_bytes} bytes of Vietnamese sources): {:.1} ms (target < 50 ms)",
        example_time.as_secs_f64() * 1e3
    );
    println!(
        "{} bytes of Vietnamese text: {:.1} ms (target < 200 ms)",
        megabyte.len(),
        megabyte_time.as_secs_f64() * 1e3
    );
}
