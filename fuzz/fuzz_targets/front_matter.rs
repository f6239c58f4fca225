//! Source bytes → UTF-8 check (with legacy-encoding detection) → front matter split → YAML.
#![no_main]

use std::path::Path;

use chrono::FixedOffset;
use libfuzzer_sys::fuzz_target;
use loa::base::encoding::read_source_bytes;
use loa::load::front_matter;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("content/fuzz.md");
    let Ok(text) = read_source_bytes(bytes, path) else { return };
    let Ok(split) = front_matter::split(&text, path) else { return };
    let offset = FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    let _ = front_matter::parse(split.front, path, split.front_line_offset, offset);
});
