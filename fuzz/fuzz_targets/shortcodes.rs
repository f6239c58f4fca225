//! The shortcode parser: never panics, and every call's range is a valid slice of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loa::content::shortcodes;

fuzz_target!(|text: &str| {
    if let Ok(calls) = shortcodes::find(text) {
        let mut end = 0;
        for call in calls {
            assert!(call.range.start >= end, "calls overlap or go backwards");
            assert!(text.get(call.range.clone()).is_some(), "range is not a slice");
            end = call.range.end;
        }
    }
});
