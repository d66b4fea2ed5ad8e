r"""Forecasts motion on the device: the exported `step` model of a motion run, rolled out.

  python -m export.demos.forecast_motion --model=exported/motion_walker.tflite \
      --normalizer=runs/motion_walker/motion_normalizer.json \
      --observed=clip.npy --num_frames=25 --output=forecast.npy

Needs only ai_edge_litert and numpy. `clip.npy` holds observed expmap frames
[time, features]; the run's normalizer (mean, std, modelled dimensions) maps
them to what the model sees. The GRU state goes round explicitly: the step
reads each observed frame, then its mean prediction is fed back frame by
frame (the mean rollout of `python -m apps.motion_prediction.forecast`).
"""

import argparse
import json
import sys

import numpy as np

from export.demos.litert_artifact import LiteRTArtifact


class _Normalizer:
  """The run's motion_normalizer.json, read with json and numpy."""

  def __init__(self, path):
    try:
      with open(path) as handle:
        record = json.load(handle)
      self.mean = np.asarray(record["mean"], np.float32)
      self.std = np.asarray(record["std"], np.float32)
      self.modelled = np.asarray(record["modelled"], np.int64)
    except FileNotFoundError:
      raise ValueError(f"{path}: no such normalizer (a motion run writes "
                       f"motion_normalizer.json in its workdir)") from None
    except (KeyError, TypeError, ValueError) as error:
      raise ValueError(f"{path}: corrupt normalizer ({error})") from None

  def normalize(self, frames):
    if frames.ndim != 2 or frames.shape[-1] != len(self.mean):
      raise ValueError(f"the observed clip must be [time, {len(self.mean)}] frames, got shape "
                       f"{frames.shape}")
    if not np.all(np.isfinite(frames)):
      raise ValueError("the observed clip holds NaN or inf values")
    return (frames[:, self.modelled] - self.mean[self.modelled]) / self.std[self.modelled]

  def denormalize(self, values, reference):
    frames = np.repeat(reference[np.newaxis], len(values), axis=0)
    frames[:, self.modelled] = values * self.std[self.modelled] + self.mean[self.modelled]
    return frames


def forecast(model_path, normalizer_path, observed, num_frames=25, action=None):
  """Forecast frames [num_frames, features] after `observed` [time, features]."""
  artifact = LiteRTArtifact(model_path)
  normalizer = _Normalizer(normalizer_path)
  observed = np.asarray(observed, np.float32)
  values = normalizer.normalize(observed)
  if len(values) < 1 or num_frames < 1:
    raise ValueError(f"need at least one observed frame and num_frames >= 1, got "
                     f"{len(values)} and {num_frames}")
  size = artifact.metadata.get("element_size")
  if size != values.shape[-1]:
    raise ValueError(f"the model reads {size} values a frame, the normalizer gives "
                     f"{values.shape[-1]}: are they from the same run?")
  extra = {}
  if "condition" in artifact.interpreter.get_signature_list()["step"]["inputs"]:
    names = artifact.metadata.get("class_names") or []
    if action not in names:
      raise ValueError(f"the model is conditioned on the action: give --action, one of "
                       f"{', '.join(names)}")
    extra["condition"] = np.array([names.index(action)], np.int32)
  state = artifact.start_state()
  previous, predicted = np.zeros([1, size], np.float32), []
  for position in range(len(values) + num_frames):
    out, state = artifact.step(previous, position, state, **extra)
    if position < len(values):
      previous = values[position][np.newaxis].astype(np.float32)
    else:
      previous = out["mean"].astype(np.float32).reshape(1, size)
      predicted.append(previous[0])
  return normalizer.denormalize(np.stack(predicted[:num_frames]), observed[-1])


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--model", required=True, help="An exported motion model (.tflite).")
  parser.add_argument("--normalizer", required=True, help="The run's motion_normalizer.json.")
  parser.add_argument("--observed", required=True, help="Observed frames, .npy [time, features].")
  parser.add_argument("--num_frames", type=int, default=25)
  parser.add_argument("--action", default=None, help="A multi-action model's action name.")
  parser.add_argument("--output", default="forecast.npy")
  args = parser.parse_args(argv)
  try:
    observed = np.load(args.observed, allow_pickle=False)
    frames = forecast(args.model, args.normalizer, observed, args.num_frames, args.action)
  except (ValueError, OSError) as error:
    sys.exit(f"forecast_motion: {error}")
  np.save(args.output, frames)
  print(f"wrote {args.output} ({frames.shape[0]} frames of {frames.shape[1]} values)")


if __name__ == "__main__":
  main()
