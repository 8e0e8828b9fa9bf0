import Foundation
import Testing

@testable import SpeechFeatures

/// The small building blocks against hand-computed values.
@Suite struct KernelTests {
  @Test func windows() {
    let hann = MFCCConfig.WindowFunction.hann.coefficients(length: 4, periodic: true)
    #expect(zip(hann, [0, 0.5, 1, 0.5] as [Float]).allSatisfy { abs($0 - $1) < 1e-7 })
    let hamming = MFCCConfig.WindowFunction.hamming.coefficients(length: 5, periodic: false)
    #expect(
      zip(hamming, [0.08, 0.54, 1, 0.54, 0.08] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
    let povey = MFCCConfig.WindowFunction.povey.coefficients(length: 3, periodic: true)
    #expect(zip(povey, [0, 1, 0] as [Float]).allSatisfy { abs($0 - $1) < 1e-7 })
    #expect(
      MFCCConfig.WindowFunction.rectangular.coefficients(length: 3, periodic: true) == [1, 1, 1])
  }

  @Test func melScalesInvert() {
    for scale in MFCCConfig.MelScale.allCases {
      for f in [0.0, 300, 999, 1000, 1001, 4000, 8000] {
        #expect(abs(scale.hertz(fromMel: scale.mel(fromHertz: f)) - f) < 1e-6)
      }
    }
    #expect(abs(MFCCConfig.MelScale.htk.mel(fromHertz: 700) - 2595 * log10(2.0)) < 1e-9)
    #expect(abs(MFCCConfig.MelScale.slaney.mel(fromHertz: 1000) - 15) < 1e-12)
  }

  /// DCT-II ortho of [1, 2, 3, 4]: c0 = 10/2 = 5, c1 = √(2/4)·Σ xₙcos(π(2n+1)/8) = −2.2304424973876.
  @Test func dctMatchesHandComputedValues() {
    let d = DCTMatrix(bands: 4, coefficients: 2, lifter: 0)
    var out = [Float](repeating: 0, count: 2)
    let x: [Float] = [1, 2, 3, 4]
    d.matrix.withUnsafeBufferPointer { m in
      x.withUnsafeBufferPointer { d.apply($0.baseAddress!, &out, m.baseAddress!) }
    }
    #expect(abs(out[0] - 5) < 1e-6)
    #expect(abs(out[1] - (-2.2304424973876)) < 1e-5)
    // Lifter 22 scales c1 by 1 + 11·sin(π/22).
    let lifted = DCTMatrix(bands: 4, coefficients: 2, lifter: 22)
    #expect(abs(lifted.matrix[1] / d.matrix[1] - Float(1 + 11 * sin(Double.pi / 22))) < 1e-6)
  }

