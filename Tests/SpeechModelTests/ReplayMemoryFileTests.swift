import Foundation
import SpeechTestSupport
import Testing

@testable import SpeechModel

/// The replay memory in the model file: written and read back exactly, absent from files
/// without one, and every damaged or inconsistent memory tensor refused with a one-line error
/// naming the file and the tensor.
@Suite struct ReplayMemoryFileTests {
  /// The sample model (6 inputs, 3 labels) with 4 memory rows: labels 0, 0, 2, 1.
  static func modelWithMemory() -> ModelFile {
    var model = ModelFileTests.sampleModel()
    model.memory = ReplayMemory(
      inputs: 6, features: (0..<24).map { Float($0) * 0.25 - 3 }, labels: [0, 0, 2, 1])
    return model
  }

  static let good = try! modelWithMemory().encoded()

  @Test func memoryIsWrittenAndReadBackExactly() throws {
    let folder = try TemporaryFolder("memory")
    let path = folder.file("m.safetensors")
    let model = Self.modelWithMemory()
    try model.save(to: path)
    let loaded = try ModelFile.load(at: path)
    #expect(loaded == model)
    #expect(loaded.memory?.features.map(\.bitPattern) == model.memory?.features.map(\.bitPattern))
    #expect(loaded.memory?.rowsByLabel(classes: 3) == [[0, 1], [3], [2]])
  }

