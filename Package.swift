// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The C libraries are reached through system-library targets: `pkgConfig` finds the headers and
/// link flags, `providers` names the Debian packages (installed by `scripts/setup.sh`, not by SwiftPM).
let package = Package(
  name: "speechcmd",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "speechcmd", targets: ["speechcmd"]),
    .library(name: "SpeechCommands", targets: ["SpeechCommands"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // `speechcmd serve`'s HTTP and WebSocket server: a release build costs ~1 min against ~19 for
    // Hummingbird with hummingbird-websocket (SwiftNIO) on this 2-core machine.
    .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
  ],
  targets: [
    .systemLibrary(
      name: "CSndfile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
    .systemLibrary(
      name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
    .systemLibrary(
      name: "CSamplerate", pkgConfig: "samplerate", providers: [.apt(["libsamplerate0-dev"])]),

    // Atomic whole-file replacement (temporary file, fsync, rename), shared by every writer.
    .target(name: "AtomicFiles"),
    .target(name: "SpeechAudio", dependencies: ["AtomicFiles", "CSndfile", "CSamplerate"]),
    .target(name: "SpeechFeatures", dependencies: ["CFFTW"]),
    // Elementwise kernels Swift vectorises poorly (Adam's update), one build per instruction set.
    .target(name: "CKernels"),
    // OpenBLAS is loaded at run time (dlopen) by the commands that need it: see OpenBLASLibrary.
    // The network's kernels are optimised in debug builds too: unoptimised SIMD loops ran a
    // convolutional model's live scoring slower than real time in the tests' debug server.
    .target(
      name: "SpeechModel", dependencies: ["AtomicFiles", "CKernels"],
      swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    .target(
      name: "SpeechCommands",
      dependencies: ["AtomicFiles", "SpeechAudio", "SpeechFeatures", "SpeechModel"]),
    // Measurements behind `speechcmd bench`, and the stream builder they share with the tests.
    .target(
      name: "SpeechBench",
      dependencies: ["SpeechAudio", "SpeechFeatures", "SpeechModel", "SpeechCommands"]),
    // Synthetic words, data sets and models for the tests (not part of the product).
    .target(
      name: "SpeechTestSupport",
      dependencies: ["SpeechAudio", "SpeechFeatures", "SpeechModel", "SpeechCommands"]),
    // Reading and rewriting HTTP request heads within limits, for `serve`'s gate (plain Swift,
    // so the fuzzer can take it without the HTTP server).
    .target(name: "HTTPHead"),
    // The web page and HTTP API of `speechcmd serve` (kept out of the `speechcmd` executable).
    .target(
      name: "SpeechServer",
      dependencies: [
        "AtomicFiles", "HTTPHead", "SpeechAudio", "SpeechModel", "SpeechCommands",
        .product(name: "FlyingFox", package: "FlyingFox"),
        .product(name: "FlyingSocks", package: "FlyingFox"),
      ],
      resources: [.copy("Page")]),
    // `speechcmd serve` execs this, so the server's code never loads with the other commands.
    .executableTarget(
      name: "speechcmd-serve",
      dependencies: [
        "SpeechServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(
      name: "speechcmd",
      dependencies: [
        "SpeechAudio", "SpeechFeatures", "SpeechModel", "SpeechCommands", "SpeechBench",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // libFuzzer driver for the parsers of untrusted input (scripts/fuzz.sh builds it with
    // -sanitize=fuzzer; the ordinary build only replays inputs).
    .executableTarget(
      name: "speechcmd-fuzz",
      dependencies: ["HTTPHead", "SpeechAudio", "SpeechModel", "SpeechCommands"]),

    .testTarget(name: "AtomicFilesTests", dependencies: ["AtomicFiles", "SpeechTestSupport"]),
    .testTarget(
      name: "SpeechAudioTests", dependencies: ["SpeechAudio", "SpeechTestSupport"],
      resources: [.copy("Resources")]),
    .testTarget(
      name: "SpeechFeaturesTests", dependencies: ["SpeechFeatures"],
      resources: [.copy("Resources")]),
    .testTarget(
      name: "SpeechModelTests", dependencies: ["SpeechModel", "SpeechTestSupport"],
      resources: [.copy("Resources")]),
    .testTarget(
      name: "SpeechCommandsTests",
      dependencies: ["SpeechCommands", "SpeechBench", "SpeechTestSupport"],
      resources: [.copy("Resources")]),
    // The parallel paths (ordered batches, parallel features, BLAS threads), also run under
    // ThreadSanitizer by scripts/test.sh.
    .testTarget(
      name: "ConcurrencyTests", dependencies: ["SpeechCommands", "SpeechTestSupport"]),
    .testTarget(
      name: "SpeechBenchTests", dependencies: ["SpeechBench", "SpeechTestSupport"]),
    .testTarget(
      name: "SpeechServerTests",
      dependencies: [
        "HTTPHead", "SpeechServer", "SpeechCommands", "SpeechBench", "SpeechTestSupport",
      ]),
    .testTarget(
      name: "speechcmdTests",
      dependencies: ["speechcmd", "SpeechBench", "SpeechTestSupport"],
      resources: [.copy("Resources")]),
  ]
)

// scripts/test.sh runs the concurrency tests under ThreadSanitizer, which is a second build of
// everything it compiles: with this variable set the package holds only those tests and the
// library targets they need (no command line, no other tests), which roughly halves that build.
if ProcessInfo.processInfo.environment["SPEECHCMD_CONCURRENCY_TESTS_ONLY"] != nil {
  let needed: Set = [
    "AtomicFiles", "CSndfile", "CFFTW", "CSamplerate", "CKernels", "SpeechAudio", "SpeechFeatures",
    "SpeechModel", "SpeechCommands", "SpeechTestSupport", "ConcurrencyTests",
  ]
  package.targets.removeAll { !needed.contains($0.name) }
  package.products.removeAll { $0.name != "SpeechCommands" }
  package.dependencies = []
}
