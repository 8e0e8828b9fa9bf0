import Foundation
import SpeechAudio
import SpeechTestSupport
import Testing

@testable import SpeechAudio

/// A file whose header announces more audio than it holds (a copy that stopped early) decodes
/// what it holds, and says so.
@Suite struct CutShortTests {
  /// 1 s of 16-bit tone at 16 kHz (32,000 bytes of data after a 44-byte header), cut to
  /// `bytes` bytes in all.
  func cutWAV(_ bytes: Int, in folder: TemporaryFolder, format: String = "wav") throws -> String {
    let whole = folder.file("whole.\(format)")
    try AudioFile.write(
      Signal.sine(frequency: 440, rate: 16000, count: 16000), sampleRate: 16000, to: whole)
    let cut = folder.file("cut.\(format)")
    try Data(try Data(contentsOf: URL(fileURLWithPath: whole)).prefix(bytes))
      .write(to: URL(fileURLWithPath: cut))
    return cut
  }

  @Test func aCutWAVIsDecodedAndReported() throws {
    let folder = try TemporaryFolder()
    let path = try cutWAV(44 + 12000, in: folder)  // 6,000 of the 16,000 frames
    let info = try AudioFile.info(at: path)
    #expect(info.frames == 6000)
    let cut = try #require(info.cutShort)
    #expect(abs(cut.heldSeconds - 0.375) < 1e-9)
    #expect(abs(cut.announcedSeconds - 1.0) < 1e-9)
    #expect(
      cut.description
        == "'\(path)' is cut short: it holds 0.375 s of the 1.000 s its header announces (a copy or download that stopped early?)"
    )
    let (samples, decodedCut) = try AudioFile.decode(at: path)
    #expect(samples.count == 6000)
    #expect(decodedCut == cut)
  }

  @Test func aWholeFileIsNotCut() throws {
    let folder = try TemporaryFolder()
    let path = try cutWAV(44 + 32000, in: folder)
    #expect(try AudioFile.info(at: path).cutShort == nil)
    #expect(try AudioFile.decode(at: path).cutShort == nil)
  }

  /// libsndfile's log lines, as it writes them for WAV and AIFF; sizes that say "unknown"
  /// (writers that could not seek back) and headers announcing less are no cut.
  @Test func logLines() {
    #expect(CutShort.heldFraction(log: "RIFF : 32036 (should be 11992)\ndata : 32000 (should be 12000)\nEnd\n") == 0.375)
    #expect(CutShort.heldFraction(log: "SSND : 32008 (should be 16004)\n") == 0.5)
    #expect(CutShort.heldFraction(log: "data : 32000\nEnd\n") == nil)
    #expect(CutShort.heldFraction(log: "data : 0 (should be 32000)\n") == nil)
    #expect(CutShort.heldFraction(log: "data : 4294967295 (should be 32000)\n") == nil)
    #expect(CutShort.heldFraction(log: "data : 2147483647 (should be 32000)\n") == nil)
  }
}
