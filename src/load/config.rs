//! `site.yaml`: read strictly as [`RawConfig`], then validated into [`Config`].

pub use crate::engines::typeset::PrintStandard;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::base::error::{Error, Position, Result};
use crate::base::messages::Message;

/// The name of the site configuration file.
pub const CONFIG_FILE: &str = "site.yaml";

/// `site.yaml` exactly as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Site title, used where the locale files give no `site.title`.
    pub title: Option<String>,
    /// Where the site will be published, e.g. `https://example.org`.
    pub base_url: Spanned<String>,
    /// Theme folder under `themes/`.
    pub theme: Option<Spanned<String>>,
    /// Language served at `/`; the first listed when absent.
    pub default_language: Option<Spanned<String>>,
    /// Languages of the site.
    pub languages: Vec<RawLanguage>,
    /// UTC offset that dates without a zone are read in, e.g. `+07:00`.
    pub utc_offset: Option<Spanned<String>>,
    /// Hotlines shown on every page.
    #[serde(default)]
    pub hotlines: Vec<RawHotline>,
    /// How many entries each Atom feed holds.
    pub feed_limit: Option<usize>,
    /// Whether HTML is minified (default true).
    pub minify: Option<bool>,
    /// Loudspeaker scripts.
    pub loudspeaker: Option<RawLoudspeaker>,
    /// Publish raw HTML in content as written instead of sanitising it (default false): only
    /// for a site that trusts everyone who writes its content. The studio always sanitises.
    pub trust_raw_html: Option<bool>,
    /// The quick exit button: `false` turns it off, `url:` names the harmless site it opens.
    pub quick_exit: Option<RawQuickExit>,
    /// Whether a service worker keeps pages for reading offline (default true).
    pub offline: Option<bool>,
    /// Sharing links.
    pub share: Option<RawShare>,
    /// Weight limits for `loa check --budget`.
    pub budget: Option<RawBudget>,
    /// Printed matter: bleed for the press and the PDF standard.
    pub print: Option<RawPrint>,
    /// Free values for templates.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// `quick_exit:` either `false` or a block naming where the button leads.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawQuickExit {
    /// `quick_exit: false` turns the button off (`true` keeps the default address).
    Switch(bool),
    /// `quick_exit: {url: …}`.
    Block {
        /// The harmless page the button replaces the site with.
        url: String,
    },
}

/// The `share:` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShare {
    /// The site's Zalo Official Account id, which enables Zalo's documented share button.
    pub zalo_oa_id: Option<String>,
}

/// The `print:` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrint {
    /// Bleed in millimetres beyond the trimmed edge, with crop and fold marks (0: none).
    pub bleed: Option<Spanned<f64>>,
    /// The PDF standard the PDFs follow: `pdf-a-2b` or `pdf-ua-1`.
    pub standard: Option<Spanned<String>>,
}

/// The `budget:` block, in kilobytes gzipped.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBudget {
    /// An article's first load without photos (default 30).
    pub article_kb: Option<u64>,
    /// Any page's first load with its photos above the fold (default 100).
    pub page_kb: Option<u64>,
}

/// Where the quick exit button leads when `site.yaml` does not say: a Vietnamese news site,
/// which draws no attention on anyone's screen.
pub const DEFAULT_QUICK_EXIT: &str = "https://vnexpress.net/";

/// The most languages a site may have: every page is published in each of them, and each
/// page's language menu lists them all.
pub const MAX_LANGUAGES: usize = 100;

/// The theme's folder name, refused when it is not one plain name under `themes/` (a path
/// elsewhere would read templates and publish static files from outside the site).
fn validate_theme(raw: &RawConfig, root: &Path) -> Result<String> {
    let Some(theme) = &raw.theme else { return Ok(crate::load::theme::DEFAULT_THEME.into()) };
    let name = theme.value.trim();
    let checked = crate::base::paths::plain_name(name).and_then(|name| {
        crate::base::paths::inside(root, &Path::new("themes").join(name)).map(|_| name)
    });
    match checked {
        Ok(name) => Ok(name.to_owned()),
        Err(refusal) => Err(config_error(&theme.referenced, refusal.message(name))
            .with_hint(msg!("config.theme.hint"))),
    }
}

