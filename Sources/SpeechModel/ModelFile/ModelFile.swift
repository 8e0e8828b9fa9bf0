import Foundation

internal import AtomicFiles

/// A trained network and everything needed to use it, stored as a safetensors file that Python
/// opens with `safetensors.numpy.load_file` and PyTorch loads into `nn.Linear` layers.
///
/// Tensors: `layers.{i}.weight` (F32, [outputs, inputs]) and `layers.{i}.bias` (F32, [outputs])
/// for i = 0 … hidden.count (the last is the output layer), stored contiguously in that order;
/// a network with convolutions (format version 2) has before them `conv.{i}.weight` (F32,
/// [channels, width, channelsIn]: PyTorch's `nn.Conv1d` weight with its last two axes swapped)
/// and `conv.{i}.bias` (F32, [channels]) for each convolution layer.
/// `__metadata__` (all strings): `format` ("pt"), `formatVersion` ("1", or "2" with
/// convolutions), `labels` (JSON array),
/// `featureConfig` (JSON, opaque), `inputMean` and `inputStd` (JSON arrays of numbers),
/// `architecture` (JSON object: input, hidden, output, dropout, activation), `loss` ("ce" or
/// "bce"), `threshold` (a number; absent if none), `operatingPoint` (JSON: the streaming
/// detector's fitted settings; absent if none) and `training` (JSON object of strings).
/// Optionally, after the layers, a `ReplayMemory`: `memory.features` and `memory.labels`.
public struct ModelFile: Sendable, Equatable {
  /// The network; its shape is the file's architecture.
  public var network: MLP
  /// Labels, normalisation, feature configuration and training summary.
  public var metadata: ModelMetadata
  /// Training clips' features kept for retraining without the old data (nil: none stored).
  public var memory: ReplayMemory?

  /// Largest file `load` reads.
  public static let maxFileBytes = 1 << 30

  /// A model file for `network`; `metadata.architecture` is set from the network.
  public init(network: MLP, metadata: ModelMetadata, memory: ReplayMemory? = nil) {
    self.network = network
    self.metadata = metadata
    self.metadata.architecture = ModelArchitecture(network)
    self.metadata.formatVersion = Self.formatVersion(of: network)
    self.memory = memory
  }

