import Foundation

// Two builds of one driver. scripts/fuzz.sh builds with `--sanitize=fuzzer --sanitize=address
// -Xswiftc -DSPEECHCMD_LIBFUZZER`: libFuzzer's own `main` runs the target named by the
// environment variable SPEECHCMD_FUZZ_TARGET through `LLVMFuzzerTestOneInput`. The ordinary
// build (no libFuzzer) replays files: `speechcmd-fuzz TARGET FILE...` runs each once.

#if SPEECHCMD_LIBFUZZER
  /// The target chosen by SPEECHCMD_FUZZ_TARGET, read once.
  let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["SPEECHCMD_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
      FuzzTarget.fail("set SPEECHCMD_FUZZ_TARGET to one of: \(FuzzTarget.names)", status: 2)
    }
    return target
  }()

  /// libFuzzer's entry point: one input through the selected target.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedTarget.run(UnsafeBufferPointer(start: size == 0 ? nil : data, count: size))
    return 0
  }
#else
  /// `speechcmd-fuzz TARGET FILE...`: each file once through the target (no libFuzzer linked).
  @main
  enum FuzzReplay {
    static func main() {
      let arguments = CommandLine.arguments
      guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
        FuzzTarget.fail(
          "usage: speechcmd-fuzz TARGET FILE...; targets: \(FuzzTarget.names)", status: 2)
      }
      for path in arguments.dropFirst(2) {
        guard let bytes = FileManager.default.contents(atPath: path) else {
          FuzzTarget.fail("speechcmd-fuzz: cannot read '\(path)'", status: 1)
        }
        bytes.withUnsafeBytes { target.run($0.bindMemory(to: UInt8.self)) }
      }
      print("speechcmd-fuzz: ran \(arguments.count - 2) inputs through '\(target.rawValue)'")
    }
  }
#endif