/// The `loudspeaker:` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoudspeaker {
    /// Reading rate used for durations (default 200, slower than news for outdoor horns).
    pub syllables_per_minute: Option<u32>,
    /// Longest script, in minutes, before the build warns (default 3: a bulletin lasts 1–3).
    pub max_minutes: Option<Spanned<f64>>,
    /// Whether an MP3 is made for every script: `true`, `false` or `required`.
    pub audio: Option<Spanned<RawAudio>>,
    /// The text-to-speech command, with `{wav}`, `{txt}` and `{ssml}` placeholders.
    pub tts: Option<Spanned<String>>,
}

/// `loudspeaker.audio:` as written: a switch, or the word `required`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawAudio {
    /// `true` or `false`.
    Switch(bool),
    /// `required`: a script without audio stops the build.
    Word(String),
}

/// Whether and how loudspeaker audio is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioMode {
    /// No audio (the default).
    Off,
    /// Audio for every script; a failing engine is a warning and the build goes on.
    Wanted,
    /// Audio for every script; a failing engine stops the build.
    Required,
}

/// The text-to-speech command used when `site.yaml` names none: Debian's espeak-ng.
pub const DEFAULT_TTS: &str = "espeak-ng -v vi -w {wav} -f {txt}";

/// The validated `loudspeaker:` settings besides the reading rate.
#[derive(Debug, Clone, PartialEq)]
pub struct LoudspeakerSettings {
    /// Longest script in seconds before the build and `loa check` warn.
    pub max_seconds: u64,
    /// Whether audio is made.
    pub audio: AudioMode,
    /// The text-to-speech command template.
    pub tts: String,
}

/// One entry of `languages:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    /// BCP 47 code such as `vi`, `en`, `ktv`.
    pub code: Spanned<String>,
    /// The language's name in itself (otherwise `language.name` from its locale).
    pub name: Option<String>,
    /// Languages to fall back to, in order (one code or a list); the default language is always last.
    #[serde(default, deserialize_with = "one_or_many")]
    pub fallback: Vec<String>,
}

/// Reads either one string or a list of strings.
fn one_or_many<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(code) => vec![code],
        OneOrMany::Many(codes) => codes,
    })
}

/// One entry of `hotlines:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHotline {
    /// Identifier used in front matter and locale keys (`hotline.<id>`).
    pub id: Spanned<String>,
    /// The number to dial, digits only (a leading `+` is allowed).
    pub number: Spanned<String>,
    /// The number as people read it, e.g. `1800 1581`.
    pub display: Option<String>,
    /// When it answers, e.g. `24/7`.
    pub hours: Option<String>,
    /// Whether calls are free of charge.
    #[serde(default)]
    pub free: bool,
    /// Whether the hotline keeps what callers say confidential (the loudspeaker promises
    /// secrecy only for these).
    #[serde(default)]
    pub confidential: bool,
}

/// A validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title from `site.yaml`, used where locales give none.
    pub title: Option<String>,
    /// Site root folder.
    pub root: PathBuf,
    /// Base URL without a trailing slash.
    pub base_url: String,
    /// Theme name.
    pub theme: String,
    /// Languages, the default one first.
    pub languages: Vec<Language>,
    /// Offset for dates written without a zone.
    pub utc_offset: FixedOffset,
    /// Hotlines in the order written.
    pub hotlines: Vec<Hotline>,
    /// Entries per feed.
    pub feed_limit: usize,
    /// Whether HTML is minified.
    pub minify: bool,
    /// Loudspeaker reading rate in syllables per minute.
    pub syllables_per_minute: u32,
    /// Length limit and audio of the loudspeaker scripts.
    pub loudspeaker: LoudspeakerSettings,
    /// Whether raw HTML in content is published as written rather than sanitised; a build
    /// for untrusted authors (the studio) turns it off whatever site.yaml says.
    pub trust_raw_html: bool,
    /// The address the quick exit button leads to; `None` when it is turned off.
    pub quick_exit: Option<String>,
    /// Whether the service worker is published.
    pub offline: bool,
    /// The Zalo Official Account id for Zalo's share button, if any.
    pub zalo_oa_id: Option<String>,
    /// Limits of `loa check --budget`, in bytes gzipped: (article without photos, any page).
    pub budget: (u64, u64),
    /// Bleed of the print PDFs in millimetres (0: none; `loa build --bleed` makes it 3).
    pub print_bleed: f64,
    /// The PDF standard of the print PDFs, when one is asked for.
    pub print_standard: Option<PrintStandard>,
    /// Free values for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A language of the site with its resolved fallback chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// BCP 47 code.
    pub code: String,
    /// Its name in itself, if `site.yaml` gives one.
    pub name: Option<String>,
    /// Indexes into [`Config::languages`] to try after this one, ending with the default.
    pub fallbacks: Vec<usize>,
}

