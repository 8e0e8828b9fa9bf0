// Unaligned SIMD loads and stores for the elementwise kernels. Written out explicitly because the
// compiler leaves these loops scalar otherwise; every operation is the same IEEE operation as the
// scalar form, so results are bit-identical to a scalar loop (no fused multiply-add).

/// Lanes per vector step of the elementwise kernels.
let lanes = 8
typealias FloatVector = SIMD8<Float>

@inline(__always)
func load(_ p: UnsafePointer<Float>, _ i: Int) -> FloatVector {
  UnsafeRawPointer(p + i).loadUnaligned(as: FloatVector.self)
}

@inline(__always)
func load(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> FloatVector {
  UnsafeRawPointer(p + i).loadUnaligned(as: FloatVector.self)
}

@inline(__always)
func store(_ v: FloatVector, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
  UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: FloatVector.self)
}

/// The largest multiple of `lanes` not above `count`: where the vector loop stops and the scalar
/// tail starts.
@inline(__always)
func vectorEnd(_ count: Int) -> Int { count - count % lanes }
