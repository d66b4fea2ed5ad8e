"""The CMU-Mocap short-term prediction benchmark: windows, Euler-angle error, zero velocity.

The protocol of convSeq2Seq (Li et al. 2018) and LTD (Mao et al. 2019) on CMU-Mocap:

  * clips are downsampled by 2; an action is scored on its first test file;
  * windows: a fresh numpy RandomState(1234567890) per action draws
    `num_windows` starts s = randint(0, T - 75); a window is frames s..s+74,
    50 observed then 25 to predict;
  * error at target frame t: || euler(pred_t) - euler(true_t) ||_2 over every
    angle dimension, after converting each expmap triplet to a rotation matrix
    and then to the benchmark's Euler angles, with the root's position and
    rotation (dimensions 0-5) zeroed; averaged over the windows;
  * reported at target frames 1, 3, 7, 9, 13, 24 (zero-based): 80 ... 1000 ms.

The zero-velocity baseline repeats the last observed frame. Eight windows make
the published numbers noisy; `num_windows=256` (the same seed) gives the
protocol with its spread, the standard deviation over windows (starts are
drawn with replacement, so a short clip repeats windows: the 82-frame running
test clip has only 7 distinct starts).

Horizons are labelled in ms as the published tables do: 40 ms a downsampled
frame (frame 1 = 80 ms), whatever the capture rate.
"""

import numpy as np

from apps.motion_prediction import rotations
from tfgen.data import DataError

SEED = 1234567890
NUM_OBSERVED = 50
NUM_TARGET = 25
HORIZON_FRAMES = (1, 3, 7, 9, 13, 24)
HORIZON_MS = (80, 160, 320, 400, 560, 1000)
NUM_ROOT_DIMS = 6  # Root position (3) and root rotation (3): not scored.


def window_starts(num_frames, num_windows=8, num_observed=NUM_OBSERVED, num_target=NUM_TARGET,
                  seed=SEED):
  """The benchmark's window starts in one clip.

  Args:
    num_frames: T, the clip's length after downsampling.
    num_windows: W >= 1 draws of randint(0, T - num_observed - num_target).
  Returns:
    int [W].
  """
  total = num_observed + num_target
  if num_windows < 1:
    raise ValueError(f"num_windows must be >= 1, got {num_windows}")
  if num_frames <= total:
    raise DataError(f"a clip of {num_frames} frames is too short: {num_observed} observed + "
                    f"{num_target} predicted frames need more than {total}")
  rng = np.random.RandomState(seed)
  return np.array([rng.randint(0, num_frames - total) for _ in range(num_windows)])


def windows(clip, num_windows=8, num_observed=NUM_OBSERVED, num_target=NUM_TARGET, seed=SEED):
  """The benchmark's windows of one clip.

  Args:
    clip: [T, F] frames, downsampled.
  Returns:
    (observed [W, num_observed, F], target [W, num_target, F]).
  """
  clip = np.asarray(clip)
  starts = window_starts(len(clip), num_windows, num_observed, num_target, seed)
  cut = np.stack([clip[start:start + num_observed + num_target] for start in starts])
  return cut[:, :num_observed], cut[:, num_observed:]