/// A hotline with a dialable number.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hotline {
    /// Identifier.
    pub id: String,
    /// Digits to dial.
    pub number: String,
    /// Display form.
    pub display: String,
    /// Opening hours.
    pub hours: Option<String>,
    /// Free of charge.
    pub free: bool,
    /// Keeps what callers say confidential.
    pub confidential: bool,
}

/// The error for a folder without `site.yaml`: where loa looked, and the site folder next to or
/// inside it when there is one, or how to start a site.
fn not_a_site(root: &Path) -> Error {
    let folder = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let message = msg!("config.not_a_site", folder = folder.display());
    let hint = match site_nearby(&folder) {
        Some(site) => msg!("config.not_a_site.go_to", folder = site.display()),
        None => msg!("config.not_a_site.hint"),
    };
    Error::at(CONFIG_FILE, None, message).with_hint(hint)
}

/// A folder holding `site.yaml` above `folder`, or else one of its own subfolders.
fn site_nearby(folder: &Path) -> Option<std::path::PathBuf> {
    let above = folder.ancestors().skip(1).find(|dir| dir.join(CONFIG_FILE).is_file());
    above.map(Path::to_path_buf).or_else(|| {
        let mut inside: Vec<std::path::PathBuf> = std::fs::read_dir(folder)
            .ok()?
            .flatten()
            .map(|entry| entry.path())
            .filter(|dir| dir.join(CONFIG_FILE).is_file())
            .collect();
        inside.sort();
        inside.into_iter().next()
    })
}

impl Config {
    /// Reads and validates `site.yaml` in `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !path.exists() {
            return Err(not_a_site(root));
        }
        let text = crate::base::encoding::read_source(&path, Path::new(CONFIG_FILE))?;
        if text.trim().is_empty() {
            return Err(Error::at(CONFIG_FILE, None, msg!("config.empty"))
                .with_hint(msg!("config.empty.hint")));
        }
        let raw: RawConfig = crate::base::yaml::from_str(&text, Path::new(CONFIG_FILE), 0)?;
        Config::validate(raw, root)
    }

    /// Turns a raw configuration into a validated one.
    pub fn validate(raw: RawConfig, root: &Path) -> Result<Config> {
        let languages = validate_languages(&raw)?;
        let theme = validate_theme(&raw, root)?;
        let utc_offset = match &raw.utc_offset {
            Some(s) => parse_offset(&s.value).ok_or_else(|| {
                config_error(&s.referenced, msg!("config.bad_offset", value = &s.value))
                    .with_hint(msg!("config.bad_offset.hint"))
            })?,
            None => crate::base::dates::default_offset(),
        };
        let (print_bleed, print_standard) = validate_print(raw.print.as_ref())?;
        let base_url = check_base_url(&raw.base_url.value)
            .map_err(|problem| problem.at(CONFIG_FILE, Some(location(&raw.base_url.referenced))))?;
        Ok(Config {
            title: raw.title,
            root: root.to_path_buf(),
            base_url,
            theme,
            languages,
            utc_offset,
            hotlines: validate_hotlines(raw.hotlines)?,
            feed_limit: raw.feed_limit.unwrap_or(20),
            minify: raw.minify.unwrap_or(true),
            syllables_per_minute: raw
                .loudspeaker
                .as_ref()
                .and_then(|l| l.syllables_per_minute)
                .unwrap_or(200)
                .max(1),
            loudspeaker: validate_loudspeaker(raw.loudspeaker.as_ref())?,
            trust_raw_html: raw.trust_raw_html.unwrap_or(false),
            quick_exit: match raw.quick_exit {
                Some(RawQuickExit::Switch(false)) => None,
                Some(RawQuickExit::Block { url }) => Some(url.trim().to_owned()),
                _ => Some(DEFAULT_QUICK_EXIT.to_owned()),
            },
            offline: raw.offline.unwrap_or(true),
            zalo_oa_id: raw.share.and_then(|s| s.zalo_oa_id).filter(|id| !id.trim().is_empty()),
            budget: raw.budget.map_or((30 * 1024, 100 * 1024), |b| {
                (b.article_kb.unwrap_or(30) * 1024, b.page_kb.unwrap_or(100) * 1024)
            }),
            print_bleed,
            print_standard,
            extra: raw.extra,
        })
    }

    /// The index of the language with `code`.
    pub fn language_index(&self, code: &str) -> Option<usize> {
        self.languages.iter().position(|l| l.code == code)
    }

    /// The default language (served at `/`).
    pub fn default_language(&self) -> &Language {
        &self.languages[0]
    }

    /// The theme folder.
    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.theme)
    }
}

