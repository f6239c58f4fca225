//! Loudspeaker audio: MP3s spoken by espeak-ng, normalised, tagged and cached.

use crate::common;

use std::path::Path;

use common::{fixture, read, run_loa, write};

/// The minimal fixture with audio on, spoken by `tts` when given.
fn audio_site(audio: &str, tts: Option<&str>) -> tempfile::TempDir {
    let site = fixture("minimal");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let tts = tts.map(|t| format!("  tts: {t:?}\n")).unwrap_or_default();
    write(site.path(), "site.yaml", format!("{yaml}loudspeaker:\n  audio: {audio}\n{tts}"));
    write(
        site.path(),
        "content/canh-giac.md",
        "---\ntitle: Cảnh giác việc làm lương cao\ndate: 2024-07-20\n---\n\n## Dấu hiệu\n\nNgười lạ hứa việc làm nhẹ, lương cao ở nước ngoài, lo hết chi phí đi lại. Hãy hỏi ý kiến gia đình và chính quyền xã trước khi đi.\n\n## Cách phòng tránh\n\nKhông đưa giấy tờ tùy thân cho người lạ. Khi nghi ngờ, hãy báo ngay cho Công an xã.\n",
    );
    site
}

/// The reading time the index gives a script, in seconds.
fn index_seconds(index: &str, title: &str) -> u64 {
    let row = index.split(title).nth(1).unwrap();
    let cell = row.split("<td>").nth(1).unwrap().split("</td>").next().unwrap();
    let numbers: Vec<u64> = cell.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    numbers[0] * 60 + numbers[1]
}

/// Decodes an MP3 into mono samples with symphonia: (samples, rate, channels, bit rates seen).
fn decode(bytes: Vec<u8>) -> (Vec<f32>, u32, usize) {
    use symphonia::core::audio::SampleBuffer;
    use symphonia::core::codecs::DecoderOptions;
    use symphonia::core::formats::FormatOptions;
    use symphonia::core::io::MediaSourceStream;
    use symphonia::core::meta::MetadataOptions;
    use symphonia::core::probe::Hint;
    let stream = MediaSourceStream::new(Box::new(std::io::Cursor::new(bytes)), Default::default());
    let mut hint = Hint::new();
    hint.with_extension("mp3");
    let registry = {
        let mut registry = symphonia::core::codecs::CodecRegistry::new();
        registry.register_all::<symphonia::default::codecs::MpaDecoder>();
        registry
    };
    let mut probe = symphonia::core::probe::Probe::default();
    probe.register_all::<symphonia::default::formats::MpaReader>();
    let probed = probe
        .format(&hint, stream, &FormatOptions::default(), &MetadataOptions::default())
        .expect("an MP3 stream");
    let mut format = probed.format;
    let track = format.default_track().unwrap().clone();
    let mut decoder = registry.make(&track.codec_params, &DecoderOptions::default()).unwrap();
    let rate = track.codec_params.sample_rate.unwrap();
    let channels = track.codec_params.channels.unwrap().count();
    let mut samples = Vec::new();
    while let Ok(packet) = format.next_packet() {
        let decoded = decoder.decode(&packet).expect("every frame decodes");
        let mut buffer = SampleBuffer::<f32>::new(decoded.capacity() as u64, *decoded.spec());
        buffer.copy_interleaved_ref(decoded);
        samples.extend_from_slice(buffer.samples());
    }
    (samples, rate, channels)
}

/// Integrated loudness (LUFS) and true peak (dBTP).
fn loudness(samples: &[f32], rate: u32) -> (f64, f64) {
    let mode = ebur128::Mode::I | ebur128::Mode::TRUE_PEAK;
    let mut meter = ebur128::EbuR128::new(1, rate, mode).unwrap();
    meter.add_frames_f32(samples).unwrap();
    (meter.loudness_global().unwrap(), 20.0 * meter.true_peak(0).unwrap().log10())
}

/// The bit rate field of every MP3 frame header after the ID3 tag (constant bit rate: one).
fn frame_bitrates(bytes: &[u8]) -> std::collections::BTreeSet<u8> {
    let tag = 10 + bytes[6..10].iter().fold(0usize, |n, b| (n << 7) | usize::from(*b));
    let mut at = tag;
    let mut rates = std::collections::BTreeSet::new();
    // MPEG-2 layer III: 144 * bitrate / sample rate bytes per 576-sample frame, plus padding.
    let kbps = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    let rates_hz = [22_050, 24_000, 16_000];
    while at + 4 <= bytes.len() && bytes[at] == 0xFF && bytes[at + 1] & 0xE0 == 0xE0 {
        let index = bytes[at + 2] >> 4;
        rates.insert(index);
        let rate = rates_hz[usize::from((bytes[at + 2] >> 2) & 3)];
        let padding = usize::from((bytes[at + 2] >> 1) & 1);
        at += 72_000 * kbps[usize::from(index)] / rate + padding;
    }
    assert!(at + 4 > bytes.len(), "frames run to the end of the file");
    rates
}

