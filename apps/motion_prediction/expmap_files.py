"""Exponential-map motion files: the CMU-Mocap benchmark (117 values a line) and H3.6M (99).

A file is CSV, one frame a line: the root position, then 3 exponential-map
values per joint. Clips come back as float32 [time, features]; the benchmarks
keep every second frame (`downsample`).

  CMU-Mocap: ROOT/{train,test}/<action>/<action>_<n>.txt, 117 values (38 joints).
  H3.6M:     ROOT/S<subject>/<action>_<n>.txt, 99 values (32 joints).
"""

import os

import numpy as np

from tfgen.data import DataError

CMU_NUM_VALUES = 117
H36M_NUM_VALUES = 99
CMU_ACTIONS = ("basketball", "basketball_signal", "directing_traffic", "jumping", "running",
               "soccer", "walking", "washwindow")
H36M_TRAIN_SUBJECTS = (1, 6, 7, 8, 9, 11)
H36M_TEST_SUBJECTS = (5,)


def read_clip(path, num_values):
  """One CSV motion file -> float32 [time, num_values].

  Args:
    path: the file, one frame a line.
    num_values: values a line (CMU_NUM_VALUES or H36M_NUM_VALUES).
  Raises:
    DataError: naming the file and line of a wrong count, a non-number, NaN or inf.
  """
  if not os.path.isfile(path):
    raise DataError(f"{path}: no such motion file")
  frames = []
  with open(path, "rb") as handle:
    for number, raw in enumerate(handle, start=1):
      try:
        line = raw.decode("ascii").strip()
      except UnicodeDecodeError:
        raise DataError(f"{path}, line {number}: not a text line of numbers") from None
      if not line:
        continue
      fields = line.split(",")
      if len(fields) != num_values:
        raise DataError(f"{path}, line {number}: {len(fields)} values, expected {num_values}")
      try:
        values = [float(field) for field in fields]
      except ValueError:
        raise DataError(f"{path}, line {number}: a value is not a number") from None
      if not np.all(np.isfinite(values)):
        raise DataError(f"{path}, line {number}: NaN or inf value")
      frames.append(values)
  if not frames:
    raise DataError(f"{path}: no frames")
  return np.asarray(frames, dtype=np.float32)


def downsample(clip, factor=2):
  """Every `factor`-th frame from the first, as the benchmarks keep.

  Args:
    clip: [T, F].
  Returns:
    [ceil(T / factor), F].
  """
  return clip[::factor]


def _cmu_folder(*parts):
  """os.path.join(*parts), or a DataError describing the CMU-Mocap layout."""
  folder = os.path.join(*parts)
  if not os.path.isdir(folder):
    raise DataError(f"{folder}: no such folder; CMU-Mocap data is ROOT/{{train,test}}/ACTION/*.txt")
  return folder


def take_order(name):
  """Sort key of "<action>_<n>.txt": by action, then n as a number (_2 before _10)."""
  stem, _, number = os.path.splitext(name)[0].rpartition("_")
  return (stem, int(number)) if number.isdigit() else (name, -1)


def cmu_files(root, split, action):
  """The .txt files of one action of a CMU-Mocap split, in take order (`take_order`)."""
  folder = _cmu_folder(root, split, action)
  names = sorted((name for name in os.listdir(folder) if name.endswith(".txt")), key=take_order)
  if not names:
    raise DataError(f"{folder}: no .txt motion files")
  return [os.path.join(folder, name) for name in names]


def cmu_actions(root, split="test"):
  """The actions present under ROOT/split, in the benchmark's order (others after, sorted)."""
  folder = _cmu_folder(root, split)
  present = {name for name in os.listdir(folder) if os.path.isdir(os.path.join(folder, name))}
  known = [action for action in CMU_ACTIONS if action in present]
  return known + sorted(present - set(CMU_ACTIONS))


def load_cmu(root, split, actions=None):
  """{action: [downsampled clips float32 [time, 117]]} of a CMU-Mocap split."""
  actions = actions or cmu_actions(root, split)
  return {action: [downsample(read_clip(path, CMU_NUM_VALUES))
                   for path in cmu_files(root, split, action)] for action in actions}


def load_h36m(root, subjects, actions=None):
  """{action: [downsampled clips float32 [time, 99]]} of H3.6M subjects (S<n>/<action>_<k>.txt)."""
  clips = {}
  for subject in subjects:
    folder = os.path.join(root, f"S{subject}")
    if not os.path.isdir(folder):
      raise DataError(f"{folder}: no such folder; H3.6M data is ROOT/S<subject>/<action>_<n>.txt")
    for name in sorted(os.listdir(folder), key=take_order):
      action, _, _ = name.rpartition("_")
      if not name.endswith(".txt") or not action or (actions and action not in actions):
        continue
      clips.setdefault(action, []).append(
          downsample(read_clip(os.path.join(folder, name), H36M_NUM_VALUES)))
  if not clips:
    raise DataError(f"{root}: no <action>_<n>.txt files for subjects {list(subjects)}")
  return clips
