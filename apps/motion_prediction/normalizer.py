"""Per-dimension normalisation of expmap frames, fitted on training frames and kept in the workdir.

  z_d = (x_d - mean_d) / max(std_d, min_scale)   for every modelled dimension d

A dimension is modelled unless its training std is below 1e-4 (it is kept
constant) or it belongs to the root (dimensions 0-5: position and rotation,
which the benchmark does not score). Frames a model predicts are completed
with the unmodelled values of the last observed frame. `min_scale` keeps a
nearly still joint (std 0.008 rad in CMU-Mocap's training files, 15 std away
in every test file) from dominating the loss and the network's input.
"""

import dataclasses
import json
import os

import numpy as np

from tfgen.data import DataError
from tfgen.utils import atomic

MIN_STD = 1e-4
NUM_ROOT_DIMS = 6
FILE_NAME = "motion_normalizer.json"


@dataclasses.dataclass
class Normalizer:
  """Attributes: mean float32 [F]; std float32 [F], the divisors (the std, at least min_scale);
  modelled: int [D] indices of the modelled dimensions."""
  mean: np.ndarray
  std: np.ndarray
  modelled: np.ndarray

  @classmethod
  def fit(cls, clips, min_scale=0.0):
    """From training clips [T_i, F] (the statistics of all their frames together).

    Args:
      clips: [T_i, F] arrays.
      min_scale: the smallest divisor of a modelled dimension (0 = its std).
    """
    frames = np.concatenate([np.asarray(clip, np.float64) for clip in clips])
    mean, std = frames.mean(axis=0), frames.std(axis=0)
    modelled = np.flatnonzero(std >= MIN_STD)
    modelled = modelled[modelled >= NUM_ROOT_DIMS]
    if not len(modelled):
      raise DataError("every dimension of the training frames is constant: nothing to model")
    scale = np.where(std >= MIN_STD, np.maximum(std, float(min_scale)), 1.0)
    return cls(mean.astype(np.float32), scale.astype(np.float32), modelled)

  @property
  def num_features(self):
    """F, the values of a full frame."""
    return len(self.mean)

  @property
  def num_modelled(self):
    """D, the values a model sees."""
    return len(self.modelled)

  def normalize(self, frames):
    """[..., F] frames -> [..., D] normalised modelled values."""
    frames = np.asarray(frames, np.float32)
    if frames.shape[-1] != self.num_features:
      raise ValueError(f"frames have {frames.shape[-1]} values, this run's data has "
                       f"{self.num_features}")
    if not np.all(np.isfinite(frames)):
      raise ValueError("frames hold NaN or inf values")
    return (frames[..., self.modelled] - self.mean[self.modelled]) / self.std[self.modelled]

  def denormalize(self, values, reference):
    """[..., T, D] values -> [..., T, F] frames; unmodelled values from `reference` [..., F]."""
    values = np.asarray(values, np.float32)
    reference = np.asarray(reference, np.float32)
    frames = np.repeat(reference[..., np.newaxis, :], values.shape[-2], axis=-2)
    frames[..., self.modelled] = values * self.std[self.modelled] + self.mean[self.modelled]
    return frames

  def save(self, workdir):
    atomic.write_json(os.path.join(workdir, FILE_NAME),
                      {"mean": self.mean.tolist(), "std": self.std.tolist(),
                       "modelled": self.modelled.tolist(), "min_std": MIN_STD,
                       "root_dims_held": NUM_ROOT_DIMS})

  @classmethod
  def load(cls, workdir):
    path = os.path.join(workdir, FILE_NAME)
    if not os.path.isfile(path):
      raise DataError(f"{path}: no normalisation statistics; is {workdir} a motion-prediction run?")
    try:
      record = atomic.read_json(path)
      return cls(np.asarray(record["mean"], np.float32), np.asarray(record["std"], np.float32),
                 np.asarray(record["modelled"], np.int64))
    except (KeyError, TypeError, ValueError, json.JSONDecodeError) as error:
      raise DataError(f"{path}: corrupt normalisation statistics ({error})") from None
