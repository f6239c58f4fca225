//! What authors may publish: the raw HTML sanitiser, the report of what it removes, the scheme
//! check and the SVG scan; asserts that what the sanitiser keeps is inside the allowlist.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loa::content::safety::{removals, sanitize, svg_script, unsafe_scheme};

fuzz_target!(|text: &str| {
    let clean = sanitize(text);
    assert!(removals(&clean).is_empty(), "{text:?} kept {clean:?}");
    let _ = removals(text);
    let _ = unsafe_scheme(text);
    let _ = svg_script(text);
});