  /// Reads and validates the model at `path`: container structure, format version, metadata,
  /// tensor names, types and shapes against the architecture, finite weights, one label per
  /// output, one mean and one positive standard deviation per input, and the replay memory if
  /// present (`ReplayMemory.read`). Never trusts the file.
  ///
  /// `readingMemory: false` (classification, which never uses the memory) checks the memory
  /// tensors' names, types, shapes and byte ranges but neither decodes nor checks their values,
  /// and leaves `memory` nil: a default model's 3 MB of memory cost 2 ms of a one-file classify.
  public static func load(
    at path: String, readingMemory: Bool = true
  ) throws(ModelFileError) -> ModelFile {
    // stat(2), not URL.resourceValues: Foundation's version cost ~0.2 ms of a one-file classify.
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw .unreadable(path: path, reason: "not a regular file")
    }
    let size = Int(info.st_size)
    guard size <= maxFileBytes else {
      throw .unreadable(path: path, reason: "\(size) bytes is larger than any speechcmd model")
    }
    let bytes: Data
    do {
      // Mapped, not read: the weights are copied once, from the page cache into the network
      // (safetensors files are made to be mapped). Our own saves replace a model by renaming,
      // which leaves a mapped file intact.
      bytes = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw .unreadable(path: path, reason: Self.reason(error))
    }
    return try ModelFile(decoding: bytes, path: path, readingMemory: readingMemory)
  }

  /// Whether the file at `path` starts like a model (a safetensors file), whatever its name: a
  /// model saved as `m.bin` is still read as one by `info`. False when it cannot be read.
  public static func looksLikeModel(at path: String) -> Bool {
    // Regular files only: opening a named pipe would wait for a writer, or eat its first bytes.
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
      let handle = FileHandle(forReadingAtPath: path)
    else { return false }
    defer { try? handle.close() }
    guard let head = try? handle.read(upToCount: 9) else { return false }
    return SafeTensors.looksLikeSafeTensors(head)
  }

  /// Decodes and validates a model from the bytes of a file; `path` only names it in errors.
  /// `readingMemory` as in `load`.
  public init(
    decoding bytes: Data, path: String, readingMemory: Bool = true
  ) throws(ModelFileError) {
    let file = try SafeTensors(parsing: bytes, path: path)
    let metadata = try ModelMetadata(fields: file.metadata, path: path)
    let a = metadata.architecture
    // Shapes come from the validated architecture; weights are only read once a tensor's byte
    // range (inside the file) matches its shape, so a forged header cannot force a huge allocation.
    let widths = a.denseWidths
    var shapes: [(name: String, dims: [Int])] = []
    if let convolution = a.convolution {
      for (i, layer) in convolution.layers.enumerated() {
        shapes.append(("conv.\(i).weight", [layer.channels, layer.width, convolution.shape(i).channelsIn]))
        shapes.append(("conv.\(i).bias", [layer.channels]))
      }
    }
    for layer in 0..<widths.count - 1 {
      shapes.append(("layers.\(layer).weight", [widths[layer + 1], widths[layer]]))
      shapes.append(("layers.\(layer).bias", [widths[layer + 1]]))
    }
    var tensors: [SafeTensors.Entry] = []
    var expected = Set<String>()
    for (name, dims) in shapes {
      expected.insert(name)
      func invalid(_ reason: String) -> ModelFileError {
        .invalidTensor(path: path, name: name, reason: reason)
      }
      guard let entry = file.entries[name] else { throw invalid("is missing") }
      guard entry.dtype == "F32" else {
        throw invalid("has dtype \(entry.dtype); only F32 is supported")
      }
      guard entry.shape == dims else {
        throw invalid("has shape \(entry.shape); the architecture needs \(dims)")
      }
      guard entry.range.count == 4 * dims.reduce(1, *) else {
        throw invalid(
          "spans \(entry.range.count) bytes; shape \(dims) of F32 needs \(4 * dims.reduce(1, *))")
      }
      tensors.append(entry)
    }
    // One allocation for all the weights, filled straight from the file. Its size is the sum of
    // checked byte ranges, which lie inside the file and do not overlap: a forged architecture
    // cannot ask for more memory than the file holds.
    let total = tensors.reduce(0) { $0 + $1.range.count / 4 }
    var nonFinite: (name: String, index: Int, value: Float)?
    let parameters = [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
      var offset = 0
      for entry in tensors {
        let target = UnsafeMutableBufferPointer(rebasing: buffer[offset..<offset + entry.range.count / 4])
        if let bad = file.copyFloats(entry, into: target), nonFinite == nil {
          nonFinite = (entry.name, bad, target[bad])
        }
        offset += target.count
      }
      initialized = offset
    }
    if let (name, index, value) = nonFinite {
      throw .invalidTensor(
        path: path, name: name, reason: "holds \(value) at index \(index); weights must be finite")
    }
    self.memory = try ReplayMemory.read(
      from: file, architecture: a, path: path, decoding: readingMemory)
    expected.formUnion([ReplayMemory.featuresTensor, ReplayMemory.labelsTensor])
    if let extra = file.entries.keys.sorted().first(where: { !expected.contains($0) }) {
      throw .invalidTensor(path: path, name: extra, reason: "is not part of the architecture")
    }
    self.network = MLP(
      inputSize: a.input, convolution: a.convolution, hidden: a.hidden, outputSize: a.output,
      dropout: a.dropout, parameters: parameters)
    self.metadata = metadata
  }

  /// The format version a file of `network` is written as: 1 for a plain MLP (readable by every
  /// build), 2 with convolutions.
  static func formatVersion(of network: MLP) -> Int {
    network.convolution == nil
      ? ModelMetadata.currentFormatVersion : ModelMetadata.convolutionFormatVersion
  }

  /// The file's bytes. Throws `invalidMetadata` if the metadata does not fit the network (label
  /// count, normalisation lengths, non-positive deviations…) and `invalidTensor` if the memory
  /// does not: a file `load` would reject is never produced.
  public func encoded(path: String = "<memory>") throws(ModelFileError) -> Data {
    var metadata = self.metadata
    metadata.architecture = ModelArchitecture(network)
    metadata.formatVersion = Self.formatVersion(of: network)
    try metadata.validate(path: path)
    var tensors: [(name: String, shape: [Int], values: ArraySlice<Float>)] = []
    if let convolution = network.convolution {
      for (i, layer) in convolution.layers.enumerated() {
        let channelsIn = convolution.shape(i).channelsIn
        let (w, b) = (convolution.weightOffset(i), convolution.biasOffset(i))
        tensors.append(
          ("conv.\(i).weight", [layer.channels, layer.width, channelsIn], network.parameters[w..<b]))
        tensors.append(("conv.\(i).bias", [layer.channels], network.parameters[b..<b + layer.channels]))
      }
    }
    for layer in 0..<network.layerCount {
      let s = network.layerShape(layer)
      let w = network.weightOffset(layer)
      let b = network.biasOffset(layer)
      tensors.append(("layers.\(layer).weight", [s.outputs, s.inputs], network.parameters[w..<b]))
      tensors.append(("layers.\(layer).bias", [s.outputs], network.parameters[b..<b + s.outputs]))
    }
    if let memory {
      if let (name, reason) = memory.problem(
        inputs: network.inputSize, outputs: network.outputSize)
      {
        throw .invalidTensor(path: path, name: name, reason: reason)
      }
      tensors += memory.tensors
    }
    do {
      return try SafeTensors.encode(tensors: tensors, metadata: metadata.fields())
    } catch {
      throw .unwritable(path: path, reason: Self.reason(error))
    }
  }

  /// Writes the model to `path` atomically: into a temporary file in the same folder, flushed
  /// to disk (fsync), then renamed over `path`, so an interrupted save never leaves a damaged
  /// model where a good one was.
  public func save(to path: String) throws(ModelFileError) {
    let bytes = try encoded(path: path)
    do throws(AtomicFileError) {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw .unwritable(path: path, reason: error.reason)
    }
  }

  static func reason(_ error: any Error) -> String {
    (error as NSError).localizedDescription
  }
}
