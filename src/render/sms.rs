//! SMS texts: for each page with a `description`, in each language it is translated into, the
//! text a commune sends in an SMS campaign (`/sms/<lang>/<page>.txt`): at most 160 characters
//! of the GSM 03.38 7-bit alphabet, Vietnamese folded to ASCII as such campaigns are sent,
//! with the description cut at a word and the page's first featured hotline. Each text is a
//! material of its page, so the web output lists it without knowing this output.

use rayon::prelude::*;

use crate::base::error::Result;
use crate::base::text::fold_to_ascii;
use crate::model::{Site, Variant};
use crate::render::plan::{Input, Material, Plan, Route, SitePlan};
use crate::render::{Artifact, Output, Sink};

/// The URL folder of the texts.
pub const FOLDER: &str = "sms";

/// The most characters one SMS holds in the GSM 7-bit alphabet.
pub const LIMIT: usize = 160;

/// The basic character set of GSM 03.38 (without the escape to its extension table): every
/// character of it takes one of the 160 places of a message.
pub const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                              ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// What shows a text was cut.
const CUT: &str = "...";

/// How many texts are made before they are handed to the write step.
const TEXTS_AT_ONCE: usize = 512;

/// Writes the SMS text of every page with a description.
pub struct Sms;

impl Output for Sms {
    fn name(&self) -> &'static str {
        "sms"
    }

    /// A text file per page with a description; each is a material of its page, its size known.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let mut plan = Plan::default();
        for variant in texted(site) {
            let path = text_path(site, variant);
            let bytes = text_file(site, variant).len() as u64;
            plan.route_from(Route::url(&path), vec![Input::Doc(variant.doc)]);
            plan.materials.push((variant.path.clone(), material(variant, path, bytes)));
        }
        Ok(plan)
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        Ok(texted(site).into_par_iter().map(|v| artifact(site, v)).collect())
    }

    /// Sends the texts a few hundred at a time, so a large site's are never all in memory.
    fn render_into(&self, site: &Site, _plan: &SitePlan, sink: &Sink) -> Result<()> {
        texted(site)
            .par_chunks(TEXTS_AT_ONCE)
            .try_for_each(|variants| sink(variants.iter().map(|v| artifact(site, v)).collect()))
    }
}

/// The translated page variants that have a description.
fn texted(site: &Site) -> Vec<&Variant> {
    site.pages
        .iter()
        .flat_map(|p| p.variants.iter().flatten())
        .filter(|v| v.translated && site.doc(v).front.description.is_some())
        .collect()
}

/// The URL path of a variant's text: `/sms/<lang>/<page path without the language>.txt`.
fn text_path(site: &Site, variant: &Variant) -> String {
    let prefix = site.language_prefix(variant.lang);
    let path = variant.path.strip_prefix(&prefix).unwrap_or(&variant.path).trim_matches('/');
    let name = if path.is_empty() { "index" } else { path };
    format!("/{FOLDER}/{}/{name}.txt", site.config.languages[variant.lang].code)
}

fn material(variant: &Variant, path: String, bytes: u64) -> Material {
    Material {
        kind: "sms",
        label: "sms.label".into(),
        path,
        size: Some(bytes),
        measured: false,
        lang: variant.lang,
        media_type: Some("text/plain"),
        download: false,
    }
}

fn artifact(site: &Site, variant: &Variant) -> Artifact {
    Artifact::at_url(&text_path(site, variant), text_file(site, variant).into_bytes())
}

/// The file of a variant's text: the text and a line break.
fn text_file(site: &Site, variant: &Variant) -> String {
    format!("{}\n", text(site, variant))
}

/// The SMS of a variant: its description, cut at a word to leave room for the call to its
/// first featured hotline.
pub fn text(site: &Site, variant: &Variant) -> String {
    let doc = site.doc(variant);
    let description = doc.front.description.as_deref().unwrap_or_default();
    let call = first_hotline(site, variant).map(|(label, number)| {
        let template = site.locales.get(variant.lang, "sms.call").unwrap_or("{number}");
        template.replace("{label}", &label).replace("{number}", &number)
    });
    compose(description, call.as_deref())
}

