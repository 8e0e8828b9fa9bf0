import Foundation
import SpeechModel

/// `speechcmd bench train`: training throughput, one-sample latency and achieved GFLOP/s of an
/// MLP on random data, next to `cblas_sgemm`'s own rate on the same products in the same run.
/// The defaults are the figures' standard setting (490 → 144 → 144 → 144 → 12, batch 100, Adam
/// at 1e-3, 100,000 samples, 3 epochs), the setting of the Python anchor the README quotes.
public enum TrainingBenchmark {
  /// What to measure.
  public struct Configuration: Sendable {
    /// Features per sample. Default 490 (49 frames × 10 MFCCs, Hello Edge's input).
    public var inputSize = 490
    /// Hidden layer widths. Default [144, 144, 144] (Hello Edge DNN-S).
    public var hidden = [144, 144, 144]
    /// Classes. Default 12.
    public var outputSize = 12
    /// Samples per batch. Default 100.
    public var batchSize = 100
    /// Random training samples. Default 100,000.
    public var samples = 100_000
    /// Passes over the samples. Default 3.
    public var epochs = 3
    /// OpenBLAS threads. Default 1.
    public var threads = 1
    /// One-sample predictions timed for the latency median. Default 2,000.
    public var predictions = 2_000
    /// Minimum seconds the sgemm-only measurement repeats for. Default 1.
    public var sgemmSeconds = 1.0
    /// Seed of the data, the weights and the shuffles. Default 0.
    public var seed: UInt64 = 0

    /// The standard setting; change fields to measure others.
    public init() {}
  }

  /// The figures; JSON keys as named.
  public struct Result: Codable, Sendable, Equatable {
    /// Training samples per second (forward, backward and Adam; shuffling and batching included).
    public var samplesPerSecond: Double
    /// Median latency of one sample's probabilities through a reused workspace, in µs.
    public var predictOneMicroseconds: Double
    /// Floating-point operations per second achieved by training, in GFLOP/s (counting the
    /// products only: 2·in·out per layer forward, as much for the weight gradients, and again
    /// for the input gradients of every layer but the first).
    public var gflops: Double
    /// `cblas_sgemm` alone on one training step's products (same shapes, same order), in GFLOP/s:
    /// the ceiling the training figure is measured against.
    public var sgemmPeakGflops: Double
    /// `cblas_sgemm` alone on the widest product (batch × input → first hidden layer), in GFLOP/s.
    public var sgemmWidestGflops: Double
    /// OpenBLAS threads used.
    public var threads: Int
    /// Seconds the timed training took.
    public var trainSeconds: Double
    /// Mean training loss of the last epoch (a sanity check that training ran).
    public var finalLoss: Double

    /// A result with the given figures (as measured by `run`).
    public init(
      samplesPerSecond: Double, predictOneMicroseconds: Double, gflops: Double,
      sgemmPeakGflops: Double, sgemmWidestGflops: Double, threads: Int, trainSeconds: Double,
      finalLoss: Double
    ) {
      self.samplesPerSecond = samplesPerSecond
      self.predictOneMicroseconds = predictOneMicroseconds
      self.gflops = gflops
      self.sgemmPeakGflops = sgemmPeakGflops
      self.sgemmWidestGflops = sgemmWidestGflops
      self.threads = threads
      self.trainSeconds = trainSeconds
      self.finalLoss = finalLoss
    }
  }

  /// Runs the benchmark (about 10 s for the standard setting on one core).
  /// OpenBLAS runs on `config.threads` threads meanwhile; the previous count is restored.
  public static func run(_ config: Configuration) -> Result {
    precondition(
      config.samples >= config.batchSize && config.batchSize > 0 && config.epochs > 0,
      "need at least one batch")
    return LinearAlgebra.withExactThreadCount(config.threads) { measure(config) }
  }

