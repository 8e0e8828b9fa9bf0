import Foundation
import SpeechAudio
import SpeechFeatures
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// A new model's mel filters end where most of its training recordings end (`RecordingBandwidth`).
@Suite struct RecordingBandwidthTests {
  /// The session's notes about the mel range (a folder without noise also gets one about noise).
  func melNotes(_ session: TrainingSession) -> [String] {
    session.notes.filter { $0.contains("mel filters") }
  }

  @Test func eightKilohertzRecordingsEndTheMelFiltersAtFourKilohertz() throws {
    let dir = try TwoWordFolder.make(rates: [8000])
    let session = try TrainingSession(TwoWordFolder.job(dir))
    #expect(FrontEndConfig.default.mfcc.resolvedMaxFrequency == 8000)
    #expect(session.frontEnd.config.mfcc.sampleRate == 16000)
    #expect(session.frontEnd.config.mfcc.maxFrequency == 4000)
    #expect(session.request.frontEnd == session.frontEnd.config)
    let notes = melNotes(session)
    #expect(notes.count == 1)
    #expect(notes.first?.contains("8000 Hz") == true)
    #expect(notes.first?.contains("4000 Hz instead of 8000 Hz") == true)
  }

  @Test func fullBandOrMostlyFullBandRecordingsKeepTheFrontEnd() throws {
    for rates in [[16000], [16000, 16000, 8000], [44100]] {
      let dir = try TwoWordFolder.make(rates: rates)
      let session = try TrainingSession(TwoWordFolder.job(dir))
      #expect(session.frontEnd.config == .default, "\(rates)")
      #expect(melNotes(session).isEmpty, "\(rates)")
    }
  }

  @Test func aChosenUpperEdgeIsKept() throws {
    let dir = try TwoWordFolder.make(rates: [8000])
    var r = TwoWordFolder.job(dir)
    r.frontEnd = try FrontEndConfig.default.applyingMFCCOverrides(["maxFrequency=7000"])
    r.fitsMelRangeToRecordings = false
    let session = try TrainingSession(r)
    #expect(session.frontEnd.config.mfcc.maxFrequency == 7000)
    #expect(melNotes(session).isEmpty)
  }

  @Test func theMedianRecordingDecides() throws {
    let dir = try TwoWordFolder.make(rates: [8000, 8000, 22050])
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
