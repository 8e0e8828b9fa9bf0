import Foundation
import Testing

@testable import SpeechCommands

@Suite struct SplitRuleTests {
  @Test(arguments: [
    ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
    ),
    (
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "a49b2446a02c645bf419f995b67091253a04a259"
    ),
  ])
  func sha1MatchesFIPSVectors(message: String, hex: String) {
    #expect(SHA1.hexDigest(message) == hex)
  }

  @Test func sha1OfAMillionAs() {
    let digest = SHA1.digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
    let hex = digest.map { String(format: "%02x", $0) }.joined()
    #expect(hex == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
  }

  struct Case: Decodable {
    var file: String
    var validationPercent: Double
    var testPercent: Double
    var split: String
    var percentage: Double
    var sha1: String
  }

  @Test func matchesTensorFlowWhichSet() throws {
    struct Fixture: Decodable { var cases: [Case] }
    let fixture = try JSONDecoder().decode(
      Fixture.self, from: TrainingResources.data("tf-which-set.json"))
    #expect(fixture.cases.count >= 20)
    for c in fixture.cases {
      let name = HashSplitRule.hashName(of: c.file)
      #expect(SHA1.hexDigest(name) == c.sha1, "\(c.file)")
      #expect(abs(HashSplitRule.percentageHash(of: c.file) - c.percentage) < 1e-9, "\(c.file)")
      let rule = HashSplitRule(validationPercent: c.validationPercent, testPercent: c.testPercent)
      #expect(rule.split(of: c.file) == DatasetSplit(name: c.split), "\(c.file)")
    }
  }

  @Test func takesOfOneSpeakerShareASplit() {
    let rule = HashSplitRule(validationPercent: 30, testPercent: 30)
    for speaker in ["0a7c2a8d", "1b4c9b89", "c1d39ce8", "9ff2d2f4"] {
      let splits = Set((0..<5).map { rule.split(of: "\(speaker)_nohash_\($0).wav") })
      #expect(splits.count == 1)
    }
  }

  @Test func splitNamesParse() {
    #expect(DatasetSplit(name: "testing") == .test)
    #expect(DatasetSplit(name: " Validation ") == .validation)
    #expect(DatasetSplit(name: "training") == .train)
    #expect(DatasetSplit(name: "holdout") == nil)
  }
}
