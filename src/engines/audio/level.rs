//! Loudness normalisation: a gain to [`TARGET_LUFS`](super::TARGET_LUFS) and a look-ahead
//! limiter that keeps the true peak under [`MAX_TRUE_PEAK`](super::MAX_TRUE_PEAK).

use std::collections::VecDeque;

use ebur128::{EbuR128, Mode};

use super::{AudioError, MAX_TRUE_PEAK, TARGET_LUFS};

/// The limiter's ceiling for sample peaks, in dBFS: below the true-peak limit, since the
/// waveform overshoots between samples and the MP3 encoder adds a little.
const CEILING_DB: f64 = -2.5;

/// The true peak aimed at before encoding, in dBTP, leaving room for the encoder.
const PEAK_AIM_DB: f64 = MAX_TRUE_PEAK - 1.0;

/// How far the limiter looks around a peak, in seconds (it fades its gain in and out over
/// twice this).
const LIMITER_RADIUS: f64 = 0.004;

/// How close to the target the loudness must come, in LU.
const TOLERANCE: f64 = 0.2;

/// The samples made as loud as the target, their peaks limited.
pub(super) fn normalise(samples: Vec<f32>, rate: u32) -> Result<Vec<f32>, AudioError> {
    let (loudness, _) = measure(&samples, rate)?;
    if !loudness.is_finite() {
        return Err(AudioError::Silent);
    }
    let radius = ((f64::from(rate) * LIMITER_RADIUS) as usize).max(1);
    let mut gain_db = TARGET_LUFS - loudness;
    let mut out = Vec::new();
    for _ in 0..4 {
        out = amplified(&samples, gain_db);
        limit(&mut out, decibels_to_gain(CEILING_DB) as f32, radius);
        let (loudness, _) = measure(&out, rate)?;
        if (loudness - TARGET_LUFS).abs() <= TOLERANCE {
            break;
        }
        gain_db += TARGET_LUFS - loudness;
    }
    let (_, peak) = measure(&out, rate)?;
    if peak > PEAK_AIM_DB {
        out = amplified(&out, PEAK_AIM_DB - peak);
    }
    Ok(out)
}

/// Integrated loudness (LUFS) and true peak (dBTP) of mono samples.
fn measure(samples: &[f32], rate: u32) -> Result<(f64, f64), AudioError> {
    let failed = |e: ebur128::Error| AudioError::Loudness(e.to_string());
    let mut meter = EbuR128::new(1, rate, Mode::I | Mode::TRUE_PEAK).map_err(failed)?;
    meter.add_frames_f32(samples).map_err(failed)?;
    let loudness = meter.loudness_global().map_err(failed)?;
    let peak = meter.true_peak(0).map_err(failed)?;
    Ok((loudness, 20.0 * peak.log10()))
}

fn decibels_to_gain(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

fn amplified(samples: &[f32], gain_db: f64) -> Vec<f32> {
    let gain = decibels_to_gain(gain_db) as f32;
    samples.iter().map(|s| s * gain).collect()
}

/// Lowers the gain around every sample above `ceiling` so that none stays above it: the gain
/// each sample needs is held over `radius` samples each side (a sliding minimum), then
/// smoothed by a moving average over the same span, which never rises above what any sample
/// in reach needs.
fn limit(samples: &mut [f32], ceiling: f32, radius: usize) {
    let needed: Vec<f32> =
        samples.iter().map(|s| if s.abs() > ceiling { ceiling / s.abs() } else { 1.0 }).collect();
    if needed.iter().all(|g| *g >= 1.0) {
        return;
    }
    let held = sliding_minimum(&needed, radius);
    for (sample, gain) in samples.iter_mut().zip(moving_average(&held, radius)) {
        *sample *= gain;
    }
}

/// The minimum of `values` within `radius` of each index.
fn sliding_minimum(values: &[f32], radius: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(values.len());
    let mut window: VecDeque<usize> = VecDeque::new();
    let mut next = 0;
    for i in 0..values.len() {
        while next < values.len() && next <= i + radius {
            while window.back().is_some_and(|&last| values[last] >= values[next]) {
                window.pop_back();
            }
            window.push_back(next);
            next += 1;
        }
        while window.front().is_some_and(|&first| first + radius < i) {
            window.pop_front();
        }
        out.push(window.front().map_or(1.0, |&first| values[first]));
    }
    out
}

/// The mean of `values` within `radius` of each index (fewer at the ends).
fn moving_average(values: &[f32], radius: usize) -> Vec<f32> {
    let mut sums = Vec::with_capacity(values.len() + 1);
    sums.push(0.0f64);
    for v in values {
        sums.push(sums[sums.len() - 1] + f64::from(*v));
    }
    (0..values.len())
        .map(|i| {
            let (from, to) = (i.saturating_sub(radius), (i + radius + 1).min(values.len()));
            ((sums[to] - sums[from]) / (to - from) as f64) as f32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_keeps_every_sample_under_the_ceiling() {
        let mut samples: Vec<f32> = (0..2000).map(|i| ((i as f32) * 0.3).sin() * 0.5).collect();
        samples[1000] = 1.0;
        samples[1003] = -0.95;
        limit(&mut samples, 0.6, 20);
        assert!(samples.iter().all(|s| s.abs() <= 0.6 + 1e-6));
        assert!(
            (samples[100] - (30.0f32).sin() * 0.5).abs() < 1e-6,
            "far from a peak nothing changes"
        );
    }

    #[test]
    fn sliding_minimum_and_moving_average_see_radius_samples_each_side() {
        let values = [1.0, 1.0, 0.2, 1.0, 1.0, 1.0];
        assert_eq!(sliding_minimum(&values, 1), [1.0, 0.2, 0.2, 0.2, 1.0, 1.0]);
        let average = moving_average(&[3.0, 0.0, 3.0, 6.0], 1);
        assert_eq!(average, [1.5, 2.0, 3.0, 4.5]);
    }

    #[test]
    fn speech_like_bursts_reach_the_target_loudness_under_the_peak_limit() {
        let rate = 22_050;
        let samples: Vec<f32> = (0..rate * 5)
            .map(|i| {
                let t = i as f32 / rate as f32;
                let envelope = if (t * 3.0).fract() < 0.5 { 1.0 } else { 0.05 };
                0.02 * envelope * (t * 300.0 * std::f32::consts::TAU).sin()
                    + if i % 2205 == 0 { 0.3 } else { 0.0 }
            })
            .collect();
        let out = normalise(samples, rate as u32).unwrap();
        let (loudness, peak) = measure(&out, rate as u32).unwrap();
        assert!((loudness - TARGET_LUFS).abs() <= 0.5, "{loudness} LUFS");
        assert!(peak <= PEAK_AIM_DB + 0.01, "{peak} dBTP");
    }
}
