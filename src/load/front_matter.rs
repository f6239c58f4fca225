//! Front matter: split from the body, read strictly, dates and schedule resolved.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::FixedOffset;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::base::dates::{Moment, date_hint, parse_date};
use crate::base::error::{Error, Position, Result};

/// A source file cut in two: YAML front matter and Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub front: &'a str,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// Lines before the YAML starts (the opening `---`).
    pub front_line_offset: usize,
    /// Lines before the body starts.
    pub body_line_offset: usize,
}

/// Cuts normalised source text into front matter and body.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>> {
    let Some(after_open) =
        text.strip_prefix("---\n").or_else(|| text.strip_prefix("---").filter(|r| r.is_empty()))
    else {
        return Err(Error::at(path, Some(Position::new(1, 1)), msg!("front_matter.missing"))
            .with_hint(msg!("front_matter.missing.hint")));
    };
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let front = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            let front_lines = front.matches('\n').count();
            return Ok(Split {
                front,
                body,
                front_line_offset: 1,
                body_line_offset: 2 + front_lines,
            });
        }
        offset += line.len();
    }
    if let Some(error) = unclosed_before_body(after_open, path, 1, usize::MAX) {
        return Err(error);
    }
    Err(Error::at(path, Some(Position::new(1, 1)), msg!("front_matter.unclosed"))
        .with_hint(msg!("front_matter.unclosed.hint")))
}

/// The error for front matter whose closing `---` is missing, when `front` holds a line of page
/// text at or before file line `failed_at`: loa then read the page's start as YAML (a `---`
/// divider further down passed for the closing line).
fn unclosed_before_body(
    front: &str,
    path: &Path,
    line_offset: usize,
    failed_at: usize,
) -> Option<Error> {
    let lines: Vec<&str> = front.lines().collect();
    let body = lines.iter().position(|line| reads_as_page_text(line))?;
    if body + 1 + line_offset > failed_at {
        return None;
    }
    let last = lines[..body].iter().rposition(|line| !line.trim().is_empty())?;
    let position = Position::new(body + 1 + line_offset, 1);
    let hint = msg!(
        "front_matter.unclosed_before.hint",
        last = lines[last].trim(),
        line = last + 1 + line_offset
    );
    Some(Error::at(path, Some(position), msg!("front_matter.unclosed_before")).with_hint(hint))
}

/// Whether a front matter line is text rather than YAML: not indented, not a comment, list item
/// or `key:` line (keys are plain words such as `title` or `print_pages`).
fn reads_as_page_text(line: &str) -> bool {
    if line.trim().is_empty()
        || line.starts_with(char::is_whitespace)
        || line.starts_with(['#', '-'])
    {
        return false;
    }
    let key = line.split_once(':').filter(|(_, rest)| rest.is_empty() || rest.starts_with(' '));
    !key.is_some_and(|(key, _)| {
        !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
    })
}

/// Front matter exactly as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    title: Option<String>,
    description: Option<String>,
    date: Option<Spanned<Scalar>>,
    updated: Option<Spanned<Scalar>>,
    publish_date: Option<Spanned<Scalar>>,
    expiry_date: Option<Spanned<Scalar>>,
    #[serde(default)]
    draft: bool,
    slug: Option<Spanned<String>>,
    weight: Option<i64>,
    template: Option<Spanned<String>>,
    #[serde(default)]
    tags: Vec<Spanned<Scalar>>,
    image: Option<Spanned<String>>,
    image_alt: Option<String>,
    #[serde(default)]
    hotlines: Vec<Spanned<Scalar>>,
    print: Option<Spanned<String>>,
    loudspeaker: Option<Spanned<RawScriptChoice>>,
    translated_from: Option<String>,
    translated_blocks: Option<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    campaign: Option<RawCampaign>,
    #[serde(default)]
    extra: BTreeMap<String, serde_json::Value>,
}

