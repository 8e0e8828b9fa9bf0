/// The window, filterbank and DCT matrix laid out for the per-frame loop, in memory this object
/// owns: filters zero-padded to whole groups of four weights, the DCT matrix's columns padded to a
/// multiple of 16 so four `SIMD4` accumulators cover a row group.
///
/// Immutable after `init`, hence safe to read from many threads.
final class PackedTables: @unchecked Sendable {
  /// `windowLength` window coefficients.
  let window: UnsafeMutablePointer<Float>
  /// Mel filters: first bin, number of 4-weight groups, offset into `weights`.
  let filterStart: UnsafeMutablePointer<Int>
  let filterChunks: UnsafeMutablePointer<Int>
  let filterOffset: UnsafeMutablePointer<Int>
  let weights: UnsafeMutablePointer<Float>
  /// Spectrum buffers must hold this many floats, zeros past the last bin (filters may read
  /// up to 3 bins beyond it).
  let spectrumCapacity: Int
  /// DCT matrix `(bands, dctStride)`, lifter folded in; columns past `coefficients` are zero.
  let dct: UnsafeMutablePointer<Float>
  let dctStride: Int
  let bands: Int
  let coefficients: Int

  init(window w: [Float], filterbank fb: MelFilterbank, dct d: DCTMatrix) {
    window = .allocate(capacity: max(1, w.count))
    window.initialize(from: w, count: w.count)

    bands = fb.bands
    filterStart = .allocate(capacity: fb.bands)
    filterChunks = .allocate(capacity: fb.bands)
    filterOffset = .allocate(capacity: fb.bands)
    var packed: [Float] = []
    var reach = fb.bins
    for j in 0..<fb.bands {
      let chunks = (fb.count[j] + 3) / 4
      filterStart[j] = fb.start[j]
      filterChunks[j] = chunks
      filterOffset[j] = packed.count
      packed += fb.weights[fb.offset[j]..<fb.offset[j] + fb.count[j]]
      packed += [Float](repeating: 0, count: 4 * chunks - fb.count[j])
      reach = max(reach, fb.start[j] + 4 * chunks)
    }
    weights = .allocate(capacity: max(1, packed.count))
    weights.initialize(from: packed, count: packed.count)
    spectrumCapacity = reach

    coefficients = d.coefficients
    dctStride = (d.coefficients + 15) / 16 * 16
    dct = .allocate(capacity: d.bands * dctStride)
    dct.initialize(repeating: 0, count: d.bands * dctStride)
    for n in 0..<d.bands {
      for k in 0..<d.coefficients { dct[n * dctStride + k] = d.matrix[n * d.coefficients + k] }
    }
  }

  deinit {
    window.deallocate()
    filterStart.deallocate()
    filterChunks.deallocate()
    filterOffset.deallocate()
    weights.deallocate()
    dct.deallocate()
  }

  /// `out[j] = Σ weights_j · spectrum` for every filter (`spectrum` holds `spectrumCapacity`).
  ///
  /// Four filters at a time: their four-lane partial sums are reduced together with a transpose,
  /// in the same order as `Kernels.dot4`, so both paths give identical results.
  @inline(__always)
  func melEnergies(_ spectrum: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
    var j = 0
    while j + 4 <= bands {
      let a0 = partial(j, spectrum), a1 = partial(j + 1, spectrum)
      let a2 = partial(j + 2, spectrum), a3 = partial(j + 3, spectrum)
      // t = [x0+x2, x1+x3] per filter; then sum the two halves of each.
      let t01 =
        SIMD4(lowHalf: a0.lowHalf, highHalf: a1.lowHalf)
        + SIMD4(lowHalf: a0.highHalf, highHalf: a1.highHalf)
      let t23 =
        SIMD4(lowHalf: a2.lowHalf, highHalf: a3.lowHalf)
        + SIMD4(lowHalf: a2.highHalf, highHalf: a3.highHalf)
      let sums =
        SIMD4(lowHalf: t01.evenHalf, highHalf: t23.evenHalf)
        + SIMD4(lowHalf: t01.oddHalf, highHalf: t23.oddHalf)
      UnsafeMutableRawPointer(out + j).storeBytes(of: sums, as: SIMD4<Float>.self)
      j += 4
    }
    while j < bands {
      out[j] = Kernels.dot4(
        weights + filterOffset[j], spectrum + filterStart[j], chunks: filterChunks[j])
      j += 1
    }
  }

  /// Filter j's four-lane partial sums.
  @inline(__always)
  private func partial(_ j: Int, _ spectrum: UnsafePointer<Float>) -> SIMD4<Float> {
    let w = weights + filterOffset[j], s = spectrum + filterStart[j]
    var acc = SIMD4<Float>()
    for c in 0..<filterChunks[j] {
      acc +=
        UnsafeRawPointer(w + 4 * c).loadUnaligned(as: SIMD4<Float>.self)
        * UnsafeRawPointer(s + 4 * c).loadUnaligned(as: SIMD4<Float>.self)
    }
    return acc
  }

  /// `out[k] = Σₙ x[n]·dct[n, k]` for k < `dctStride` (`out` holds `dctStride` floats).
  @inline(__always)
  func applyDCT(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
    var group = 0
    while group < dctStride {
      var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>()
      for n in 0..<bands {
        let v = SIMD4<Float>(repeating: x[n])
        let row = UnsafeRawPointer(dct + n * dctStride + group)
        a0 += v * row.loadUnaligned(fromByteOffset: 0, as: SIMD4<Float>.self)
        a1 += v * row.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
        a2 += v * row.loadUnaligned(fromByteOffset: 32, as: SIMD4<Float>.self)
        a3 += v * row.loadUnaligned(fromByteOffset: 48, as: SIMD4<Float>.self)
      }
      let o = UnsafeMutableRawPointer(out + group)
      o.storeBytes(of: a0, toByteOffset: 0, as: SIMD4<Float>.self)
      o.storeBytes(of: a1, toByteOffset: 16, as: SIMD4<Float>.self)
      o.storeBytes(of: a2, toByteOffset: 32, as: SIMD4<Float>.self)
      o.storeBytes(of: a3, toByteOffset: 48, as: SIMD4<Float>.self)
      group += 16
    }
  }
}
