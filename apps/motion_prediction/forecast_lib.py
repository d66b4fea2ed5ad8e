"""Forecasts a clip with a trained run; draws truth and forecast side by side (GIF, PNG strip)."""

import os

import numpy as np

from apps.motion_prediction import expmap_files
from apps.motion_prediction import motion_data
from apps.motion_prediction import skeleton as skeleton_lib
from apps.motion_prediction import stick_figures
from apps.motion_prediction import synthetic_walker
from apps.motion_prediction.forecaster import Forecaster
from tfgen.data import DataError


def read_input(spec):
  """(expmap frames [T, F] at the benchmark's rate, skeleton) of a clip.

  Args:
    spec: a .bvh file; a .txt expmap file (117 values a line: CMU-Mocap, 99:
      H3.6M; downsampled by 2 as in training); or synthetic[:SEED[:ACTION]].
  """
  if spec == "synthetic" or spec.startswith("synthetic:"):
    _, _, rest = spec.partition(":")
    seed, _, action = rest.partition(":")
    try:
      clip = synthetic_walker.clip(int(seed or 200), action or "walking", num_frames=400)
    except ValueError as error:
      raise DataError(f"{spec}: {error} (use synthetic:SEED:walking|running)") from None
    return clip.to_expmap(), skeleton_lib.from_bvh(clip, "synthetic walker")
  if spec.lower().endswith(".bvh"):
    return motion_data.read_bvh_clip(spec)
  if not os.path.isfile(spec):
    raise DataError(f"{spec}: no such clip (give a .bvh file, a .txt expmap file, or synthetic)")
  with open(spec, "rb") as handle:
    num_values = len(handle.readline().split(b","))
  if num_values == expmap_files.CMU_NUM_VALUES:
    return expmap_files.downsample(expmap_files.read_clip(spec, num_values)), skeleton_lib.cmu()
  if num_values == expmap_files.H36M_NUM_VALUES:
    return expmap_files.downsample(expmap_files.read_clip(spec, num_values)), skeleton_lib.h36m()
  raise DataError(f"{spec}, line 1: {num_values} values; an expmap file has 117 (CMU-Mocap) or 99 "
                  "(H3.6M)")


def forecast(workdir, input_spec, output, observe=50, frames=25, num_samples=1, start=0, seed=0,
             action=None):
  """Forecasts `frames` frames after `observe` frames of the clip from frame `start`.

  Writes `output` (a GIF: truth left, forecast right) and a PNG strip beside it
  (OUTPUT with .png) of the last observed and the forecast frames. A point
  model's forecast is its mean rollout; with num_samples > 1 (a mixture
  density run) that many futures are drawn and overlaid in colours.
  Returns {"gif", "strip", "forecast": [num_samples, frames, F] frames}.
  """
  forecaster, _ = Forecaster.from_workdir(workdir)
  clip, skeleton = read_input(input_spec)
  if clip.shape[1] != forecaster.normalizer.num_features:
    raise DataError(f"{input_spec} has frames of {clip.shape[1]} values; {workdir} was trained on "
                    f"{forecaster.normalizer.num_features}")
  observe, frames, start = int(observe), int(frames), int(start)
  if observe < 1 or frames < 1 or start < 0:
    raise ValueError(f"observe and frames must be >= 1 and start >= 0, got {observe}, {frames}, "
                     f"{start}")
  if start + observe + frames > len(clip):
    raise DataError(f"{input_spec} has {len(clip)} frames at the benchmark's rate; observing "
                    f"{observe} and forecasting {frames} from frame {start} needs "
                    f"{start + observe + frames}")
  forecaster = forecaster.for_action_name(action)
  window = clip[start:start + observe + frames]
  observed = window[np.newaxis, :observe]
  if num_samples > 1:
    predicted = forecaster(observed, frames, num_samples=num_samples, mean=False, seed=seed)
  else:
    predicted = forecaster(observed, frames)
  truth_positions = skeleton.positions(window)
  predicted_positions = np.stack([skeleton.positions(future) for future in predicted])
  images = stick_figures.frames_side_by_side(truth_positions, predicted_positions, skeleton.bones,
                                             observe)
  gif = stick_figures.save_gif(output, images)
  strip = stick_figures.save_strip(os.path.splitext(output)[0] + ".png", images[observe - 1:])
  return {"gif": gif, "strip": strip, "forecast": predicted}

