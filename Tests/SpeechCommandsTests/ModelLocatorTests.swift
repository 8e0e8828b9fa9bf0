import Foundation
import SpeechTestSupport
import Testing

@testable import SpeechCommands

@Suite struct ModelLocatorTests {
  @Test func explicitThenEnvironmentWin() throws {
    #expect(
      try ModelLocator.resolve(
        explicit: "m.safetensors", environment: ["SPEECHCMD_MODEL": "env.safetensors"],
        executablePaths: [], currentDirectory: "/") == "m.safetensors")
    #expect(
      try ModelLocator.resolve(
        explicit: nil, environment: ["SPEECHCMD_MODEL": "env.safetensors"],
        executablePaths: [], currentDirectory: "/") == "env.safetensors")
  }

  @Test func demoModelIsFoundAboveTheExecutable() throws {
    let repo = try TemporaryFolder()
    try repo.write("samples/model.safetensors", "x")
    try repo.write(".build/release/speechcmd", "")
    let found = try ModelLocator.resolve(
      explicit: nil, environment: [:], executablePaths: [repo.path + "/.build/release/speechcmd"],
      currentDirectory: "/")
    #expect(
      URL(fileURLWithPath: found).standardizedFileURL.path
        == URL(fileURLWithPath: repo.path + "/samples/model.safetensors").standardizedFileURL.path)
  }

  @Test func currentDirectoryIsTheLastResort() throws {
    let repo = try TemporaryFolder()
    try repo.write("samples/model.safetensors", "x")
    let found = try ModelLocator.resolve(
      explicit: nil, environment: [:], executablePaths: ["/nonexistent/bin/speechcmd"],
      currentDirectory: repo.path)
    #expect(found.hasSuffix("/samples/model.safetensors"))
    let places = ModelLocator.candidates(
      executablePaths: ["/a/b/speechcmd"], currentDirectory: "/c")
    #expect(
      places == [
        "/a/b/samples/model.safetensors", "/a/samples/model.safetensors",
        "/samples/model.safetensors", "/c/samples/model.safetensors",
      ])
  }

  @Test func nothingFoundListsWhereItLooked() {
    #expect(
      throws: ModelLoadError.modelNotFound(searched: ["/nonexistent/samples/model.safetensors"])
    ) {
      try ModelLocator.resolve(
        explicit: nil, environment: [:], executablePaths: [], currentDirectory: "/nonexistent")
    }
  }
}
