/// How `Resampler`, `StreamingResampler` and `AudioFile.read` convert between sample rates.
///
/// The three sinc converters are libsamplerate's; `polyphase` is a windowed-FIR converter for
/// rational ratios, the method of `scipy.signal.resample_poly`, many times faster. CPU time per
/// second of audio in a release build (busy 2-core machine), 8 kHz → 16 kHz: best 11 ms, medium
/// 5.2 ms, fastest 2.6 ms, polyphase 0.25 ms; 44.1 kHz → 16 kHz: 68, 15, 6.4 and 1.0 ms.
/// Features computed for a model must use the same method at training and at inference.
public enum ResampleQuality: String, Sendable, Hashable, Codable, CaseIterable {
  /// libsamplerate `SRC_SINC_BEST_QUALITY`: 145 dB signal-to-noise, 97 % of the band kept.
  case best
  /// libsamplerate `SRC_SINC_MEDIUM_QUALITY`: 97 dB, 90 % of the band.
  case medium
  /// libsamplerate `SRC_SINC_FASTEST`: 97 dB, 80 % of the band.
  case fastest
  /// Kaiser-windowed (β = 5) low-pass FIR applied polyphase at `to/from` reduced to `up/down`,
  /// 10 × max(up, down) taps each side at the upsampled rate: about 60 dB stop-band rejection.
  /// Identical in design to `scipy.signal.resample_poly(x, up, down)`. When `up` or `down`
  /// exceeds `PolyphaseFilter.maximumFactor` (an irregular ratio such as 44 101 → 16 000 Hz) the
  /// conversion falls back to `medium`.
  case polyphase

  /// The converter every reader uses unless told otherwise: `polyphase`, because decoding plus
  /// resampling an 8 kHz clip must cost well under a millisecond for batch feature extraction
  /// (libsamplerate's `medium` alone takes about 2.5 ms a clip, as long as the whole Python
  /// pipeline), and because it reproduces `scipy.signal.resample_poly`, which the Python tools
  /// people compare with use. Irregular ratios still go through libsamplerate (`medium`).
  public static let standard: ResampleQuality = .polyphase
}