#[test]
fn with_audio_each_script_gets_a_station_mp3_that_decodes_lasts_as_the_index_says_measures_minus_16_lufs_and_carries_its_tags()
 {
    if !common::has_tool("espeak-ng") {
        return;
    }
    let site = audio_site("true", None);
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let file = site.path().join("public/loudspeaker/vi/canh-giac.mp3");
    let bytes = std::fs::read(&file).unwrap();
    use id3::TagLike;
    let tag = id3::Tag::read_from_path(&file).unwrap();
    assert_eq!(tag.title(), Some("Cảnh giác việc làm lương cao"));
    assert_eq!(tag.artist(), Some("Trang thử"));
    assert_eq!(tag.get("TLAN").and_then(|f| f.content().text()), Some("vie"));
    assert_eq!(frame_bitrates(&bytes).len(), 1, "constant bit rate");
    let (samples, rate, channels) = decode(bytes);
    assert_eq!(channels, 1, "mono");
    let seconds = samples.len() as f64 / f64::from(rate);
    let index = read(site.path(), "loudspeaker/vi/index.html");
    let listed = index_seconds(&index, "Cảnh giác việc làm lương cao") as f64;
    assert!((seconds - listed).abs() <= listed * 0.1, "{seconds} s decoded, {listed} s listed");
    assert!(index.contains("canh-giac.mp3"), "{index}");
    let (lufs, peak) = loudness(&samples, rate);
    assert!((lufs + 16.0).abs() <= 1.0, "{lufs} LUFS");
    assert!(peak < -1.0, "{peak} dBTP");
    let printable = read(site.path(), "loudspeaker/vi/canh-giac.html");
    assert!(printable.contains("<audio") && printable.contains("canh-giac.mp3"), "{printable}");
    eprintln!("canh-giac.mp3: {seconds:.1} s ({listed} s listed), {lufs:.2} LUFS, {peak:.2} dBTP");
    assert!(site.path().join("public/loudspeaker/vi/bai-viet.mp3").is_file());
}

/// Counts its runs in `runs` and speaks with espeak-ng.
fn counting_engine(site: &Path) -> String {
    let runs = site.join("runs");
    format!("echo run >> '{}'; espeak-ng -v vi -w {{wav}} -f {{txt}}", runs.display())
}

fn runs(site: &Path) -> usize {
    std::fs::read_to_string(site.join("runs")).map_or(0, |r| r.lines().count())
}

#[test]
fn a_second_build_takes_the_mp3s_from_the_cache_without_running_the_engine_again() {
    if !common::has_tool("espeak-ng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let site = audio_site("required", Some(&counting_engine(dir.path())));
    assert!(run_loa(site.path(), &["build"]).0);
    assert_eq!(runs(dir.path()), 2, "one run per script");
    let mp3 = std::fs::read(site.path().join("public/loudspeaker/vi/canh-giac.mp3")).unwrap();
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    assert_eq!(runs(dir.path()), 2, "nothing is spoken again");
    let again = std::fs::read(site.path().join("public/loudspeaker/vi/canh-giac.mp3")).unwrap();
    assert_eq!(mp3, again);
    let page = std::fs::read_to_string(site.path().join("content/bai-viet.md")).unwrap();
    write(site.path(), "content/bai-viet.md", page.replace("Nội dung", "Nội dung mới của"));
    assert!(run_loa(site.path(), &["build"]).0);
    assert_eq!(runs(dir.path()), 3, "only the changed script is spoken");
}

#[test]
fn a_missing_or_failing_speech_engine_names_the_page_and_stops_the_build_only_when_audio_is_required()
 {
    let site = audio_site("true", Some("khong-co-cong-cu-doc -w {wav} -f {txt}"));
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "audio that is not required does not stop the build: {stderr}");
    let warning = stderr.lines().find(|l| l.contains("content/canh-giac.md")).expect(&stderr);
    assert!(warning.starts_with("warning: content/canh-giac.md:1:1: the speech engine `khong-co-cong-cu-doc` is not installed"), "{warning}");
    assert!(stderr.contains("sudo apt-get install espeak-ng"), "{stderr}");
    assert!(!site.path().join("public/loudspeaker/vi/canh-giac.mp3").exists());
    assert!(site.path().join("public/loudspeaker/vi/canh-giac.txt").is_file(), "the rest is built");
    assert!(!read(site.path(), "loudspeaker/vi/index.html").contains(".mp3"));

    let site = audio_site("required", Some("echo 'không có giọng vi' >&2; exit 3; {wav}"));
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(!ok, "required audio stops the build");
    assert!(stderr.contains("error: content/"), "{stderr}");
    assert!(stderr.contains("failed on the loudspeaker script (vi)"), "{stderr}");
    assert!(stderr.contains("không có giọng vi"), "{stderr}");
    let (_, _, vi) = run_loa(site.path(), &["--ui-lang", "vi", "build"]);
    assert!(vi.contains("bị lỗi khi đọc bài đọc trên loa (vi) của trang này"), "{vi}");
}

#[test]
fn with_audio_the_mp3_is_a_material_its_page_lists_beside_the_script() {
    if !common::has_tool("espeak-ng") {
        return;
    }
    let site = audio_site("true", None);
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    let page = read(site.path(), "canh-giac/index.html");
    let link =
        page.split("/loudspeaker/vi/canh-giac.mp3").nth(1).unwrap_or_else(|| panic!("{page}"));
    let label = link.split("</a>").next().unwrap_or_default();
    assert!(label.contains("Bản ghi âm cho loa truyền thanh (MP3)"), "{label}");
    assert!(page.contains("/loudspeaker/vi/canh-giac.html"), "the script stays listed: {page}");
    assert!(site.path().join("public/loudspeaker/vi/canh-giac.mp3").is_file());
}
