import CFFTW
import Dispatch
import Foundation

/// Serialises FFTW's planner, which is not thread-safe (plan creation and destruction).
let fftwPlannerLock = NSLock()

/// A single-precision FFTW real-to-complex plan of one length, owned and destroyed by this object.
///
/// The plan is made once (under `fftwPlannerLock`, `FFTW_ESTIMATE`, so no arrays are
/// overwritten) on `fftwf_malloc`ed arrays, and executed with the new-array function
/// `fftwf_execute_dft_r2c` on buffers that callers allocate through `FFTBuffers`, which have the
/// same SIMD alignment. Executing is thread-safe, so one plan serves every thread.
package final class RealFFT: @unchecked Sendable {
  /// Transform length in samples.
  package let length: Int
  /// Output bins, `length/2 + 1`.
  var bins: Int { length / 2 + 1 }
  private let plan: OpaquePointer

  /// Plans an FFT of `length` real samples; the corresponding C function is
  /// `fftwf_plan_dft_r2c_1d`.
  init(length: Int) throws(FeatureError) {
    guard length >= 1, length <= Int(Int32.max) else { throw .fftPlanFailed(length: length) }
    self.length = length
    let made: OpaquePointer? = fftwPlannerLock.withLock {
      guard let input = fftwf_alloc_real(length),
        let output = fftwf_alloc_complex(length / 2 + 1)
      else { return nil }
      defer {
        fftwf_free(input)
        fftwf_free(output)
      }
      return fftwf_plan_dft_r2c_1d(
        Int32(length), input, output, UInt32(FFTW_ESTIMATE) | UInt32(FFTW_PRESERVE_INPUT))
    }
    guard let made else { throw .fftPlanFailed(length: length) }
    plan = made
  }

  deinit {
    fftwPlannerLock.withLock { fftwf_destroy_plan(plan) }
  }

  /// Plans (and drops) an FFT of `length` on another thread, so that a later `RealFFT` of that
  /// length is made in ~0.02 ms instead of ~1.1 ms: FFTW keeps what its planner found (its
  /// wisdom) for the rest of the process, and an `FFTW_ESTIMATE` plan made from it is the same
  /// plan. A command line starts this before parsing its arguments and loading its model, which
  /// take longer, so a one-file `classify` does not wait for the planner.
  package static func warmUp(length: Int) {
    DispatchQueue.global().async { _ = try? RealFFT(length: length) }
  }

  /// Transforms `buffers.input` (`length` floats) into `buffers.output` (`bins` complex values,
  /// interleaved re/im). The input is preserved.
  @inline(__always)
  package func execute(_ buffers: FFTBuffers) {
    fftwf_execute_dft_r2c(plan, buffers.input, buffers.complexOutput)
  }
}

/// Aligned scratch arrays for one `RealFFT` execution at a time; one per thread or call.
package final class FFTBuffers {
  /// `length` real input samples (zero-initialised).
  package let input: UnsafeMutablePointer<Float>
  /// `length/2 + 1` complex outputs.
  let complexOutput: UnsafeMutablePointer<fftwf_complex>
  /// The same outputs as interleaved floats: re₀, im₀, re₁, im₁, …
  package let output: UnsafeMutablePointer<Float>

  package init(length: Int) {
    // fftwf_malloc only fails when the process is out of memory.
    input = fftwf_alloc_real(length)!
    input.initialize(repeating: 0, count: length)
    complexOutput = fftwf_alloc_complex(length / 2 + 1)!
    output = UnsafeMutableRawPointer(complexOutput).bindMemory(
      to: Float.self, capacity: 2 * (length / 2 + 1))
    output.initialize(repeating: 0, count: 2 * (length / 2 + 1))
  }

  deinit {
    fftwf_free(input)
    fftwf_free(complexOutput)
  }
}