  /// Deltas of a ramp are 1 inside; at the edges the repeated frame halves them, and CMVN gives
  /// zero mean and unit variance.
  @Test func deltasAndNormalisation() {
    let frames = 8
    var v = [Float](repeating: 0, count: frames * 2)
    for t in 0..<frames { v[t * 2] = Float(t) }
    v.withUnsafeMutableBufferPointer {
      DeltaKernel.apply(
        $0.baseAddress!, frames: frames, stride: 2, source: 0, target: 1, width: 1, halfWidth: 2)
    }
    let deltas = (0..<frames).map { v[$0 * 2 + 1] }
    // t = 0: (1·(1−0) + 2·(2−0)) / 10 = 0.5; t = 1: (1·(2−0) + 2·(3−0)) / 10 = 0.8.
    let expected: [Float] = [0.5, 0.8, 1, 1, 1, 1, 0.8, 0.5]
    #expect(zip(deltas, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    v.withUnsafeMutableBufferPointer {
      NormalizationKernel.apply($0.baseAddress!, frames: frames, columns: 2, mode: .meanVariance)
    }
    for col in 0..<2 {
      let xs = (0..<frames).map { Double(v[$0 * 2 + col]) }
      let mean = xs.reduce(0, +) / Double(frames)
      let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(frames)
      #expect(abs(mean) < 1e-6 && abs(variance - 1) < 1e-5)
    }
  }

  @Test func fastKernelsMatchNaiveOnes() {
    let a = (0..<40).map { Float($0) * 0.25 }, b = (0..<40).map { Float(40 - $0) }
    let naive = zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        #expect(abs(Kernels.dot4(pa.baseAddress!, pb.baseAddress!, chunks: 10) - naive) < 1e-3)
        #expect(Kernels.sum(pa.baseAddress!, 37) == a.prefix(37).reduce(0, +))
      }
    }
    // Power spectrum of interleaved (re, im) pairs, 7 bins: 4 vectorised + 3 scalar.
    let complex: [Float] = (0..<14).map { Float($0) - 5 }
    var power = [Float](repeating: 0, count: 7)
    Kernels.power(complex, &power, bins: 7, scale: 0.5)
    for k in 0..<7 {
      #expect(
        power[k] == (complex[2 * k] * complex[2 * k] + complex[2 * k + 1] * complex[2 * k + 1])
          * 0.5)
    }
  }

  /// The branch-free logarithm against the C library over many binades.
  @Test func fastLogIsAccurate() {
    var worst: Float = 0
    var x: Float = 1e-30
    while x < 1e30 {
      let exact = Foundation.log(Double(x))
      let got = Double(Kernels.fastLog(x))
      worst = max(worst, Float(abs(got - exact) / max(abs(exact), 1)))
      x *= 1.0137
    }
    #expect(worst < 3e-7)
    #expect(Kernels.fastLog(1) == 0)
  }

  /// The packed SIMD DCT equals the plain matrix product.
  @Test(arguments: [(40, 13, 0), (26, 13, 22), (40, 10, 22), (23, 23, 0)])
  func packedDCTMatchesReference(_ bands: Int, _ coefficients: Int, _ lifter: Int) {
    let d = DCTMatrix(bands: bands, coefficients: coefficients, lifter: lifter)
    var config = MFCCConfig()
    config.melBands = bands
    let tables = PackedTables(window: [1], filterbank: MelFilterbank(config: config), dct: d)
    let x = (0..<bands).map { Float(sin(Double($0) * 0.7)) * 3 }
    var reference = [Float](repeating: 0, count: coefficients)
    var packed = [Float](repeating: 0, count: tables.dctStride)
    d.matrix.withUnsafeBufferPointer { m in d.apply(x, &reference, m.baseAddress!) }
    tables.applyDCT(x, &packed)
    for k in 0..<coefficients { #expect(abs(packed[k] - reference[k]) < 1e-5) }
  }

  /// The four-at-a-time filterbank equals the dense matrix-vector product (and, bit for bit, the
  /// one-filter kernel).
  @Test(arguments: ["training", "classic", "psf", "librosa", "hello-edge"])
  func packedFilterbankMatchesDense(_ preset: String) throws {
    let config = try #require(MFCCConfig.preset(named: preset))
    let bank = MelFilterbank(config: config)
    let tables = PackedTables(
      window: [1], filterbank: bank, dct: DCTMatrix(bands: bank.bands, coefficients: 1, lifter: 0))
    var spectrum = [Float](repeating: 0, count: tables.spectrumCapacity)
    for k in 0..<bank.bins { spectrum[k] = Float(1 + sin(Double(k) * 0.37)) * Float(k % 7 + 1) }
    var packed = [Float](repeating: 0, count: bank.bands)
    tables.melEnergies(spectrum, &packed)
    let dense = bank.dense
    for j in 0..<bank.bands {
      let reference = zip(dense[j], spectrum).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
      #expect(abs(Double(packed[j]) - reference) <= 1e-5 * max(1, abs(reference)))
      let single = spectrum.withUnsafeBufferPointer { s in
        Kernels.dot4(
          tables.weights + tables.filterOffset[j], s.baseAddress! + tables.filterStart[j],
          chunks: tables.filterChunks[j])
      }
      #expect(packed[j] == single)
    }
  }
}

/// `RealFFT.warmUp` plans on another thread and leaves FFTW's wisdom behind; a plan made while it
/// runs, and one made after, must both be a correct transform (checked against a DFT in Double).
@Suite struct RealFFTWarmUpTests {
  func dft(_ x: [Float]) -> [Double] {
    let n = x.count
    var out: [Double] = []
    for k in 0...(n / 2) {
      var re = 0.0
      var im = 0.0
      for (t, v) in x.enumerated() {
        let angle = -2 * Double.pi * Double(k * t % n) / Double(n)
        re += Double(v) * cos(angle)
        im += Double(v) * sin(angle)
      }
      out += [re, im]
    }
    return out
  }

  @Test func plansMadeDuringAndAfterAWarmUpTransformCorrectly() throws {
    let length = 384  // a length no other test plans
    var rng = SystemRandomNumberGenerator()
    let signal = (0..<length).map { _ in Float.random(in: -1...1, using: &rng) }
    let expected = dft(signal)
    RealFFT.warmUp(length: length)
    for _ in 0..<2 {
      let fft = try RealFFT(length: length)
      let buffers = FFTBuffers(length: length)
      for (i, v) in signal.enumerated() { buffers.input[i] = v }
      fft.execute(buffers)
      let got = (0..<expected.count).map { Double(buffers.output[$0]) }
      let worst = zip(got, expected).map { abs($0 - $1) }.max()!
      #expect(worst < 1e-3, "largest difference from the DFT: \(worst)")
      Thread.sleep(forTimeInterval: 0.05)
    }
  }
}
