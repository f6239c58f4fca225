//! Properties that must hold for any input: nothing panics, slugs are stable.

use crate::common;

use std::path::Path;

use loa::base::encoding::read_source_bytes;
use loa::base::text::{normalize_source, slugify};
use loa::load::markdown::{Resolved, render};
use loa::load::{front_matter, shortcodes};
use proptest::prelude::*;

fn keep(_: &str) -> Resolved {
    Resolved::Keep
}

/// Strings that look like what authors write: Vietnamese letters, Markdown and shortcode syntax.
fn authored() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("---\n".to_owned()),
            Just("title: ".to_owned()),
            Just("{{ hotline(id=\"111\") }}".to_owned()),
            Just("{% callout(kind=\"info\") %}".to_owned()),
            Just("{% end %}".to_owned()),
            Just("`".to_owned()),
            Just("```\n".to_owned()),
            Just("[a](@/b.md#c)".to_owned()),
            Just("## ".to_owned()),
            Just("\n".to_owned()),
            "[a-zA-Zđăâêôơưàảãáạ0-9 (){}%=\"',#*_-]{0,12}",
            any::<String>(),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn slugs_are_ascii_and_idempotent(text in any::<String>()) {
        let slug = slugify(&text);
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        prop_assert_eq!(slugify(&slug), slug);
    }

    #[test]
    fn normalising_is_idempotent(text in any::<String>()) {
        let once = normalize_source(&text);
        prop_assert_eq!(normalize_source(&once), once.clone());
        let clean = !once.contains('\r') && !once.starts_with('\u{feff}');
        prop_assert!(clean, "CR or BOM left in {:?}", once);
    }

    #[test]
    fn front_matter_splitting_never_panics(text in authored()) {
        let text = normalize_source(&text);
        if let Ok(split) = front_matter::split(&text, Path::new("a.md")) {
            let _ = front_matter::parse(split.front, Path::new("a.md"), 1, loa::base::dates::default_offset());
        }
    }

    #[test]
    fn shortcode_parsing_never_panics(text in authored()) {
        if let Ok(calls) = shortcodes::find(&text) {
            for call in calls {
                prop_assert!(call.range.start < call.range.end && call.range.end <= text.len());
            }
        }
    }

    #[test]
    fn markdown_rendering_never_panics(text in authored()) {
        let rendered = render(&text, 0, &keep, None).unwrap();
        prop_assert!(rendered.word_count <= text.len());
    }

    #[test]
    fn print_hand_over_never_panics(text in authored()) {
        let nodes = common::print_tree(&text);
        prop_assert!(serde_json::to_string(&nodes).is_ok());
    }

    #[test]
    fn reading_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        match read_source_bytes(&bytes, Path::new("a.md")) {
            Ok(text) => prop_assert!(std::str::from_utf8(&bytes).is_ok() && !text.contains('\r')),
            Err(e) => prop_assert!(e.to_string().starts_with("a.md:")),
        }
    }
}
