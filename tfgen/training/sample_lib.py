"""Draws samples from a trained run and writes them as a picture."""

import numpy as np

from tfgen.training import run
from tfgen.utils import images


def sample(workdir, num_samples=64, output=None, seed=None, temperature=1.0):
  """Samples `num_samples` examples; writes a PNG grid to `output` when given.

  Returns:
    numpy [num_samples, *shape].
  """
  model, _, info = run.load_model(workdir)
  samples = model.sample(num_samples, temperature=temperature, seed=seed).numpy()
  if output:
    images.save_grid(output, samples, info.num_values)
  return samples


def sample_with_probabilities(workdir, num_samples=16, output=None, seed=None):
  """Samples, and beside each the model's conditional means x_hat_i = E[x_i | x_<i] for it.

  For binary data x_hat_i = p(x_i = 1 | x_<i), the picture of the NADE paper.
  Writes rows of (sample, x_hat) pairs to `output`. Returns (samples, means).
  """
  model, _, info = run.load_model(workdir)
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
  model, config, info = run.load_model(workdir)
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