/// A YAML scalar read as text, so `111` and `"111"` mean the same.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// Text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A number with a fraction.
    Float(f64),
}

impl Scalar {
    /// The scalar as text.
    pub fn text(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Integer(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
        }
    }
}

/// `loudspeaker:` in front matter: a switch, or the word `short`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawScriptChoice {
    /// `true` or `false`.
    Switch(bool),
    /// `short`: the script reads only the description, each heading's first paragraph and
    /// the hotlines.
    Word(String),
}

/// A campaign section's `campaign:` block as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    day: Option<Spanned<Scalar>>,
    start: Option<Spanned<Scalar>>,
    end: Option<Spanned<Scalar>>,
    slogan: Option<String>,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    date: Spanned<Scalar>,
    time: Option<Scalar>,
    place: Option<String>,
    district: Option<String>,
    description: Option<String>,
}

/// The print layouts a page may ask for.
pub const PRINT_LAYOUTS: [&str; 3] = ["leaflet-trifold", "leaflet-a5", "poster-a3"];

/// Validated front matter.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// Title (required).
    pub title: String,
    /// Short description for lists, feeds and `<meta>`.
    pub description: Option<String>,
    /// Date of the page.
    pub date: Option<Moment>,
    /// Date of the last change.
    pub updated: Option<Moment>,
    /// Not published before this moment.
    pub publish_date: Option<Moment>,
    /// Not published from this moment on.
    pub expiry_date: Option<Moment>,
    /// Only published with `--drafts`.
    pub draft: bool,
    /// Replaces the file name in the URL.
    pub slug: Option<(String, Position)>,
    /// Order within the section (smaller first).
    pub weight: Option<i64>,
    /// Template to use instead of the default one, with where it was named.
    pub template: Option<(String, Position)>,
    /// Tags, as written.
    pub tags: Vec<String>,
    /// Main image.
    pub image: Option<String>,
    /// Where the main image is named.
    pub image_at: Option<Position>,
    /// Alternative text of the main image.
    pub image_alt: Option<String>,
    /// Hotline ids to feature, with where each was named.
    pub hotlines: Vec<(String, Position)>,
    /// Print layout.
    pub print: Option<String>,
    /// Whether a loudspeaker script is made.
    pub loudspeaker: Option<bool>,
    /// `loudspeaker: short`: the script reads the description, each heading's first
    /// paragraph and the hotlines only.
    pub loudspeaker_short: bool,
    /// Stamp of the source this translation was made from.
    pub translated_from: Option<String>,
    /// Stamps of the source's blocks this translation was made from (`loa i18n stamp`).
    pub translated_blocks: Option<String>,
    /// Old URLs that redirect here, with where each was written.
    pub aliases: Vec<(String, Position)>,
    /// Campaign data of a section.
    pub campaign: Option<Campaign>,
    /// Free values for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A campaign (such as 30 July) attached to a section.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// The campaign day.
    pub day: Option<Moment>,
    /// First day of the campaign period.
    pub start: Option<Moment>,
    /// Last day of the campaign period.
    pub end: Option<Moment>,
    /// Slogan.
    pub slogan: Option<String>,
    /// Events, sorted by date.
    pub events: Vec<CampaignEvent>,
}

/// One event of a campaign.
#[derive(Debug, Clone)]
pub struct CampaignEvent {
    /// Day of the event.
    pub date: Moment,
    /// Time of day as written.
    pub time: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// District.
    pub district: Option<String>,
    /// What happens.
    pub description: Option<String>,
}

