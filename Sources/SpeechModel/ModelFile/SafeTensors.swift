import Foundation

/// The safetensors container: 8-byte little-endian header length n, n bytes of JSON header
/// (`{"name": {"dtype", "shape", "data_offsets": [begin, end]}, …, "__metadata__": {…}}`), then
/// the raw little-endian tensor bytes, offsets relative to the end of the header.
/// https://github.com/huggingface/safetensors — this reader accepts only what speechcmd needs
/// (F32 tensors) and checks everything, since model files come from outside.
struct SafeTensors {
  /// One tensor's entry in the header.
  struct Entry {
    var name: String
    var dtype: String
    var shape: [Int]
    /// Byte range within the data region.
    var range: Range<Int>
  }

  /// Largest header accepted: far above any real model's, small enough to bound memory.
  static let maxHeaderBytes = 16 << 20

  var entries: [String: Entry]
  var metadata: [String: String]
  /// The bytes after the header.
  var data: Data

  /// Parses and checks the container: header length within the file and `maxHeaderBytes`, a
  /// JSON object header, integer shapes and offsets, offsets inside the data region, tensors
  /// neither overlapping nor leaving gaps, and covering the data region exactly.
  init(parsing bytes: Data, path: String) throws(ModelFileError) {
    func malformed(_ reason: String) -> ModelFileError { .malformed(path: path, reason: reason) }
    let bytes = bytes.count > 0 && bytes.startIndex != 0 ? Data(bytes) : bytes
    guard bytes.count >= 8 else {
      throw malformed("\(bytes.count) bytes is shorter than the 8-byte header length")
    }
    var length: UInt64 = 0
    for i in (0..<8).reversed() { length = length << 8 | UInt64(bytes[i]) }
    guard length <= UInt64(Self.maxHeaderBytes) else {
      throw malformed("header length \(length) exceeds the \(Self.maxHeaderBytes >> 20) MiB limit")
    }
    guard length <= UInt64(bytes.count - 8) else {
      throw malformed(
        "header length \(length) runs past the end of the file (\(bytes.count) bytes)")
    }
    let headerEnd = 8 + Int(length)
    let header: Header
    do {
      header = try JSONDecoder().decode(Header.self, from: bytes[8..<headerEnd])
    } catch let error as DecodingError {
      throw malformed("header is not valid safetensors JSON (\(Self.explain(error)))")
    } catch {
      throw malformed("header is not valid JSON")
    }
    data = bytes[headerEnd...]
    metadata = header.metadata ?? [:]
    entries = [:]
    let dataSize = bytes.count - headerEnd
    for (name, raw) in header.tensors {
      func invalid(_ reason: String) -> ModelFileError {
        .invalidTensor(path: path, name: name, reason: reason)
      }
      guard raw.data_offsets.count == 2 else { throw invalid("needs two data offsets") }
      let (begin, end) = (raw.data_offsets[0], raw.data_offsets[1])
      guard begin >= 0, begin <= end, end <= dataSize else {
        throw invalid("data offsets \(begin)..<\(end) fall outside the \(dataSize) data bytes")
      }
      guard raw.shape.allSatisfy({ $0 >= 0 }) else { throw invalid("has a negative dimension") }
      entries[name] = Entry(name: name, dtype: raw.dtype, shape: raw.shape, range: begin..<end)
    }
    var next = 0
    for entry in entries.values.sorted(by: {
      ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound)
    }) {
      guard entry.range.lowerBound == next else {
        throw malformed(
          entry.range.lowerBound < next
            ? "tensor '\(entry.name)' overlaps the one before it"
            : "tensor data has a gap before '\(entry.name)'")
      }
      next = entry.range.upperBound
    }
    guard next == dataSize else {
      throw malformed("tensors cover \(next) of the \(dataSize) data bytes")
    }
  }

  /// Appends the values of an F32 tensor to `values` (bytes read as little-endian whatever the
  /// host), straight from the file's bytes: loading a model makes no other copy of its weights.
  func appendFloats(_ entry: Entry, to values: inout [Float]) {
    let count = entry.range.count / 4
    values.reserveCapacity(values.count + count)
    data.withUnsafeBytes { raw in
      let base = raw.baseAddress! + entry.range.lowerBound
      for i in 0..<count {
        let bits = UInt32(littleEndian: (base + 4 * i).loadUnaligned(as: UInt32.self))
        values.append(Float(bitPattern: bits))
      }
    }
  }

  /// A safetensors file holding F32 `tensors` in the given order (contiguous, no padding) and
  /// `metadata`; the header is padded with spaces so the data starts 8-byte aligned.
  static func encode(
    tensors: [(name: String, shape: [Int], values: ArraySlice<Float>)],
    metadata: [String: String]
  ) throws -> Data {
    var header: [String: Any] = ["__metadata__": metadata]
    var offset = 0
    for t in tensors {
      let end = offset + 4 * t.values.count
      header[t.name] =
        ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, end]] as [String: Any]
      offset = end
    }
    var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
    var out = Data(capacity: 8 + json.count + offset)
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
    out.append(json)
    for t in tensors {
      let words = t.values.map { $0.bitPattern.littleEndian }
      words.withUnsafeBytes { out.append(contentsOf: $0) }
    }
    return out
  }

  private struct Header: Decodable {
    var tensors: [String: RawEntry] = [:]
    var metadata: [String: String]?

    struct RawEntry: Decodable {
      var dtype: String
      var shape: [Int]
      var data_offsets: [Int]
    }

    struct Key: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
      let container = try decoder.container(keyedBy: Key.self)
      for key in container.allKeys {
        if key.stringValue == "__metadata__" {
          metadata = try container.decode([String: String].self, forKey: key)
        } else {
          tensors[key.stringValue] = try container.decode(RawEntry.self, forKey: key)
        }
      }
    }
  }

  /// A one-line account of a decoding error: where in the header and what was wrong.
  private static func explain(_ error: DecodingError) -> String {
    func at(_ context: DecodingError.Context) -> String {
      let where_ = context.codingPath.map(\.stringValue).joined(separator: ".")
      return where_.isEmpty ? context.debugDescription : "at \(where_): \(context.debugDescription)"
    }
    switch error {
    case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c),
      .dataCorrupted(let c):
      return at(c)
    @unknown default:
      return "\(error)"
    }
  }
}
