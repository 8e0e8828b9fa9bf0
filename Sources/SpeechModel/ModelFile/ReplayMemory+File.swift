/// Reading and writing a model file's `memory.*` tensors (see `ReplayMemory`).
extension ReplayMemory {
  /// The memory stored in `file`, checked against the architecture: nil when the file has
  /// neither tensor (files written before the memory existed, or with `--memory-rows 0`).
  /// Both tensors must be F32, `memory.features` of shape [rows, input] and `memory.labels` of
  /// shape [rows] with rows ≤ `maxRows`, byte ranges matching the shapes, labels whole numbers
  /// in 0..<output, every value finite. Never trusts the file: the shape is checked against the
  /// tensor's bytes before anything is read. With `decoding` false, only the structure (names,
  /// types, shapes, byte ranges) is checked and nil returned: the values are not read at all.
  static func read(
    from file: SafeTensors, architecture a: ModelArchitecture, path: String, decoding: Bool = true
  ) throws(ModelFileError) -> ReplayMemory? {
    let features = file.entries[featuresTensor]
    let labels = file.entries[labelsTensor]
    if features == nil && labels == nil { return nil }
    func invalid(_ name: String, _ reason: String) -> ModelFileError {
      .invalidTensor(path: path, name: name, reason: reason)
    }
    guard let features else { throw invalid(featuresTensor, "is missing beside \(labelsTensor)") }
    guard let labels else { throw invalid(labelsTensor, "is missing beside \(featuresTensor)") }
    for entry in [features, labels] where entry.dtype != "F32" {
      throw invalid(entry.name, "has dtype \(entry.dtype); only F32 is supported")
    }
    guard labels.shape.count == 1, labels.shape[0] <= maxRows else {
      throw invalid(labelsTensor, "has shape \(labels.shape); it must be [rows], rows ≤ \(maxRows)")
    }
    let rows = labels.shape[0]
    guard features.shape == [rows, a.input] else {
      throw invalid(
        featuresTensor,
        "has shape \(features.shape); \(rows) rows of input \(a.input) need "
          + "\([rows, a.input])")
    }
    for entry in [features, labels] {
      let needed = 4 * entry.shape.reduce(1, *)
      guard entry.range.count == needed else {
        throw invalid(
          entry.name,
          "spans \(entry.range.count) bytes; shape \(entry.shape) of F32 needs \(needed)")
      }
    }
    guard decoding else { return nil }
    let values = floats(labels, of: file)
    if let bad = values.firstIndex(where: { !($0 == $0.rounded() && abs($0) < Float(1 << 24)) }) {
      throw invalid(labelsTensor, "holds \(values[bad]) at index \(bad); labels are whole numbers")
    }
    let memory = ReplayMemory(
      inputs: a.input, features: floats(features, of: file), labels: values.map { Int($0) })
    if let (name, reason) = memory.problem(inputs: a.input, outputs: a.output) {
      throw invalid(name, reason)
    }
    return memory
  }

  /// The values of an F32 tensor whose byte range matches its shape (checked by the caller).
  private static func floats(_ entry: SafeTensors.Entry, of file: SafeTensors) -> [Float] {
    let count = entry.range.count / 4
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      _ = file.copyFloats(entry, into: UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
      initialized = count
    }
  }

  /// The two tensors as `ModelFile` writes them, after the network's.
  var tensors: [(name: String, shape: [Int], values: ArraySlice<Float>)] {
    [
      (Self.featuresTensor, [rows, inputs], features[...]),
      (Self.labelsTensor, [rows], labels.map(Float.init)[...]),
    ]
  }
}
