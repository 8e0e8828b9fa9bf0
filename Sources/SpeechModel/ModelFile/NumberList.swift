/// Reads a JSON array of numbers (`[0.5,-1.25e-3,…]`), the form of a model's `inputMean` and
/// `inputStd`, without `JSONDecoder`.
///
/// Why: they hold one number per input (about 2,000 each), and decoding them through `Codable`
/// cost ~0.7 ms of a one-file `classify` (~12 ms), mostly the runtime's generic conformance
/// lookups. The grammar is JSON's: optional minus, digits, optional fraction and exponent;
/// anything else (`NaN`, hex, a missing comma) is rejected.
enum NumberList {
  /// The numbers of `text`, or nil when it is not a JSON array of numbers.
  ///
  /// Works on UTF-8 bytes: splitting the text as Characters (grapheme clusters) cost more than
  /// the decoder it replaces.
  static func parse(_ text: String) -> [Double]? {
    let bytes = text.utf8
    guard let open = bytes.firstIndex(where: { !isSpace($0) }), bytes[open] == UInt8(ascii: "["),
      let close = bytes.lastIndex(where: { !isSpace($0) }), bytes[close] == UInt8(ascii: "]"),
      open < close
    else { return nil }
    let inner = bytes[bytes.index(after: open)..<close]
    if inner.allSatisfy(isSpace) { return [] }
    var values: [Double] = []
    values.reserveCapacity(inner.count / 8)
    for element in inner.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
      guard let first = element.firstIndex(where: { !isSpace($0) }),
        let last = element.lastIndex(where: { !isSpace($0) })
      else { return nil }
      let token = Substring(text.utf8[first...last])
      guard isJSONNumber(token.utf8), let value = Double(token) else { return nil }
      values.append(value)
    }
    return values
  }

  /// JSON's whitespace: space, tab, line feed, carriage return.
  static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// Whether `bytes` is a JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  static func isJSONNumber(_ bytes: Substring.UTF8View) -> Bool {
    var i = bytes.startIndex
    func digits() -> Int {
      var count = 0
      while i != bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
        i = bytes.index(after: i)
        count += 1
      }
      return count
    }
    func skip(_ byte: UInt8) -> Bool {
      guard i != bytes.endIndex, bytes[i] == byte else { return false }
      i = bytes.index(after: i)
      return true
    }
    _ = skip(UInt8(ascii: "-"))
    let leadingZero = i != bytes.endIndex && bytes[i] == UInt8(ascii: "0")
    let whole = digits()
    guard whole >= 1, !(leadingZero && whole > 1) else { return false }
    if skip(UInt8(ascii: ".")), digits() == 0 { return false }
    if skip(UInt8(ascii: "e")) || skip(UInt8(ascii: "E")) {
      if !skip(UInt8(ascii: "+")) { _ = skip(UInt8(ascii: "-")) }
      if digits() == 0 { return false }
    }
    return i == bytes.endIndex
  }
}
