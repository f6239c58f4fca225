//! Running a text-to-speech command: the script is written to a text file and an SSML file,
//! and the command (`loudspeaker.tts` in site.yaml) writes a WAV file.

use std::path::Path;
use std::process::{Command, Stdio};

/// Why a text-to-speech command gave no sound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeechFailure {
    /// The shell did not find the command's program.
    Missing {
        /// The program as the command names it.
        program: String,
    },
    /// The command failed.
    Failed {
        /// Its exit status.
        status: String,
        /// The end of what it wrote to its error output.
        detail: String,
    },
    /// The command succeeded but wrote no WAV file.
    NoSound,
    /// The files it reads or writes could not be handled.
    Files(String),
}

/// The most characters of the engine's error output kept for a message.
const DETAIL_CHARACTERS: usize = 400;

/// Speaks `text` (or `ssml`, for engines that read it) with `command`, in the folder `work`,
/// which is made and removed again; returns the WAV file's bytes.
///
/// `{wav}`, `{txt}` and `{ssml}` in the command name the files; the command runs in `sh` with
/// them passed in environment variables, so paths with spaces or quotes are safe and a
/// command may be a pipeline.
pub fn speak(command: &str, text: &str, ssml: &str, work: &Path) -> Result<Vec<u8>, SpeechFailure> {
    let result = speak_in(command, text, ssml, work);
    let _ = std::fs::remove_dir_all(work);
    result
}

fn speak_in(command: &str, text: &str, ssml: &str, work: &Path) -> Result<Vec<u8>, SpeechFailure> {
    let files = |e: std::io::Error| SpeechFailure::Files(format!("{}: {e}", work.display()));
    std::fs::create_dir_all(work).map_err(files)?;
    let (txt, ssml_file, wav) =
        (work.join("script.txt"), work.join("script.ssml"), work.join("speech.wav"));
    std::fs::write(&txt, text).map_err(files)?;
    std::fs::write(&ssml_file, ssml).map_err(files)?;
    let script = command
        .replace("{wav}", "\"$LOA_WAV\"")
        .replace("{txt}", "\"$LOA_TXT\"")
        .replace("{ssml}", "\"$LOA_SSML\"");
    let output = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env("LOA_WAV", &wav)
        .env("LOA_TXT", &txt)
        .env("LOA_SSML", &ssml_file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| SpeechFailure::Files(format!("sh: {e}")))?;
    if output.status.code() == Some(127) {
        let program = command.split_whitespace().next().unwrap_or(command).to_owned();
        return Err(SpeechFailure::Missing { program });
    }
    if !output.status.success() {
        return Err(SpeechFailure::Failed {
            status: output.status.to_string(),
            detail: tail(&String::from_utf8_lossy(&output.stderr)),
        });
    }
    match std::fs::read(&wav) {
        Ok(bytes) if !bytes.is_empty() => Ok(bytes),
        _ => Err(SpeechFailure::NoSound),
    }
}

/// The last characters of an engine's error output, on one line.
fn tail(stderr: &str) -> String {
    let line = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    let skip = line.chars().count().saturating_sub(DETAIL_CHARACTERS);
    line.chars().skip(skip).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work() -> std::path::PathBuf {
        std::env::temp_dir().join(format!(
            "loa-tts-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ))
    }

    #[test]
    fn the_command_reads_the_script_and_writes_the_wav_through_placeholders() {
        let folder = work().join("with space's");
        let wav = speak("cat {txt} {ssml} > {wav}", "xin chào", "<speak/>", &folder).unwrap();
        assert_eq!(wav, "xin chào<speak/>".as_bytes());
        assert!(!folder.exists(), "the work folder is removed");
    }

    #[test]
    fn a_missing_or_failing_engine_says_why() {
        let missing = speak("khong-co-cong-cu-nay -w {wav}", "a", "a", &work().join("m"));
        assert_eq!(missing, Err(SpeechFailure::Missing { program: "khong-co-cong-cu-nay".into() }));
        let failed = speak("echo 'giọng không có' >&2; exit 3", "a", "a", &work().join("f"));
        let Err(SpeechFailure::Failed { detail, .. }) = failed else { panic!("{failed:?}") };
        assert_eq!(detail, "giọng không có");
        assert_eq!(speak("true {wav}", "a", "a", &work().join("n")), Err(SpeechFailure::NoSound));
    }
}
