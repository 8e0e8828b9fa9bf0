import Foundation
import Testing

@testable import SpeechModel

/// `NumberList` against Foundation's `JSONDecoder` (the reader it replaces) as the reference.
@Suite struct NumberListTests {
  static let accepted = [
    "[]", " [ ] ", "[0]", "[-0]", "[1.5,-2.25e-3,3E+2, 4e5 ]", "[0.001,1e-05,123456789.125]",
    "[\n1,\t2\r\n]", "[2.2250738585072014e-308,1.7976931348623157e308]",
  ]
  static let rejected = [
    "", "[", "1,2", "[,1]", "[1 2]", "[NaN]", "[inf]", "[0x1p3]", "[01]", "[1.]",
    "[.5]", "[+1]", "[1e]", "[\"1\"]", "[[1]]", "[1,,2]", "[- 1]",
  ]

  @Test(arguments: accepted) func readsWhatJSONDecoderReads(_ text: String) throws {
    let reference = try JSONDecoder().decode([Double].self, from: Data(text.utf8))
    #expect(NumberList.parse(text) == reference)
  }

  @Test(arguments: rejected) func rejectsWhatIsNotAJSONArrayOfNumbers(_ text: String) {
    #expect(NumberList.parse(text) == nil)
    #expect((try? JSONDecoder().decode([Double].self, from: Data(text.utf8))) == nil)
  }

  /// JSON has no trailing comma (JSONDecoder lets it pass; a model file never holds one).
  @Test func rejectsATrailingComma() {
    #expect(NumberList.parse("[1,]") == nil)
  }

  /// What `ModelMetadata.fields()` writes reads back exactly.
  @Test func roundTripsTheEncodersOutput() throws {
    let values: [Double] = [0, -0.0, 1e-5, 3.4028234663852886e38, -123.456, 0.1, 1.0 / 3]
    let text = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    #expect(NumberList.parse(text) == values)
  }
}
