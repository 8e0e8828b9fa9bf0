import Foundation

/// Finds the model `classify` and `listen` use when none is named on the command line.
///
/// Order: the explicit path (`--model`), then the environment variable `SPEECHCMD_MODEL`, then
/// the demo model `samples/model.safetensors` looked for in the executable's folder and each of
/// its parents (first the path the program was started by, then the same with symbolic links
/// resolved), and finally in the current directory. So a freshly built `.build/release/speechcmd`
/// finds the repository's `samples/` two levels up, and so does a symbolic link to it placed on
/// the `PATH`.
public enum ModelLocator {
  /// The environment variable naming the default model.
  public static let environmentVariable = "SPEECHCMD_MODEL"
  /// Where the demo model lives, relative to the repository root.
  public static let demoModel = "samples/model.safetensors"

  /// The model path to use; throws `.modelNotFound` listing the places searched.
  ///
  /// An explicit or environment path is returned as is (loading it reports a missing file).
  public static func resolve(
    explicit: String?,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    executablePaths: [String] = currentExecutablePaths(),
    currentDirectory: String = FileManager.default.currentDirectoryPath
  ) throws(ModelLoadError) -> String {
    if let explicit, !explicit.isEmpty { return explicit }
    if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
      return fromEnvironment
    }
    let places = candidates(executablePaths: executablePaths, currentDirectory: currentDirectory)
    if let found = places.first(where: { FileManager.default.isReadableFile(atPath: $0) }) {
      return found
    }
    throw .modelNotFound(searched: places)
  }

  /// Every place the demo model is looked for, in order, without duplicates.
  public static func candidates(executablePaths: [String], currentDirectory: String) -> [String] {
    var folders: [String] = []
    for executablePath in executablePaths {
      let url = URL(fileURLWithPath: executablePath)
      for start in [url, url.resolvingSymlinksInPath()] {
        var folder = start.deletingLastPathComponent().standardizedFileURL
        while true {
          folders.append(folder.path)
          let parent = folder.deletingLastPathComponent().standardizedFileURL
          if parent.path == folder.path { break }
          folder = parent
        }
      }
    }
    folders.append(URL(fileURLWithPath: currentDirectory).standardizedFileURL.path)
    var seen = Set<String>()
    var paths: [String] = []
    for folder in folders {
      let path = folder == "/" ? "/" + demoModel : folder + "/" + demoModel
      if seen.insert(path).inserted { paths.append(path) }
    }
    return paths
  }

  /// The running program's paths: as started (`argv[0]`, when it holds a `/`), then as the
  /// system reports it (`/proc/self/exe` on Linux).
  public static func currentExecutablePaths() -> [String] {
    var paths: [String] = []
    if let first = CommandLine.arguments.first, first.contains("/") { paths.append(first) }
    if let path = Bundle.main.executablePath { paths.append(path) }
    return paths
  }
}
