//! Markdown rendering, with and without shortcodes rendered by a trivial host.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loa::content::markdown::{Resolved, ShortcodeHost, render};
use loa::content::shortcodes::Call;
use loa::messages::Message;

struct Echo;

impl ShortcodeHost for Echo {
    fn render(
        &self,
        call: &Call,
        body_html: Option<&str>,
        _: &dyn Fn(&str) -> Resolved,
    ) -> Result<String, (Message, Option<Message>)> {
        Ok(format!("<span>{}{}</span>", call.name, body_html.unwrap_or_default()))
    }
}

fn keep(_: &str) -> Resolved {
    Resolved::Keep
}

fuzz_target!(|text: &str| {
    let _ = render(text, 3, &keep, None);
    let _ = render(text, 3, &keep, Some(&Echo));
});
