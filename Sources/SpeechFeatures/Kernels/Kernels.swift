import Foundation

/// Small float kernels over raw buffers, written so the optimiser vectorises them (SSE-width
/// `SIMD4` loads, no scalar tails where the caller can pad with zeros).
///
/// Every kernel sums in a fixed order, so results are deterministic and identical on every thread.
enum Kernels {
  /// `Σ a[i]·b[i]` over `chunks` groups of four (callers zero-pad both to a multiple of 4).
  @inline(__always)
  static func dot4(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, chunks: Int) -> Float {
    var acc = SIMD4<Float>()
    for c in 0..<chunks {
      let va = UnsafeRawPointer(a + 4 * c).loadUnaligned(as: SIMD4<Float>.self)
      let vb = UnsafeRawPointer(b + 4 * c).loadUnaligned(as: SIMD4<Float>.self)
      acc += va * vb
    }
    return (acc[0] + acc[2]) + (acc[1] + acc[3])
  }

  /// `Σ a[i]`, i < n.
  @inline(__always)
  static func sum(_ a: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD4<Float>()
    var i = 0
    while i + 4 <= n {
      acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD4<Float>.self)
      i += 4
    }
    var s = (acc[0] + acc[2]) + (acc[1] + acc[3])
    while i < n {
      s += a[i]
      i += 1
    }
    return s
  }

  /// `out[k] = re[k]² + im[k]²` for `bins` interleaved complex values, times `scale`.
  @inline(__always)
  static func power(
    _ complex: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, bins: Int, scale: Float
  ) {
    var k = 0
    while k + 4 <= bins {
      let v = UnsafeRawPointer(complex + 2 * k).loadUnaligned(as: SIMD8<Float>.self)
      let sq = v * v
      let p = (sq.evenHalf + sq.oddHalf) * scale
      UnsafeMutableRawPointer(out + k).storeBytes(of: p, as: SIMD4<Float>.self)
      k += 4
    }
    while k < bins {
      let re = complex[2 * k], im = complex[2 * k + 1]
      out[k] = (re * re + im * im) * scale
      k += 1
    }
  }

  /// `out[i] = ln(max(x[i], floor)) · scale` for i < n, with `floor` a positive normal number.
  ///
  /// Cephes' `logf` (range reduction to [√½, √2), degree-8 polynomial): within 2 ulp of the
  /// correctly rounded logarithm for normal inputs; written branch-free so it vectorises. The
  /// input must be finite (decoded audio always is).
  @inline(__always)
  static func log(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int, floor: Float,
    scale: Float
  ) {
    for i in 0..<n {
      out[i] = fastLog(max(x[i], floor)) * scale
    }
  }

  /// Natural logarithm of a positive, finite, normal `x` (see `log(_:_:_:floor:scale:)`).
  @inline(__always)
  static func fastLog(_ x: Float) -> Float {
    let bits = x.bitPattern
    var e = Float(Int32(bitPattern: bits >> 23) - 126)  // x = m·2^e, m in [0.5, 1)
    var m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F00_0000)
    let small: Float = m < 0.707106781186547524 ? 1 : 0
    e -= small
    m = m + m * small - 1
    let z = m * m
    var y: Float = 7.0376836292e-2
    y = y * m - 1.1514610310e-1
    y = y * m + 1.1676998740e-1
    y = y * m - 1.2420140846e-1
    y = y * m + 1.4249322787e-1
    y = y * m - 1.6668057665e-1
    y = y * m + 2.0000714765e-1
    y = y * m - 2.4999993993e-1
    y = y * m + 3.3333331174e-1
    y = y * m * z
    y += -2.12194440e-4 * e
    y += -0.5 * z
    return m + y + 0.693359375 * e
  }
}
