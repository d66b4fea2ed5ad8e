"""A conditional WaveNet trained, evaluated and sampled through the training library."""

import wave

import numpy as np
import pytest

from tfgen.configs import wavenet_labeled_tones
from tfgen.training import evaluate_lib, sample_lib, train_lib


def tiny_config():
  config = wavenet_labeled_tones.get_config()
  config.data.sequence_length = 64
  config.data.batch_size = 16
  config.model.residual_channels = 8
  config.model.skip_channels = 8
  config.model.num_layers_per_stack = 3
  config.model.num_stacks = 1
  config.model.embedding_size = 8
  config.training.num_epochs = 1
  config.training.steps_per_epoch = 3
  return config


def test_conditional_wavenet_trains_evaluates_and_writes_wav(tmp_path):
  workdir = str(tmp_path / "run")
  train_lib.train(tiny_config(), workdir, verbose=0)
  result = evaluate_lib.evaluate(workdir, split="valid")
  # 64 mu-law samples: uniform guessing costs 64 ln 256 nats.
  assert 0 < result["nll_nats"] < 64 * np.log(256)
  output = str(tmp_path / "square.wav")
  samples = sample_lib.sample(workdir, num_samples=2, output=output, seed=0, label="square")
  again = sample_lib.sample(workdir, num_samples=2, seed=0, label=1)
  np.testing.assert_array_equal(samples, again)  # "square" is class 1.
  with wave.open(output, "rb") as handle:
    assert handle.getframerate() == 8000 and handle.getnframes() == 2 * (64 + 800)
  with pytest.raises(ValueError, match="not a class of this model: use 0..2 or one of sine"):
    sample_lib.sample(workdir, num_samples=1, label="violin")


def test_conditioning_without_labels_is_refused(tmp_path):
  config = tiny_config()
  config.data.with_labels = False
  with pytest.raises(ValueError, match="needs labeled data: set data.with_labels=True"):
    train_lib.train(config, str(tmp_path / "run"), verbose=0)
  config = tiny_config()
  config.model.num_conditions = 2
  with pytest.raises(ValueError, match="has 3 classes but model.num_conditions=2"):
    train_lib.train(config, str(tmp_path / "other"), verbose=0)