/// Reads front matter YAML found in `path`, `line_offset` lines into the file.
pub fn parse(
    front: &str,
    path: &Path,
    line_offset: usize,
    offset: FixedOffset,
) -> Result<FrontMatter> {
    let raw: RawFrontMatter = if front.trim().is_empty() {
        RawFrontMatter::default()
    } else {
        crate::base::yaml::from_str(front, path, line_offset).map_err(|error| {
            let failed_at = error.position().map_or(usize::MAX, |p| p.line);
            unclosed_before_body(front, path, line_offset, failed_at).unwrap_or(error)
        })?
    };
    let date = |value: &Option<Spanned<Scalar>>| -> Result<Option<Moment>> {
        value.as_ref().map(|v| located_date(v, path, line_offset, offset)).transpose()
    };
    let title = raw.title.clone().filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        Error::at(path, Some(Position::new(line_offset + 1, 1)), msg!("front_matter.no_title"))
            .with_hint(msg!("front_matter.no_title.hint"))
    })?;
    let print = raw.print.as_ref().map(|p| check_print(p, path, line_offset)).transpose()?;
    let (loudspeaker, loudspeaker_short) = loudspeaker_choice(&raw.loudspeaker, path, line_offset)?;
    check_names(&raw, path, line_offset)?;
    let campaign =
        raw.campaign.as_ref().map(|c| campaign(c, path, line_offset, offset)).transpose()?;
    Ok(FrontMatter {
        title: title.trim().to_owned(),
        description: raw.description.map(|d| d.trim().to_owned()),
        date: date(&raw.date)?,
        updated: date(&raw.updated)?,
        publish_date: date(&raw.publish_date)?,
        expiry_date: date(&raw.expiry_date)?,
        draft: raw.draft,
        slug: raw.slug.map(|s| (s.value, located(&s.referenced, line_offset))),
        weight: raw.weight,
        template: raw.template.map(|t| (t.value, located(&t.referenced, line_offset))),
        tags: raw
            .tags
            .iter()
            .map(|t| t.value.text().trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        image_at: raw.image.as_ref().map(|i| located(&i.referenced, line_offset)),
        image: raw.image.map(|i| i.value),
        image_alt: raw.image_alt,
        hotlines: raw
            .hotlines
            .iter()
            .map(|h| (h.value.text(), located(&h.referenced, line_offset)))
            .collect(),
        print,
        loudspeaker,
        loudspeaker_short,
        translated_from: raw.translated_from,
        translated_blocks: raw.translated_blocks,
        aliases: raw
            .aliases
            .into_iter()
            .map(|a| (a.value, located(&a.referenced, line_offset)))
            .collect(),
        campaign,
        extra: raw.extra,
    })
}

fn located(location: &serde_saphyr::Location, line_offset: usize) -> Position {
    Position::new(location.line() as usize + line_offset, location.column() as usize)
}

fn located_date(
    value: &Spanned<Scalar>,
    path: &Path,
    line_offset: usize,
    offset: FixedOffset,
) -> Result<Moment> {
    parse_date(&value.value.text(), offset).map_err(|message| {
        Error::at(path, Some(located(&value.referenced, line_offset)), message)
            .with_hint(date_hint())
    })
}

/// The most tags one page may carry: each becomes a page in every language.
pub const MAX_TAGS: usize = 100;

/// The most aliases one page may carry: each becomes a redirect page.
pub const MAX_ALIASES: usize = 100;

