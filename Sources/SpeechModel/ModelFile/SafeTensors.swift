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

  /// What audio file starts with `magic` (its first four bytes), if any: the files most often
  /// given as a model by mistake.
  static func audioKind(_ magic: Data) -> String? {
    let kinds = [
      "RIFF": "a WAV audio file", "fLaC": "a FLAC audio file", "OggS": "an Ogg audio file",
      "FORM": "an AIFF audio file", ".snd": "an AU audio file", "ID3": "an MP3 audio file",
    ]
    let text = String(decoding: magic, as: UTF8.self)
    return kinds.first { text.hasPrefix($0.key) }?.value
  }

  /// Whether `bytes` (a file's first bytes, at least 9) start like a safetensors file: a
  /// plausible header length, then "{".
  static func looksLikeSafeTensors(_ bytes: Data) -> Bool {
    let bytes = Data(bytes)
    guard bytes.count >= 9, bytes[8] == UInt8(ascii: "{") else { return false }
    let length = headerLength(bytes)
    return length >= 2 && length <= UInt64(maxHeaderBytes)
  }

  /// The header length: the first 8 bytes of `bytes` (at least 8, indexed from 0), little-endian.
  static func headerLength(_ bytes: Data) -> UInt64 {
    (0..<8).reversed().reduce(0) { $0 << 8 | UInt64(bytes[$1]) }
  }

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
    if let kind = Self.audioKind(bytes.prefix(4)) {
      throw .notAModel(path: path, what: "it is \(kind) (models are .safetensors files)")
    }
    let length = Self.headerLength(bytes)
    // A safetensors header is JSON starting with "{": anything else is some other file.
    guard length <= UInt64(Self.maxHeaderBytes), bytes.count == 8 || bytes[8] == UInt8(ascii: "{")
    else {
      throw .notAModel(path: path, what: "it is not a safetensors file")
    }
    guard length <= UInt64(bytes.count - 8) else {
      throw malformed(
        "the file is cut short: its header needs \(length) bytes, the file has \(bytes.count - 8) "
          + "after the length")
    }
    let headerEnd = 8 + Int(length)
    let header: JSONValue
    do throws(JSONReadError) {
      header = try JSONReader.parse(bytes[8..<headerEnd])
    } catch {
      throw malformed("header is not valid JSON (\(error))")
    }
    guard let members = header.objectValue else {
      throw malformed("header is not a JSON object")
    }
    data = bytes[headerEnd...]
    metadata = [:]
    entries = [:]
    let dataSize = bytes.count - headerEnd
    // A file that ends early (an interrupted copy) is said to be cut short, rather than named by
    // the first tensor whose bytes are missing: when its tensors' ranges, run back to back, need
    // more bytes than it has. One damaged offset is named by the checks below instead.
    let ranges = members.compactMap { Self.integers($0.value["data_offsets"]) }
      .filter { $0.count == 2 && $0[0] >= 0 && $0[0] <= $0[1] }
    let needed = ranges.map { $0[1] }.max() ?? 0
    // Wrapping sums: a forged offset near Int.max must not trap (the checks below refuse it).
    let backToBack = ranges.reduce(0) { $0 &+ ($1[1] &- $1[0]) } == needed
    if needed > dataSize && backToBack {
      throw malformed(
        "the file is cut short: its tensors need \(needed) bytes after the header, it has "
          + "\(dataSize)")
    }
    for (name, value) in members {
      if name == "__metadata__" {
        metadata = try Self.metadata(value, path: path)
        continue
      }
      func invalid(_ reason: String) -> ModelFileError {
        .invalidTensor(path: path, name: name, reason: reason)
      }
      guard let dtype = value["dtype"]?.stringValue else { throw invalid("needs a string dtype") }
      guard let shape = Self.integers(value["shape"]) else {
        throw invalid("needs a shape: an array of integers")
      }
      guard let offsets = Self.integers(value["data_offsets"]), offsets.count == 2 else {
        throw invalid("needs two data offsets")
      }
      let (begin, end) = (offsets[0], offsets[1])
      guard begin >= 0, begin <= end, end <= dataSize else {
        throw invalid("data offsets \(begin)..<\(end) fall outside the \(dataSize) data bytes")
      }
      guard shape.allSatisfy({ $0 >= 0 }) else { throw invalid("has a negative dimension") }
      entries[name] = Entry(name: name, dtype: dtype, shape: shape, range: begin..<end)
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

  /// Copies the values of an F32 tensor (little-endian in the file, whatever the host) into
  /// `target`, which holds exactly its values, straight from the file's bytes: loading a model
  /// makes no other copy of its weights. Returns the index of the first NaN or infinity, if any.
  func copyFloats(_ entry: Entry, into target: UnsafeMutableBufferPointer<Float>) -> Int? {
    precondition(4 * target.count == entry.range.count, "target does not fit the tensor")
    guard let destination = target.baseAddress else { return nil }
    return data.withUnsafeBytes { raw -> Int? in
      let source = raw.baseAddress! + entry.range.lowerBound
      // A value is NaN or infinite when all its exponent bits are set: the largest exponent
      // field seen tells in one pass, and the loop vectorises.
      var largestExponent: UInt32 = 0
      for i in 0..<target.count {
        let bits = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
        destination[i] = Float(bitPattern: bits)
        largestExponent = max(largestExponent, bits & 0x7F80_0000)
      }
      guard largestExponent == 0x7F80_0000 else { return nil }
      return target.firstIndex { !$0.isFinite }
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

  /// `__metadata__`: an object of strings.
  private static func metadata(_ value: JSONValue, path: String) throws(ModelFileError)
    -> [String: String]
  {
    guard let members = value.objectValue else {
      throw .malformed(path: path, reason: "__metadata__ is not a JSON object")
    }
    var fields: [String: String] = [:]
    for (key, value) in members {
      guard let text = value.stringValue else {
        throw .malformed(path: path, reason: "__metadata__ entry '\(key)' is not a string")
      }
      fields[key] = text
    }
    return fields
  }

  /// The elements of a JSON array of integers, or nil.
  private static func integers(_ value: JSONValue?) -> [Int]? {
    guard let elements = value?.arrayValue else { return nil }
    var integers: [Int] = []
    integers.reserveCapacity(elements.count)
    for element in elements {
      guard let integer = element.intValue else { return nil }
      integers.append(integer)
    }
    return integers
  }
}
