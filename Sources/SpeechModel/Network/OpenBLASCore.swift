import Foundation

/// Which OpenBLAS kernels to ask for on CPUs the installed OpenBLAS does not recognise.
///
/// OpenBLAS picks its kernels from the CPU model at load time; Debian 12's 0.3.21 does not know
/// recent ones (the development machine's Intel family 6 model 207, for one) and falls back to its
/// "Prescott" SSE3 kernels, a third of the speed of the AVX-512 ones on the same machine (sgemm
/// 8–10 against 27–32 GFLOP/s on the training products, two threads). When the environment does
/// not set `OPENBLAS_CORETYPE` itself, it is set from the CPU's own feature flags before OpenBLAS
/// loads: only kernels whose instructions the CPU reports are ever chosen.
enum OpenBLASCore {
  /// The core type for CPUs with these `/proc/cpuinfo` flags: "SkylakeX" with AVX-512 F, BW, DQ
  /// and VL, "Haswell" with AVX2 and FMA, else nil (leave OpenBLAS's own choice).
  static func coreType(cpuFlags flags: Set<Substring>) -> String? {
    if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) {
      return "SkylakeX"
    }
    if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
    return nil
  }

  /// The flags of the first processor in `/proc/cpuinfo` (empty elsewhere than Linux).
  static func cpuFlags() -> Set<Substring> {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
      let colon = line.firstIndex(of: ":")
    else { return [] }
    return Set(line[line.index(after: colon)...].split(separator: " "))
  }

  /// Sets `OPENBLAS_CORETYPE` from the CPU's flags unless it is set; call before loading OpenBLAS.
  static func chooseUnlessSet() {
    guard getenv("OPENBLAS_CORETYPE") == nil, let core = coreType(cpuFlags: cpuFlags()) else {
      return
    }
    setenv("OPENBLAS_CORETYPE", core, 0)
  }
}