  /// The tensors a numpy reader sees: F32 features [rows, input] and labels [rows] after the
  /// layers, and a file without memory has neither.
  @Test func memoryTensorsFollowTheLayers() throws {
    let header = Self.header(Self.good)
    let features = try #require(header[ReplayMemory.featuresTensor] as? [String: Any])
    let labels = try #require(header[ReplayMemory.labelsTensor] as? [String: Any])
    #expect(features["dtype"] as? String == "F32" && features["shape"] as? [Int] == [4, 6])
    #expect(labels["dtype"] as? String == "F32" && labels["shape"] as? [Int] == [4])
    let weights = 4 * ModelFileTests.sampleModel().network.parameterCount
    #expect(features["data_offsets"] as? [Int] == [weights, weights + 96])
    #expect(labels["data_offsets"] as? [Int] == [weights + 96, weights + 112])
    let plain = Self.header(try ModelFileTests.sampleModel().encoded())
    #expect(plain.keys.filter { $0.hasPrefix("memory.") }.isEmpty)
    #expect(
      try ModelFile(decoding: ModelFileTests.sampleModel().encoded(), path: "m").memory == nil)
  }

  /// numpy reads the memory with `safetensors.numpy.load_file` (skipped without Python).
  @Test func numpyReadsTheMemory() throws {
    guard let python = PythonInteropTests.findPython() else {
      try Test.cancel("skipped: no python3 with safetensors and numpy")
    }
    let folder = try TemporaryFolder("memory")
    let path = folder.file("m.safetensors")
    let model = Self.modelWithMemory()
    try model.save(to: path)
    let script = """
      import json, sys
      from safetensors.numpy import load_file
      t = load_file(sys.argv[1])
      f, l = t["memory.features"], t["memory.labels"]
      print(json.dumps({"shape": list(f.shape), "labels": l.astype(int).tolist(),
                        "last": f[-1].astype(float).tolist()}))
      """
    let result = try #require(PythonInteropTests.run(python, ["-c", script, path], timeout: 60))
    #expect(result.status == 0)
    let decoded = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    #expect(decoded["shape"] as? [Int] == [4, 6])
    #expect(decoded["labels"] as? [Int] == [0, 0, 2, 1])
    #expect(decoded["last"] as? [Double] == model.memory!.row(3).map(Double.init))
  }

  /// Each damage of the memory and the words its error must contain.
  static let damaged: [(String, Data, String, String)] = {
    let f = ReplayMemory.featuresTensor
    let l = ReplayMemory.labelsTensor
    let base = 4 * ModelFileTests.sampleModel().network.parameterCount
    return [
      ("F16 features", retyped(f, "F16"), f, "has dtype F16; only F32 is supported"),
      ("I32 labels", retyped(l, "I32"), l, "has dtype I32"),
      ("features of 5 inputs", reshaped(f, [4, 5]), f, "has shape [4, 5]; 4 rows of input 6"),
      ("features of 3 rows", reshaped(f, [3, 6]), f, "4 rows of input 6 need [4, 6]"),
      ("labels of 2-D shape", reshaped(l, [2, 2]), l, "it must be [rows]"),
      ("a million rows", reshaped(l, [1_000_000]), l, "rows ≤ 65536"),
      ("label 3 of 3 outputs", patched(at: base + 96 + 8, 3), l, "labels must be in 0…2"),
      ("label -1", patched(at: base + 96, -1), l, "labels must be in 0…2"),
      ("label 1.5", patched(at: base + 96 + 4, 1.5), l, "labels are whole numbers"),
      ("NaN label", patched(at: base + 96, .nan), l, "labels are whole numbers"),
      ("NaN feature", patched(at: base + 40, .nan), f, "values must be finite"),
      ("infinite feature", patched(at: base, -.infinity), f, "values must be finite"),
      ("features alone", without(l), l, "is missing beside memory.features"),
      ("labels alone", without(f), f, "is missing beside memory.labels"),
    ]
  }()

  @Test(arguments: damaged.indices)
  func damagedMemoryIsRefusedNamingTheFileAndTensor(_ index: Int) throws {
    let (what, bytes, tensor, reason) = Self.damaged[index]
    let folder = try TemporaryFolder("memory")
    let path = folder.file("damaged.safetensors")
    try bytes.write(to: URL(fileURLWithPath: path))
    #expect(throws: ModelFileError.self, "\(what)") { try ModelFile.load(at: path) }
    do {
      _ = try ModelFile.load(at: path)
    } catch {
      guard case .invalidTensor(path, tensor, let why) = error else {
        Issue.record("\(what): \(error)")
        return
      }
      #expect(why.contains(reason), "\(what): \(why)")
      let text = "\(error)"
      #expect(text.contains("'\(path)'") && !text.contains("\n"), "\(what): \(text)")
    }
  }

  /// Without reading the memory (classification), its structure is still checked but its
  /// values are not read: a NaN feature loads (memory nil), an F16 tensor does not.
  @Test func loadingWithoutTheMemoryChecksOnlyItsStructure() throws {
    let nan = Self.damaged.first { $0.0 == "NaN feature" }!.1
    let plain = try ModelFile(decoding: nan, path: "m", readingMemory: false)
    #expect(plain.memory == nil && plain.network == Self.modelWithMemory().network)
    #expect(throws: ModelFileError.self) { try ModelFile(decoding: nan, path: "m") }
    let f16 = Self.damaged.first { $0.0 == "F16 features" }!.1
    #expect(throws: ModelFileError.self) {
      try ModelFile(decoding: f16, path: "m", readingMemory: false)
    }
  }

  /// A memory the loader would refuse is never written.
  @Test func saveRefusesAMemoryTheLoaderWouldReject() {
    var model = Self.modelWithMemory()
    model.memory = ReplayMemory(inputs: 6, features: [Float](repeating: 0, count: 6), labels: [3])
    #expect(throws: ModelFileError.self) { try model.encoded() }
    model.memory = ReplayMemory(inputs: 2, features: [0, 0], labels: [0])
    #expect(throws: ModelFileError.self) { try model.encoded() }
  }

  // MARK: - Damage

  /// The JSON header of a file.
  static func header(_ bytes: Data) -> [String: Any] {
    try! JSONSerialization.jsonObject(with: bytes[8..<8 + headerLength(bytes)]) as! [String: Any]
  }

  /// The 8-byte little-endian header length of a file.
  static func headerLength(_ bytes: Data) -> Int {
    Int(
      bytes.prefix(8).enumerated().reduce(UInt64(0)) {
        $0 | UInt64($1.element) << (8 * UInt64($1.offset))
      })
  }

  /// The good file, split into header and data.
  static func parts() -> (header: [String: Any], data: Data) {
    (header(good), Data(good[(8 + headerLength(good))...]))
  }

  static func retyped(_ name: String, _ dtype: String) -> Data {
    var (header, data) = parts()
    var entry = header[name] as! [String: Any]
    entry["dtype"] = dtype
    header[name] = entry
    return DamagedModelFileTests.file(header, data)
  }

  static func reshaped(_ name: String, _ shape: [Int]) -> Data {
    var (header, data) = parts()
    var entry = header[name] as! [String: Any]
    entry["shape"] = shape
    header[name] = entry
    return DamagedModelFileTests.file(header, data)
  }

  /// The good file with the F32 at data offset `offset` set to `value`.
  static func patched(at offset: Int, _ value: Float) -> Data {
    var (header, data) = parts()
    withUnsafeBytes(of: value.bitPattern.littleEndian) { raw in
      for (i, byte) in raw.enumerated() { data[data.startIndex + offset + i] = byte }
    }
    return DamagedModelFileTests.file(header, data)
  }

  /// The good file without tensor `name` (its bytes cut from the end of the data).
  static func without(_ name: String) -> Data {
    var (header, data) = parts()
    let range = (header[name] as! [String: Any])["data_offsets"] as! [Int]
    header[name] = nil
    if name == ReplayMemory.featuresTensor {
      // Labels follow the features: move them down to keep the data gap-free.
      var labels = header[ReplayMemory.labelsTensor] as! [String: Any]
      let old = labels["data_offsets"] as! [Int]
      labels["data_offsets"] = [range[0], range[0] + old[1] - old[0]]
      header[ReplayMemory.labelsTensor] = labels
      let tail = data[(data.startIndex + old[0])...]
      data = Data(data[..<(data.startIndex + range[0])]) + tail
    } else {
      data = Data(data[..<(data.startIndex + range[0])])
    }
    return DamagedModelFileTests.file(header, data)
  }
}
