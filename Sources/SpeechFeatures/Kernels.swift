/// Small float kernels over raw buffers, written so the optimiser vectorises them.
///
/// Reductions use eight independent partial sums (a fixed order, so results are deterministic
/// and identical on every thread).
enum Kernels {
  /// `Σ a[i]·b[i]`, i < n.
  @inline(__always)
  static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>()
    var i = 0
    while i + 8 <= n {
      let va = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
      let vb = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
      acc += va * vb
      i += 8
    }
    var s = acc.sum()
    while i < n {
      s += a[i] * b[i]
      i += 1
    }
    return s
  }

  /// `Σ a[i]`, i < n.
  @inline(__always)
  static func sum(_ a: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>()
    var i = 0
    while i + 8 <= n {
      acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
      i += 8
    }
    var s = acc.sum()
    while i < n {
      s += a[i]
      i += 1
    }
    return s
  }
}
