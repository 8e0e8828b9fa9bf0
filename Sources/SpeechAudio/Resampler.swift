/// Whole-signal sample-rate conversion.
public struct Resampler: Sendable {
  /// Converts mono samples `x` recorded at `from` Hz to `to` Hz with the converter `quality`
  /// (default `ResampleQuality.standard`). The output has about
  /// `x.count × to / from` samples and covers the same duration; equal rates return `x` unchanged.
  ///
  /// Throws `AudioError.resampleFailed` for non-positive rates or a ratio outside 1/256…256.
  public static func resample(
    _ x: [Float], from: Int, to: Int, quality: ResampleQuality = .standard
  ) throws(AudioError) -> [Float] {
    if from == to, from > 0 { return x }
    return try StreamingResampler(from: from, to: to, quality: quality).process(x, isLast: true)
  }
}