/// Refuses names that would become paths outside the output or too long for the file system
/// (aliases, `slug:`, tags), and more tags or aliases than a page may have.
fn check_names(raw: &RawFrontMatter, path: &Path, line_offset: usize) -> Result<()> {
    let at = |location: &serde_saphyr::Location| Some(located(location, line_offset));
    let too_many = |items: usize, max: usize, first: Option<&serde_saphyr::Location>| {
        Error::at(path, first.and_then(at), msg!("front_matter.too_many", count = items, max = max))
            .with_hint(msg!("front_matter.too_many.hint"))
    };
    if raw.tags.len() > MAX_TAGS {
        return Err(too_many(
            raw.tags.len(),
            MAX_TAGS,
            raw.tags.get(MAX_TAGS).map(|t| &t.referenced),
        ));
    }
    if raw.aliases.len() > MAX_ALIASES {
        let first = raw.aliases.get(MAX_ALIASES).map(|a| &a.referenced);
        return Err(too_many(raw.aliases.len(), MAX_ALIASES, first));
    }
    let refused = |refusal: crate::base::paths::Refusal, raw_text: &str, location| {
        Error::at(path, at(location), refusal.message(raw_text)).with_hint(refusal.hint())
    };
    for alias in &raw.aliases {
        crate::base::paths::output_file(&alias.value)
            .map_err(|r| refused(r, &alias.value, &alias.referenced))?;
    }
    let slugs = raw.tags.iter().map(|t| (t.value.text(), &t.referenced));
    for (name, location) in slugs.chain(raw.slug.iter().map(|s| (s.value.clone(), &s.referenced))) {
        let slug = crate::base::text::slugify(&name);
        if slug.len() > crate::base::paths::MAX_NAME_BYTES {
            return Err(refused(crate::base::paths::Refusal::NameTooLong(slug), &name, location));
        }
    }
    Ok(())
}

fn check_print(value: &Spanned<String>, path: &Path, line_offset: usize) -> Result<String> {
    if PRINT_LAYOUTS.contains(&value.value.as_str()) {
        return Ok(value.value.clone());
    }
    let hint = match crate::base::yaml::closest(&value.value, &PRINT_LAYOUTS) {
        Some(best) => msg!("yaml.did_you_mean", best = best),
        None => msg!("yaml.allowed_keys", keys = PRINT_LAYOUTS.join(", ")),
    };
    Err(Error::at(
        path,
        Some(located(&value.referenced, line_offset)),
        msg!("front_matter.unknown_print", layout = &value.value),
    )
    .with_hint(hint))
}

/// `loudspeaker:` read as (whether a script is made, whether it is the short one).
fn loudspeaker_choice(
    value: &Option<Spanned<RawScriptChoice>>,
    path: &Path,
    line_offset: usize,
) -> Result<(Option<bool>, bool)> {
    match value {
        None => Ok((None, false)),
        Some(Spanned { value: RawScriptChoice::Switch(on), .. }) => Ok((Some(*on), false)),
        Some(Spanned { value: RawScriptChoice::Word(word), .. }) if word.trim() == "short" => {
            Ok((Some(true), true))
        }
        Some(Spanned { value: RawScriptChoice::Word(word), referenced, .. }) => Err(Error::at(
            path,
            Some(located(referenced, line_offset)),
            msg!("front_matter.bad_loudspeaker", value = word),
        )
        .with_hint(msg!("front_matter.bad_loudspeaker.hint"))),
    }
}

