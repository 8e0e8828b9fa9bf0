import Foundation
import SpeechAudio
import SpeechTestSupport
import Testing

/// `forEachBlock` delivers fixed-size blocks whose concatenation is `read`'s result.
@Suite struct StreamingReadTests {
  @Test(arguments: [(48000, 1000), (16000, 16384), (8000, 777), (22050, 1)])
  func blocksConcatenateToWholeRead(rate: Int, blockFrames: Int) throws {
    let directory = try TemporaryFolder()
    let path = directory.file("long.flac")
    let frames = rate * 13 / 10
    let left = Signal.sine(frequency: 440, rate: rate, count: frames)
    let right = Signal.sine(frequency: 1300, rate: rate, count: frames, amplitude: 0.3)
    try AudioFile.write(
      zip(left, right).flatMap { [$0, $1] }, sampleRate: rate, to: path, format: .flac24,
      channels: 2)

    let whole = try AudioFile.read(at: path)
    var blocks: [[Float]] = []
    try AudioFile.forEachBlock(at: path, blockFrames: blockFrames) { blocks.append($0) }

    #expect(blocks.flatMap { $0 } == whole)
    #expect(blocks.dropLast().allSatisfy { $0.count == blockFrames })
    #expect(blocks.allSatisfy { !$0.isEmpty })
    #expect(abs(whole.count - 16000 * 13 / 10) <= 2)
  }

  @Test func bodyErrorStopsTheRead() throws {
    struct Stop: Error {}
    let directory = try TemporaryFolder()
    let path = directory.file("tone.wav")
    try AudioFile.write(
      Signal.sine(frequency: 440, rate: 16000, count: 16000), sampleRate: 16000, to: path)
    var calls = 0
    #expect(throws: Stop.self) {
      try AudioFile.forEachBlock(at: path, blockFrames: 1000) { _ in
        calls += 1
        if calls == 3 { throw Stop() }
      }
    }
    #expect(calls == 3)
  }
}
