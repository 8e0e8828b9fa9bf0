import Foundation
import SpeechTestSupport
import Testing

@testable import SpeechModel

/// A corpus of damaged model files generated here: every one must give a `ModelFileError` naming
/// the file (or, for damage the format cannot detect such as a changed weight, a valid model),
/// never a crash, a hang or a huge allocation.
@Suite struct DamagedModelFileTests {
  static let good = try! ModelFileTests.sampleModel().encoded()

  /// The good file's header as a mutable dictionary and its data bytes.
  static func parts() -> (header: [String: Any], data: Data) {
    let n = Int(
      good.prefix(8).enumerated().reduce(UInt64(0)) {
        $0 | UInt64($1.element) << (8 * UInt64($1.offset))
      })
    let header = try! JSONSerialization.jsonObject(with: good[8..<8 + n]) as! [String: Any]
    return (header, Data(good[(8 + n)...]))
  }

  /// A file from a header dictionary and data bytes.
  static func file(_ header: [String: Any], _ data: Data) -> Data {
    let json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    var out = Data()
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
    return out + json + data
  }

  /// A file whose header is `json` verbatim (with a byte 0xFF in it if `invalidByte`).
  static func raw(_ json: String, _ data: Data, invalidByte: Bool = false) -> Data {
    var header = Data(json.utf8)
    if invalidByte { header[header.count / 2] = 0xFF }
    var out = Data()
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
    return out + header + data
  }

  /// The good file with one metadata field replaced (or removed when `value` is nil).
  static func withMetadata(_ key: String, _ value: String?) -> Data {
    var (header, data) = parts()
    var meta = header["__metadata__"] as! [String: String]
    meta[key] = value
    header["__metadata__"] = meta
    return file(header, data)
  }

  /// The good file with one field of one tensor entry replaced.
  static func withTensor(_ name: String, _ key: String, _ value: Any?) -> Data {
    var (header, data) = parts()
    var entry = header[name] as! [String: Any]
    entry[key] = value
    header[name] = entry
    return file(header, data)
  }

  /// Loads `bytes` from a real file; returns the error, or nil if it loaded.
  static func load(_ bytes: Data, in folder: URL, name: String = "damaged.safetensors")
    -> ModelFileError?
  {
    let path = folder.appendingPathComponent(name).path
    try! bytes.write(to: URL(fileURLWithPath: path))
    do {
      let model = try ModelFile.load(at: path)
      // Whatever loads must be a usable model.
      #expect(model.network.parameters.allSatisfy { $0.isFinite })
      #expect(model.metadata.labels.count == model.network.outputSize)
      return nil
    } catch {
      #expect(error.path == path)
      #expect("\(error)".contains(path))
      return error
    }
  }

  /// Decodes `bytes` in memory; returns the error, or nil if it decoded to a usable model.
  static func decode(_ bytes: Data) -> ModelFileError? {
    do {
      let model = try ModelFile(decoding: bytes, path: "sweep.safetensors")
      #expect(model.network.parameters.allSatisfy { $0.isFinite })
      #expect(model.metadata.labels.count == model.network.outputSize)
      return nil
    } catch {
      #expect(error.path == "sweep.safetensors")
      return error
    }
  }

