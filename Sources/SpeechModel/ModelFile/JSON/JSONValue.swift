/// A JSON document read from a model file: the safetensors header and the JSON texts inside its
/// `__metadata__` strings (labels, architecture, normalisation, training summary).
///
/// Why not `JSONDecoder`: loading a model is most of a one-file `classify`, and decoding through
/// `Codable` spent its time in the runtime's first-use generic metadata and conformance lookups
/// (about 1.5 ms of ~13 ms), not in reading the few kilobytes of JSON. `JSONReader` parses the
/// text strictly (RFC 8259) into this tree, and the model reader picks its fields out by hand.
public enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case number(JSONNumber)
  case string(String)
  case array([JSONValue])
  /// Members in file order; keys are unique (the reader rejects a repeated key).
  case object([(key: String, value: JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// The member named `key` of an object; nil for a missing key or a value that is no object.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first(where: { $0.key == key })?.value
  }

  public var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  /// The value of an integer literal (no fraction or exponent) that fits an `Int`.
  public var intValue: Int? {
    if case .number(let number) = self { return number.integer }
    return nil
  }

  public var doubleValue: Double? {
    if case .number(let number) = self { return number.double }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let elements) = self { return elements }
    return nil
  }

  public var objectValue: [(key: String, value: JSONValue)]? {
    if case .object(let members) = self { return members }
    return nil
  }
}

/// A JSON number: its nearest `Double` (as `strtod` and `JSONDecoder` read it), and its exact
/// value when the literal is an integer that fits an `Int` (tensor shapes and byte offsets must
/// not pass through floating point).
public struct JSONNumber: Equatable, Sendable {
  public var double: Double
  public var integer: Int?
}
