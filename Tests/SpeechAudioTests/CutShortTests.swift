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
    #expect(abs((cut.announcedSeconds ?? 0) - 1.0) < 1e-9)
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

  /// An OGG stream cut before its last page announces no length (libsndfile reports
  /// `Int64.max` frames): it decodes what it holds and says it stops before its end; the whole
  /// stream is no cut.
  @Test func anOGGStreamWithoutItsEndIsReported() throws {
    let folder = try TemporaryFolder()
    let whole = folder.file("whole.ogg")
    // Noise, so that audio pages and not the header's codebooks make up most of the file.
    var state: UInt32 = 12345
    let noise = (0..<48000).map { _ -> Float in
      state = state &* 1_664_525 &+ 1_013_904_223
      return Float(state >> 8) / Float(1 << 24) - 0.5
    }
    try AudioFile.write(noise, sampleRate: 16000, to: whole, format: .oggVorbis)
    #expect(try AudioFile.info(at: whole).lengthUnknown == false)
    #expect(try AudioFile.decode(at: whole).cutShort == nil)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
    let cut = folder.file("cut.ogg")
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
    #expect(try AudioFile.info(at: cut).lengthUnknown)
    let (samples, report) = try AudioFile.decode(at: cut)
    let held = Double(samples.count) / 16000
    #expect(held > 0.5 && held < 2.9, "\(held) s of 3")
    let notice = try #require(report)
    #expect(notice.announcedSeconds == nil && abs(notice.heldSeconds - held) < 0.05)
    #expect(notice.description.hasPrefix("'\(cut)' is cut short: it holds "))
    #expect(notice.description.contains(" s and stops before its end"))
    // Streamed in blocks, the same report.
    #expect(try AudioFile.forEachBlock(at: cut) { _ in } == notice)
    // Too long to hold is said before decoding anything: no length is more than any limit.
    #expect(try AudioFile.decode(at: cut, maximumSamples: 1 << 40) == nil)
    #expect(try AudioFile.decode(at: whole, maximumSamples: 48000)?.samples.count == 48000)
    #expect(try AudioFile.decode(at: whole, maximumSamples: 47999) == nil)
  }

  /// libsndfile's log lines, as it writes them for WAV and AIFF; sizes that say "unknown"
  /// (writers that could not seek back) and headers announcing less are no cut.
  @Test func logLines() {
    #expect(
      CutShort.heldFraction(
        log: "RIFF : 32036 (should be 11992)\ndata : 32000 (should be 12000)\nEnd\n") == 0.375)
    #expect(CutShort.heldFraction(log: "SSND : 32008 (should be 16004)\n") == 0.5)
    #expect(
      CutShort.heldFraction(
        log: ".snd\n  Data Offset : 44\n  Data Size   : 576000 (should be 144000)\n") == 0.25)
    #expect(CutShort.heldFraction(log: "data : 32000\nEnd\n") == nil)
    #expect(CutShort.heldFraction(log: "data : 0 (should be 32000)\n") == nil)
    #expect(CutShort.heldFraction(log: "data : 4294967295 (should be 32000)\n") == nil)
    #expect(CutShort.heldFraction(log: "data : 2147483647 (should be 32000)\n") == nil)
  }
}
