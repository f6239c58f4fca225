//! The MP3 of each script: spoken by the site's text-to-speech command (`loudspeaker.tts`),
//! made ready for a station by [`crate::engines::audio`], and kept under [`CACHE_DIR`] by a hash of the
//! script, its tags and the command, so that a rebuild does not speak it again.

use std::hash::Hasher;
use std::path::PathBuf;

use crate::base::messages::Message;
use crate::engines::audio::tts::{self, SpeechFailure};
use crate::engines::audio::{AudioError, Tags};
use crate::model::{Site, Variant};

/// Where the MP3s are cached, under the site's folder.
pub const CACHE_DIR: &str = ".loa-cache/audio";

/// Changes whenever the way an MP3 is made does, so that older cached files are not used.
const RECIPE: &str = "loa-audio-1: mono, CBR 64 kbit/s, -16 LUFS, -1 dBTP, ID3v2.3";

/// A script's MP3 in the cache and how long it plays.
#[derive(Debug, Clone)]
pub(super) struct Audio {
    /// The cached file.
    pub file: PathBuf,
    /// Playing time, whole seconds.
    pub seconds: u64,
}

/// Why a script has no MP3: what to say and how to fix it.
pub(super) type Failure = (Message, Message);

/// The MP3 of a script, from the cache or spoken now.
pub(super) fn audio(
    site: &Site,
    variant: &Variant,
    title: &str,
    text: &str,
    ssml: &str,
) -> Result<Audio, Failure> {
    let command = &site.config.loudspeaker.tts;
    let code = &site.config.languages[variant.lang].code;
    let url = site.permalink(&variant.path);
    let tags = Tags {
        title,
        language: code,
        site: site.title(variant.lang).unwrap_or_default(),
        url: &url,
    };
    let key = cache_key(command, text, ssml, &tags);
    let folder = site.config.root.join(CACHE_DIR);
    let file = folder.join(format!("{key}.mp3"));
    if let Some(seconds) = cached_seconds(&file) {
        return Ok(Audio { file, seconds });
    }
    let work = folder.join(format!(".{key}.{}.speaking", std::process::id()));
    let wav =
        tts::speak(command, text, ssml, &work).map_err(|f| speech_failure(&f, command, code))?;
    let mp3 = crate::engines::audio::station_mp3(&wav, &tags).map_err(|e| unusable(&e, code))?;
    crate::engines::images::process::store(&file, &mp3.bytes).map_err(|e| {
        (msg!("loudspeaker.audio_files", detail = e), msg!("loudspeaker.audio_files.hint"))
    })?;
    Ok(Audio { file, seconds: mp3.seconds.round() as u64 })
}

/// How long a cached MP3 plays, if it is there and whole.
fn cached_seconds(file: &std::path::Path) -> Option<u64> {
    let opened = std::fs::File::open(file).ok()?;
    crate::engines::audio::playing_seconds(std::io::BufReader::new(opened))
        .map(|s| s.round() as u64)
}

/// A hash of everything an MP3 is made from, as 32 hex digits.
fn cache_key(command: &str, text: &str, ssml: &str, tags: &Tags) -> String {
    let mut hasher = siphasher::sip128::SipHasher13::new();
    for part in [RECIPE, command, text, ssml, tags.title, tags.language, tags.site, tags.url] {
        hasher.write(part.as_bytes());
        hasher.write(&[0]);
    }
    format!("{:032x}", siphasher::sip128::Hasher128::finish128(&hasher).as_u128())
}

fn speech_failure(failure: &SpeechFailure, command: &str, code: &str) -> Failure {
    match failure {
        SpeechFailure::Missing { program } => (
            msg!("loudspeaker.tts_missing", program = program, code = code),
            msg!("loudspeaker.tts_missing.hint"),
        ),
        SpeechFailure::Failed { status, detail } => (
            msg!(
                "loudspeaker.tts_failed",
                command = command,
                code = code,
                status = status,
                detail = detail
            ),
            msg!("loudspeaker.tts_failed.hint"),
        ),
        SpeechFailure::NoSound => (
            msg!("loudspeaker.tts_no_sound", command = command, code = code),
            msg!("loudspeaker.tts_no_sound.hint"),
        ),
        SpeechFailure::Files(detail) => {
            (msg!("loudspeaker.audio_files", detail = detail), msg!("loudspeaker.audio_files.hint"))
        }
    }
}

fn unusable(error: &AudioError, code: &str) -> Failure {
    (
        msg!("loudspeaker.audio_unusable", code = code, detail = error),
        msg!("loudspeaker.audio_unusable.hint"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_key_changes_with_the_script_the_command_and_the_tags() {
        let tags = Tags { title: "A", language: "vi", site: "S", url: "https://a.vn/" };
        let key = cache_key("espeak-ng -w {wav} -f {txt}", "một", "<speak/>", &tags);
        assert_eq!(key.len(), 32);
        assert_ne!(key, cache_key("espeak-ng -w {wav} -f {txt}", "hai", "<speak/>", &tags));
        assert_ne!(key, cache_key("piper -f {wav} < {txt}", "một", "<speak/>", &tags));
        assert_ne!(
            key,
            cache_key(
                "espeak-ng -w {wav} -f {txt}",
                "một",
                "<speak/>",
                &Tags { title: "B", ..tags }
            )
        );
    }
}