fn campaign(
    raw: &RawCampaign,
    path: &Path,
    line_offset: usize,
    offset: FixedOffset,
) -> Result<Campaign> {
    let date = |v: &Option<Spanned<Scalar>>| {
        v.as_ref().map(|v| located_date(v, path, line_offset, offset)).transpose()
    };
    let mut events = raw
        .events
        .iter()
        .map(|e| {
            Ok(CampaignEvent {
                date: located_date(&e.date, path, line_offset, offset)?,
                time: e.time.as_ref().map(Scalar::text),
                place: e.place.clone(),
                district: e.district.clone(),
                description: e.description.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    events.sort_by(|a, b| (a.date, &a.time).cmp(&(b.date, &b.time)));
    Ok(Campaign {
        day: date(&raw.day)?,
        start: date(&raw.start)?,
        end: date(&raw.end)?,
        slogan: raw.slogan.clone(),
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Result<FrontMatter> {
        parse(text, Path::new("a.md"), 1, crate::base::dates::default_offset())
    }

    #[test]
    fn can_split_front_matter_and_count_lines() {
        let s = split("---\ntitle: x\n---\nbody\n", Path::new("a.md")).unwrap();
        assert_eq!((s.front, s.body, s.body_line_offset), ("title: x\n", "body\n", 3));
    }

    #[test]
    fn errors_on_unclosed_front_matter() {
        let e = split("---\ntitle: x\n", Path::new("a.md")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.md:1:1: the front matter is not closed\n  hint: add a line with only `---` after the last front matter key"
        );
    }

    #[test]
    fn finding_18_front_matter_closed_only_by_a_divider_in_the_body_asks_for_the_closing_line() {
        let text = "---\ntitle: Cảnh báo\ndraft: true\n\nMở đầu bài viết.\n\n---\n\nPhần hai.\n";
        let split = split(text, Path::new("a.md")).unwrap();
        let error = parse(split.front, Path::new("a.md"), 1, crate::base::dates::default_offset())
            .unwrap_err()
            .render(crate::base::messages::UiLang::Vi);
        assert!(error.starts_with("a.md:5:1: phần đầu trang chưa được đóng"), "{error}");
        assert!(error.contains("sau khóa cuối cùng, `draft: true` (dòng 3)"), "{error}");
    }

    #[test]
    fn finding_18_a_body_line_with_a_colon_is_not_taken_for_a_key() {
        let text = "---\ntitle: A\n\nLiên hệ: 111 để được giúp.\n\n---\n";
        let split = split(text, Path::new("a.md")).unwrap();
        let error = parse(split.front, Path::new("a.md"), 1, crate::base::dates::default_offset())
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("a.md:4:1: the front matter is not closed"), "{error}");
        assert!(error.contains("`title: A` (line 2)"), "{error}");
    }

    #[test]
    fn unclosed_front_matter_without_divider_points_at_the_first_text_line() {
        let e = split("---\ntitle: x\n\nMột đoạn.\n", Path::new("a.md")).unwrap_err();
        assert!(e.to_string().starts_with("a.md:4:1: the front matter is not closed"), "{e}");
    }

    #[test]
    fn can_read_numbers_as_hotline_ids_and_vietnamese_dates() {
        let f = fm("title: x\nhotlines: [111, 1800-1581]\ndate: 30/7/2024\n").unwrap();
        assert_eq!(
            f.hotlines.iter().map(|h| h.0.as_str()).collect::<Vec<_>>(),
            ["111", "1800-1581"]
        );
        assert_eq!(f.date.unwrap().format("%Y-%m-%d").to_string(), "2024-07-30");
    }

    #[test]
    fn errors_on_impossible_date_with_position() {
        let e = fm("title: x\ndate: 31/2/2024\n").unwrap_err().to_string();
        assert!(e.starts_with("a.md:3:7: `31/2/2024` is not a day that exists"), "{e}");
    }

    #[test]
    fn errors_on_unknown_key_with_hint() {
        let e = fm("title: x\ntagz: [a]\n").unwrap_err().to_string();
        assert!(
            e.contains("a.md:3:1: unknown field `tagz`") && e.contains("did you mean `tags`?"),
            "{e}"
        );
    }

    #[test]
    fn errors_on_missing_title() {
        assert!(fm("weight: 1\n").unwrap_err().to_string().contains("has no `title`"));
    }

    #[test]
    fn errors_on_unknown_print_layout() {
        let e = fm("title: x\nprint: poster-a4\n").unwrap_err().to_string();
        assert!(e.contains("did you mean `poster-a3`?"), "{e}");
    }

    #[test]
    fn reads_loudspeaker_short_and_refuses_other_words() {
        let short = fm("title: x\nloudspeaker: short\n").unwrap();
        assert_eq!((short.loudspeaker, short.loudspeaker_short), (Some(true), true));
        let off = fm("title: x\nloudspeaker: false\n").unwrap();
        assert_eq!((off.loudspeaker, off.loudspeaker_short), (Some(false), false));
        let e = fm("title: x\nloudspeaker: long\n").unwrap_err();
        assert!(e.to_string().contains("`loudspeaker: long` is not known"), "{e}");
    }
}
