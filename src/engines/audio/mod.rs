//! Station audio, knowing nothing of a site: a text-to-speech command makes a WAV file
//! ([`tts`]), and [`station_mp3`] turns it into an MP3 a commune station can play or upload to
//! its smart-loudspeaker system: mono, constant bit rate, loudness-normalised to
//! [`TARGET_LUFS`] with a true peak under [`MAX_TRUE_PEAK`], tagged with ID3.

mod level;
pub mod tts;

use std::io::Cursor;

/// Integrated loudness of every MP3, in LUFS (EBU R128 for speech over the air and online).
pub const TARGET_LUFS: f64 = -16.0;

/// Highest true peak of every MP3, in dBTP.
pub const MAX_TRUE_PEAK: f64 = -1.0;

/// What the ID3 tag of an MP3 says.
#[derive(Debug, Clone, Copy)]
pub struct Tags<'a> {
    /// The title of the script (TIT2).
    pub title: &'a str,
    /// The language's code as the site writes it (TLAN, as ISO 639-2 where known).
    pub language: &'a str,
    /// Who publishes it: the site's title (TPE1 and TPUB).
    pub site: &'a str,
    /// The web page the script reads (WOAS).
    pub url: &'a str,
}

/// A finished MP3 and how long it plays.
#[derive(Debug, Clone)]
pub struct Mp3 {
    /// The file: ID3 tag, then MP3 frames.
    pub bytes: Vec<u8>,
    /// Playing time in seconds.
    pub seconds: f64,
}

/// Why a WAV file could not be made into an MP3.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The engine's file is not a WAV file hound reads.
    #[error("the engine's sound is not a WAV file loa reads: {0}")]
    Wav(String),
    /// The WAV file holds silence or nothing at all.
    #[error("the engine's sound is silent")]
    Silent,
    /// The loudness meter refused the sound.
    #[error("the loudness could not be measured: {0}")]
    Loudness(String),
    /// LAME refused the settings or the sound.
    #[error("the MP3 encoder failed: {0}")]
    Encoder(String),
    /// The ID3 tag could not be written.
    #[error("the ID3 tag could not be written: {0}")]
    Tag(String),
}

/// Makes the station MP3 of a WAV file: mixed down to mono, normalised, encoded, tagged.
pub fn station_mp3(wav: &[u8], tags: &Tags) -> Result<Mp3, AudioError> {
    let (samples, rate) = read_wav(wav)?;
    if samples.is_empty() {
        return Err(AudioError::Silent);
    }
    let samples = level::normalise(samples, rate)?;
    let seconds = samples.len() as f64 / f64::from(rate);
    let mut bytes = id3_tag(tags, seconds)?;
    bytes.extend(encode(&samples, rate)?);
    Ok(Mp3 { bytes, seconds })
}

/// The samples of a WAV file as mono floats in [-1, 1], with its sample rate.
fn read_wav(wav: &[u8]) -> Result<(Vec<f32>, u32), AudioError> {
    let reader =
        hound::WavReader::new(Cursor::new(wav)).map_err(|e| AudioError::Wav(e.to_string()))?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.into_samples::<f32>().collect::<Result<_, _>>(),
        hound::SampleFormat::Int => {
            let full_scale = 2f32.powi(i32::from(spec.bits_per_sample.clamp(1, 32)) - 1);
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|s| s as f32 / full_scale))
                .collect::<Result<_, _>>()
        }
    }
    .map_err(|e| AudioError::Wav(e.to_string()))?;
    let mono =
        interleaved.chunks(channels).map(|frame| frame.iter().sum::<f32>() / frame.len() as f32);
    Ok((mono.collect(), spec.sample_rate))
}

/// Encodes mono samples as MP3 frames at a constant 64 kbit/s: plenty for one voice, and
/// small enough to send to a commune (a 3-minute bulletin weighs 1.4 MB).
fn encode(samples: &[f32], rate: u32) -> Result<Vec<u8>, AudioError> {
    use mp3lame_encoder::{Bitrate, Builder, FlushGap, Mode, MonoPcm, Quality};
    let failed = |e: &dyn std::fmt::Display| AudioError::Encoder(e.to_string());
    let mut builder = Builder::new().ok_or_else(|| failed(&"LAME could not start"))?;
    builder.set_num_channels(1).map_err(|e| failed(&e))?;
    builder.set_mode(Mode::Mono).map_err(|e| failed(&e))?;
    builder.set_sample_rate(rate).map_err(|e| failed(&e))?;
    builder.set_brate(Bitrate::Kbps64).map_err(|e| failed(&e))?;
    builder.set_quality(Quality::Good).map_err(|e| failed(&e))?;
    builder.set_to_write_vbr_tag(false).map_err(|e| failed(&e))?;
    let mut encoder = builder.build().map_err(|e| failed(&e))?;
    let pcm: Vec<i16> =
        samples.iter().map(|s| (s.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16).collect();
    let mut out = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(pcm.len()));
    encoder.encode_to_vec(MonoPcm(&pcm), &mut out).map_err(|e| failed(&e))?;
    out.reserve(7200);
    encoder.flush_to_vec::<FlushGap>(&mut out).map_err(|e| failed(&e))?;
    Ok(out)
}

