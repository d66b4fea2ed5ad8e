"""Audio as 8-bit mu-law sequences: a folder of WAV files, or generated tones.

Each source returns (train mu-law ids, valid mu-law ids, source); validation is
the last 10% of the (concatenated) audio. The labeled forms (for global
conditioning) return (class names, [(train ids, valid ids) per class], source),
each class split 90/10 the same way.
"""

import math
import os
import struct
import wave

import numpy as np

from tfgen.data.data_error import DataError
from tfgen.utils import folder_files

VALID_FRACTION = 0.1
NUM_LEVELS = 256
SAMPLE_RATE = 8000  # Samples per second of every audio source.


def mu_law_encode(audio, num_levels=NUM_LEVELS):
  """Floats in [-1, 1] -> ints 0..num_levels-1: sign(a) ln(1 + mu|a|) / ln(1 + mu), quantised."""
  mu = num_levels - 1
  audio = np.clip(np.asarray(audio, np.float64), -1.0, 1.0)
  compressed = np.sign(audio) * np.log1p(mu * np.abs(audio)) / np.log1p(mu)
  return np.clip(np.round((compressed + 1.0) / 2.0 * mu), 0, mu).astype(np.int32)


def mu_law_decode(ids, num_levels=NUM_LEVELS):
  """Ints 0..num_levels-1 -> floats in [-1, 1] (the inverse of mu_law_encode up to quantisation)."""
  mu = num_levels - 1
  compressed = 2.0 * np.asarray(ids, np.float64) / mu - 1.0
  return (np.sign(compressed) * np.expm1(np.abs(compressed) * np.log1p(mu)) / mu).astype(np.float32)


def read_wav(path, sample_rate):
  """A PCM WAV file as mono float32 in [-1, 1] at `sample_rate` (resampled if needed)."""
  try:
    with wave.open(path, "rb") as handle:
      channels, width, rate = handle.getnchannels(), handle.getsampwidth(), handle.getframerate()
      frames = handle.readframes(handle.getnframes())
  except (wave.Error, EOFError, OSError, RuntimeError, ValueError, struct.error,
          OverflowError) as error:
    # The wave module reports a damaged chunk as any of these (a bad seek: RuntimeError),
    # found by tests/data/test_fuzzing.py.
    raise DataError(f"{path}: not a readable PCM WAV file ({type(error).__name__}: "
                    f"{error})") from None
  dtypes = {1: np.uint8, 2: np.int16, 4: np.int32}
  if width not in dtypes:
    raise DataError(f"{path}: {8 * width}-bit samples are not supported (8, 16 or 32-bit PCM)")
  samples = np.frombuffer(frames[:len(frames) // (width * channels) * width * channels],
                          dtype=dtypes[width]).astype(np.float64)
  if width == 1:
    samples = (samples - 128.0) / 128.0
  else:
    samples = samples / float(2 ** (8 * width - 1))
  audio = samples.reshape(-1, channels).mean(axis=1)
  if not 1000 <= rate <= 768000:
    raise DataError(f"{path}: a sample rate of {rate} Hz (expected 1 kHz to 768 kHz)")
  if rate != sample_rate and len(audio):
    from scipy import signal  # pylint: disable=import-outside-toplevel
    divisor = math.gcd(int(rate), int(sample_rate))
    up, down = sample_rate // divisor, rate // divisor
    if max(up, down) <= 1000:
      audio = signal.resample_poly(audio, up, down)
    else:  # 44101 Hz to 8 kHz: a polyphase filter of millions of taps; the FFT is fast.
      num_samples = int(round(len(audio) * sample_rate / rate))
      audio = signal.resample(audio, num_samples) if num_samples else audio[:0]
  return np.clip(audio, -1.0, 1.0).astype(np.float32)


def write_wav(path, audio, sample_rate):
  """Writes mono float audio in [-1, 1] as 16-bit PCM, atomically."""
  from tfgen.utils.atomic import atomic_path  # pylint: disable=import-outside-toplevel
  pcm = (np.clip(np.asarray(audio), -1.0, 1.0) * 32767).astype("<i2")
  with atomic_path(path) as temporary:
    with wave.open(temporary, "wb") as handle:
      handle.setnchannels(1)
      handle.setsampwidth(2)
      handle.setframerate(int(sample_rate))
      handle.writeframes(pcm.tobytes())
  return path


def _split(ids):
  cut = int(round(len(ids) * (1.0 - VALID_FRACTION)))
  return ids[:cut], ids[cut:]


def wav_folder(path, sample_rate=SAMPLE_RATE):
  """Every *.wav below `path` (sorted), mono, resampled to `sample_rate`, mu-law encoded."""
  if not os.path.isdir(path):
    raise DataError(f"{path}: no such folder of WAV files")
  files, num_skipped = folder_files.files_below(path, (".wav",))
  if not files:
    raise DataError(f"{path}: holds no .wav files{folder_files.skipped_note(num_skipped)}")
  audio = np.concatenate([read_wav(file, sample_rate) for file in files])
  train, valid = _split(mu_law_encode(audio))
  return train, valid, path


def labeled_wav_folder(path, sample_rate=SAMPLE_RATE):
  """One class per subfolder of `path` (a speaker, an instrument): its WAV files, as `wav_folder`."""
  if not os.path.isdir(path):
    raise DataError(f"{path}: no such folder of WAV files")
  class_names = folder_files.subfolders(path)
  if not class_names:
    raise DataError(f"{path}: labeled audio needs one subfolder of WAV files per class")
  return class_names, [wav_folder(os.path.join(path, name), sample_rate)[:2]
                       for name in class_names], path


TONE_SHAPES = ("sine", "square", "sawtooth")


def _tone(shape, phase):
  """One period-2pi waveform of the given shape at `phase` (radians), in [-1, 1]."""
  if shape == "sine":
    return np.sin(phase)
  if shape == "square":
    return np.sign(np.sin(phase))
  return 2.0 * ((phase / (2 * np.pi)) % 1.0) - 1.0


def _tone_stream(shape, num_tones, sample_rate, rng):
  """Half-second tones of one waveform, random pitch (200-1000 Hz), loudness and phase, mu-law encoded."""
  times = np.arange(sample_rate // 2) / sample_rate
  pieces = []
  for _ in range(num_tones):
    frequency, amplitude = rng.uniform(200.0, 1000.0), rng.uniform(0.2, 0.8)
    pieces.append(amplitude * _tone(shape, 2 * np.pi * frequency * times + rng.uniform(0, 2 * np.pi)))
  return mu_law_encode(np.concatenate(pieces))


def labeled_tones(sample_rate=SAMPLE_RATE, seconds=180.0, seed=0):
  """Generated tones labeled by waveform (sine, square, sawtooth): half-second tones per class."""
  rng = np.random.default_rng(seed)
  num_tones = int(seconds * 2 / len(TONE_SHAPES))
  streams = [_split(_tone_stream(shape, num_tones, sample_rate, rng)) for shape in TONE_SHAPES]
  return list(TONE_SHAPES), streams, f"generated labeled tones (seed {seed}, {sample_rate} Hz)"


def tones(sample_rate=SAMPLE_RATE, seconds=120.0, seed=0):
  """Generated test audio: half-second sine tones of random pitch and loudness, mu-law encoded."""
  rng = np.random.default_rng(seed)
  train, valid = _split(_tone_stream("sine", int(seconds * 2), sample_rate, rng))
  return train, valid, f"generated tones (seed {seed}, {sample_rate} Hz)"
