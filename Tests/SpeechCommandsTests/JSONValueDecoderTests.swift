import Foundation
import SpeechFeatures
import SpeechModel
import Testing

@testable import SpeechCommands

/// `JSONValueDecoder` (how a model's front end and operating point are read) against
/// Foundation's `JSONDecoder`, the reader it replaces there.
@Suite struct JSONValueDecoderTests {
  static let frontEnds: [FrontEndConfig] = {
    var configs = MFCCConfig.presetNames.compactMap(MFCCConfig.preset(named:)).map {
      FrontEndConfig(mfcc: $0)
    }
    var odd = FrontEndConfig(clipSeconds: 1.25, focusSeconds: nil)
    odd.mfcc.maxFrequency = nil
    odd.mfcc.topDecibels = 80
    odd.mfcc.deltas = .second
    configs.append(odd)
    return configs
  }()

  @Test(arguments: frontEnds) func readsAFrontEndAsJSONDecoderDoes(_ config: FrontEndConfig) throws {
    let text = try config.jsonString()
    let reference = try JSONDecoder().decode(FrontEndConfig.self, from: Data(text.utf8))
    #expect(try JSONValueDecoder().decode(FrontEndConfig.self, from: text) == reference)
    #expect(try FrontEndConfig(jsonString: text) == config)
  }

  @Test func readsAnOperatingPointWithAndWithoutItsFit() throws {
    let fit = OperatingPointFit(
      words: 235, nonCommandWords: 27, right: 0.494, wrong: 0.026, spurious: 0,
      falseAcceptsPerWord: 0)
    for point in [
      OperatingPoint(threshold: 0.7), OperatingPoint(threshold: 0.55, averageWindowMs: 750, fit: fit),
    ] {
      let text = try point.jsonString()
      #expect(OperatingPoint(jsonString: text) == point)
      #expect(
        try JSONValueDecoder().decode(OperatingPoint.self, from: text)
          == JSONDecoder().decode(OperatingPoint.self, from: Data(text.utf8)))
    }
  }

  struct Sample: Decodable, Equatable {
    var small: Int8
    var big: UInt64
    var ratio: Float
    var names: [String]
    var nested: [[Int]]
    var maybe: Double?
    var absent: String?
  }

  @Test func readsNestedArraysOptionalsAndEveryIntegerWidth() throws {
    let text = """
      {"small":-128,"big":18446744073709551615,"ratio":0.1,"names":["a","é"],
       "nested":[[1],[],[2,3]],"maybe":null,"extra":true}
      """
    // JSONReader's integers stop at Int.max, so a larger one is refused rather than rounded.
    #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Sample.self, from: text) }
    let fits = text.replacingOccurrences(of: "18446744073709551615", with: "9007199254740993")
    let sample = try JSONValueDecoder().decode(Sample.self, from: fits)
    #expect(try sample == JSONDecoder().decode(Sample.self, from: Data(fits.utf8)))
    #expect(sample.big == 9_007_199_254_740_993 && sample.small == -128)
  }

  @Test(arguments: [
    "{\"threshold\":\"high\",\"averageWindowMs\":500,\"suppressionMs\":1500,\"minimumCount\":3}",
    "{\"threshold\":0.7,\"averageWindowMs\":500.5,\"suppressionMs\":1500,\"minimumCount\":3}",
    "{\"threshold\":0.7,\"suppressionMs\":1500,\"minimumCount\":3}",
    "[0.7]", "{\"threshold\":0.7,", "",
  ])
  func refusesWhatDoesNotFit(_ text: String) {
    #expect(throws: (any Error).self) {
      try JSONValueDecoder().decode(OperatingPoint.self, from: text)
    }
    #expect(throws: (any Error).self) {
      try JSONDecoder().decode(OperatingPoint.self, from: Data(text.utf8))
    }
  }
}
