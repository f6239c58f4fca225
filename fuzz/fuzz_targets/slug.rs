//! Slug folding: never panics, gives ASCII, and folding a slug again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loa::text::{fold_to_ascii, slugify};

fuzz_target!(|text: &str| {
    let slug = slugify(text);
    assert!(slug.is_ascii(), "slug of {text:?} is not ASCII: {slug:?}");
    assert_eq!(slugify(&slug), slug, "slug of {text:?} is not stable");
    let _ = fold_to_ascii(text);
});