/// The ID3v2.3 tag (read by more players than v2.4) put before the frames.
fn id3_tag(tags: &Tags, seconds: f64) -> Result<Vec<u8>, AudioError> {
    use id3::TagLike;
    let mut tag = id3::Tag::new();
    tag.set_title(tags.title);
    tag.set_artist(tags.site);
    tag.set_text("TPUB", tags.site);
    tag.set_text("TLAN", iso_639_2(tags.language));
    tag.set_duration((seconds * 1000.0).round() as u32);
    if !tags.url.is_empty() {
        tag.add_frame(id3::Frame::link("WOAS", tags.url));
    }
    let mut bytes = Vec::new();
    tag.write_to(&mut bytes, id3::Version::Id3v23).map_err(|e| AudioError::Tag(e.to_string()))?;
    Ok(bytes)
}

/// The ISO 639-2 code ID3 asks for in TLAN, for the two-letter codes of the languages sites
/// here are written in; three-letter codes (such as `ktv`) are kept as they are.
fn iso_639_2(code: &str) -> String {
    let primary = code.split('-').next().unwrap_or(code);
    let three = match primary {
        "vi" => "vie",
        "en" => "eng",
        "fr" => "fra",
        "zh" => "zho",
        "km" => "khm",
        "lo" => "lao",
        "th" => "tha",
        other => other,
    };
    three.to_owned()
}

/// How long an MP3 made by [`station_mp3`] plays, read from its ID3 tag (TLEN).
pub fn playing_seconds(mp3: impl std::io::Read + std::io::Seek) -> Option<f64> {
    use id3::TagLike;
    let tag = id3::Tag::read_from2(mp3).ok()?;
    tag.duration().map(|ms| f64::from(ms) / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(samples: &[i16], rate: u32, channels: u16) -> Vec<u8> {
        let spec = hound::WavSpec {
            channels,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut bytes = Cursor::new(Vec::new());
        let mut writer = hound::WavWriter::new(&mut bytes, spec).unwrap();
        samples.iter().for_each(|s| writer.write_sample(*s).unwrap());
        writer.finalize().unwrap();
        bytes.into_inner()
    }

    /// A quiet tone in bursts, like syllables, at 22 050 Hz (espeak-ng's rate).
    fn bursts(seconds: f64) -> Vec<i16> {
        let rate = 22_050.0;
        (0..(seconds * rate) as usize)
            .map(|i| {
                let t = i as f64 / rate;
                let on = (t * 4.0).fract() < 0.6;
                let value = if on { 0.05 * (t * 440.0 * std::f64::consts::TAU).sin() } else { 0.0 };
                (value * f64::from(i16::MAX)) as i16
            })
            .collect()
    }

    const TAGS: Tags =
        Tags { title: "Bài thử", language: "vi", site: "Trang thử", url: "https://a.vn/" };

    #[test]
    fn a_station_mp3_is_tagged_and_as_long_as_its_wav() {
        let mp3 = station_mp3(&wav(&bursts(3.0), 22_050, 1), &TAGS).unwrap();
        assert!((mp3.seconds - 3.0).abs() < 0.01, "{}", mp3.seconds);
        assert_eq!(playing_seconds(Cursor::new(&mp3.bytes)), Some(3.0));
        let tag = id3::Tag::read_from2(Cursor::new(&mp3.bytes)).unwrap();
        use id3::TagLike;
        assert_eq!(tag.title(), Some("Bài thử"));
        assert_eq!(tag.artist(), Some("Trang thử"));
        assert_eq!(tag.get("TLAN").and_then(|f| f.content().text()), Some("vie"));
        let frames = &mp3.bytes[tag_size(&mp3.bytes)..];
        assert_eq!(
            &frames[..2],
            &[0xFF, 0xF3],
            "an MPEG-2 layer III frame without CRC comes first"
        );
        let bytes_per_second = frames.len() as f64 / 3.0;
        assert!((bytes_per_second - 8000.0).abs() < 800.0, "64 kbit/s: {bytes_per_second}");
    }

    fn tag_size(bytes: &[u8]) -> usize {
        let size = bytes[6..10].iter().fold(0usize, |n, b| (n << 7) | usize::from(*b));
        10 + size
    }

    #[test]
    fn stereo_is_mixed_down_and_silence_is_refused() {
        let stereo: Vec<i16> = bursts(1.0).iter().flat_map(|s| [*s, *s]).collect();
        let (mono, rate) = read_wav(&wav(&stereo, 22_050, 2)).unwrap();
        assert_eq!((mono.len(), rate), (22_050, 22_050));
        assert!(matches!(
            station_mp3(&wav(&[0; 22_050], 22_050, 1), &TAGS),
            Err(AudioError::Silent)
        ));
        assert!(matches!(station_mp3(b"not a wav", &TAGS), Err(AudioError::Wav(_))));
    }

    #[test]
    fn languages_get_their_iso_639_2_code() {
        assert_eq!(iso_639_2("vi"), "vie");
        assert_eq!(iso_639_2("en-GB"), "eng");
        assert_eq!(iso_639_2("ktv"), "ktv");
    }
}
