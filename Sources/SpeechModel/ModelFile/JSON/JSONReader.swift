import Foundation

/// Why a JSON text was rejected: what was wrong, and where.
public struct JSONReadError: Error, Equatable, CustomStringConvertible {
  /// Byte offset of the problem from the start of the text.
  public var offset: Int
  public var problem: String

  public var description: String { "\(problem) at byte \(offset)" }
}

/// A strict RFC 8259 JSON reader over UTF-8 bytes, for text that comes from outside (model
/// files): exactly one value with optional whitespace around it; no comments, trailing commas,
/// `NaN`, single quotes or unescaped control characters; strings must be valid UTF-8 with
/// paired surrogate escapes; an object may not repeat a key; nesting is limited to
/// `maxDepth`, so a forged file cannot exhaust the stack.
public struct JSONReader {
  /// Deepest nesting of arrays and objects accepted (model files need 3).
  public static let maxDepth = 64

  private let bytes: UnsafeRawBufferPointer
  private var index = 0

  private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  /// The value of the JSON text `bytes`.
  public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONReadError) -> JSONValue {
    var reader = JSONReader(bytes)
    reader.skipSpace()
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    guard reader.index == bytes.count else { throw reader.error("unexpected text after the value") }
    return value
  }

  /// The value of the JSON text `text`.
  public static func parse(_ text: String) throws(JSONReadError) -> JSONValue {
    var text = text
    return try text.withUTF8 { utf8 in
      Result { () throws(JSONReadError) in try parse(UnsafeRawBufferPointer(utf8)) }
    }.get()
  }

  /// The value of the JSON text in `data`.
  public static func parse(_ data: Data) throws(JSONReadError) -> JSONValue {
    try data.withUnsafeBytes { raw in
      Result { () throws(JSONReadError) in try parse(raw) }
    }.get()
  }

  private func error(_ problem: String, at offset: Int? = nil) -> JSONReadError {
    JSONReadError(offset: offset ?? index, problem: problem)
  }

  private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

  private mutating func skipSpace() {
    while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
      index += 1
    }
  }

  private mutating func expect(_ literal: StaticString, _ value: JSONValue) throws(JSONReadError)
    -> JSONValue
  {
    let count = literal.utf8CodeUnitCount
    guard index + count <= bytes.count,
      (0..<count).allSatisfy({ bytes[index + $0] == literal.utf8Start[$0] })
    else { throw error("unexpected character") }
    index += count
    return value
  }

  private mutating func value(depth: Int) throws(JSONReadError) -> JSONValue {
    guard let byte = current else { throw error("unexpected end of text") }
    switch byte {
    case UInt8(ascii: "{"): return try object(depth: depth + 1)
    case UInt8(ascii: "["): return try array(depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try expect("true", .bool(true))
    case UInt8(ascii: "f"): return try expect("false", .bool(false))
    case UInt8(ascii: "n"): return try expect("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
    default: throw error("unexpected character")
    }
  }

  private mutating func array(depth: Int) throws(JSONReadError) -> JSONValue {
    guard depth <= Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
    index += 1
    var elements: [JSONValue] = []
    skipSpace()
    if current == UInt8(ascii: "]") {
      index += 1
      return .array(elements)
    }
    while true {
      skipSpace()
      elements.append(try value(depth: depth))
      skipSpace()
      switch current {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "]"):
        index += 1
        return .array(elements)
      default: throw error("expected ',' or ']' in an array")
      }
    }
  }

  private mutating func object(depth: Int) throws(JSONReadError) -> JSONValue {
    guard depth <= Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
    index += 1
    var members: [(key: String, value: JSONValue)] = []
    var keys = Set<String>()
    skipSpace()
    if current == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipSpace()
      let keyStart = index
      guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
      let key = try string()
      guard keys.insert(key).inserted else { throw error("repeated key \"\(key)\"", at: keyStart) }
      skipSpace()
      guard current == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
      index += 1
      skipSpace()
      members.append((key, try value(depth: depth)))
      skipSpace()
      switch current {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "}"):
        index += 1
        return .object(members)
      default: throw error("expected ',' or '}' in an object")
      }
    }
  }

  /// A string literal starting at the opening quote. Runs without escapes are taken whole.
  private mutating func string() throws(JSONReadError) -> String {
    let start = index
    index += 1
    var utf8: [UInt8] = []
    var runStart = index
    while true {
      guard let byte = current else { throw error("unterminated string", at: start) }
      switch byte {
      case UInt8(ascii: "\""):
        let run = UnsafeRawBufferPointer(rebasing: bytes[runStart..<index])
        index += 1
        if utf8.isEmpty {
          guard let text = String(validating: run, as: UTF8.self) else {
            throw error("string is not valid UTF-8", at: start)
          }
          return text
        }
        utf8.append(contentsOf: run)
        guard let text = String(validating: utf8, as: UTF8.self) else {
          throw error("string is not valid UTF-8", at: start)
        }
        return text
      case UInt8(ascii: "\\"):
        utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
        try escape(into: &utf8)
        runStart = index
      case 0..<0x20:
        throw error("control character in a string")
      default:
        index += 1
      }
    }
  }

  /// Decodes the escape at `index` (a backslash) and appends its UTF-8 bytes.
  private mutating func escape(into utf8: inout [UInt8]) throws(JSONReadError) {
    let start = index
    index += 1
    guard let byte = current else { throw error("unterminated string") }
    index += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
    case UInt8(ascii: "b"): utf8.append(0x08)
    case UInt8(ascii: "f"): utf8.append(0x0C)
    case UInt8(ascii: "n"): utf8.append(0x0A)
    case UInt8(ascii: "r"): utf8.append(0x0D)
    case UInt8(ascii: "t"): utf8.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = UInt32(try hex4())
      if (0xD800..<0xDC00).contains(scalar) {
        guard current == UInt8(ascii: "\\"), index + 1 < bytes.count,
          bytes[index + 1] == UInt8(ascii: "u")
        else { throw error("unpaired surrogate escape", at: start) }
        index += 2
        let low = UInt32(try hex4())
        guard (0xDC00..<0xE000).contains(low) else {
          throw error("unpaired surrogate escape", at: start)
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      }
      guard let unicode = Unicode.Scalar(scalar) else {
        throw error("unpaired surrogate escape", at: start)
      }
      utf8.append(contentsOf: String(Character(unicode)).utf8)
    default:
      throw error("unknown escape", at: start)
    }
  }

  private mutating func hex4() throws(JSONReadError) -> UInt16 {
    var value: UInt16 = 0
    for _ in 0..<4 {
      guard let byte = current else { throw error("unterminated string") }
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw error("expected four hex digits after \\u")
      }
      value = value << 4 | UInt16(digit)
      index += 1
    }
    return value
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
  private mutating func number() throws(JSONReadError) -> JSONNumber {
    let start = index
    func isDigit(_ byte: UInt8?) -> Bool {
      byte.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false
    }
    func digits() -> Int {
      let first = index
      while isDigit(current) { index += 1 }
      return index - first
    }
    if current == UInt8(ascii: "-") { index += 1 }
    let leadingZero = current == UInt8(ascii: "0")
    let whole = digits()
    guard whole >= 1, !(leadingZero && whole > 1) else { throw error("malformed number", at: start) }
    var isInteger = true
    if current == UInt8(ascii: ".") {
      index += 1
      isInteger = false
      guard digits() >= 1 else { throw error("malformed number", at: start) }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      index += 1
      isInteger = false
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
      guard digits() >= 1 else { throw error("malformed number", at: start) }
    }
    let token = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
    // The literal is valid JSON, hence a valid Swift floating-point literal: the conversion is
    // locale-independent and correctly rounded; a magnitude beyond Double's range is refused
    // (as JSONDecoder refuses it) rather than read as infinity.
    guard let double = Double(String(decoding: token, as: UTF8.self)), double.isFinite else {
      throw error("number out of range", at: start)
    }
    return JSONNumber(double: double, integer: isInteger ? Self.integer(token) : nil)
  }

  /// The exact value of an optionally negative run of digits, nil if it overflows `Int`.
  private static func integer(_ token: UnsafeRawBufferPointer) -> Int? {
    let negative = token.first == UInt8(ascii: "-")
    var value = 0
    for byte in token.dropFirst(negative ? 1 : 0) {
      let digit = Int(byte - UInt8(ascii: "0"))
      let (times10, o1) = value.multipliedReportingOverflow(by: 10)
      let (next, o2) =
        negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
      guard !o1, !o2 else { return nil }
      value = next
    }
    return value
  }
}