fn config_error(location: &serde_saphyr::Location, message: Message) -> Error {
    Error::at(CONFIG_FILE, Some(self::location(location)), message)
}

fn location(location: &serde_saphyr::Location) -> Position {
    Position::new(location.line() as usize, location.column() as usize)
}

/// What is wrong with a `base_url`, and how to fix it.
#[derive(Debug)]
pub struct BaseUrlProblem {
    message: Message,
    hint: Message,
}

impl BaseUrlProblem {
    /// The problem as an error in `path` (site.yaml, or `--base-url` on the command line).
    pub fn at(self, path: impl Into<PathBuf>, position: Option<Position>) -> Error {
        Error::at(path, position, self.message).with_hint(self.hint)
    }
}

/// A `base_url` checked to be an http(s) address that is safe to write into every output
/// (HTML attributes, Atom, the sitemap, robots.txt): trimmed and without its trailing `/`.
/// Quotes, `<`, `>`, spaces and line breaks, a query or fragment, and a user name or
/// password are refused, since each would change the files it is written into.
pub fn check_base_url(written: &str) -> std::result::Result<String, BaseUrlProblem> {
    let base_url = written.trim().trim_end_matches('/').to_owned();
    let shown = base_url.escape_debug().to_string();
    let problem = |message: Message, hint: Message| Err(BaseUrlProblem { message, hint });
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return problem(
            msg!("config.bad_base_url", value = &shown),
            msg!("config.bad_base_url.hint"),
        );
    }
    if let Some(c) = base_url.chars().find(|c| is_unsafe_in_url(*c)) {
        return problem(
            msg!("config.base_url_character", value = &shown, character = c.escape_debug()),
            msg!("config.base_url_character.hint"),
        );
    }
    if base_url.contains(['?', '#']) {
        return problem(
            msg!("config.base_url_query", value = &shown),
            msg!("config.base_url_query.hint"),
        );
    }
    let parsed = match url::Url::parse(&base_url) {
        Ok(parsed) if parsed.host_str().is_some_and(|h| !h.is_empty()) => parsed,
        _ => {
            return problem(
                msg!("config.bad_base_url", value = &shown),
                msg!("config.bad_base_url.hint"),
            );
        }
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return problem(
            msg!("config.base_url_userinfo", value = &shown),
            msg!("config.base_url_userinfo.hint"),
        );
    }
    Ok(base_url)
}

/// Characters a base URL must not hold: they end attributes, open tags or add lines.
fn is_unsafe_in_url(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
}

