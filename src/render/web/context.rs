//! The light values handed to templates; documented in `docs/templates.md`.

use serde::Serialize;

pub use crate::model::hotlines::HotlineView;

use crate::base::dates::Moment;
use crate::load::front_matter::Campaign;
use crate::load::markdown::Heading;
use crate::model::{Site, Variant};
use crate::render::theme::views::Link;

/// An entry of a list (section pages, tag pages, subsections).
#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    /// Title.
    pub title: String,
    /// Root-relative URL.
    pub url: String,
    /// Description, if any.
    pub description: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    /// Date formatted for the language.
    pub date_display: Option<String>,
    /// Language code of the content shown.
    pub lang: String,
    /// False when the entry shows fallback content.
    pub translated: bool,
    /// What other outputs add to the entry's page (its PDF, its loudspeaker script…).
    pub materials: Vec<MaterialView>,
}

/// A material another output adds to a page (see [`crate::render::plan::Material`]).
#[derive(Debug, Clone, Serialize)]
pub struct MaterialView {
    /// What it is (`print`, `script`, `sms`).
    pub kind: String,
    /// The locale key of its label, for `t(key=…, size=…)`.
    pub label: String,
    /// Root-relative URL of the file.
    pub url: String,
    /// Size of the file, e.g. `120 KB`, when known.
    pub size: Option<String>,
    /// Language code of its content.
    pub lang: String,
    /// Media type for the link's `type`, if any.
    #[serde(rename = "type")]
    pub media_type: Option<String>,
    /// Whether the link should download the file.
    pub download: bool,
}

/// A page or section body with its metadata.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// Key shared by translations (`tin-tuc/lua-dao`, `tin-tuc/`).
    pub key: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Body HTML (use `| safe`).
    pub content: String,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// ISO date.
    pub date: Option<String>,
    /// Date formatted for the language.
    pub date_display: Option<String>,
    /// ISO date of the last update.
    pub updated: Option<String>,
    /// Update date formatted for the language.
    pub updated_display: Option<String>,
    /// Tags with their pages' URLs.
    pub tags: Vec<Link>,
    /// Headings for a table of contents.
    pub toc: Vec<Heading>,
    /// Words in the body.
    pub word_count: usize,
    /// Minutes to read, at least 1.
    pub reading_minutes: usize,
    /// Main image and its alt text.
    pub image: Option<String>,
    /// Alternative text of the main image.
    pub image_alt: Option<String>,
    /// Free values.
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
    /// Previous page in the section.
    pub prev: Option<Link>,
    /// Next page in the section.
    pub next: Option<Link>,
    /// Pages of a section, in order (empty for pages).
    pub pages: Vec<ListItem>,
    /// Subsections of a section.
    pub subsections: Vec<ListItem>,
    /// Campaign data of a section.
    pub campaign: Option<CampaignView>,
    /// What other outputs add to the page (its PDF, its loudspeaker script…).
    pub materials: Vec<MaterialView>,
}

/// A campaign with dates formatted.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignView {
    /// Campaign day, formatted.
    pub day: Option<String>,
    /// First day, formatted.
    pub start: Option<String>,
    /// Last day, formatted.
    pub end: Option<String>,
    /// Slogan.
    pub slogan: Option<String>,
    /// Campaign day as `2024-07-30`, for the countdown.
    pub day_iso: Option<String>,
    /// Events with formatted dates.
    pub events: Vec<EventView>,
    /// The same events grouped by district; groups in the order of their first event.
    pub districts: Vec<DistrictEvents>,
}

/// The campaign a home page features.
#[derive(Debug, Clone, Serialize)]
pub struct FeaturedCampaign {
    /// Title and URL of the campaign section.
    pub link: Link,
    /// Slogan.
    pub slogan: Option<String>,
    /// Campaign day, formatted.
    pub day: Option<String>,
    /// Campaign day as `2024-07-30`.
    pub day_iso: Option<String>,
    /// Whether it is under way at build time (else it is the next one).
    pub current: bool,
}

/// The events of one district.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictEvents {
    /// District name (empty when the events name none).
    pub district: String,
    /// Its events, by date.
    pub events: Vec<EventView>,
}

/// A campaign event with its date formatted.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// ISO date.
    pub date: String,
    /// Date formatted for the language.
    pub date_display: String,
    /// Time of day.
    pub time: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// District.
    pub district: Option<String>,
    /// Description.
    pub description: Option<String>,
}

/// Formats moments with a language's `date.format`.
pub struct DateFormat<'a>(pub &'a str);

impl DateFormat<'_> {
    /// ISO day `2024-07-30`.
    pub fn iso(moment: &Moment) -> String {
        moment.format("%Y-%m-%d").to_string()
    }

    /// The day in the language's format.
    pub fn display(&self, moment: &Moment) -> String {
        moment.format(self.0).to_string()
    }

    fn pair(&self, moment: &Option<Moment>) -> (Option<String>, Option<String>) {
        (moment.as_ref().map(Self::iso), moment.as_ref().map(|m| self.display(m)))
    }
}

/// Builds views for one language.
pub struct Views<'a> {
    /// The site.
    pub site: &'a Site,
    /// Language index.
    pub lang: usize,
    /// Its date format.
    pub dates: DateFormat<'a>,
    /// Every hotline, labelled in the language.
    pub hotlines: &'a [HotlineView],
    /// Every hotline labelled in each language, as a document's shortcodes list them.
    pub hotlines_by_lang: &'a [Vec<HotlineView>],
    /// Every output's plan, with the materials of each page.
    pub plan: &'a crate::render::plan::SitePlan,
}

