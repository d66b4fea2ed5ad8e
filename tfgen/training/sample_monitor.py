"""After each epoch: a grid of samples from fixed noise, and a warning when they collapse."""

import warnings

import keras
import numpy as np

from tfgen.utils import images


def mean_pairwise_distance(examples):
  """Mean Euclidean distance between distinct pairs of examples [N, ...] (N >= 2)."""
  flat = np.asarray(examples, np.float64).reshape(len(examples), -1)
  squared = (flat ** 2).sum(axis=1)
  distances = squared[:, None] + squared[None, :] - 2.0 * flat @ flat.T
  distances = np.sqrt(np.maximum(distances, 0.0))
  count = len(flat)
  return float(distances.sum() / (count * (count - 1)))


def diversity_ratio(samples, real):
  """Mean pairwise distance of the samples over that of real examples: about 1 for a
  model as varied as the data, near 0 when the samples collapse to a few modes."""
  return mean_pairwise_distance(samples) / max(mean_pairwise_distance(real), 1e-12)


class SampleMonitor(keras.callbacks.Callback):
  """Draws `num_samples` from the same seed after every epoch into a PNG grid, and logs
  `sample_diversity` (`diversity_ratio` against a real batch), warning below `warn_below`.

  A conditional model draws the classes in turn (sample i has label i mod num_conditions),
  so each row of a 10-wide grid shows every class.

  Args:
    path_for_epoch: epoch number (1-based) -> PNG path.
    real: real examples [N, ...] on the data's scale (N >= 2), the yardstick of diversity.
    num_values: the data's levels, for the picture.
    num_samples: samples per epoch.
    seed: the fixed sampling seed.
    warn_below: the diversity ratio under which it warns of mode collapse.
  """

  def __init__(self, path_for_epoch, real, num_values, num_samples=64, seed=0, warn_below=0.3):
    super().__init__()
    if len(real) < 2 or num_samples < 2:
      raise ValueError("SampleMonitor needs at least 2 real examples and 2 samples")
    self.path_for_epoch, self.real = path_for_epoch, np.asarray(real)
    self.num_values, self.num_samples, self.seed = num_values, int(num_samples), int(seed)
    self.warn_below = float(warn_below)

  def on_epoch_end(self, epoch, logs=None):
    labels = None
    if self.model.num_conditions:
      labels = np.arange(self.num_samples) % self.model.num_conditions
    samples = self.model.sample(self.num_samples, condition=labels, seed=self.seed).numpy()
    images.save_grid(self.path_for_epoch(epoch + 1), samples, self.num_values,
                     num_columns=10 if labels is not None else None)
    ratio = diversity_ratio(samples, self.real)
    if logs is not None:
      logs["sample_diversity"] = ratio  # Read by the CSV logger, which runs later.
    if ratio < self.warn_below:
      warnings.warn(f"epoch {epoch + 1}: samples are {ratio:.2f} times as spread as real "
                    f"examples (below {self.warn_below}): the generator may be collapsing to a "
                    f"few modes; see {self.path_for_epoch(epoch + 1)}", stacklevel=2)