fn validate_languages(raw: &RawConfig) -> Result<Vec<Language>> {
    if raw.languages.is_empty() {
        return Err(Error::at(CONFIG_FILE, None, msg!("config.no_languages"))
            .with_hint(msg!("config.no_languages.hint")));
    }
    if let Some(extra) = raw.languages.get(MAX_LANGUAGES) {
        return Err(config_error(
            &extra.code.referenced,
            msg!("config.too_many_languages", count = raw.languages.len(), max = MAX_LANGUAGES),
        )
        .with_hint(msg!("config.too_many_languages.hint")));
    }
    let mut codes: Vec<&str> = Vec::new();
    for lang in &raw.languages {
        let code = lang.code.value.as_str();
        if !is_language_code(code) {
            return Err(config_error(
                &lang.code.referenced,
                msg!("config.bad_language_code", code = code),
            )
            .with_hint(msg!("config.bad_language_code.hint")));
        }
        if codes.contains(&code) {
            return Err(config_error(
                &lang.code.referenced,
                msg!("config.language_twice", code = code),
            ));
        }
        codes.push(code);
    }
    let default = match &raw.default_language {
        Some(d) => codes.iter().position(|c| *c == d.value).ok_or_else(|| {
            config_error(&d.referenced, msg!("config.unknown_default_language", code = &d.value))
                .with_hint(msg!("config.choose_language", codes = codes.join(", ")))
        })?,
        None => 0,
    };
    let mut order: Vec<usize> = vec![default];
    order.extend((0..codes.len()).filter(|i| *i != default));
    let position_of = |original: usize| {
        order.iter().position(|o| *o == original).expect("every language is ordered")
    };
    order
        .iter()
        .map(|&original| {
            let lang = &raw.languages[original];
            let mut fallbacks = Vec::new();
            for fb in &lang.fallback {
                let target = codes.iter().position(|c| c == fb).ok_or_else(|| {
                    config_error(&lang.code.referenced, msg!("config.unknown_fallback", code = fb))
                        .with_hint(msg!("config.choose_language", codes = codes.join(", ")))
                })?;
                let target = position_of(target);
                if target == position_of(original) {
                    return Err(config_error(
                        &lang.code.referenced,
                        msg!("config.fallback_to_itself", code = fb),
                    ));
                }
                if !fallbacks.contains(&target) {
                    fallbacks.push(target);
                }
            }
            if position_of(original) != 0 {
                fallbacks.retain(|f| *f != 0);
                fallbacks.push(0);
            }
            Ok(Language { code: lang.code.value.clone(), name: lang.name.clone(), fallbacks })
        })
        .collect()
}

/// Whether `code` looks like a BCP 47 tag: a 2–3 letter language and optional subtags.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn validate_loudspeaker(raw: Option<&RawLoudspeaker>) -> Result<LoudspeakerSettings> {
    let max_minutes = match raw.and_then(|l| l.max_minutes.as_ref()) {
        Some(m) if !(m.value.is_finite() && m.value > 0.0) => {
            return Err(config_error(
                &m.referenced,
                msg!("config.bad_max_minutes", value = m.value),
            )
            .with_hint(msg!("config.bad_max_minutes.hint")));
        }
        Some(m) => m.value,
        None => 3.0,
    };
    let audio = match raw.and_then(|l| l.audio.as_ref()) {
        None | Some(Spanned { value: RawAudio::Switch(false), .. }) => AudioMode::Off,
        Some(Spanned { value: RawAudio::Switch(true), .. }) => AudioMode::Wanted,
        Some(Spanned { value: RawAudio::Word(word), .. }) if word.trim() == "required" => {
            AudioMode::Required
        }
        Some(Spanned { value: RawAudio::Word(word), referenced, .. }) => {
            return Err(config_error(referenced, msg!("config.bad_audio", value = word))
                .with_hint(msg!("config.bad_audio.hint")));
        }
    };
    let tts = match raw.and_then(|l| l.tts.as_ref()) {
        Some(t) if !t.value.contains("{wav}") => {
            return Err(config_error(
                &t.referenced,
                msg!("config.tts_without_wav", command = &t.value),
            )
            .with_hint(msg!("config.tts_without_wav.hint")));
        }
        Some(t) => t.value.trim().to_owned(),
        None => DEFAULT_TTS.to_owned(),
    };
    Ok(LoudspeakerSettings { max_seconds: (max_minutes * 60.0).round() as u64, audio, tts })
}