  @Test func truncatedAtEveryLength() throws {
    for length in 0..<Self.good.count {
      #expect(
        Self.decode(Self.good.prefix(length)) != nil,
        "a file cut to \(length) of \(Self.good.count) bytes loaded")
    }
    // A few of them through real files and `load(at:)`.
    let temporary = try TemporaryFolder("speechmodel")
    let folder = temporary.url
    for length in [0, 7, 8, 100, Self.good.count / 2, Self.good.count - 1] {
      #expect(Self.load(Self.good.prefix(length), in: folder) != nil)
    }
  }

  @Test func everyByteFlipped() {
    let headerEnd = Self.good.count - 4 * ModelFileTests.sampleModel().network.parameterCount
    var rejected = 0
    let masks: [UInt8] = [0x01, 0x80, 0xFF, 0x20]
    for i in 0..<Self.good.count {
      var bytes = Self.good
      bytes[i] ^= masks[i % masks.count]
      if Self.decode(bytes) != nil { rejected += 1 }
    }
    // Damage to the length and much of the header is caught; weight bytes may stay finite.
    #expect(rejected > headerEnd / 2)
  }

  @Test(arguments: [UInt64.max, 1 << 40, 17 << 20, 0, 1])
  func absurdHeaderLength(_ length: UInt64) {
    var bytes = Self.good
    withUnsafeBytes(of: length.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
    #expect(throws: ModelFileError.self) { try ModelFile(decoding: bytes, path: "x.safetensors") }
  }

  /// A header running one byte past the end, and a file that ends early (an interrupted copy):
  /// both are said to be cut short, with the bytes needed and held, rather than named by the
  /// first tensor whose bytes are missing.
  @Test func aCutShortFileIsSaidToBe() throws {
    var pastTheEnd = Self.good
    withUnsafeBytes(of: UInt64(pastTheEnd.count - 7).littleEndian) {
      pastTheEnd.replaceSubrange(0..<8, with: $0)
    }
    let length = SafeTensors.headerLength(Self.good)
    let dataBytes = Self.good.count - 8 - Int(length)
    let cases: [(Data, String)] = [
      (
        pastTheEnd,
        "the file is cut short: its header needs \(pastTheEnd.count - 7) bytes, the file has "
          + "\(pastTheEnd.count - 8) after the length"
      ),
      (
        Self.good.prefix(Self.good.count - 100),
        "the file is cut short: its tensors need \(dataBytes) bytes after the header, it has "
          + "\(dataBytes - 100)"
      ),
    ]
    for (bytes, reason) in cases {
      #expect(Self.decode(bytes) == .malformed(path: "sweep.safetensors", reason: reason))
    }
    // One tensor's end pushed past the data is that tensor's fault, not a cut-short file.
    let (header, data) = Self.parts()
    var forged = header
    var entry = try #require(forged["layers.0.bias"] as? [String: Any])
    let offsets = try #require(entry["data_offsets"] as? [Int])
    entry["data_offsets"] = [offsets[0], data.count + 4]
    forged["layers.0.bias"] = entry
    guard case .invalidTensor(_, let name, _) = Self.decode(Self.file(forged, data)) else {
      Issue.record("expected the tensor to be named")
      return
    }
    #expect(name == "layers.0.bias")
  }

  /// Files that are not models at all are named for what they are: an audio file given as the
  /// model (`--model take.wav`), and anything else that does not start like a safetensors file.
  @Test func otherFilesAreNotModels() throws {
    let wav = Data("RIFF\u{24}\u{0}\u{0}\u{0}WAVEfmt ".utf8) + Data(count: 40)
    #expect(
      throws: ModelFileError.notAModel(
        path: "take.wav", what: "it is a WAV audio file (models are .safetensors files)")
    ) { try ModelFile(decoding: wav, path: "take.wav") }
    let text = Data("path,label\nyes/a.wav,yes\n".utf8)
    #expect(throws: ModelFileError.notAModel(path: "m.csv", what: "it is not a safetensors file")) {
      try ModelFile(decoding: text, path: "m.csv")
    }
    #expect(
      ModelFileError.notAModel(path: "m.csv", what: "it is not a safetensors file").description
        == "'m.csv' is not a speechcmd model: it is not a safetensors file")
  }

  static let tensorDamage: [(String, Data)] = {
    let (header, data) = parts()
    func removing(_ name: String) -> Data {
      var h = header
      h[name] = nil
      return file(h, data.dropLast(name == "layers.2.bias" ? 12 : 0))
    }
    var extra = header
    extra["extra"] = ["dtype": "F32", "shape": [1], "data_offsets": [data.count, data.count + 4]]
    var nanData = data
    nanData.replaceSubrange(8..<12, with: [0x00, 0x00, 0xC0, 0x7F])
    var infData = data
    infData.replaceSubrange(data.count - 4..<data.count, with: [0x00, 0x00, 0x80, 0x7F])
    return [
      ("wrong shape", withTensor("layers.0.weight", "shape", [6, 5])),
      ("wrong rank", withTensor("layers.1.bias", "shape", [4, 1])),
      ("negative dimension", withTensor("layers.1.bias", "shape", [-4])),
      ("fractional dimension", withTensor("layers.1.bias", "shape", [4.5])),
      ("dtype F16", withTensor("layers.0.bias", "dtype", "F16")),
      ("dtype missing", withTensor("layers.0.bias", "dtype", nil)),
      (
        "offsets past the end",
        withTensor("layers.2.bias", "data_offsets", [data.count - 12, data.count + 4])
      ),
      (
        "offsets reversed",
        withTensor("layers.2.bias", "data_offsets", [data.count, data.count - 12])
      ),
      ("offsets overlap", withTensor("layers.0.bias", "data_offsets", [100, 120])),
      ("one offset", withTensor("layers.0.bias", "data_offsets", [120])),
      ("huge offset", withTensor("layers.0.bias", "data_offsets", [120, Int.max])),
      ("missing tensor", removing("layers.1.weight")),
      ("missing last tensor", removing("layers.2.bias")),
      ("unexpected tensor", file(extra, data + Data(count: 4))),
      ("trailing bytes", file(header, data + Data(count: 4))),
      ("NaN weight", file(header, nanData)),
      ("infinite weight", file(header, infData)),
      (
        "not JSON",
        {
          var b = good; b[9] = 0x7B; b[10] = 0x7B; return b
        }()
      ),
      ("JSON array", raw("[1, 2]", data)),
      ("deeply nested JSON", raw(String(repeating: "[", count: 100_000), data)),
      ("header not UTF-8", raw("{\"a\u{0}\": 1}", data, invalidByte: true)),
    ]
  }()

  static let metadataDamage: [(String, Data)] = [
    (
      "no metadata",
      {
        var (h, d) = parts(); h["__metadata__"] = nil; return file(h, d)
      }()
    ),
    ("version 2 without convolutions", withMetadata("formatVersion", "2")),
    ("version 3", withMetadata("formatVersion", "3")),
    ("version text", withMetadata("formatVersion", "one")),
    ("version missing", withMetadata("formatVersion", nil)),
    ("labels short", withMetadata("labels", #"["a","b"]"#)),
    ("labels not JSON", withMetadata("labels", "[a, b, c]")),
    ("mean short", withMetadata("inputMean", "[0,0,0]")),
    ("std short", withMetadata("inputStd", "[1,1,1,1,1]")),
    ("std zero", withMetadata("inputStd", "[1,1,0,1,1,1]")),
    ("std negative", withMetadata("inputStd", "[1,1,-1,1,1,1]")),
    ("mean NaN", withMetadata("inputMean", #"[0,0,0,0,0,"nan"]"#)),
    (
      "huge width",
      withMetadata(
        "architecture",
        #"{"input":6,"hidden":[1099511627776,4],"output":3,"dropout":0,"activation":"relu"}"#)
    ),
    (
      "zero width",
      withMetadata(
        "architecture", #"{"input":6,"hidden":[0,4],"output":3,"dropout":0,"activation":"relu"}"#)
    ),
    (
      "other architecture",
      withMetadata(
        "architecture", #"{"input":6,"hidden":[5],"output":3,"dropout":0,"activation":"relu"}"#)
    ),
    (
      "dropout 1.5",
      withMetadata(
        "architecture", #"{"input":6,"hidden":[5,4],"output":3,"dropout":1.5,"activation":"relu"}"#)
    ),
    (
      "tanh",
      withMetadata(
        "architecture", #"{"input":6,"hidden":[5,4],"output":3,"dropout":0,"activation":"tanh"}"#)
    ),
    ("loss unknown", withMetadata("loss", "mse")),
    ("threshold NaN", withMetadata("threshold", "nan")),
    ("threshold text", withMetadata("threshold", "high")),
    ("training not strings", withMetadata("training", #"{"epochs":30}"#)),
    (
      "metadata not strings",
      {
        var (h, d) = parts(); h["__metadata__"] = ["formatVersion": 1]; return file(h, d)
      }()
    ),
  ]

  @Test(arguments: tensorDamage + metadataDamage)
  func craftedDamageIsRejected(_ damage: (String, Data)) throws {
    let temporary = try TemporaryFolder("speechmodel")
    let folder = temporary.url
    let error = Self.load(damage.1, in: folder)
    #expect(error != nil, "\(damage.0) was accepted")
  }

  @Test func errorsSayWhatIsWrong() {
    func message(_ bytes: Data) -> String {
      do {
        _ = try ModelFile(decoding: bytes, path: "m.safetensors")
        return "loaded"
      } catch {
        return error.description
      }
    }
    #expect(
      message(Self.withTensor("layers.0.weight", "shape", [6, 5]))
        == "model 'm.safetensors': tensor 'layers.0.weight' has shape [6, 5]; the architecture needs [5, 6]"
    )
    #expect(
      message(Self.withTensor("layers.0.bias", "dtype", "F16"))
        == "model 'm.safetensors': tensor 'layers.0.bias' has dtype F16; only F32 is supported")
    #expect(
      message(Self.withMetadata("formatVersion", "3")).hasPrefix(
        "model 'm.safetensors' has format version 3"))
    #expect(
      message(Self.withMetadata("formatVersion", "2"))
        == "model 'm.safetensors': metadata 'formatVersion' must be 1 for a model without convolutions")
    #expect(
      message(Self.withMetadata("labels", #"["a","b"]"#))
        == "model 'm.safetensors': metadata 'labels' has 2 labels for 3 outputs")
    #expect(
      message(Self.withMetadata("inputStd", "[1,1,0,1,1,1]"))
        == "model 'm.safetensors': metadata 'inputStd' holds 0.0 at index 2; deviations must be > 0"
    )
    #expect(
      message(Data([1, 2, 3]))
        == "damaged model file 'm.safetensors': 3 bytes is shorter than the 8-byte header length")
    let (header, data) = Self.parts()
    var nan = data
    nan.replaceSubrange(8..<12, with: [0x00, 0x00, 0xC0, 0x7F])
    #expect(
      message(Self.file(header, nan))
        == "model 'm.safetensors': tensor 'layers.0.weight' holds nan at index 2; weights must be finite"
    )
  }
}
