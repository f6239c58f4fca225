//! The loudspeaker normaliser: reading any text aloud never panics.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use loa::speech::{Variant, VietnameseReader, built_in_entries};

static READER: LazyLock<VietnameseReader> =
    LazyLock::new(|| VietnameseReader::new(&built_in_entries("vi"), Some(Variant::Central)));

fuzz_target!(|text: &str| {
    let spoken = READER.read(text);
    let _ = loa::speech::syllables(&spoken);
    let _ = READER.read_phone(text);
});
