import Foundation
import Testing

@testable import SpeechModel

/// `JSONReader` against Foundation's `JSONDecoder` (the reader it replaces in model loading) as
/// the reference, plus the strictness a reader of untrusted files needs.
@Suite struct JSONReaderTests {
  /// A JSON document as `JSONDecoder` reads it (objects unordered).
  indirect enum Reference: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([Reference])
    case object([String: Reference])

    init(from decoder: Decoder) throws {
      let container = try decoder.singleValueContainer()
      if container.decodeNil() {
        self = .null
      } else if let value = try? container.decode(Bool.self) {
        self = .bool(value)
      } else if let value = try? container.decode(Double.self) {
        self = .number(value)
      } else if let value = try? container.decode(String.self) {
        self = .string(value)
      } else if let value = try? container.decode([Reference].self) {
        self = .array(value)
      } else {
        self = .object(try container.decode([String: Reference].self))
      }
    }

    init(_ value: JSONValue) {
      switch value {
      case .null: self = .null
      case .bool(let b): self = .bool(b)
      case .number(let n): self = .number(n.double)
      case .string(let s): self = .string(s)
      case .array(let a): self = .array(a.map(Reference.init))
      case .object(let members):
        self = .object(Dictionary(uniqueKeysWithValues: members.map { ($0.key, Reference($0.value)) }))
      }
    }
  }

  static let accepted = [
    "[]", " [ ] ", "[0]", "[-0]", "[1.5,-2.25e-3,3E+2, 4e5 ]", "[0.001,1e-05,123456789.125]",
    "[\n1,\t2\r\n]", "[2.2250738585072014e-308,1.7976931348623157e308]", "{}", "null", "true",
    "\"\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u4e2d\\ud83d\\ude00\"", "\"café 中 😀\"",
    "{\"a\":{\"b\":[1,{\"c\":null}],\"d\":false},\"e\":\"f\"}", "[\"x\", 1, true, null, {}, []]",
    "{\"labels\":\"[\\\"yes\\\",\\\"no\\\"]\"}", "-123456789012345678",
  ]
  static let rejected = [
    "", " ", "[", "1,2", "[,1]", "[1 2]", "[NaN]", "[inf]", "[0x1p3]", "[01]", "[1.]",
    "[.5]", "[+1]", "[1e]", "[1,,2]", "[- 1]", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}",
    "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"", "\"a\nb\"", "\"open", "tru", "nul",
    "[1] x", "1e400", "-1e400", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "// c\n1", "\"\\ud83dx\"",
  ]

  @Test(arguments: accepted) func readsWhatJSONDecoderReads(_ text: String) throws {
    let reference = try JSONDecoder().decode(Reference.self, from: Data(text.utf8))
    #expect(Reference(try JSONReader.parse(text)) == reference)
  }

  @Test(arguments: rejected) func rejectsWhatIsNotJSON(_ text: String) {
    #expect(throws: JSONReadError.self) { try JSONReader.parse(text) }
  }

  @Test func rejectsInvalidUTF8InAString() {
    let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x22]
    #expect(throws: JSONReadError.self) { try JSONReader.parse(Data(bytes)) }
    #expect((try? JSONDecoder().decode(Reference.self, from: Data(bytes))) == nil)
  }

  /// A repeated key would let a header say two things about one tensor.
  @Test func rejectsARepeatedKey() {
    #expect(throws: JSONReadError(offset: 7, problem: "repeated key \"a\"")) {
      try JSONReader.parse("{\"a\":1,\"a\":2}")
    }
  }

  /// Nesting is bounded, so a forged file cannot overflow the stack.
  @Test func limitsNesting() throws {
    let deep = JSONReader.maxDepth
    _ = try JSONReader.parse(String(repeating: "[", count: deep) + String(repeating: "]", count: deep))
    #expect(throws: JSONReadError.self) {
      try JSONReader.parse(String(repeating: "[", count: 100_000))
    }
  }

  /// Integers keep their exact value; literals with a fraction or exponent are not integers.
  @Test func readsIntegersExactly() throws {
    #expect(try JSONReader.parse("9007199254740993").intValue == 9_007_199_254_740_993)
    #expect(try JSONReader.parse("-9223372036854775808").intValue == Int.min)
    #expect(try JSONReader.parse("9223372036854775808").intValue == nil)
    #expect(try JSONReader.parse("1.0").intValue == nil)
    #expect(try JSONReader.parse("1e2").intValue == nil)
    #expect(try JSONReader.parse("1e2").doubleValue == 100)
    // Underflow reads as zero (JSONDecoder refuses it; no model file holds such a number).
    #expect(try JSONReader.parse("1e-400").doubleValue == 0)
  }

  /// What `ModelMetadata.fields()` writes (JSONEncoder's shortest Double text) reads back exactly.
  @Test func roundTripsTheEncodersOutput() throws {
    var generator = SystemRandomNumberGenerator()
    var values: [Double] = [0, -0.0, 1e-5, 3.4028234663852886e38, -123.456, 0.1, 1.0 / 3]
    for _ in 0..<2_000 {
      values.append(Double(Float(bitPattern: UInt32.random(in: 0...0x7F7F_FFFF, using: &generator))))
    }
    let text = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    let read = try #require(try JSONReader.parse(text).arrayValue)
    #expect(read.map(\.doubleValue) == values.map { $0 })
  }

  @Test func errorsSayWhereAndWhat() {
    #expect(throws: JSONReadError(offset: 3, problem: "expected ',' or ']' in an array")) {
      try JSONReader.parse("[1 2]")
    }
    #expect("\(JSONReadError(offset: 3, problem: "unexpected character"))"
      == "unexpected character at byte 3")
  }
}
