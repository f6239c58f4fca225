//! The `loa` command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use loa::messages::UiLang;
use loa::msg;

/// loa: multilingual campaign sites against human trafficking, from Markdown.
#[derive(Parser)]
#[command(
    name = "loa",
    version,
    about,
    after_help = "Examples:\n  loa serve                 preview the site at http://127.0.0.1:1111/\n  loa build                 write the site to public/\n  loa check                 find broken links, missing alt text, …\n\nMessages are in Vietnamese when LANG starts with vi, or with --ui-lang vi."
)]
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
    #[command(after_help = "Example:\n  loa build --out public --now 30/7/2024")]
    Build(BuildArgs),
    /// Build the site, serve it on 127.0.0.1, rebuild on every save and reload the browser.
    #[command(after_help = "Example:\n  loa serve --port 8080")]
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
    #[command(
        after_help = "Exits with 1 when there are errors, 0 with only warnings.\n\nExample:\n  loa check --format json"
    )]
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
    #[command(
        subcommand,
        after_help = "Examples:\n  loa i18n status\n  loa i18n stamp content/tin-tuc/bai-viet.en.md"
    )]
    I18n(I18nCommand),
    /// Print the loudspeaker reading of TEXT, or of each line of standard input.
    #[command(
        after_help = "Examples:\n  loa speak --lang vi \"Gọi 1800 1581 trước ngày 30/7/2024\"\n  loa speak --lang vi --variant central < bai-viet.txt"
    )]
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
    #[command(after_help = "Example:\n  loa init chien-dich-2025")]
    Init {
        /// A new or empty folder.
        dir: PathBuf,
    },
    /// Write a new page with its front matter filled in.
    #[command(
        after_help = "Examples:\n  loa new page tin-tuc/canh-bao-moi\n  loa new campaign ngay-30-thang-7-2025\n  loa new page tin-tuc/canh-bao-moi --lang en"
    )]
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: NewKind,
        /// Path under content/, without .md.
        path: PathBuf,
        /// Write a translation of the page into this language instead.
        #[arg(long)]
        lang: Option<String>,
    },
}

