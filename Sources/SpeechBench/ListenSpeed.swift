import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel

/// How fast `listen` runs on one thread: audio clips end to end (repeated up to a length) streamed
/// through a `SlidingWindowDetector` at its defaults, in the command's block size, OpenBLAS on one
/// thread. Decoding is done before the clock starts.
public struct ListenSpeed: Sendable, Equatable {
  /// Seconds of audio streamed.
  public var audioSeconds: Double
  /// Seconds of audio processed per second of wall time.
  public var realTimeFactor: Double
  /// Windows scored per second of wall time.
  public var windowsPerSecond: Double

  /// Streams the files of `paths` (unreadable ones skipped), repeated until `seconds` of audio.
  public static func measure(paths: [String], classifier: Classifier, seconds: Double) throws
    -> ListenSpeed
  {
    let rate = classifier.sampleRate
    var audio: [Float] = []
    let target = Int(seconds * Double(rate))
    outer: while audio.count < target {
      var added = false
      for path in paths {
        guard let samples = try? AudioFile.read(at: path, sampleRate: rate) else { continue }
        audio += samples
        added = true
        if audio.count >= target { break outer }
      }
      if !added { break }
    }
    if audio.count > target { audio.removeLast(audio.count - target) }  // the last file's overshoot
    let detector = try SlidingWindowDetector(classifier: classifier)
    let block = ListenInputLoop.fileBlockFrames
    let wall = LinearAlgebra.withThreadCount(1) {
      let start = DispatchTime.now().uptimeNanoseconds
      for offset in stride(from: 0, to: audio.count, by: block) {
        _ = detector.process(Array(audio[offset..<min(offset + block, audio.count)]))
      }
      return max(1e-9, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let audioSeconds = Double(audio.count) / Double(rate)
    return ListenSpeed(
      audioSeconds: audioSeconds, realTimeFactor: audioSeconds / wall,
      windowsPerSecond: Double(detector.windowsScored) / wall)
  }
}