fn validate_hotlines(raw: Vec<RawHotline>) -> Result<Vec<Hotline>> {
    let mut hotlines: Vec<Hotline> = Vec::new();
    for h in raw {
        let id = h.id.value.trim().to_owned();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(config_error(&h.id.referenced, msg!("config.bad_hotline_id", id = &id)));
        }
        if hotlines.iter().any(|o| o.id == id) {
            return Err(config_error(&h.id.referenced, msg!("config.hotline_twice", id = &id)));
        }
        let number: String = h.number.value.chars().filter(|c| !c.is_whitespace()).collect();
        let digits = number.strip_prefix('+').unwrap_or(&number);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(config_error(
                &h.number.referenced,
                msg!("config.bad_hotline_number", number = &h.number.value),
            )
            .with_hint(msg!("config.bad_hotline_number.hint")));
        }
        let display = h.display.unwrap_or_else(|| number.clone());
        let (hours, free, confidential) = (h.hours, h.free, h.confidential);
        hotlines.push(Hotline { id, number, display, hours, free, confidential });
    }
    Ok(hotlines)
}

fn parse_offset(text: &str) -> Option<FixedOffset> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let seconds = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    FixedOffset::east_opt(sign * seconds)
}

/// The most bleed `print.bleed` accepts, in millimetres (the marks need the room outside it).
const MAX_BLEED_MM: f64 = 10.0;

