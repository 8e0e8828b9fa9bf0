#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// OpenBLAS's entry points, loaded with `dlopen` the first time a product needs them.
///
/// Linking OpenBLAS made every process pay for it at start-up (relocating a 30 MB library and
/// spinning up its thread pool), `speechcmd --version` included; loaded on demand, only commands
/// that run the network do. Loading happens once, thread-safely (a `static let`), and the library
/// stays loaded for the life of the process.
final class OpenBLASLibrary: Sendable {
  // The CBLAS interface with 32-bit integers (`blasint` of the LP64 builds Debian ships as
  // libopenblas0); the enums are CBLAS_ORDER and CBLAS_TRANSPOSE.
  typealias SgemmFunction =
    @convention(c) (
      Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void
  typealias SgemvFunction =
    @convention(c) (
      Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
      Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void
  typealias GetThreadsFunction = @convention(c) () -> Int32
  typealias SetThreadsFunction = @convention(c) (Int32) -> Void

  /// `CblasRowMajor`, `CblasNoTrans`, `CblasTrans` (values fixed by the CBLAS standard).
  static let rowMajor: Int32 = 101
  static let noTranspose: Int32 = 111
  static let transpose: Int32 = 112

  /// The file names tried, in order: Debian's runtime package, a development symlink, macOS.
  static let candidates = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"]

  /// The process's OpenBLAS, loaded on first use. Stops the process with a one-line message
  /// naming the library when it is not installed (as the dynamic loader did before).
  static let shared: OpenBLASLibrary = {
    switch load() {
    case .success(let library):
      LinearAlgebra.setting.libraryLoaded(default: Int(library.getThreadCount())) {
        library.setThreadCount(Int32($0))
      }
      return library
    case .failure(let reason):
      fatalError("cannot load OpenBLAS (\(reason)); install libopenblas0 (scripts/setup.sh)")
    }
  }()

  /// `cblas_sgemm`.
  let sgemm: SgemmFunction
  /// `openblas_get_num_threads`.
  let getThreadCount: GetThreadsFunction
  /// `openblas_set_num_threads`.
  let setThreadCount: SetThreadsFunction

  private init(
    sgemm: SgemmFunction, getThreadCount: GetThreadsFunction,
    setThreadCount: SetThreadsFunction
  ) {
    self.sgemm = sgemm
    self.getThreadCount = getThreadCount
    self.setThreadCount = setThreadCount
  }

  /// Opens the first candidate that loads and resolves the three functions; the failure says
  /// which library or symbol is missing. The corresponding C functions are `dlopen` and `dlsym`.
  static func load() -> Result<OpenBLASLibrary, LoadFailure> {
    OpenBLASCore.chooseUnlessSet()
    var errors: [String] = []
    for name in candidates {
      guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
        errors.append(dlerror().map { String(cString: $0) } ?? name)
        continue
      }
      func symbol<F>(_ symbolName: String, as type: F.Type) throws(LoadFailure) -> F {
        guard let address = dlsym(handle, symbolName) else {
          throw LoadFailure("\(name) has no \(symbolName)")
        }
        return unsafeBitCast(address, to: type)
      }
      do {
        return .success(
          OpenBLASLibrary(
            sgemm: try symbol("cblas_sgemm", as: SgemmFunction.self),
            getThreadCount: try symbol("openblas_get_num_threads", as: GetThreadsFunction.self),
            setThreadCount: try symbol("openblas_set_num_threads", as: SetThreadsFunction.self)))
      } catch {
        return .failure(error)
      }
    }
    return .failure(LoadFailure(errors.joined(separator: "; ")))
  }

  /// Why OpenBLAS could not be loaded (the loader's own messages).
  struct LoadFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }
}
