internal import CSndfile

/// Human names for libsndfile's format codes, spelt as libsndfile's own identifiers without the
/// `SF_FORMAT_` prefix (the same names python-soundfile uses): "WAV", "PCM_16", "VORBIS".
enum FormatNames {
  static let major: [Int32: String] = [
    0x01_0000: "WAV", 0x02_0000: "AIFF", 0x03_0000: "AU", 0x04_0000: "RAW", 0x05_0000: "PAF",
    0x06_0000: "SVX", 0x07_0000: "NIST", 0x08_0000: "VOC", 0x0A_0000: "IRCAM", 0x0B_0000: "W64",
    0x0C_0000: "MAT4", 0x0D_0000: "MAT5", 0x0E_0000: "PVF", 0x0F_0000: "XI", 0x10_0000: "HTK",
    0x11_0000: "SDS", 0x12_0000: "AVR", 0x13_0000: "WAVEX", 0x16_0000: "SD2", 0x17_0000: "FLAC",
    0x18_0000: "CAF", 0x19_0000: "WVE", 0x20_0000: "OGG", 0x21_0000: "MPC2K", 0x22_0000: "RF64",
    0x23_0000: "MPEG",
  ]

  static let subtype: [Int32: String] = [
    0x0001: "PCM_S8", 0x0002: "PCM_16", 0x0003: "PCM_24", 0x0004: "PCM_32", 0x0005: "PCM_U8",
    0x0006: "FLOAT", 0x0007: "DOUBLE", 0x0010: "ULAW", 0x0011: "ALAW", 0x0012: "IMA_ADPCM",
    0x0013: "MS_ADPCM", 0x0020: "GSM610", 0x0021: "VOX_ADPCM", 0x0022: "NMS_ADPCM_16",
    0x0023: "NMS_ADPCM_24", 0x0024: "NMS_ADPCM_32", 0x0030: "G721_32", 0x0031: "G723_24",
    0x0032: "G723_40", 0x0040: "DWVW_12", 0x0041: "DWVW_16", 0x0042: "DWVW_24", 0x0043: "DWVW_N",
    0x0050: "DPCM_8", 0x0051: "DPCM_16", 0x0060: "VORBIS", 0x0064: "OPUS", 0x0070: "ALAC_16",
    0x0071: "ALAC_20", 0x0072: "ALAC_24", 0x0073: "ALAC_32", 0x0080: "MPEG_LAYER_I",
    0x0081: "MPEG_LAYER_II", 0x0082: "MPEG_LAYER_III",
  ]

  /// The container name for a full libsndfile format code.
  static func majorName(_ format: Int32) -> String {
    let code = format & Int32(SF_FORMAT_TYPEMASK)
    return major[code] ?? libraryName(code, command: Int32(SFC_GET_FORMAT_MAJOR))
  }

  /// The encoding name for a full libsndfile format code.
  static func subtypeName(_ format: Int32) -> String {
    let code = format & Int32(SF_FORMAT_SUBMASK)
    return subtype[code] ?? libraryName(code, command: Int32(SFC_GET_FORMAT_SUBTYPE))
  }

  /// True for the floating-point encodings, the only ones that can hold NaN or infinity.
  static func isFloatingPoint(_ format: Int32) -> Bool {
    let code = format & Int32(SF_FORMAT_SUBMASK)
    return code == Int32(SF_FORMAT_FLOAT) || code == Int32(SF_FORMAT_DOUBLE)
  }

  /// Asks libsndfile for the name of a code missing from the tables (a newer library version);
  /// falls back to the code in hex.
  private static func libraryName(_ code: Int32, command: Int32) -> String {
    var count: Int32 = 0
    let countCommand =
      command == Int32(SFC_GET_FORMAT_MAJOR)
      ? SFC_GET_FORMAT_MAJOR_COUNT : SFC_GET_FORMAT_SUBTYPE_COUNT
    _ = sf_command(nil, Int32(countCommand), &count, Int32(MemoryLayout<Int32>.size))
    for index in 0..<max(count, 0) {
      var info = SF_FORMAT_INFO()
      info.format = index
      let status = sf_command(nil, command, &info, Int32(MemoryLayout<SF_FORMAT_INFO>.size))
      if status == 0, info.format == code, let name = info.name {
        return String(cString: name)
      }
    }
    return "0x" + String(code, radix: 16)
  }
}
