"""Draws samples from a trained run and writes them as a picture."""

import os

import numpy as np

from tfgen.data import audio_sources
from tfgen.training import run
from tfgen.training.workdir import Workdir
from tfgen.utils import images


def _labels(model, info, label, num_samples):
  """Labels for a conditional model: `label` (an int or a class name), or one class per sample in turn."""
  num_conditions = model.num_conditions
  if not num_conditions:
    if label is not None:
      raise ValueError("this run's model is unconditional; drop --label")
    return None
  if label is None:
    return np.arange(num_samples) % num_conditions
  names = list(info.class_names or [])
  if isinstance(label, str) and label in names:
    return np.full(num_samples, names.index(label))
  try:
    index = int(label)
  except ValueError:
    index = -1
  if not 0 <= index < num_conditions:
    known = f" or one of {', '.join(names)}" if names else ""
    raise ValueError(f"label {label!r} is not a class of this model: use 0..{num_conditions - 1}{known}")
  return np.full(num_samples, index)


def check_output(output, suffixes):
  """Raises a ValueError before any work when `output` cannot be what is written there."""
  if not output:
    return
  if not output.lower().endswith(suffixes):
    raise ValueError(f"--output={output}: write a {' or a '.join(suffixes)} file")
  if os.path.isdir(output):
    raise ValueError(f"--output={output} is a folder; give a file name")


def sample(workdir, num_samples=64, output=None, seed=None, temperature=1.0, label=None):
  """Samples `num_samples` examples; writes them to `output` when given.

  A .wav output gets the samples (mu-law audio) one after another with a short
  gap; any other output a PNG grid. A conditional model draws from `label`'s
  class, or from each class in turn when no label is given.

  Returns:
    numpy [num_samples, *shape].
  """
  check_output(output, (".png", ".wav"))
  model, _, info = Workdir(workdir).load_model()
  labels = _labels(model, info, label, num_samples)
  samples = model.sample(num_samples, condition=labels, temperature=temperature, seed=seed).numpy()
  if output and output.lower().endswith(".wav"):
    if info.num_values != audio_sources.NUM_LEVELS or len(info.shape) != 1:
      raise ValueError(f"{info.name} is not mu-law audio; write a .png instead")
    gap = np.zeros(audio_sources.SAMPLE_RATE // 10, np.float32)
    audio = np.concatenate([piece for clip in samples
                            for piece in (audio_sources.mu_law_decode(clip), gap)])
    audio_sources.write_wav(output, audio, audio_sources.SAMPLE_RATE)
  elif output:
    images.save_grid(output, samples, info.num_values)
  return samples


def sample_with_probabilities(workdir, num_samples=16, output=None, seed=None):
  """Samples, and beside each the model's conditional means x_hat_i = E[x_i | x_<i] for it.

  For binary data x_hat_i = p(x_i = 1 | x_<i), the picture of the NADE paper.
  Writes rows of (sample, x_hat) pairs to `output`. Returns (samples, means).
  """
  check_output(output, (".png",))
  model, _, info = Workdir(workdir).load_model()
  samples = model.sample(num_samples, seed=seed)
  means = model.head.mean(model(samples)).numpy()
  samples = samples.numpy()
  if output:
    pairs = np.stack([samples, means.reshape(samples.shape)], axis=1).reshape(
        (-1,) + samples.shape[1:])
    images.save_grid(output, pairs, info.num_values, num_columns=8)
  return samples, means


def complete(workdir, num_examples=8, seed=None, split="test", output=None):
  """Completes the bottom half of test images given their top half.

  Writes rows of (original, given half, three completions) to `output`.
  Returns (originals, completions [3, num_examples, ...]).
  """
  check_output(output, (".png",))
  model, config, info = Workdir(workdir).load_model()
  dataset, _ = run.load_split(config, split, shuffle=False)
  originals = next(iter(dataset.unbatch().batch(num_examples))).numpy()
  mask = np.zeros_like(originals)
  mask[:, :originals.shape[1] // 2] = 1.0
  completions = np.stack([
      model.sample(len(originals), conditioned_on=originals, mask=mask,
                   seed=None if seed is None else seed + index).numpy() for index in range(3)])
  if output:
    rows = [np.stack([originals[i], originals[i] * mask[i]] + [c[i] for c in completions])
            for i in range(len(originals))]
    images.save_grid(output, np.concatenate(rows), info.num_values, num_columns=5)
  return originals, completions
