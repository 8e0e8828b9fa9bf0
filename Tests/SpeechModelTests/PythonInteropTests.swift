import Foundation
import SpeechTestSupport
import Testing

@testable import SpeechModel

/// A model written by Swift, opened by Python's `safetensors` and run with numpy: the same logits.
/// Skipped (cancelled with a message) when no Python with `safetensors` and `numpy` can be found
/// or installed with pip.
@Suite struct PythonInteropTests {
  /// The Python side: loads the file, checks the metadata, runs the MLP (ReLU hidden layers,
  /// linear output) on the inputs given as JSON on the command line, prints the logits as JSON.
  static let script = #"""
    import json, sys
    import numpy as np
    from safetensors import safe_open
    from safetensors.numpy import load_file
    path, inputs = sys.argv[1], np.array(json.loads(sys.argv[2]), dtype=np.float32)
    tensors = load_file(path)
    with safe_open(path, framework="np") as f:
        meta = f.metadata()
    arch = json.loads(meta["architecture"])
    labels = json.loads(meta["labels"])
    assert len(labels) == arch["output"], "labels"
    x = inputs
    if "convolutions" in arch:
        # Format version 2: conv.{i}.weight [channels, width, channelsIn] over frames of
        # frameWidth values; no padding; output frames x channels, flattened frame-major.
        assert meta["formatVersion"] == "2"
        x = x.reshape(len(x), -1, arch["frameWidth"])
        for i, layer in enumerate(arch["convolutions"]):
            w, b = tensors[f"conv.{i}.weight"], tensors[f"conv.{i}.bias"]
            d, k = layer["dilation"], layer["width"]
            frames = x.shape[1] - d * (k - 1)
            y = sum(x[:, j * d:j * d + frames, :] @ w[:, j, :].T for j in range(k)) + b
            x = np.maximum(y, 0)
        x = x.reshape(len(x), -1)
    else:
        assert meta["formatVersion"] == "1"
    layers = len(arch["hidden"]) + 1
    for i in range(layers):
        w, b = tensors[f"layers.{i}.weight"], tensors[f"layers.{i}.bias"]
        assert w.dtype == np.float32 and w.shape[0] == b.shape[0]
        x = x @ w.T + b
        if i < layers - 1:
            x = np.maximum(x, 0)
    print(json.dumps({"logits": x.astype(np.float64).tolist(), "labels": labels}))
    """#

  /// Runs `executable` with `arguments`, killing it after `timeout` seconds; returns the exit
  /// status and stdout, or nil if it could not start or timed out.
  static func run(_ executable: String, _ arguments: [String], timeout: Double) -> (
    status: Int32, output: String
  )? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent(
      "interop-\(UUID().uuidString).out")
    guard FileManager.default.createFile(atPath: outputURL.path, contents: nil) else { return nil }
    defer { try? FileManager.default.removeItem(at: outputURL) }
    guard let output = try? FileHandle(forWritingTo: outputURL) else { return nil }
    defer { try? output.close() }
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    do { try process.run() } catch { return nil }
    if done.wait(timeout: .now() + timeout) == .timedOut {
      process.terminate()
      _ = done.wait(timeout: .now() + 5)
      return nil
    }
    let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
    return (process.terminationStatus, text)
  }

  /// A Python that imports safetensors and numpy: $SPEECHCMD_PYTHON, python3, the anchors venv;
  /// failing those, after `pip install --quiet safetensors numpy` into python3.
  static func findPython() -> String? {
    var candidates = ["python3", "/tmp/anchors/bin/python"]
    if let custom = ProcessInfo.processInfo.environment["SPEECHCMD_PYTHON"] {
      candidates.insert(custom, at: 0)
    }
    func works(_ python: String) -> Bool {
      run(python, ["-c", "import safetensors, numpy"], timeout: 30)?.status == 0
    }
    if let found = candidates.first(where: works) { return found }
    _ = run(
      "python3",
      ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "safetensors", "numpy"],
      timeout: 180)
    return works("python3") ? "python3" : nil
  }

  /// A plain MLP (format version 1) and one with convolutions over its frames (version 2).
  @Test(arguments: [false, true])
  func pythonComputesTheSameLogits(convolutions: Bool) throws {
    guard let python = Self.findPython() else {
      try Test.cancel(
        "skipped: no python3 with safetensors and numpy (pip install failed or offline)")
    }
    let temporary = try TemporaryFolder("speechmodel")
    let folder = temporary.url
    var model = ModelFileTests.sampleModel(seed: 5, input: 12, hidden: [10, 8], output: 4)
    if convolutions {
      var rng = SeededGenerator(seed: 9)
      let convolution = FrameConvolution(
        frameWidth: 2, frames: 6,
        layers: [ConvolutionLayer(channels: 3, width: 2), ConvolutionLayer(channels: 4, width: 2, dilation: 2)])
      model = ModelFile(
        network: MLP(
          inputSize: 12, convolution: convolution, hidden: [10, 8], outputSize: 4, using: &rng),
        metadata: model.metadata)
    }
    let path = folder.appendingPathComponent("interop.safetensors").path
    try model.save(to: path)
    let x = MLPTests.randomBatch(rows: 3, cols: 12, seed: 6)
    let inputs = (0..<3).map { x.row($0).map(Double.init) }
    let json = String(decoding: try JSONEncoder().encode(inputs), as: UTF8.self)
    let result = try #require(Self.run(python, ["-c", Self.script, path, json], timeout: 60))
    #expect(result.status == 0)
    let decoded = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    let logits = try #require(decoded["logits"] as? [[Double]])
    #expect(decoded["labels"] as? [String] == model.metadata.labels)
    let swift = model.network.logits(x)
    #expect(logits.count == 3 && logits.allSatisfy { $0.count == 4 })
    for r in 0..<3 {
      for c in 0..<4 {
        #expect(abs(logits[r][c] - Double(swift[r, c])) <= 1e-5 * max(1, abs(logits[r][c])))
      }
    }
  }
}
