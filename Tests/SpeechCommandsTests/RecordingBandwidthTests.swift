import Foundation
import SpeechAudio
import SpeechFeatures
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// A new model's mel filters end where most of its training recordings end (`RecordingBandwidth`).
@Suite struct RecordingBandwidthTests {
  /// Two words of synthetic takes at `rates` (cycled over the takes), in a fresh folder.
  func folder(rates: [Int], takes: Int = 6) throws -> TemporaryFolder {
    let dir = try TemporaryFolder()
    var rng = SeededGenerator(seed: 3)
    for (k, word) in ["alpha", "bravo"].enumerated() {
      try FileManager.default.createDirectory(
        atPath: dir.path + "/" + word, withIntermediateDirectories: true)
      for i in 0..<takes {
        let rate = rates[i % rates.count]
        let samples = SyntheticDataset.take(pattern: k, sampleRate: rate, using: &rng)
        try AudioFile.write(
          samples, sampleRate: rate, to: "\(dir.path)/\(word)/\(String(format: "%08x", i))_nohash_0.wav")
      }
    }
    return dir
  }

  /// A job on `dir` with the product's 16 kHz front end; everything in training.
  func job(_ dir: TemporaryFolder) -> TrainingJob {
    var r = TrainingJob(data: [.folder(dir.path)], output: dir.path + "/m.safetensors")
    r.split = HashSplitRule(validationPercent: 0, testPercent: 0)
    return r
  }

  @Test func eightKilohertzRecordingsEndTheMelFiltersAtFourKilohertz() throws {
    let dir = try folder(rates: [8000])
    let session = try TrainingSession(job(dir))
    #expect(FrontEndConfig.default.mfcc.resolvedMaxFrequency == 8000)
    #expect(session.frontEnd.config.mfcc.sampleRate == 16000)
    #expect(session.frontEnd.config.mfcc.maxFrequency == 4000)
    #expect(session.request.frontEnd == session.frontEnd.config)
    #expect(session.notes.count == 1)
    #expect(session.notes.first?.contains("8000 Hz") == true)
    #expect(session.notes.first?.contains("4000 Hz instead of 8000 Hz") == true)
  }

  @Test func fullBandOrMostlyFullBandRecordingsKeepTheFrontEnd() throws {
    for rates in [[16000], [16000, 16000, 8000], [44100]] {
      let dir = try folder(rates: rates)
      let session = try TrainingSession(job(dir))
      #expect(session.frontEnd.config == .default, "\(rates)")
      #expect(session.notes.isEmpty, "\(rates)")
    }
  }

  @Test func aChosenUpperEdgeIsKept() throws {
    let dir = try folder(rates: [8000])
    var r = job(dir)
    r.frontEnd = try FrontEndConfig.default.applyingMFCCOverrides(["maxFrequency=7000"])
    r.fitsMelRangeToRecordings = false
    let session = try TrainingSession(r)
    #expect(session.frontEnd.config.mfcc.maxFrequency == 7000)
    #expect(session.notes.isEmpty)
  }

  @Test func theMedianRecordingDecides() throws {
    let dir = try folder(rates: [8000, 8000, 22050])
    let paths = try FileManager.default.subpathsOfDirectory(atPath: dir.path)
      .filter { $0.hasSuffix(".wav") }.map { dir.path + "/" + $0 }
    let bandwidth = try #require(RecordingBandwidth(paths: paths + [dir.path + "/missing.wav"]))
    #expect(bandwidth.medianRate == 8000 && bandwidth.recordings == 12)
    #expect(RecordingBandwidth(paths: [dir.path + "/missing.wav"]) == nil)
    // The classic preset ends at 7600 Hz; a filter bank starting above the band is left alone.
    let classic = FrontEndConfig(mfcc: .classic)
    #expect(classic.fitted(to: bandwidth).config.mfcc.maxFrequency == 4000)
    var high = classic
    high.mfcc.minFrequency = 4500
    #expect(high.fitted(to: bandwidth).config == high && high.fitted(to: bandwidth).note == nil)
  }
}
