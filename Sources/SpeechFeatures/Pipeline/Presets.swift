extension MFCCConfig {
  /// The product's front end, what `train` and `features` use unless told otherwise: the
  /// `hello-edge` settings (40 ms frames every 20 ms, 1024-point FFT, 40 mel bands, 10
  /// coefficients with c0 the log frame energy, lifter 22) plus first-order deltas and
  /// per-utterance mean removal (CMN): 49 frames × 20 = 980 values per 1 s clip. Chosen on
  /// speakers held out of training (figures in the README's benchmark section).
  public static let training: MFCCConfig = {
    var c = MFCCConfig.helloEdge
    c.deltas = .first
    c.normalization = .mean
    return c
  }()

  /// The classic speech-command front end: the property defaults of `MFCCConfig` (see there for
  /// each value).
  ///
  /// 30 ms Hann frames every 10 ms, 512-point FFT, 40 HTK mel filters over 20–7600 Hz, natural log
  /// floored at 1e-6, 13 coefficients, no deltas, no per-utterance normalisation: the usual
  /// speech-command front end (Hello Edge, Kaldi, torchaudio recipes all sit within these
  /// ranges). 20 Hz drops DC and mains hum; 7600 Hz stays below the 8 kHz Nyquist band edge where
  /// resampled and telephone-grade recordings carry nothing. 1 s gives 98 frames × 13.
  public static let classic = MFCCConfig()

  /// `python_speech_features.mfcc(signal, 16000)` with its defaults (version 0.6): 25 ms / 10 ms
  /// rectangular frames, last partial frame zero-padded, pre-emphasis 0.97, 512-point power
  /// spectrum divided by 512, 26 HTK filters with corners rounded to bins over 0–8000 Hz, natural
  /// log, 13 coefficients, lifter 22, c0 replaced by the log frame energy. 1 s gives 99 frames.
  public static let psf: MFCCConfig = {
    var c = MFCCConfig()
    c.preEmphasis = 0.97
    c.windowLength = 400
    c.hopLength = 160
    c.fftLength = 512
    c.framing = .padTail
    c.window = .rectangular
    c.spectrum = .power
    c.normalizeByFFTLength = true
    c.melBands = 26
    c.melScale = .htk
    c.melBinning = .rounded
    c.melAreaNormalization = false
    c.minFrequency = 0
    c.maxFrequency = nil
    c.logarithm = .natural
    c.logFloor = 2.220446e-16  // numpy's float64 eps, which psf substitutes for zeros
    c.coefficients = 13
    c.lifter = 22
    c.energyInC0 = true
    return c
  }()

  /// `librosa.feature.mfcc(y, sr=16000, n_mfcc=13, n_fft=512, hop_length=160, win_length=400,
  /// n_mels=40)` (librosa 0.11): centred frames with zero padding, periodic Hann, power spectrum,
  /// 40 Slaney-scale filters with Slaney area normalisation over 0–8000 Hz, `power_to_db` (amin
  /// 1e-10, top_db 80), 13 coefficients. 1 s gives 101 frames.
  public static let librosa: MFCCConfig = {
    var c = MFCCConfig()
    c.preEmphasis = 0
    c.windowLength = 400
    c.hopLength = 160
    c.fftLength = 512
    c.framing = .centered
    c.padding = .constant
    c.window = .hann
    c.periodicWindow = true
    c.spectrum = .power
    c.normalizeByFFTLength = false
    c.melBands = 40
    c.melScale = .slaney
    c.melBinning = .exact
    c.melAreaNormalization = true
    c.minFrequency = 0
    c.maxFrequency = nil
    c.logarithm = .decibels
    c.logFloor = 1e-10
    c.topDecibels = 80
    c.coefficients = 13
    c.lifter = 0
    c.energyInC0 = false
    return c
  }()

  /// `torchaudio.transforms.MFCC(sample_rate=16000, n_mfcc=13, melkwargs={n_fft: 512,
  /// win_length: 400, hop_length: 160, n_mels: 40})`: the `librosa` preset with reflect padding,
  /// HTK mel scale and no area normalisation.
  public static let torchaudio: MFCCConfig = {
    var c = MFCCConfig.librosa
    c.padding = .reflect
    c.melScale = .htk
    c.melAreaNormalization = false
    return c
  }()

  /// The Hello Edge (Zhang et al. 2017) DNN front end as python_speech_features computes it:
  /// `psf.mfcc(x, 16000, winlen=0.04, winstep=0.02, numcep=10, nfilt=40, nfft=1024)`. 1 s gives
  /// 49 frames × 10 = 490 values.
  public static let helloEdge: MFCCConfig = {
    var c = MFCCConfig.psf
    c.windowLength = 640
    c.hopLength = 320
    c.fftLength = 1024
    c.melBands = 40
    c.coefficients = 10
    return c
  }()

  /// Preset names accepted by `preset(named:)`, the product default first.
  public static let presetNames = [
    "training", "classic", "psf", "librosa", "torchaudio", "hello-edge",
  ]

  /// The preset with this name (see `presetNames`), or nil.
  public static func preset(named name: String) -> MFCCConfig? {
    switch name {
    case "training": .training
    case "classic": .classic
    case "psf": .psf
    case "librosa": .librosa
    case "torchaudio": .torchaudio
    case "hello-edge": .helloEdge
    default: nil
    }
  }
}
