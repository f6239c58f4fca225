//! The integration tests, in one test binary: each module builds fixture sites or the bundled
//! example with `loa` and checks the files it writes. One binary links the crate and Typst
//! once instead of once per file, which keeps the build small and quick.

mod common;

mod authoring;
mod bad_input;
mod banners;
mod benchmark;
mod browser;
mod campaign;
mod check;
mod document_tree;
mod escapes;
mod glossary;
mod guarantees;
mod i18n;
mod images;
mod injection;
mod killed_builds;
mod layers;
mod listening;
mod loudspeaker;
mod loudspeaker_audio;
mod nesting;
mod photos;
mod plan;
mod print;
mod print_cache;
mod print_check;
mod print_legibility;
mod print_office;
mod print_press;
mod print_roundtrip;
mod properties;
mod reader;
mod search;
mod serve;
mod serve_bad_input;
mod serve_limits;
mod share_codes;
mod shortcodes;
mod sms;
mod snapshots;
mod studio;
mod theme;
mod theme_views;
mod translation_blocks;
mod translation_exchange;
mod translation_workflow;
mod vietnamese;
mod whole;
mod write;