def srnn_windows(first, second, num_windows=8, num_observed=NUM_OBSERVED, num_target=NUM_TARGET,
                 seed=SEED):
  """Human3.6M's windows (Martinez et al.'s `find_indices_srnn`) from subject 5's two takes.

  A fresh RandomState(seed) per action draws starts alternately in take 1 and
  take 2, s = randint(16, T - 150) (50 observed + up to 100 predicted frames),
  num_windows / 2 in each; a window is frames s .. s + 74 (50 observed, 25 to
  predict), the same frames as the reference's idx + 50 - 50 .. idx + 50 + 25.

  Args:
    first, second: [T1, F], [T2, F] the takes <action>_1 and <action>_2, downsampled.
  Returns:
    (observed [W, num_observed, F], target [W, num_target, F]).
  """
  if num_windows < 2 or num_windows % 2:
    raise ValueError(f"the SRNN protocol draws windows in pairs; num_windows must be even, got "
                     f"{num_windows}")
  takes = [np.asarray(first), np.asarray(second)]
  for take in takes:
    if len(take) <= 16 + 150:
      raise DataError(f"a take of {len(take)} frames is too short for the SRNN protocol (> 166)")
  rng = np.random.RandomState(seed)
  cut = []
  for _ in range(num_windows // 2):
    for take in takes:
      start = rng.randint(16, len(take) - 150)
      cut.append(take[start:start + num_observed + num_target])
  cut = np.stack(cut)
  return cut[:, :num_observed], cut[:, num_observed:]


def euler_error(predicted, target):
  """Per-frame Euler-angle error, the root's 6 dimensions not counted.

  Args:
    predicted, target: expmap frames [..., time, F], F a multiple of 3.
  Returns:
    [..., time]: the L2 norm over the Euler angles of each frame.
  """
  predicted, target = np.asarray(predicted, np.float64), np.asarray(target, np.float64)
  if predicted.shape != target.shape or predicted.shape[-1] % 3:
    raise ValueError(f"predicted {list(predicted.shape)} and target {list(target.shape)} must "
                     "have one shape, with a multiple of 3 features")

  def angles(frames):
    euler = rotations.expmap_to_euler(frames.reshape(frames.shape[:-1] + (-1, 3)))
    euler = euler.reshape(frames.shape).copy()
    euler[..., :NUM_ROOT_DIMS] = 0.0
    return euler

  return np.linalg.norm(angles(predicted) - angles(target), axis=-1)


def zero_velocity(observed, num_frames):
  """The baseline forecast: the last observed frame, repeated.

  Args:
    observed: [W, time, F].
    num_frames: frames to forecast.
  Returns:
    [W, num_frames, F].
  """
  observed = np.asarray(observed)
  if observed.ndim != 3:
    raise ValueError(f"observed must be [windows, time, features], got {list(observed.shape)}")
  return np.repeat(observed[:, -1:], num_frames, axis=1)


def score(forecast, clips_by_action, num_windows=8, num_observed=NUM_OBSERVED,
          num_target=NUM_TARGET, seed=SEED, protocol="cmu"):
  """Runs the protocol for a forecaster over each action's test clips.

  Args:
    forecast: (observed [W, num_observed, F], num_target) -> predictions [W, num_target, F].
    clips_by_action: {action: [clips [T, F]]}, downsampled.
    protocol: "cmu" scores each action's first clip (CMU-Mocap's one test
      file, <action>_1.txt) by `windows`; "srnn" its first two (H3.6M subject
      5's takes 1 and 2) by `srnn_windows`.
  Returns:
    {action: {"mean": [error at each HORIZON_FRAMES], "std": [over windows],
              "num_windows": W, "num_frames": T}}.
  """
  if num_target <= max(HORIZON_FRAMES):
    raise ValueError(f"num_target must exceed the last horizon frame {max(HORIZON_FRAMES)}, "
                     f"got {num_target}")
  results = {}
  for action, clips in clips_by_action.items():
    if protocol == "srnn":
      if len(clips) < 2:
        raise DataError(f"{action}: the SRNN protocol needs takes 1 and 2, found {len(clips)} clip")
      observed, target = srnn_windows(clips[0], clips[1], num_windows, num_observed, num_target,
                                      seed)
    elif protocol == "cmu":
      observed, target = windows(clips[0], num_windows, num_observed, num_target, seed)
    else:
      raise ValueError(f"protocol must be 'cmu' or 'srnn', got {protocol!r}")
    predicted = np.asarray(forecast(observed, num_target))
    if predicted.shape != target.shape:
      raise ValueError(f"{action}: the forecast has shape {list(predicted.shape)}, expected "
                       f"{list(target.shape)}")
    errors = euler_error(predicted, target)[:, list(HORIZON_FRAMES)]
    results[action] = {"mean": errors.mean(axis=0).tolist(), "std": errors.std(axis=0).tolist(),
                       "num_windows": int(num_windows), "num_frames": int(len(clips[0]))}
  return results


def format_table(results_by_method, show_spread=True):
  """Markdown rows: action | method | error at each horizon, 3 decimals.

  Args:
    results_by_method: {method name: the results of `score`}.
    show_spread: add "± std over windows" where a row has more than 8 windows.
  """
  header = "| action | method | " + " | ".join(f"{ms} ms" for ms in HORIZON_MS) + " |"
  lines = [header, "|" + "---|" * (len(HORIZON_MS) + 2)]
  for method, results in results_by_method.items():
    for action, result in results.items():
      spread = show_spread and result["num_windows"] > 8
      cells = [f"{mean:.3f} ± {std:.3f}" if spread else f"{mean:.3f}"
               for mean, std in zip(result["mean"], result["std"])]
      lines.append(f"| {action} | {method} | " + " | ".join(cells) + " |")
  return "\n".join(lines)
