import Foundation
import SpeechTestSupport
import Testing

@testable import SpeechModel

@Suite struct ModelFileTests {
  static func sampleModel(
    seed: UInt64 = 1, input: Int = 6, hidden: [Int] = [5, 4], output: Int = 3
  ) -> ModelFile {
    var rng = SeededGenerator(seed: seed)
    var network = MLP(
      inputSize: input, hidden: hidden, outputSize: output, dropout: 0.1, using: &rng)
    for i in network.parameters.indices { network.parameters[i] += Float(i % 3) * 0.001 }
    let metadata = ModelMetadata(
      labels: (0..<output).map { "word\($0) ünïcode \"quoted\"" },
      featureConfig: #"{"preset":"psf","nested":{"a":[1,2]}}"#,
      inputMean: (0..<input).map { Float($0) * 0.1 + 1e-7 },
      inputStd: (0..<input).map { 1 / Float($0 + 3) },
      architecture: ModelArchitecture(input: 0, hidden: [], output: 0),
      loss: .binaryCrossEntropy, threshold: 0.35,
      training: ["epochs": "30", "seed": "\(seed)", "accuracy": "0.97"])
    return ModelFile(network: network, metadata: metadata)
  }

  @Test func saveThenLoadRoundTripsExactly() throws {
    let temporary = try TemporaryFolder("speechmodel")
    let folder = temporary.url
    let model = Self.sampleModel()
    let path = folder.appendingPathComponent("m.safetensors").path
    try model.save(to: path)
    let loaded = try ModelFile.load(at: path)
    #expect(loaded == model)
    #expect(
      loaded.network.parameters.map(\.bitPattern) == model.network.parameters.map(\.bitPattern))
    #expect(
      loaded.metadata.architecture
        == ModelArchitecture(input: 6, hidden: [5, 4], output: 3, dropout: 0.1))
    // Overwriting leaves exactly one file: the temporary file was renamed, not left behind.
    try model.save(to: path)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["m.safetensors"])
  }

  /// A network with convolutions is written as format version 2 with its `conv.*` tensors
  /// first, and reads back bit for bit; its metadata must describe convolutions that fit.
  @Test func convolutionsRoundTripAsFormatVersion2() throws {
    var rng = SeededGenerator(seed: 5)
    let convolution = FrameConvolution(
      frameWidth: 2, frames: 8,
      layers: [ConvolutionLayer(channels: 3, width: 3), ConvolutionLayer(channels: 2, width: 2, dilation: 3)])
    let network = MLP(
      inputSize: 16, convolution: convolution, hidden: [4], outputSize: 3, dropout: 0.2,
      using: &rng)
    var model = Self.sampleModel(input: 16)
    model = ModelFile(network: network, metadata: model.metadata)
    let bytes = try model.encoded()
    let loaded = try ModelFile(decoding: bytes, path: "c.safetensors")
    #expect(loaded == model)
    #expect(loaded.network.convolution == convolution)
    #expect(loaded.metadata.formatVersion == 2)
    #expect(
      loaded.network.parameters.map(\.bitPattern) == network.parameters.map(\.bitPattern))
    let file = try SafeTensors(parsing: bytes, path: "c")
    #expect(file.entries["conv.0.weight"]?.shape == [3, 3, 2])
    #expect(file.entries["conv.1.weight"]?.shape == [2, 2, 3])
    #expect(file.entries["conv.1.bias"]?.shape == [2])
    #expect(file.entries["layers.0.weight"]?.shape == [4, 3 * 2])  // 8 → 6 → 3 frames × 2
    #expect(file.metadata["formatVersion"] == "2")
    // A plain MLP stays version 1, without the new architecture keys.
    let plain = try SafeTensors(parsing: try Self.sampleModel().encoded(), path: "p")
    #expect(plain.metadata["formatVersion"] == "1")
    #expect(plain.metadata["architecture"]?.contains("conv") == false)

    // Forged metadata: convolutions that do not fit the input, or a version 1 file with them.
    var fields = file.metadata
    fields["architecture"] = fields["architecture"]!.replacingOccurrences(
      of: "\"frameWidth\":2", with: "\"frameWidth\":3")
    #expect(throws: ModelFileError.self) { try ModelMetadata(fields: fields, path: "f") }
    fields = file.metadata
    fields["formatVersion"] = "1"
    #expect(throws: ModelFileError.self) { try ModelMetadata(fields: fields, path: "f") }
    fields = file.metadata
    fields["architecture"] = fields["architecture"]!.replacingOccurrences(
      of: "\"width\":3", with: "\"width\":30")
    #expect(throws: ModelFileError.self) { try ModelMetadata(fields: fields, path: "f") }
  }

  @Test func layoutIsSafetensors() throws {
    let bytes = try Self.sampleModel().encoded()
    let n = bytes.prefix(8).enumerated().reduce(UInt64(0)) {
      $0 | UInt64($1.element) << (8 * UInt64($1.offset))
    }
    #expect((8 + Int(n)) % 8 == 0)
    let header = try JSONSerialization.jsonObject(with: bytes[8..<8 + Int(n)]) as! [String: Any]
    let w0 = header["layers.0.weight"] as! [String: Any]
    #expect(w0["dtype"] as? String == "F32")
    #expect(w0["shape"] as? [Int] == [5, 6])
    #expect(w0["data_offsets"] as? [Int] == [0, 120])
    let meta = header["__metadata__"] as! [String: String]
    #expect(
      meta["formatVersion"] == "1" && meta["loss"] == "bce"
        && meta["threshold"] == "0.3499999940395355")
    #expect(bytes.count == 8 + Int(n) + 4 * Self.sampleModel().network.parameterCount)
  }

  @Test func saveRefusesMetadataTheLoaderWouldReject() {
    var model = Self.sampleModel()
    model.metadata.labels.removeLast()
    #expect(throws: ModelFileError.self) { try model.encoded() }
    model = Self.sampleModel()
    model.metadata.inputStd[2] = 0
    #expect(throws: ModelFileError.self) { try model.encoded() }
  }

  /// A model file is untrusted, and its labels name folders and table columns: repeated labels,
  /// path-like, empty or multi-line ones, a threshold outside [0, 1] and a subnormal deviation
  /// (dividing by it overflows) are refused, naming the field.
  @Test func metadataThatWouldMisleadIsRefused() {
    func rejects(_ key: String, _ change: (inout ModelFile) -> Void) {
      var model = Self.sampleModel()
      change(&model)
      #expect(performing: { try model.encoded() }, throws: { error in
        guard case .invalidMetadata(_, let field, _) = error as? ModelFileError else { return false }
        return field == key
      })
    }
    rejects("labels") { $0.metadata.labels = ["yes", "no", "yes"] }
    rejects("labels") { $0.metadata.labels[1] = "../evil" }
    rejects("labels") { $0.metadata.labels[1] = "two\nlines" }
    rejects("labels") { $0.metadata.labels[1] = "" }
    rejects("labels") { $0.metadata.labels[1] = "a,b" }
    rejects("threshold") { $0.metadata.threshold = 2 }
    rejects("threshold") { $0.metadata.threshold = -0.5 }
    rejects("inputStd") { $0.metadata.inputStd[0] = .leastNonzeroMagnitude }
    #expect(LabelName.problem(with: "_unknown_") == nil)
    #expect(LabelName.problem(with: "ünïcode \"quoted\"") == nil)
  }

  @Test func saveIntoMissingFolderFailsCleanly() {
    let model = Self.sampleModel()
    #expect {
      try model.save(to: "/nonexistent-folder-\(UUID().uuidString)/m.safetensors")
    } throws: { error in
      guard case .unwritable(let path, _) = error as? ModelFileError else { return false }
      return path.hasSuffix("m.safetensors")
    }
  }

  @Test func missingFileIsUnreadable() {
    #expect {
      try ModelFile.load(at: "/nonexistent-\(UUID().uuidString).safetensors")
    } throws: { error in
      guard case .unreadable = error as? ModelFileError else { return false }
      return "\(error)".contains(".safetensors")
    }
  }
}