impl Views<'_> {
    /// The list entry for a variant.
    pub fn list_item(&self, variant: &Variant) -> ListItem {
        let doc = self.site.doc(variant);
        let (date, date_display) = self.dates.pair(&doc.front.date);
        ListItem {
            title: doc.front.title.clone(),
            url: self.site.link(&variant.path),
            description: doc.front.description.clone(),
            date,
            date_display,
            lang: self.site.config.languages[doc.source.lang].code.clone(),
            translated: variant.translated,
            materials: self.materials(variant),
        }
    }

    /// The materials other outputs add to a variant's page, in the order of the outputs.
    pub fn materials(&self, variant: &Variant) -> Vec<MaterialView> {
        let codes = &self.site.config.languages;
        self.plan
            .materials(&variant.path)
            .iter()
            .map(|m| MaterialView {
                kind: m.kind.to_owned(),
                label: m.label.clone(),
                url: self.site.link(&m.path),
                size: m.size.map(|bytes| format!("{} KB", bytes.div_ceil(1024))),
                lang: codes[m.lang].code.clone(),
                media_type: m.media_type.map(str::to_owned),
                download: m.download,
            })
            .collect()
    }

    /// The full view of a page or section variant.
    pub fn page(
        &self,
        key: &str,
        variant: &Variant,
        variants: &[Option<Variant>],
    ) -> crate::base::error::Result<PageView> {
        let doc = self.site.doc(variant);
        let hotlines = &self.hotlines_by_lang[doc.source.lang];
        let content =
            crate::render::body::page_body(self.site, variant.doc, variants, self.lang, hotlines)?;
        let front = &doc.front;
        let (date, date_display) = self.dates.pair(&front.date);
        let (updated, updated_display) = self.dates.pair(&front.updated);
        let tags = front
            .tags
            .iter()
            .filter_map(|name| self.site.tag(self.lang, name))
            .map(|t| Link {
                title: tag_name(self.site, self.lang, t),
                url: self.site.link(&t.path),
            })
            .collect();
        Ok(PageView {
            key: key.to_owned(),
            title: front.title.clone(),
            description: front.description.clone(),
            content,
            url: self.site.link(&variant.path),
            permalink: self.site.permalink(&variant.path),
            date,
            date_display,
            updated,
            updated_display,
            tags,
            toc: doc.rendered.headings.clone(),
            word_count: doc.rendered.word_count,
            reading_minutes: doc.rendered.word_count.div_ceil(200).max(1),
            image: front.image.clone(),
            image_alt: front.image_alt.clone(),
            extra: front.extra.clone(),
            prev: None,
            next: None,
            pages: Vec::new(),
            subsections: Vec::new(),
            campaign: front.campaign.as_ref().map(|c| self.campaign(c)),
            materials: self.materials(variant),
        })
    }

    /// A title and URL for a variant.
    pub fn link(&self, variant: &Variant) -> Link {
        Link {
            title: self.site.doc(variant).front.title.clone(),
            url: self.site.link(&variant.path),
        }
    }

    fn campaign(&self, campaign: &Campaign) -> CampaignView {
        let show = |m: &Option<Moment>| m.as_ref().map(|m| self.dates.display(m));
        let events: Vec<EventView> = campaign
            .events
            .iter()
            .map(|e| EventView {
                date: DateFormat::iso(&e.date),
                date_display: self.dates.display(&e.date),
                time: e.time.clone(),
                place: e.place.clone(),
                district: e.district.clone(),
                description: e.description.clone(),
            })
            .collect();
        CampaignView {
            day: show(&campaign.day),
            start: show(&campaign.start),
            end: show(&campaign.end),
            slogan: campaign.slogan.clone(),
            day_iso: campaign.day.as_ref().map(DateFormat::iso),
            districts: group_by_district(&events),
            events,
        }
    }
}

/// Events (already sorted by date) grouped by district, groups in the order of their first event.
pub fn group_by_district(events: &[EventView]) -> Vec<DistrictEvents> {
    let mut groups: Vec<DistrictEvents> = Vec::new();
    for event in events {
        let district = event.district.clone().unwrap_or_default();
        match groups.iter_mut().find(|g| g.district == district) {
            Some(group) => group.events.push(event.clone()),
            None => groups.push(DistrictEvents { district, events: vec![event.clone()] }),
        }
    }
    groups
}

/// A tag's name in a language: `tag_names.<slug>` of the locales where one is given (English
/// pages can read "Topics: Jobs" for a tag written `việc làm`), otherwise the tag as written.
pub fn tag_name(site: &Site, lang: usize, tag: &crate::model::Tag) -> String {
    let slug = tag.path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    site.locales.get(lang, &format!("tag_names.{slug}")).unwrap_or(&tag.name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(date: &str, district: Option<&str>) -> EventView {
        EventView {
            date: date.into(),
            date_display: date.into(),
            time: None,
            place: None,
            district: district.map(str::to_owned),
            description: None,
        }
    }

    #[test]
    fn can_group_events_by_district_in_date_order() {
        let events = [
            event("2024-07-01", Some("Tam Kỳ")),
            event("2024-07-15", Some("Nam Giang")),
            event("2024-07-30", Some("Tam Kỳ")),
            event("2024-07-31", None),
        ];
        let groups = group_by_district(&events);
        let names: Vec<&str> = groups.iter().map(|g| g.district.as_str()).collect();
        assert_eq!(names, ["Tam Kỳ", "Nam Giang", ""]);
        assert_eq!(
            groups[0].events.iter().map(|e| e.date.as_str()).collect::<Vec<_>>(),
            ["2024-07-01", "2024-07-30"]
        );
    }
}