/// `print.bleed` in millimetres and `print.standard`, checked.
fn validate_print(raw: Option<&RawPrint>) -> Result<(f64, Option<PrintStandard>)> {
    let Some(raw) = raw else { return Ok((0.0, None)) };
    let bleed = match &raw.bleed {
        Some(b) if !(0.0..=MAX_BLEED_MM).contains(&b.value) => {
            let value = b.value.to_string();
            return Err(config_error(&b.referenced, msg!("config.bad_bleed", value = value))
                .with_hint(msg!("config.bad_bleed.hint")));
        }
        Some(b) => b.value,
        None => 0.0,
    };
    let standard = match raw.standard.as_ref() {
        None => None,
        Some(s) => Some(match s.value.trim() {
            "pdf-a-2b" => PrintStandard::PdfA2b,
            "pdf-ua-1" => PrintStandard::PdfUa1,
            other => {
                return Err(config_error(
                    &s.referenced,
                    msg!("config.bad_standard", value = other),
                )
                .with_hint(msg!("config.bad_standard.hint")));
            }
        }),
    };
    Ok((bleed, standard))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Config> {
        let raw: RawConfig = crate::base::yaml::from_str(text, Path::new(CONFIG_FILE), 0)?;
        Config::validate(raw, Path::new("."))
    }

    #[test]
    fn can_resolve_fallback_chains_ending_in_default() {
        let c = config(
            "base_url: https://x.org/\nlanguages:\n  - code: vi\n  - code: en\n  - code: ktv\n    fallback: [en]\n",
        )
        .unwrap();
        assert_eq!(c.base_url, "https://x.org");
        assert_eq!(c.languages[2].fallbacks, vec![1, 0]);
        assert_eq!(c.languages[1].fallbacks, vec![0]);
        assert!(c.languages[0].fallbacks.is_empty());
    }

    #[test]
    fn can_put_default_language_first() {
        let c = config("base_url: https://x.org\ndefault_language: vi\nlanguages:\n  - code: en\n  - code: vi\n").unwrap();
        assert_eq!(c.languages[0].code, "vi");
        assert_eq!(c.languages[1].fallbacks, vec![0]);
    }

    #[test]
    fn errors_on_bad_language_code_with_position() {
        let e = config("base_url: https://x.org\nlanguages:\n  - code: Tiếng Việt\n").unwrap_err();
        assert!(
            e.to_string().starts_with("site.yaml:3:11: `Tiếng Việt` is not a language code"),
            "{e}"
        );
    }

    #[test]
    fn can_read_one_fallback_title_and_names() {
        let c = config(
            "title: Bench\nbase_url: https://x.org\nlanguages:\n  - {code: vi, name: \"Tiếng Việt\"}\n  - {code: ktv, name: \"Cơ Tu\", fallback: vi}\n",
        )
        .unwrap();
        assert_eq!(c.title.as_deref(), Some("Bench"));
        assert_eq!(c.languages[1].name.as_deref(), Some("Cơ Tu"));
        assert_eq!(c.languages[1].fallbacks, vec![0]);
    }

    #[test]
    fn finding_14_base_url_that_would_change_the_files_it_is_written_into_is_refused() {
        for (value, problem) in [
            ("\"https://x.org/\\\"><script>\"", "holds the character `\\\"`"),
            ("https://x.org/<b>", "holds the character `<`"),
            ("\"https://x.org/a b\"", "holds the character ` `"),
            (
                "\"https://x.org\\nSitemap: https://evil.example/s.xml\"",
                "holds the character `\\n`",
            ),
            ("https://x.org/?utm=1", "has a query"),
            ("https://x.org/#top", "has a query"),
            ("https://admin:secret@x.org", "user name or password"),
            ("https://", "is not an http(s) address"),
            ("ftp://x.org", "is not an http(s) address"),
        ] {
            let e = config(&format!("languages: [{{code: vi}}]\nbase_url: {value}\n")).unwrap_err();
            let text = e.to_string();
            assert!(text.starts_with("site.yaml:2:11: base_url `"), "{value}: {text}");
            assert!(text.contains(problem), "{value}: {text}");
        }
        for ok in ["https://x.org/chien-dich/", "http://localhost:1111", "https://phòng.vn"] {
            let c = config(&format!("base_url: {ok}\nlanguages: [{{code: vi}}]\n")).unwrap();
            assert_eq!(c.base_url, ok.trim_end_matches('/'));
        }
    }

    #[test]
    fn errors_on_unknown_fallback() {
        let e = config(
            "base_url: https://x.org\nlanguages:\n  - code: vi\n  - code: en\n    fallback: [fr]\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("fallback language `fr` is not in `languages`"), "{e}");
    }

    #[test]
    fn errors_on_hotline_that_is_not_a_number() {
        let e = config(
            "base_url: https://x.org\nlanguages: [{code: vi}]\nhotlines:\n  - id: a\n    number: goi ngay\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("is not a phone number"), "{e}");
    }

    #[test]
    fn reads_the_loudspeaker_length_limit_audio_and_speech_command() {
        let base = "base_url: https://x.org\nlanguages: [{code: vi}]\n";
        let plain = config(base).unwrap().loudspeaker;
        assert_eq!((plain.max_seconds, plain.audio), (180, AudioMode::Off));
        assert_eq!(plain.tts, DEFAULT_TTS);
        let set = config(&format!(
            "{base}loudspeaker:\n  max_minutes: 1.5\n  audio: required\n  tts: \"piper -f {{wav}} < {{txt}}\"\n"
        ))
        .unwrap()
        .loudspeaker;
        assert_eq!((set.max_seconds, set.audio), (90, AudioMode::Required));
        assert_eq!(set.tts, "piper -f {wav} < {txt}");
        let on = config(&format!("{base}loudspeaker:\n  audio: true\n")).unwrap();
        assert_eq!(on.loudspeaker.audio, AudioMode::Wanted);
        let e = config(&format!("{base}loudspeaker:\n  audio: yes please\n")).unwrap_err();
        assert!(
            e.to_string().starts_with("site.yaml:4:10: `loudspeaker.audio` is `yes please`"),
            "{e}"
        );
        let e = config(&format!("{base}loudspeaker:\n  max_minutes: 0\n")).unwrap_err();
        assert!(e.to_string().contains("max_minutes` is 0"), "{e}");
        let e = config(&format!("{base}loudspeaker:\n  tts: espeak-ng -f {{txt}}\n")).unwrap_err();
        assert!(e.to_string().contains("has no `{wav}`"), "{e}");
    }
}
