/// Decodes `Decodable` values from JSON text through `JSONReader`, for the JSON a model file
/// stores as text (the front-end configuration, the operating point).
///
/// Why not `JSONDecoder`: its first use in a process costs ~0.4 ms of runtime generic
/// instantiation, a measurable share of a one-file `classify` (~10 ms). The semantics are those
/// of `JSONDecoder` with default strategies for what the model file holds: objects by key
/// (unknown keys ignored, a missing key an error unless the property is optional), arrays,
/// strings, booleans, numbers (integers must be exact and in range; `Float` from the `Double`
/// as `JSONDecoder` does), `null` for optionals.
public struct JSONValueDecoder {
  public init() {}

  /// The value of type `T` in the JSON text `text`.
  public func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
    try T(from: ValueDecoder(value: try JSONReader.parse(text), codingPath: []))
  }
}

private struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int?
  init(stringValue: String) { self.stringValue = stringValue }
  init(intValue: Int) {
    stringValue = "\(intValue)"
    self.intValue = intValue
  }
}

private func mismatch(_ type: Any.Type, _ path: [any CodingKey], _ value: JSONValue)
  -> DecodingError
{
  .typeMismatch(
    type, .init(codingPath: path, debugDescription: "expected \(type), found \(value)"))
}

/// Reads one value as the type asked for (`isScalar(type)`); shared by the three container kinds.
private func scalar<T>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) throws -> T {
  func exact<I: FixedWidthInteger>(_: I.Type) -> I? {
    if case .number(let n) = value { return n.integer.flatMap { I(exactly: $0) } }
    return nil
  }
  let result: Any?
  switch (type, value) {
  case (is Bool.Type, .bool(let b)): result = b
  case (is String.Type, .string(let s)): result = s
  case (is Double.Type, .number(let n)): result = n.double
  case (is Float.Type, .number(let n)): result = Float(n.double)
  case (is Int.Type, _): result = exact(Int.self)
  case (is Int64.Type, _): result = exact(Int64.self)
  case (is Int32.Type, _): result = exact(Int32.self)
  case (is Int16.Type, _): result = exact(Int16.self)
  case (is Int8.Type, _): result = exact(Int8.self)
  case (is UInt.Type, _): result = exact(UInt.self)
  case (is UInt64.Type, _): result = exact(UInt64.self)
  case (is UInt32.Type, _): result = exact(UInt32.self)
  case (is UInt16.Type, _): result = exact(UInt16.self)
  case (is UInt8.Type, _): result = exact(UInt8.self)
  default: result = nil
  }
  guard let typed = result as? T else { throw mismatch(type, path, value) }
  return typed
}

/// The types `scalar` reads; every other type decodes itself from a `ValueDecoder` (checked by
/// identity, not by protocol, so that no runtime conformance lookup is made).
private func isScalar(_ type: Any.Type) -> Bool {
  type == Bool.self || type == String.self || type == Double.self || type == Float.self
    || type == Int.self || type == Int64.self || type == Int32.self || type == Int16.self
    || type == Int8.self || type == UInt.self || type == UInt64.self || type == UInt32.self
    || type == UInt16.self || type == UInt8.self
}

private final class ValueDecoder: Decoder {
  let value: JSONValue
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(value: JSONValue, codingPath: [any CodingKey]) {
    self.value = value
    self.codingPath = codingPath
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard let members = value.objectValue else {
      throw mismatch([String: Any].self, codingPath, value)
    }
    return KeyedDecodingContainer(
      Keyed<Key>(
        members: Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
        codingPath: codingPath))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard let elements = value.arrayValue else { throw mismatch([Any].self, codingPath, value) }
    return Unkeyed(elements: elements, codingPath: codingPath)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(decoder: self) }
}

private struct Single: SingleValueDecodingContainer {
  let decoder: ValueDecoder
  var codingPath: [any CodingKey] { decoder.codingPath }

  func decodeNil() -> Bool { decoder.value == .null }
  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    isScalar(type) ? try scalar(type, decoder.value, codingPath) : try T(from: decoder)
  }
}

private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let members: [String: JSONValue]
  let codingPath: [any CodingKey]
  var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

  func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

  private func value(_ key: Key) throws -> JSONValue {
    guard let value = members[key.stringValue] else {
      throw DecodingError.keyNotFound(
        key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
    }
    return value
  }

  private func decoder(_ key: Key) throws -> ValueDecoder {
    ValueDecoder(value: try value(key), codingPath: codingPath + [key])
  }

  func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try Single(decoder: try decoder(key)).decode(type)
  }
  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try decoder(key).container(keyedBy: type)
  }
  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try decoder(key).unkeyedContainer()
  }
  func superDecoder() throws -> any Decoder { ValueDecoder(value: .object([]), codingPath: codingPath) }
  func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(key) }
}

private struct Unkeyed: UnkeyedDecodingContainer {
  let elements: [JSONValue]
  let codingPath: [any CodingKey]
  var count: Int? { elements.count }
  var isAtEnd: Bool { currentIndex >= elements.count }
  private(set) var currentIndex = 0

  init(elements: [JSONValue], codingPath: [any CodingKey]) {
    self.elements = elements
    self.codingPath = codingPath
  }

  private mutating func next() throws -> ValueDecoder {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        Any.self, .init(codingPath: codingPath, debugDescription: "the array has no more values"))
    }
    defer { currentIndex += 1 }
    return ValueDecoder(
      value: elements[currentIndex], codingPath: codingPath + [AnyKey(intValue: currentIndex)])
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd, elements[currentIndex] == .null else { return false }
    currentIndex += 1
    return true
  }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try Single(decoder: try next()).decode(type)
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try next().container(keyedBy: type)
  }
  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try next().unkeyedContainer()
  }
  mutating func superDecoder() throws -> any Decoder { try next() }
}
