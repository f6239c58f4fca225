//! The hand-over to Typst: any body becomes a document tree that serialises to JSON.
//! Laying out PDFs is far too slow for a fuzz loop (tens of milliseconds each), so only
//! the tree and its JSON are fuzzed; the PDF round trip is a property test.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loa::outputs::print::tree::{PrintEnv, texts, tree};

struct Plain;

impl PrintEnv for Plain {
    fn image(&self, destination: &str) -> Option<String> {
        destination.ends_with(".png").then(|| format!("/images/{destination}"))
    }
    fn label(&self, key: &str) -> String {
        key.to_owned()
    }
    fn hotline(&self, id: &str) -> Option<(String, String)> {
        (id == "111").then(|| ("Tổng đài".to_owned(), "111".to_owned()))
    }
}

fuzz_target!(|body: &str| {
    let nodes = tree(body, &Plain);
    let _ = texts(&nodes);
    serde_json::to_string(&nodes).expect("the tree always serialises");
});
