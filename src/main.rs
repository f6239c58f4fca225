//! The `loa` command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use loa::base::messages::UiLang;
use loa::msg;

/// loa: multilingual campaign sites against human trafficking, from Markdown.
#[derive(Parser)]
#[command(name = "loa", version, about)]
struct Cli {
    /// The site folder (holding site.yaml); defaults to the current folder.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// Language of loa's messages: vi or en (default: from LANG).
    #[arg(long, global = true)]
    ui_lang: Option<String>,
    /// Print only errors and warnings.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the whole site into public/ (or --out).
    Build(BuildArgs),
    /// Build the site, serve it on 127.0.0.1, rebuild on every save and reload the browser.
    Serve {
        /// Port to try first (the next free one is used if it is taken).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but 127.0.0.1 shows the site to other computers.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the web browser.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        build: BuildArgs,
    },
    /// Check links, anchors, images, alt text, headings, front matter and translations.
    Check {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also weigh each page's first load against `budget:` in site.yaml.
        #[arg(long)]
        budget: bool,
        /// Also lay out every print PDF and report what does not fit or cannot be printed.
        #[arg(long)]
        print: bool,
    },
    /// Translation workflow: coverage per language, and stamping translations as current.
    #[command(subcommand)]
    I18n(I18nCommand),
    /// Print the loudspeaker reading of TEXT, or of each line of standard input.
    Speak {
        /// Language of the text.
        #[arg(long, default_value = "vi")]
        lang: String,
        /// Reading variant of Vietnamese (default: the site's locale, else north).
        #[arg(long)]
        variant: Option<String>,
        /// Text to read; without it, each line of standard input is read.
        text: Vec<String>,
    },
    /// Create a new site in DIR from the bundled example.
    Init {
        /// A new or empty folder.
        dir: PathBuf,
    },
    /// Write a new page with its front matter filled in.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: NewKind,
        /// Path under content/, without .md.
        path: PathBuf,
        /// Write a translation of the page into this language instead.
        #[arg(long)]
        lang: Option<String>,
        /// The page's title, with its diacritics.
        #[arg(long)]
        title: Option<String>,
        /// The campaign's day, such as 30/7/2025.
        #[arg(long)]
        day: Option<String>,
    },
}

