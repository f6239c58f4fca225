//! `loa init` and `loa new`: a new site from the bundled example, and new pages with their front matter.

use std::path::{Path, PathBuf};

use chrono::Datelike;

use crate::base::bundle::STARTER_FILES;
use crate::base::dates::Moment;
use crate::base::error::{Error, Result};
use crate::load::config::Config;
use crate::load::staleness;

/// The kinds of page `loa new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An article.
    Page,
    /// A campaign section (`_index.md` with a `campaign:` block).
    Campaign,
    /// A page printed as a three-panel leaflet.
    Leaflet,
    /// A page printed as an A3 poster.
    Poster,
}

/// What `loa new` is asked to write.
#[derive(Debug, Clone, Copy)]
pub struct NewPage<'a> {
    /// The kind of page.
    pub kind: Kind,
    /// Where under `content/`; a folder (ending in `/`, or an existing one) gets a file named
    /// after the title.
    pub path: &'a Path,
    /// Write a translation of the page into this language instead.
    pub lang: Option<&'a str>,
    /// The title, with its diacritics.
    pub title: Option<&'a str>,
    /// The day of a campaign, as written (`30/7/2025`).
    pub day: Option<&'a str>,
}

/// The pages `loa init` adds to the example: drafts, so that nothing unfinished goes live.
const INIT_DRAFTS: [(Kind, &str, &str); 2] = [
    (Kind::Leaflet, "to-roi-duong-day-nong", "Tờ rơi: gọi đường dây nóng khi nghi ngờ"),
    (
        Kind::Poster,
        "ap-phich-30-thang-7",
        "Áp phích Ngày toàn quốc phòng, chống mua bán người 30/7",
    ),
];

/// Creates a new site in `dir` from the bundled example; refuses a folder that is not empty.
pub fn init(dir: &Path, today: Moment) -> Result<Vec<PathBuf>> {
    if dir.is_file() || (dir.is_dir() && fs_err::read_dir(dir)?.next().is_some()) {
        return Err(Error::at(dir, None, msg!("scaffold.not_empty"))
            .with_hint(msg!("scaffold.not_empty.hint")));
    }
    fs_err::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (path, bytes) in STARTER_FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs_err::create_dir_all(parent)?;
        }
        fs_err::write(&target, bytes)?;
        written.push(PathBuf::from(path));
    }
    let config = Config::load(dir)?;
    for (kind, path, title) in INIT_DRAFTS {
        let request =
            NewPage { kind, path: Path::new(path), lang: None, title: Some(title), day: None };
        written.push(new_page(&config, &request, today)?);
    }
    Ok(written)
}

/// Writes a new draft page as `request` asks (under `content/`), or a translation of one.
pub fn new_page(config: &Config, request: &NewPage, today: Moment) -> Result<PathBuf> {
    let NewPage { kind, path, lang, title, .. } = *request;
    let mut relative = content_relative(path)?;
    if let Some(title) = title.filter(|_| lang.is_none() && names_a_folder(config, path, kind)) {
        relative = relative.join(crate::base::text::slugify(title));
    }
    let source = source_file(kind, &relative);
    let target = match lang {
        Some(code) if config.language_index(code).is_some_and(|i| i > 0) => {
            translation_file(&source, code)
        }
        Some(code) => {
            let codes: Vec<&str> =
                config.languages.iter().skip(1).map(|l| l.code.as_str()).collect();
            return Err(Error::at(
                "site.yaml",
                None,
                msg!("scaffold.unknown_language", code = code),
            )
            .with_hint(msg!("config.choose_language", codes = codes.join(", "))));
        }
        None => source.clone(),
    };
    let absolute = crate::base::paths::inside(&config.root, &target).map_err(|refusal| {
        let shown = target.display().to_string();
        Error::at(&target, None, refusal.message(&shown)).with_hint(refusal.hint())
    })?;
    if absolute.symlink_metadata().is_ok() {
        return Err(Error::at(&target, None, msg!("scaffold.exists"))
            .with_hint(msg!("scaffold.exists.hint")));
    }
    let text = match lang {
        Some(_) => translation_text(config, &source)?,
        None => {
            let title = title.map_or_else(|| title_from(&relative), str::to_owned);
            page_text(config, request, &title, today, &target)?
        }
    };
    if let Some(parent) = absolute.parent() {
        fs_err::create_dir_all(parent)?;
    }
    write_new_file(&absolute, &target, text.as_bytes())?;
    Ok(target)
}

/// Creates `absolute` with `bytes`, refusing to replace anything that appeared there since it
/// was checked (`create_new` also refuses a symbolic link in its place).
fn write_new_file(absolute: &Path, shown: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let file = fs_err::OpenOptions::new().write(true).create_new(true).open(absolute);
    let mut file = match file {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::at(shown, None, msg!("scaffold.exists"))
                .with_hint(msg!("scaffold.exists.hint")));
        }
        Err(e) => return Err(e.into()),
    };
    file.write_all(bytes)?;
    Ok(())
}

/// The page's path under `content/`, without `.md`; refused when it would leave `content/`.
fn content_relative(path: &Path) -> Result<PathBuf> {
    let text = path.to_string_lossy();
    let text = text.trim_start_matches("./").trim_start_matches("content/").trim_end_matches('/');
    let text = text.strip_suffix(".md").unwrap_or(text);
    crate::base::paths::relative(text)
        .map_err(|refusal| Error::at(path, None, refusal.message(text)).with_hint(refusal.hint()))
}

fn source_file(kind: Kind, relative: &Path) -> PathBuf {
    let content = Path::new(crate::load::content::CONTENT_DIR);
    match kind {
        Kind::Campaign => content.join(relative).join("_index.md"),
        _ => content.join(relative.with_extension("md")),
    }
}