/// The page's first hotline (its own order, then the site's) as its label and display number.
fn first_hotline(site: &Site, variant: &Variant) -> Option<(String, String)> {
    let own = &site.doc(variant).front.hotlines;
    let id = own.first().map(|(id, _)| id.as_str());
    let hotline = match id {
        Some(id) => site.config.hotlines.iter().find(|h| h.id == id),
        None => site.config.hotlines.first(),
    }?;
    Some((site.hotline_label(variant.lang, hotline).to_owned(), hotline.display.clone()))
}

/// `description` and `call` in the GSM alphabet, within [`LIMIT`] characters: the call kept
/// whole, the description cut at the last word that fits.
pub fn compose(description: &str, call: Option<&str>) -> String {
    let call = call.map(to_gsm).filter(|c| !c.is_empty());
    let Some(call) = call else { return cut_at_word(&to_gsm(description), LIMIT) };
    let call = cut_at_word(&call, LIMIT);
    let room = LIMIT.saturating_sub(call.chars().count() + 1);
    let description = cut_at_word(&to_gsm(description), room);
    if description.is_empty() { call } else { format!("{description} {call}") }
}

/// `text` when it has at most `limit` characters, else its words that fit with [`CUT`] after.
fn cut_at_word(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let room = limit.saturating_sub(CUT.len());
    let mut kept = String::new();
    for word in text.split(' ') {
        let needed = kept.chars().count() + usize::from(!kept.is_empty()) + word.chars().count();
        if needed > room {
            break;
        }
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(word);
    }
    let kept = kept.trim_end_matches([',', ';', ':', '-', '.', ' ']);
    if kept.is_empty() { String::new() } else { format!("{kept}{CUT}") }
}

/// `text` folded to ASCII and written with the GSM basic set only: typographic quotes and
/// dashes become their plain forms, other characters outside the set become spaces, and runs
/// of spaces one space.
pub fn to_gsm(text: &str) -> String {
    let mut mapped = String::with_capacity(text.len());
    for c in fold_to_ascii(text).chars() {
        match c {
            '‘' | '’' | '`' | '´' => mapped.push('\''),
            '“' | '”' | '«' | '»' => mapped.push('"'),
            '–' | '—' | '‐' | '−' | '~' => mapped.push('-'),
            '…' => mapped.push_str("..."),
            '[' | '{' => mapped.push('('),
            ']' | '}' => mapped.push(')'),
            '|' | '\\' => mapped.push('/'),
            c if c != '\n' && c != '\r' && GSM_BASIC.contains(c) => mapped.push(c),
            _ => mapped.push(' '),
        }
    }
    mapped.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basic_set_has_the_127_characters_of_gsm_03_38_without_the_escape() {
        assert_eq!(GSM_BASIC.chars().count(), 127);
    }

    #[test]
    fn folds_vietnamese_and_typography_into_the_gsm_alphabet() {
        assert_eq!(
            to_gsm("Đường dây nóng “111” – miễn phí…"),
            "Duong day nong \"111\" - mien phi..."
        );
        assert_eq!(to_gsm("a\u{a0}b\n\tc [d] ^e"), "a b c (d) e");
    }

    #[test]
    fn cuts_a_long_description_at_a_word_and_keeps_the_call_whole() {
        let description =
            "Cảnh giác với lời mời đi làm việc nhẹ lương cao ở nước ngoài. ".repeat(5);
        let text = compose(&description, Some("Gọi 1800 1581"));
        assert!(text.chars().count() <= LIMIT, "{text}");
        assert!(text.ends_with("... Goi 1800 1581"), "{text}");
        let cut = text.trim_end_matches("... Goi 1800 1581");
        assert!(to_gsm(&description).starts_with(&format!("{cut} ")), "cut at a word: {cut}");
        assert_eq!(compose("Ngắn gọn.", Some("Gọi 111")), "Ngan gon. Goi 111");
        assert_eq!(compose("Ngắn gọn.", None), "Ngan gon.");
    }
}