#[derive(Subcommand)]
enum I18nCommand {
    /// Per language: pages translated, outdated, missing, and interface strings not translated.
    Status {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Mark a translation as made from the current version of its source.
    Stamp {
        /// The translation file.
        file: PathBuf,
    },
    /// Show each block of the source that changed since a translation was stamped, word by word.
    #[command(after_help = "Example:\n  loa i18n diff content/tin-tuc/bai-viet.en.md")]
    Diff {
        /// The translation file.
        file: PathBuf,
    },
    /// Write the blocks of pages to translate offline: XLIFF 2.0 (default), gettext PO, or an
    /// HTML pack to fill in a browser or print.
    #[command(after_help = "Example:\n  loa i18n export --lang ktv --out ktv.xlf content/tin-tuc")]
    Export {
        /// The language to translate into.
        #[arg(long)]
        lang: String,
        /// The file format.
        #[arg(long, value_enum, default_value_t = ExchangeFormat::Xliff)]
        format: ExchangeFormat,
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Pages or folders to export (default: every page).
        paths: Vec<PathBuf>,
    },
    /// Write the translations of an XLIFF or PO file back into the translation files.
    #[command(after_help = "Example:\n  loa i18n import ktv.xlf")]
    Import {
        /// The XLIFF or PO file.
        file: PathBuf,
        /// Also overwrite blocks whose translation was edited in the site since the export.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExchangeFormat {
    Xliff,
    Po,
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum NewKind {
    Page,
    Campaign,
    Leaflet,
    Poster,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Output folder.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Publish drafts too.
    #[arg(long)]
    drafts: bool,
    /// Build as if it were this date (2024-07-30, 30/7/2024 or RFC 3339).
    #[arg(long)]
    now: Option<String>,
    /// Use this base URL instead of the one in site.yaml.
    #[arg(long)]
    base_url: Option<String>,
    /// Print PDFs with 3 mm bleed and crop marks, for print shops.
    #[arg(long)]
    bleed: bool,
}

/// Prints a line on standard output; a closed pipe (`loa check | head`) is not an error.
fn out(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{text}");
}

/// Prints a line on standard error, ignoring a closed pipe.
fn err(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// An error as text for people, in the UI language.
fn render_error(error: &anyhow::Error, lang: UiLang) -> String {
    match error.downcast_ref::<loa::Error>() {
        Some(error) => error.render(lang),
        None => format!("{error:#}"),
    }
}

/// The command line read with help and mistakes in `lang`; a mistake is printed and ends loa.
fn parse(args: Vec<std::ffi::OsString>, lang: UiLang) -> Result<Cli, ExitCode> {
    let command = loa::commands::cli_locale::localize(Cli::command(), lang);
    let parsed = command.try_get_matches_from(args).and_then(|m| Cli::from_arg_matches(&m));
    parsed.map_err(|error| match loa::commands::cli_locale::explain(&error) {
        Some((message, hint)) => {
            let mut text =
                format!("{}: {}", msg!("label.error").render(lang), message.render(lang));
            if let Some(hint) = hint {
                let hint = format!("{}: {}", msg!("label.hint").render(lang), hint.render(lang));
                text = format!("{text}\n  {hint}");
            }
            err(&text);
            ExitCode::from(2)
        }
        None => {
            let _ = error.print();
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
        }
    })
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = loa::commands::cli_locale::ui_lang_of(&args);
    let cli = match parse(args, lang) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let lang = cli.ui_lang.as_deref().map_or(lang, UiLang::from_code);
    match run(cli, lang) {
        Ok(code) => code,
        Err(error) => {
            err(&format!("{}: {}", msg!("label.error").render(lang), render_error(&error, lang)));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, lang: UiLang) -> anyhow::Result<ExitCode> {
    let say = |message: loa::base::messages::Message| {
        if !cli.quiet {
            out(&message.render(lang));
        }
    };
    match &cli.command {
        Command::Build(args) => {
            build(&cli, args, lang)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { port, bind, open, build: args } => {
            serve(&cli, args, (*bind, *port, *open), lang)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { format, budget, print } => {
            let mut diagnostics = loa::commands::check::check(&cli.root, &workflow_options());
            if *budget {
                diagnostics
                    .extend(loa::commands::check::check_budget(&cli.root, &workflow_options()));
            }
            if *print {
                diagnostics
                    .extend(loa::commands::check::check_print(&cli.root, &workflow_options()));
            }
            match format {
                Format::Text => {
                    out(loa::commands::check::format_text(&diagnostics, lang).trim_end())
                }
                Format::Json => out(&loa::commands::check::format_json(&diagnostics, lang)),
            }
            Ok(if diagnostics.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Command::I18n(I18nCommand::Status { format }) => {
            let mut diagnostics = loa::Diagnostics::default();
            let site = loa::Site::load(&cli.root, &workflow_options(), &mut diagnostics)?;
            let statuses = loa::commands::i18n::status(&site);
            match format {
                Format::Text => out(loa::commands::i18n::format_text(&statuses, lang).trim_end()),
                Format::Json => out(&serde_json::to_string_pretty(&statuses)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::I18n(I18nCommand::Stamp { file }) => {
            let mut diagnostics = loa::Diagnostics::default();
            let site = loa::Site::load(&cli.root, &workflow_options(), &mut diagnostics)?;
            let stamp = loa::commands::i18n::stamp_file(&site, file)?;
            say(msg!("stamp.done", file = file.display(), stamp = stamp));
            Ok(ExitCode::SUCCESS)
        }
        Command::I18n(I18nCommand::Diff { file }) => {
            let mut diagnostics = loa::Diagnostics::default();
            let site = loa::Site::load(&cli.root, &workflow_options(), &mut diagnostics)?;
            out(loa::commands::i18n::diff_file(&site, file, lang)?.trim_end());
            Ok(ExitCode::SUCCESS)
        }
        Command::I18n(I18nCommand::Export { lang: code, format, out: file, paths }) => {
            let mut diagnostics = loa::Diagnostics::default();
            let site = loa::Site::load(&cli.root, &workflow_options(), &mut diagnostics)?;
            let exchange = loa::commands::i18n_exchange::export(&site, code, paths)?;
            for warning in loa::commands::i18n_exchange::export_warnings(&exchange) {
                err(&warning.render(lang));
            }
            let text = match format {
                ExchangeFormat::Xliff => loa::commands::i18n_xliff::write(&exchange, lang),
                ExchangeFormat::Po => loa::commands::i18n_po::write(&exchange, lang),
                ExchangeFormat::Html => loa::commands::i18n_pack::write(&exchange, lang),
            };
            match file {
                Some(file) => fs_err::write(file, text)?,
                None => out(text.trim_end()),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::I18n(I18nCommand::Import { file, force }) => {
            let mut diagnostics = loa::Diagnostics::default();
            let site = loa::Site::load(&cli.root, &workflow_options(), &mut diagnostics)?;
            let incoming = loa::commands::i18n_exchange::read_file(file)?;
            let outcome = loa::commands::i18n_exchange::import(&site, &incoming, *force)?;
            out(&loa::commands::i18n_exchange::format_outcome(&outcome, lang));
            Ok(ExitCode::SUCCESS)
        }
        Command::Speak { lang: code, variant, text } => {
            let variant = variant
                .as_deref()
                .map(|v| {
                    v.parse::<loa::engines::speech::Variant>().map_err(|_| {
                        anyhow::anyhow!("{}", msg!("speech.bad_variant", value = v).render(lang))
                    })
                })
                .transpose()?;
            let reader = speech_reader(&cli.root, code, variant, lang)?;
            if text.is_empty() {
                use std::io::{BufRead, Write};
                let stdout = std::io::stdout();
                let mut out = stdout.lock();
                for line in std::io::stdin().lock().lines() {
                    writeln!(out, "{}", reader.read(&loa::base::text::nfc(&line?)))?;
                }
            } else {
                out(&reader.read(&loa::base::text::nfc(&text.join(" "))));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            loa::commands::scaffold::init(dir, today())?;
            say(msg!("scaffold.init_done", dir = dir.display()));
            Ok(ExitCode::SUCCESS)
        }
        Command::New { kind, path, lang: translation, title, day } => {
            let config = loa::load::config::Config::load(&cli.root)?;
            let kind = match kind {
                NewKind::Page => loa::commands::scaffold::Kind::Page,
                NewKind::Campaign => loa::commands::scaffold::Kind::Campaign,
                NewKind::Leaflet => loa::commands::scaffold::Kind::Leaflet,
                NewKind::Poster => loa::commands::scaffold::Kind::Poster,
            };
            let title = title_of_new_page(title.as_deref(), translation.is_some(), lang)?;
            let request = loa::commands::scaffold::NewPage {
                kind,
                path,
                lang: translation.as_deref(),
                title: title.as_deref(),
                day: day.as_deref(),
            };
            let written = loa::commands::scaffold::new_page(&config, &request, today())?;
            say(msg!("scaffold.created", path = written.display()));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The title of a new page: `--title`, else one line typed at the prompt (in a terminal) or
/// piped in; a translation needs none, since it copies its source.
fn title_of_new_page(
    given: Option<&str>,
    translation: bool,
    lang: UiLang,
) -> anyhow::Result<Option<String>> {
    use std::io::{BufRead, Write};
    if given.is_some() || translation {
        return Ok(given.map(str::to_owned));
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{} ", msg!("cli.new_title_prompt").render(lang));
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    let title = line.trim();
    if read.is_err() || title.is_empty() {
        let hint = msg!("cli.new_title_missing.hint").render(lang);
        let hint = format!("{}: {hint}", msg!("label.hint").render(lang));
        anyhow::bail!("{}\n  {hint}", msg!("cli.new_title_missing").render(lang));
    }
    Ok(Some(loa::base::text::nfc(title)))
}

/// The reader for `code`: speech data and hotlines from the site when run in one, else the theme's data.
/// The reader of `code`; inside a site, `code` must be one of its languages.
fn speech_reader(
    root: &Path,
    code: &str,
    variant: Option<loa::engines::speech::Variant>,
    lang: UiLang,
) -> anyhow::Result<loa::engines::speech::reader::Reader> {
    let config = loa::load::config::Config::load(root).ok();
    if let Some(config) = config.as_ref().filter(|c| c.language_index(code).is_none()) {
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        let message = msg!("speech.unknown_language", code = code, codes = codes.join(", "));
        anyhow::bail!("{}", message.render(lang));
    }
    let entries = config
        .as_ref()
        .and_then(|config| {
            let lang = config.language_index(code)?;
            let locales =
                loa::load::locales::Locales::load(config, &mut loa::Diagnostics::default()).ok()?;
            Some(locales.own_with_prefix(lang, "speech."))
        })
        .unwrap_or_else(|| loa::load::locales::built_in_entries(code));
    let hotlines = config.iter().flat_map(|c| &c.hotlines).map(|h| h.number.as_str());
    Ok(loa::engines::speech::reader::Reader::for_language(code, &entries, variant)
        .with_hotlines(hotlines))
}

fn today() -> loa::base::dates::Moment {
    chrono::Utc::now().with_timezone(&loa::base::dates::default_offset())
}

/// Checks and translation reports look at every page, drafts and scheduled ones included.
fn workflow_options() -> loa::BuildOptions {
    loa::BuildOptions {
        drafts: true,
        now: today(),
        base_url: None,
        bleed: false,
        untrusted_authors: false,
    }
}

/// `loa serve`: builds, serves on `bind:port`, and rebuilds what each save changes.
fn serve(
    cli: &Cli,
    args: &BuildArgs,
    (bind, port, open): (std::net::IpAddr, u16, bool),
    lang: UiLang,
) -> anyhow::Result<()> {
    use loa::commands::serve::session::Session;
    let out = args.out.clone().unwrap_or_else(|| loa::default_output(&cli.root));
    let mut session = Session::new(&cli.root, &out, build_options(args, lang)?);
    let shared = std::sync::Arc::new(loa::commands::serve::Shared::default());
    let finish =
        |result: loa::Result<loa::commands::serve::session::Rebuilt>, first: bool| match result {
            Ok(rebuilt) => {
                for diagnostic in rebuilt.diagnostics.sorted() {
                    err(&diagnostic.render(lang));
                }
                if !cli.quiet
                    && !first
                    && rebuilt.refresh != loa::commands::serve::session::Refresh::Nothing
                {
                    self::out(
                        &msg!(
                            "cli.rebuilt",
                            ms = rebuilt.elapsed.as_millis(),
                            rendered = rebuilt.files.rendered,
                            written = rebuilt.files.written.len(),
                            removed = rebuilt.files.removed.len()
                        )
                        .render(lang),
                    );
                }
                shared.finish(None, rebuilt.refresh);
            }
            Err(error) => {
                let text = error.render(lang);
                err(&format!("{}: {text}", msg!("label.error").render(lang)));
                shared.finish(Some(text), loa::commands::serve::session::Refresh::Reload);
            }
        };
    finish(session.build_all(), true);
    let watching = loa::commands::serve::watch(&cli.root, &out)?;
    watching.stop_on_signals()?;
    if !bind.is_loopback() {
        err(&msg!("cli.not_loopback", address = bind).render(lang));
    }
    let listener = loa::commands::serve::bind(bind, port)
        .map_err(|e| anyhow::anyhow!("{}: {e}", msg!("cli.no_port").render(lang)))?;
    let address = listener.local_addr()?;
    if port != 0 && address.port() != port {
        self::out(&msg!("serve.port_taken", asked = port, port = address.port()).render(lang));
    }
    self::out(&msg!("cli.serving", out = out.display(), address = address).render(lang));
    if open {
        let _ = std::process::Command::new("xdg-open").arg(format!("http://{address}/")).spawn();
    }
    let preview = loa::commands::serve::http::Preview::new(
        session.out().to_path_buf(),
        shared.clone(),
        address,
        lang,
    );
    let studio = loa::commands::serve::studio::Studio::new(
        (&cli.root, session.out()),
        bind.is_loopback(),
        lang,
        shared.clone(),
    )?;
    self::out(&msg!("studio.address", link = studio.link(address)).render(lang));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let waiting = preview.waiting();
    let router = loa::commands::serve::http::router_with(
        preview,
        loa::commands::serve::studio::router(studio),
    );
    std::thread::spawn(move || {
        runtime.block_on(loa::commands::serve::connections::serve(listener, router, waiting))
    });
    let session = std::cell::RefCell::new(session);
    watching.run(
        |change| {
            shared.note_change(change);
            let mut shown = |rebuilt| finish(Ok(rebuilt), false);
            let result = session.borrow_mut().apply_showing(change, &mut shown);
            finish(result, false);
        },
        || {
            if session.borrow().is_behind() {
                let result = session.borrow_mut().catch_up();
                finish(result, false);
            }
        },
    );
    self::out(&msg!("cli.stopped", out = out.display()).render(lang));
    Ok(())
}

/// The build options the command line asks for.
fn build_options(args: &BuildArgs, lang: UiLang) -> anyhow::Result<loa::BuildOptions> {
    let now = match &args.now {
        Some(text) => loa::base::dates::parse_date(text, loa::base::dates::default_offset())
            .map_err(|e| {
                let hint = format!(
                    "{}: {}",
                    msg!("label.hint").render(lang),
                    loa::base::dates::date_hint().render(lang)
                );
                anyhow::anyhow!(
                    "{}\n  {hint}",
                    msg!("cli.now_invalid", detail = e.render(lang)).render(lang)
                )
            })?,
        None => today(),
    };
    Ok(loa::BuildOptions {
        drafts: args.drafts,
        now,
        base_url: args.base_url.clone(),
        bleed: args.bleed,
        untrusted_authors: false,
    })
}

fn build(cli: &Cli, args: &BuildArgs, lang: UiLang) -> anyhow::Result<PathBuf> {
    let options = build_options(args, lang)?;
    let out = args.out.clone().unwrap_or_else(|| loa::default_output(&cli.root));
    let show_progress = !cli.quiet && std::io::stderr().is_terminal();
    let mut progress = |stage: loa::Progress| {
        if show_progress {
            let message = match stage {
                loa::Progress::Loading => msg!("cli.loading"),
                loa::Progress::Rendering(pages) => msg!("cli.rendering", pages = pages),
                loa::Progress::Writing(files) => msg!("cli.writing", files = files),
            };
            err(&message.render(lang));
        }
    };
    let report = loa::build_with_progress(&cli.root, &out, &options, &mut progress)?;
    for diagnostic in report.diagnostics.sorted() {
        err(&diagnostic.render(lang));
    }
    if !cli.quiet {
        self::out(&summary(&report, &out, lang));
    }
    if std::env::var_os("LOA_TIMINGS").is_some() {
        for (stage, took) in &report.timings {
            err(&format!("{stage:>16} {:>8.1} ms", took.as_secs_f64() * 1000.0));
        }
    }
    Ok(out)
}

fn summary(report: &loa::BuildReport, out: &Path, lang: UiLang) -> String {
    let languages: Vec<String> = report
        .pages
        .iter()
        .map(|(code, translated, fallback)| {
            msg!("cli.language_pages", code = code, translated = translated, fallback = fallback)
                .render(lang)
        })
        .collect();
    let languages = languages.join(", ");
    msg!(
        "cli.built",
        files = report.files,
        ms = report.elapsed.as_millis(),
        languages = languages,
        scripts = report.scripts,
        out = out.display()
    )
    .render(lang)
}