fn translation_file(source: &Path, code: &str) -> PathBuf {
    crate::commands::i18n::translation_path(source, code)
}

/// Whether `path` names a folder to put the page in rather than the page itself: it ends in
/// `/`, or (for a page) is a folder under `content/` already.
fn names_a_folder(config: &Config, path: &Path, kind: Kind) -> bool {
    let text = path.to_string_lossy();
    let folder = config
        .root
        .join(crate::load::content::CONTENT_DIR)
        .join(text.trim_start_matches("./").trim_start_matches("content/").trim_end_matches('/'));
    text.ends_with('/') || (kind != Kind::Campaign && folder.is_dir())
}

/// A title from the last part of a path: `canh-bao-moi` → `Canh bao moi`.
fn title_from(relative: &Path) -> String {
    let name = relative.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Trang mới".into(),
    }
}

fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn page_text(
    config: &Config,
    request: &NewPage,
    title: &str,
    today: Moment,
    target: &Path,
) -> Result<String> {
    let title = yaml_string(title);
    let date = today.format("%Y-%m-%d");
    let hotlines: Vec<String> = config.hotlines.iter().map(|h| yaml_string(&h.id)).collect();
    let hotlines = hotlines.join(", ");
    let body = msg!("scaffold.body").render(crate::base::messages::UiLang::Vi);
    let head = format!("---\ntitle: {title}\ndraft: true\ndescription: \"\"\n");
    Ok(match request.kind {
        Kind::Page => format!("{head}date: {date}\ntags: []\n---\n\n{body}\n"),
        Kind::Leaflet | Kind::Poster => {
            let layout =
                if request.kind == Kind::Leaflet { "leaflet-trifold" } else { "poster-a3" };
            format!("{head}date: {date}\nprint: {layout}\nhotlines: [{hotlines}]\n---\n\n{body}\n")
        }
        Kind::Campaign => {
            let (day, start, end) = campaign_days(config, request, target)?;
            format!(
                "{head}campaign:\n  day: {day}\n  start: {start}\n  end: {end}\n  slogan: \"\"\n  events: []\nhotlines: [{hotlines}]\n---\n\n{body}\n"
            )
        }
    })
}

/// The day of a new campaign as given with `--day`, and the first and last day of its month
/// (when the home page announces it); without a day, an error asking for one (loa never
/// guesses the year).
fn campaign_days(
    config: &Config,
    request: &NewPage,
    target: &Path,
) -> Result<(String, String, String)> {
    let Some(text) = request.day else {
        return Err(Error::at(target, None, msg!("scaffold.campaign_day"))
            .with_hint(msg!("scaffold.campaign_day.hint", path = request.path.display())));
    };
    let day = crate::base::dates::parse_date(text, config.utc_offset)
        .map_err(|m| Error::at(target, None, m).with_hint(crate::base::dates::date_hint()))?
        .date_naive();
    let first = day.with_day(1).unwrap_or(day);
    let next_month = first.checked_add_months(chrono::Months::new(1)).unwrap_or(day);
    let last = next_month.pred_opt().unwrap_or(day);
    let written = |d: chrono::NaiveDate| format!("{}/{}/{}", d.day(), d.month(), d.year());
    Ok((written(day), written(first), written(last)))
}

/// A translation to start from: the source's text, as a draft, stamped with the source's stamp.
fn translation_text(config: &Config, source: &Path) -> Result<String> {
    let absolute = config.root.join(source);
    if !absolute.is_file() {
        return Err(Error::at(source, None, msg!("scaffold.no_source"))
            .with_hint(msg!("scaffold.no_source.hint")));
    }
    let original = fs_err::read_to_string(&absolute)?;
    let stamp = staleness::stamp_of_file(&absolute, source)?;
    let drafted = staleness::with_stamp(&original, &stamp, source)?;
    Ok(set_draft(&drafted))
}

/// Adds `draft: true` after the opening `---`, so an untranslated copy is never published.
fn set_draft(text: &str) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let opening = format!("---{newline}");
    match text.strip_prefix(&opening) {
        Some(rest) => {
            let rest = rest
                .lines()
                .filter(|l| !l.trim_start().starts_with("draft:"))
                .collect::<Vec<_>>()
                .join(newline);
            format!("{opening}draft: true{newline}{rest}{newline}")
        }
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_files_include_the_whole_example() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let listed: Vec<&str> = STARTER_FILES.iter().map(|(p, _)| *p).collect();
        let folders =
            ["themes/default", "content", "locales"].map(|f| walkdir::WalkDir::new(root.join(f)));
        for entry in folders.into_iter().flatten().flatten().filter(|e| e.file_type().is_file()) {
            let relative =
                entry.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            assert!(
                listed.contains(&relative.as_str()),
                "{relative} is missing from STARTER_FILES"
            );
        }
    }

    #[test]
    fn can_make_titles_and_paths() {
        assert_eq!(title_from(Path::new("tin-tuc/canh-bao-moi")), "Canh bao moi");
        assert_eq!(
            crate::base::text::slugify("Cảnh báo: việc làm lương cao"),
            "canh-bao-viec-lam-luong-cao"
        );
        assert_eq!(
            content_relative(Path::new("content/tin-tuc/a.md")).unwrap(),
            PathBuf::from("tin-tuc/a")
        );
        assert!(content_relative(Path::new("../../escaped")).is_err());
        assert!(content_relative(Path::new("/tmp/escaped")).is_err());
        assert_eq!(
            source_file(Kind::Campaign, Path::new("ngay-30-7")),
            PathBuf::from("content/ngay-30-7/_index.md")
        );
        assert_eq!(
            set_draft("---\ntitle: A\ndraft: false\n---\nx"),
            "---\ndraft: true\ntitle: A\n---\nx\n"
        );
    }
}
