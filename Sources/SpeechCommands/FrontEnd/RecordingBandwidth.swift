import Foundation
import SpeechAudio

/// The frequency band the training recordings carry, read from their headers.
///
/// A recording sampled at 8 kHz holds nothing above 4 kHz; resampled to the model's 16 kHz its
/// upper mel bands are empty, so a network trained on such recordings never learns what those
/// bands hold and meets them for the first time in 16 kHz audio. Ending the mel filters at the
/// recordings' Nyquist frequency makes the features of band-limited training audio and of
/// full-band audio alike (a model trained on FSDD, 8 kHz, recognised 74.9% of Speech Commands
/// digits, 16 kHz, instead of 68.7%, mean of three seeds: README, "How clips are prepared").
public struct RecordingBandwidth: Sendable, Equatable {
  /// The median sample rate of the recordings, in Hz.
  public var medianRate: Int
  /// Recordings whose header was read.
  public var recordings: Int

  /// The median native sample rate of `paths` (headers only, all cores), or nil when no header
  /// can be read (the files are then reported when they are decoded).
  public init?(paths: [String]) {
    let rates = Parallel.map(paths) { path -> Int? in
      (try? AudioFile.info(at: path)).map(\.sampleRate).flatMap { $0 > 0 ? $0 : nil }
    }.compactMap { $0 }.sorted()
    guard !rates.isEmpty else { return nil }
    medianRate = rates[rates.count / 2]
    recordings = rates.count
  }

  /// The highest frequency the median recording carries (its Nyquist frequency), in Hz.
  public var topFrequency: Double { Double(medianRate) / 2 }
}

extension FrontEndConfig {
  /// This configuration with its mel filters ending at `bandwidth.topFrequency` when that lies
  /// below their upper edge (and above their lower one), with a note saying so; else itself
  /// and nil.
  public func fitted(to bandwidth: RecordingBandwidth) -> (config: FrontEndConfig, note: String?) {
    let top = bandwidth.topFrequency
    let edge = mfcc.resolvedMaxFrequency
    guard top < edge, top > mfcc.minFrequency else { return (self, nil) }
    var copy = self
    copy.mfcc.maxFrequency = top
    let note =
      "most training recordings are sampled at \(bandwidth.medianRate) Hz: the mel filters end at "
      + "\(Int(top)) Hz instead of \(Int(edge)) Hz, so the model hears other audio as it heard "
      + "them (--mfcc maxFrequency=HZ chooses)"
    return (copy, note)
  }
}
