import Foundation
import SpeechAudio

/// Builds a long test recording from known clips, with silence and background noise between them,
/// and its ground truth: the input of `speechcmd listen --truth` (like TensorFlow's
/// `generate_streaming_test_wav.py`).
///
/// Layout: `leadSeconds` of background, then each clip followed by a gap drawn uniformly from
/// `gapSeconds`; noise (looped from a random offset, scaled by `noiseVolume`) is added under the
/// whole stream, words included. A clip's truth time is where the clip starts. Clips labelled
/// `_silence_` or `_unknown_` are placed as distractors but left out of the truth (a detection
/// there is a false positive or a wrong word, as it should be).
public struct StreamBuilder: Sendable {
  /// How the stream is laid out.
  public struct Options: Sendable, Equatable {
    /// Sample rate of the clips, the noise and the stream, in Hz. Default 16000.
    public var sampleRate: Int = 16000
    /// Background before the first clip, in seconds. Default 1.0.
    public var leadSeconds: Double = 1.0
    /// Range of the gap after each clip, in seconds. Default 1.5…2.5, so that words (which may
    /// sit anywhere in their clips) stay more than `listen`'s 1.5 s suppression time apart.
    public var gapSeconds: ClosedRange<Double> = 1.5...2.5
    /// Gain applied to the noise (0 for none). Default 0.1, as TensorFlow's background volume.
    public var noiseVolume: Float = 0.1

    /// The defaults above.
    public init() {}
  }

  /// The layout.
  public let options: Options

  /// A builder with `options`.
  public init(options: Options = Options()) { self.options = options }

  /// The stream and its truth (words in time order).
  public func build(
    clips: [(label: String, samples: [Float])], noise: [Float],
    using rng: inout some RandomNumberGenerator
  ) -> (audio: [Float], truth: [TimedLabel]) {
    let rate = Double(options.sampleRate)
    var audio = [Float](repeating: 0, count: Int(options.leadSeconds * rate))
    var truth: [TimedLabel] = []
    for (label, samples) in clips {
      if label != silenceLabel && label != unknownLabel {
        truth.append(TimedLabel(label: label, time: Double(audio.count) / rate))
      }
      audio += samples
      let gap = Double.random(in: options.gapSeconds, using: &rng)
      audio += [Float](repeating: 0, count: Int(gap * rate))
    }
    if !noise.isEmpty && options.noiseVolume != 0 {
      var position = Int.random(in: 0..<noise.count, using: &rng)
      for i in audio.indices {
        audio[i] += options.noiseVolume * noise[position]
        position += 1
        if position == noise.count { position = 0 }
      }
    }
    return (audio, truth)
  }

  /// Writes the stream as 16-bit WAV at `wavPath` and its truth as CSV at `truthPath`.
  public func write(
    audio: [Float], truth: [TimedLabel], wavPath: String, truthPath: String
  ) throws {
    let peak = audio.reduce(Float(0)) { max($0, abs($1)) }
    let scaled = peak > 1 ? audio.map { $0 / peak } : audio
    try AudioFile.write(scaled, sampleRate: options.sampleRate, to: wavPath)
    try OutputFile.write(TruthFile.csv(truth), to: truthPath)
  }
}