#[derive(Subcommand)]
enum I18nCommand {
    /// Per language: pages translated, outdated, missing, and interface strings not translated.
    #[command(after_help = "Example:\n  loa i18n status --format json")]
    Status {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Mark a translation as made from the current version of its source.
    #[command(after_help = "Example:\n  loa i18n stamp content/tin-tuc/bai-viet.en.md")]
    Stamp {
        /// The translation file.
        file: PathBuf,
    },
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.ui_lang.as_deref().map_or_else(UiLang::from_env, UiLang::from_code);
    match run(cli, lang) {
        Ok(code) => code,
        Err(error) => {
            err(&format!("{}: {}", msg!("label.error").render(lang), render_error(&error, lang)));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, lang: UiLang) -> anyhow::Result<ExitCode> {
    let say = |message: loa::messages::Message| {
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
            let mut diagnostics = loa::check::check(&cli.root, &workflow_options());
            if *budget {
                diagnostics.extend(loa::check::check_budget(&cli.root, &workflow_options()));
            }
            if *print {
                diagnostics.extend(loa::check::check_print(&cli.root, &workflow_options()));
            }
            match format {
                Format::Text => out(loa::check::format_text(&diagnostics, lang).trim_end()),
                Format::Json => out(&loa::check::format_json(&diagnostics, lang)),
            }
            Ok(if diagnostics.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Command::I18n(I18nCommand::Status { format }) => {
            let mut diagnostics = loa::Diagnostics::default();
            let site = loa::Site::load(&cli.root, &workflow_options(), &mut diagnostics)?;
            let statuses = loa::i18n::status::status(&site);
            match format {
                Format::Text => out(loa::i18n::status::format_text(&statuses, lang).trim_end()),
                Format::Json => out(&serde_json::to_string_pretty(&statuses)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::I18n(I18nCommand::Stamp { file }) => {
            let mut diagnostics = loa::Diagnostics::default();
            let site = loa::Site::load(&cli.root, &workflow_options(), &mut diagnostics)?;
            let stamp = loa::i18n::status::stamp_file(&site, file)?;
            say(msg!("stamp.done", file = file.display(), stamp = stamp));
            Ok(ExitCode::SUCCESS)
        }
        Command::Speak { lang: code, variant, text } => {
            let variant = variant
                .as_deref()
                .map(|v| {
                    v.parse::<loa::speech::Variant>().map_err(|_| {
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
                    writeln!(out, "{}", reader.read(&loa::text::nfc(&line?)))?;
                }
            } else {
                out(&reader.read(&loa::text::nfc(&text.join(" "))));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            loa::scaffold::init(dir, today())?;
            say(msg!("scaffold.init_done", dir = dir.display()));
            Ok(ExitCode::SUCCESS)
        }
        Command::New { kind, path, lang: translation } => {
            let config = loa::config::Config::load(&cli.root)?;
            let kind = match kind {
                NewKind::Page => loa::scaffold::Kind::Page,
                NewKind::Campaign => loa::scaffold::Kind::Campaign,
                NewKind::Leaflet => loa::scaffold::Kind::Leaflet,
                NewKind::Poster => loa::scaffold::Kind::Poster,
            };
            let written =
                loa::scaffold::new_page(&config, kind, path, translation.as_deref(), today())?;
            say(msg!("scaffold.created", path = written.display()));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The reader for `code`: speech data and hotlines from the site when run in one, else the theme's data.
/// The reader of `code`; inside a site, `code` must be one of its languages.
fn speech_reader(
    root: &Path,
    code: &str,
    variant: Option<loa::speech::Variant>,
    lang: UiLang,
) -> anyhow::Result<loa::speech::reader::Reader> {
    let config = loa::config::Config::load(root).ok();
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
                loa::i18n::Locales::load(config, &mut loa::Diagnostics::default()).ok()?;
            Some(locales.own_with_prefix(lang, "speech."))
        })
        .unwrap_or_else(|| loa::speech::built_in_entries(code));
    let hotlines = config.iter().flat_map(|c| &c.hotlines).map(|h| h.number.as_str());
    Ok(loa::speech::reader::Reader::for_language(code, &entries, variant).with_hotlines(hotlines))
}

fn today() -> loa::dates::Moment {
    chrono::Utc::now().with_timezone(&loa::dates::default_offset())
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
    use loa::serve::session::Session;
    let out = args.out.clone().unwrap_or_else(|| loa::default_output(&cli.root));
    let mut session = Session::new(&cli.root, &out, build_options(args, lang)?);
    let shared = std::sync::Arc::new(loa::serve::Shared::default());
    let finish = |result: loa::Result<loa::serve::session::Rebuilt>, first: bool| match result {
        Ok(rebuilt) => {
            for diagnostic in rebuilt.diagnostics.sorted() {
                err(&diagnostic.render(lang));
            }
            if !cli.quiet && !first && rebuilt.refresh != loa::serve::session::Refresh::Nothing {
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
            shared.finish(Some(text), loa::serve::session::Refresh::Reload);
        }
    };
    finish(session.build_all(), true);
    let watching = loa::serve::watch(&cli.root, &out)?;
    watching.stop_on_signals()?;
    if !bind.is_loopback() {
        err(&msg!("cli.not_loopback", address = bind).render(lang));
    }
    let listener = loa::serve::bind(bind, port)
        .map_err(|e| anyhow::anyhow!("{}: {e}", msg!("cli.no_port").render(lang)))?;
    let address = listener.local_addr()?;
    if port != 0 && address.port() != port {
        self::out(&msg!("serve.port_taken", asked = port, port = address.port()).render(lang));
    }
    self::out(&msg!("cli.serving", out = out.display(), address = address).render(lang));
    if open {
        let _ = std::process::Command::new("xdg-open").arg(format!("http://{address}/")).spawn();
    }
    let preview =
        loa::serve::http::Preview::new(session.out().to_path_buf(), shared.clone(), address, lang);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let waiting = preview.waiting();
    let router = loa::serve::http::router(preview);
    std::thread::spawn(move || {
        runtime.block_on(loa::serve::connections::serve(listener, router, waiting))
    });
    let session = std::cell::RefCell::new(session);
    watching.run(
        |change| {
            let result = session.borrow_mut().apply(change);
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
        Some(text) => loa::dates::parse_date(text, loa::dates::default_offset()).map_err(|e| {
            let hint = format!(
                "{}: {}",
                msg!("label.hint").render(lang),
                loa::dates::date_hint().render(lang)
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