  private static func measure(_ config: Configuration) -> Result {
    var rng = SeededGenerator(seed: config.seed)
    // Unit-variance uniform inputs: the values do not affect the speed, and drawing them is cheap.
    let data = (0..<config.samples * config.inputSize).map { _ in
      Float(3.0.squareRoot() * (2 * rng.nextUnitDouble() - 1))
    }
    let labels = (0..<config.samples).map { _ in Int(rng.next() % UInt64(config.outputSize)) }
    var model = MLP(
      inputSize: config.inputSize, hidden: config.hidden, outputSize: config.outputSize,
      using: &rng)
    var adam = Adam()
    let workspace = MLPWorkspace()
    var batch = Matrix(rows: config.batchSize, cols: config.inputSize)
    var batchLabels = [Int](repeating: 0, count: config.batchSize)
    var order = Array(0..<config.samples)
    let batches = config.samples / config.batchSize
    var lastEpochLoss = 0.0

    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<config.epochs {
      order.shuffle(using: &rng)
      lastEpochLoss = 0
      for b in 0..<batches {
        gather(
          data, rows: order[b * config.batchSize..<(b + 1) * config.batchSize],
          cols: config.inputSize, into: &batch)
        for i in 0..<config.batchSize { batchLabels[i] = labels[order[b * config.batchSize + i]] }
        lastEpochLoss += model.lossAndGradients(
          batch, targets: .classes(batchLabels), loss: LossOptions(), training: true,
          workspace: workspace, using: &rng)
        adam.step(&model, workspace.gradients, learningRate: 1e-3)
      }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let trained = Double(batches * config.batchSize * config.epochs)
    let samplesPerSecond = trained / seconds

    let sizes = [config.inputSize] + config.hidden + [config.outputSize]
    let flopsPerSample = trainingFlopsPerSample(sizes: sizes)

    return Result(
      samplesPerSecond: samplesPerSecond,
      predictOneMicroseconds: predictOneLatency(model, data: data, count: config.predictions),
      gflops: samplesPerSecond * flopsPerSample / 1e9,
      sgemmPeakGflops: sgemmRate(
        sizes: sizes, batch: config.batchSize, widestOnly: false,
        seconds: config.sgemmSeconds),
      sgemmWidestGflops: sgemmRate(
        sizes: sizes, batch: config.batchSize, widestOnly: true,
        seconds: config.sgemmSeconds),
      threads: LinearAlgebra.threadCount, trainSeconds: seconds,
      finalLoss: lastEpochLoss / Double(batches))
  }

  /// FLOPs of one training sample's products: forward, weight gradients, and input gradients
  /// of every layer but the first.
  static func trainingFlopsPerSample(sizes: [Int]) -> Double {
    var flops = 0.0
    for (l, (i, o)) in zip(sizes, sizes.dropFirst()).enumerated() {
      flops += Double(2 * i * o) * (l == 0 ? 2 : 3)
    }
    return flops
  }

  /// Copies the rows of `data` listed in `rows` into `batch`, one memcpy per row.
  static func gather(_ data: [Float], rows: ArraySlice<Int>, cols: Int, into batch: inout Matrix) {
    data.withUnsafeBufferPointer { src in
      batch.values.withUnsafeMutableBufferPointer { dst in
        for (i, r) in rows.enumerated() {
          (dst.baseAddress! + i * cols).update(from: src.baseAddress! + r * cols, count: cols)
        }
      }
    }
  }

  /// Median µs of `probabilities(sample:…)` over `count` calls on samples of `data`.
  static func predictOneLatency(_ model: MLP, data: [Float], count: Int) -> Double {
    let workspace = MLPWorkspace()
    let samples = (0..<16).map { Array(data[$0 * model.inputSize..<($0 + 1) * model.inputSize]) }
    var sink: Float = 0
    for s in samples {
      sink += model.probabilities(sample: s, loss: .crossEntropy, workspace: workspace)[0]
    }
    var times = [Double]()
    times.reserveCapacity(count)
    for n in 0..<max(1, count) {
      let t0 = DispatchTime.now().uptimeNanoseconds
      let p = model.probabilities(
        sample: samples[n % samples.count], loss: .crossEntropy,
        workspace: workspace)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
      sink += p[0]
    }
    precondition(sink.isFinite)
    return median(times)
  }

  /// GFLOP/s of `cblas_sgemm` alone on the products of one training step (or only the widest,
  /// the first layer's forward), repeated for at least `seconds`.
  static func sgemmRate(sizes: [Int], batch: Int, widestOnly: Bool, seconds: Double) -> Double {
    let widest = sizes.max()!
    func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
      for i in 0..<n { p[i] = Float(i % 17) * 0.01 - 0.08 }
      return p
    }
    let a = buffer(batch * widest)
    let w = buffer(widest * widest)
    let c = buffer(batch * widest)
    let dw = buffer(widest * widest)
    defer { for p in [a, w, c, dw] { p.deallocate() } }
    let layers =
      widestOnly
      ? [(sizes[0], sizes[1], 0)]
      : zip(sizes, sizes.dropFirst()).enumerated().map { ($1.0, $1.1, $0) }
    func step() -> Double {
      var flops = 0.0
      for (i, o, _) in layers {
        denseForward(x: a, rows: batch, inputs: i, outputs: o, weight: w, y: c)
        flops += Double(2 * batch * i * o)
      }
      if widestOnly { return flops }
      for (i, o, l) in layers.reversed() {
        sgemm(
          transposeA: true, transposeB: false, m: o, n: i, k: batch,
          a: c, lda: o, b: a, ldb: i, c: dw, ldc: i)
        flops += Double(2 * batch * i * o)
        if l > 0 {
          sgemm(
            transposeA: false, transposeB: false, m: batch, n: i, k: o,
            a: c, lda: o, b: w, ldb: i, c: a, ldc: i)
          flops += Double(2 * batch * i * o)
        }
      }
      return flops
    }
    for _ in 0..<20 { _ = step() }
    var flops = 0.0
    let start = DispatchTime.now().uptimeNanoseconds
    var elapsed = 0.0
    repeat {
      for _ in 0..<50 { flops += step() }
      elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < seconds
    return flops / elapsed / 1e9
  }
}
