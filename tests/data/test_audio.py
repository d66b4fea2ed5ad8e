import numpy as np
import pytest

from tfgen import data
from tfgen.data import audio_sources


def test_mu_law_round_trip_is_within_a_quantisation_step():
  audio = np.linspace(-1, 1, 1001)
  decoded = audio_sources.mu_law_decode(audio_sources.mu_law_encode(audio))
  assert np.abs(decoded - audio).max() < 0.04  # Coarsest steps are near +-1.
  assert audio_sources.mu_law_encode([0.0])[0] in (127, 128)


def test_wav_folder_is_mono_resampled_and_encoded(tmp_path):
  rate = 16000
  times = np.arange(rate) / rate
  left, right = 0.5 * np.sin(2 * np.pi * 440 * times), 0.5 * np.sin(2 * np.pi * 440 * times)
  import wave  # pylint: disable=import-outside-toplevel
  with wave.open(str(tmp_path / "a.wav"), "wb") as handle:
    handle.setnchannels(2)
    handle.setsampwidth(2)
    handle.setframerate(rate)
    handle.writeframes((np.stack([left, right], 1) * 32767).astype("<i2").tobytes())
  audio = audio_sources.read_wav(str(tmp_path / "a.wav"), 8000)
  assert len(audio) == 8000 and abs(np.abs(audio).max() - 0.5) < 0.02
  dataset, info = data.load(f"wav:{tmp_path}", "train", sequence_length=100, batch_size=1000)
  assert info.num_values == 256 and info.num_examples == 72  # 7200 training samples.


def test_bad_audio_is_named(tmp_path):
  (tmp_path / "noise.wav").write_bytes(b"RIFF....WAVEjunk")
  with pytest.raises(data.DataError, match="noise.wav: not a readable PCM WAV file"):
    data.load(f"wav:{tmp_path}", "train")
  empty = tmp_path / "empty"
  empty.mkdir()
  with pytest.raises(data.DataError, match="holds no .wav files"):
    data.load(f"wav:{empty}", "train")


def test_write_wav_reads_back(tmp_path):
  audio = np.sin(np.linspace(0, 100, 4000)) * 0.3
  path = audio_sources.write_wav(str(tmp_path / "out.wav"), audio, 8000)
  np.testing.assert_allclose(audio_sources.read_wav(path, 8000), audio, atol=1e-4)


def test_labeled_tones_come_with_their_waveform():
  dataset, info = data.load("tones", "train", sequence_length=400, batch_size=10000,
                            with_labels=True, shuffle=False)
  windows, labels = next(iter(dataset))
  assert info.num_classes == 3 and info.class_names == ("sine", "square", "sawtooth")
  assert sorted(set(labels.numpy().tolist())) == [0, 1, 2]
  # Square waves sit at two mu-law levels per tone; sines and sawtooths sweep many.
  levels = [len(np.unique(windows.numpy()[labels.numpy() == label][0])) for label in range(3)]
  assert levels[1] <= 2 < min(levels[0], levels[2]), levels


def test_labeled_wav_folder_has_one_class_per_subfolder(tmp_path):
  for index, name in enumerate(["alice", "bob"]):
    (tmp_path / name).mkdir()
    audio_sources.write_wav(str(tmp_path / name / "clip.wav"),
                            0.1 * (index + 1) * np.sin(np.linspace(0, 500, 8000)), 8000)
  dataset, info = data.load(f"wav:{tmp_path}", "valid", sequence_length=100, batch_size=100,
                            with_labels=True)
  assert info.class_names == ("alice", "bob") and info.num_examples == 16  # 800 valid samples each.
  labels = np.concatenate([batch_labels.numpy() for _, batch_labels in dataset])
  assert sorted(labels.tolist()) == [0] * 8 + [1] * 8
  with pytest.raises(data.DataError, match="one subfolder of WAV files per class"):
    data.load(f"wav:{tmp_path / 'alice'}", "train", with_labels=True)
