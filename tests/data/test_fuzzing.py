"""Fuzzing the data parsers: any bytes give data or a DataError naming the file, nothing else."""

import gzip
import io
import wave

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import PARSER_FUZZ, mutated, parsed
from tfgen.data import audio_sources, image_sources, text_sources


def valid_npz():
  buffer = io.BytesIO()
  np.savez_compressed(buffer, train=np.zeros((3, 4), np.uint8), valid=np.ones((2, 4), np.uint8))
  return buffer.getvalue()


def valid_idx():
  return (2051).to_bytes(4, "big") + b"".join(size.to_bytes(4, "big") for size in (2, 3, 3)) + \
      bytes(range(18))


def valid_wav():
  buffer = io.BytesIO()
  with wave.open(buffer, "wb") as handle:
    handle.setnchannels(2)
    handle.setsampwidth(2)
    handle.setframerate(8000)
    handle.writeframes(np.arange(-200, 200, dtype=np.int16).tobytes())
  return buffer.getvalue()


@PARSER_FUZZ
@given(content=st.one_of(st.binary(max_size=256), st.text(max_size=256).map(str.encode)))
def test_text_files(fuzz_folder, content):
  text = parsed(text_sources.read_text_file, fuzz_folder, "corpus.txt", content)
  assert text is None or (isinstance(text, str) and text)


@PARSER_FUZZ
@given(content=mutated(valid_npz()))
def test_npz_archives(fuzz_folder, content):
  array = parsed(lambda path: image_sources._read_npz(path, "train"),  # pylint: disable=protected-access
                 fuzz_folder, "images.npz", content)
  assert array is None or isinstance(array, np.ndarray)


@PARSER_FUZZ
@given(content=mutated(valid_idx()), compress=st.booleans())
def test_idx_files(fuzz_folder, content, compress):
  name = "images.idx.gz" if compress else "images.idx"
  array = parsed(lambda path: image_sources._read_idx(path, 2051),  # pylint: disable=protected-access
                 fuzz_folder, name, gzip.compress(content) if compress else content)
  assert array is None or (array.dtype == np.uint8 and array.ndim == 3)


@PARSER_FUZZ
@given(content=mutated(valid_wav()), sample_rate=st.sampled_from([8000, 16000]))
def test_wav_files(fuzz_folder, content, sample_rate):
  audio = parsed(lambda path: audio_sources.read_wav(path, sample_rate), fuzz_folder, "sound.wav",
                 content)
  assert audio is None or (audio.dtype == np.float32 and audio.ndim == 1
                           and np.all(np.abs(audio) <= 1.0))
