import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel

/// How long one clip takes to classify once its audio is decoded, as a one-file `classify`
/// spends it: the features of every view, then the network on them (one row at a time, no BLAS).
public struct ClipLatency: Sendable, Equatable {
  /// Median µs of features + network for one clip (`Classifier.classify(clip:)`).
  public var clipMicroseconds: Double
  /// Median µs of the network alone on one clip's views (`Classifier.probabilities(features:)`).
  public var networkMicroseconds: Double

  /// Times `count` clips, cycling through the first 64 readable files of `paths` (decoded
  /// beforehand).
  /// The folder has readable audio (`ClassifyBenchmark` checked); with none, both are NaN.
  public static func measure(paths: [String], classifier: Classifier, count: Int = 500)
    -> ClipLatency
  {
    var clips: [[Float]] = []
    for path in paths where clips.count < 64 {
      if let samples = try? AudioFile.read(at: path, sampleRate: classifier.sampleRate) {
        clips.append(samples)
      }
    }
    guard !clips.isEmpty else {
      return ClipLatency(clipMicroseconds: .nan, networkMicroseconds: .nan)
    }
    let features = clips.map {
      Matrix(
        rows: 1, cols: classifier.featureSize, values: classifier.frontEnd.viewFeatures(clip: $0))
    }
    func microseconds(_ work: () -> Void) -> Double {
      let start = DispatchTime.now().uptimeNanoseconds
      work()
      return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3
    }
    var whole: [Double] = []
    var network: [Double] = []
    for i in 0..<max(1, count) {
      let clip = clips[i % clips.count]
      let row = features[i % clips.count]
      whole.append(microseconds { _ = classifier.classify(clip: clip) })
      network.append(microseconds { _ = classifier.probabilities(features: row) })
    }
    return ClipLatency(clipMicroseconds: median(whole), networkMicroseconds: median(network))
  }
}
