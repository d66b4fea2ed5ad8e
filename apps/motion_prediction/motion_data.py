"""The app's motion sources: {action: [expmap clips [time, 3 + 3 R]]} per split, and a skeleton.

  cmu:ROOT        CMU-Mocap benchmark files (117 values); train = ROOT/train less
                  each action's last file, valid = that file, test = ROOT/test.
  h36m:ROOT       Human3.6M expmap files (99 values), ROOT/S<n>/<action>_<k>.txt;
                  train = subjects 1, 6, 7, 8, 9, valid = 11, test = 5.
  bvh:PATH        a .bvh file or a folder of them (one skeleton), resampled to
                  about 25 frames a second; with 3 or more files the last (by
                  name) tests, the one before validates and the rest train;
                  with fewer each clip is split in time, the last 15% (at
                  least one window) testing and the 15% before validating.
  synthetic       the procedural walker and runner (`synthetic_walker`), no files.

Every clip is at the benchmark's rate: CMU and H3.6M files are downsampled by 2.
"""

import dataclasses
import os

from apps.motion_prediction import bvh as bvh_lib
from apps.motion_prediction import expmap_files
from apps.motion_prediction import skeleton as skeleton_lib
from apps.motion_prediction import synthetic_walker
from tfgen.data import DataError

SPLITS = ("train", "valid", "test")
BVH_FRAMES_PER_SECOND = 25
_SYNTHETIC_SEEDS = {"train": range(0, 16), "valid": range(100, 104), "test": range(200, 201)}
_SYNTHETIC_FRAMES = {"train": 250, "valid": 150, "test": 400}


@dataclasses.dataclass
class MotionData:
  """One split of a source.

  Attributes:
    clips: {action: [float32 [time, 3 + 3 R]]}.
    skeleton: a `skeleton.Skeleton` for the frames.
    source: the spec it came from.
  """
  clips: dict
  skeleton: skeleton_lib.Skeleton
  source: str

  @property
  def num_values(self):
    return self.skeleton.num_values

  def all_clips(self):
    return [clip for clips in self.clips.values() for clip in clips]


def load(spec, split, window_length=75):
  """The clips of `split` ("train", "valid" or "test") of the source `spec` (module docstring).

  `window_length` (observed + predicted frames) sets the least a time-split
  BVH part holds.
  """
  if split not in SPLITS:
    raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
  kind, _, path = str(spec).partition(":")
  if kind == "synthetic" and not path:
    seeds, num_frames = _SYNTHETIC_SEEDS[split], _SYNTHETIC_FRAMES[split]
    clip = synthetic_walker.clip(0, num_frames=2)
    return MotionData(synthetic_walker.clips(seeds, num_frames),
                      skeleton_lib.from_bvh(clip, "synthetic walker"), spec)
  if kind == "cmu" and path:
    return MotionData(_cmu(path, split), skeleton_lib.cmu(), spec)
  if kind == "h36m" and path:
    subjects = {"train": (1, 6, 7, 8, 9), "valid": (11,), "test": (5,)}[split]
    return MotionData(expmap_files.load_h36m(path, subjects), skeleton_lib.h36m(), spec)
  if kind == "bvh" and path:
    return _bvh(path, split, spec, int(window_length))
  raise DataError(f"unknown motion data {spec!r}; use cmu:ROOT, h36m:ROOT, bvh:FILE_OR_FOLDER or "
                  "synthetic")


def _cmu(root, split):
  if split == "test":
    return expmap_files.load_cmu(root, "test")
  clips = {}
  for action in expmap_files.cmu_actions(root, "train"):
    paths = expmap_files.cmu_files(root, "train", action)
    if len(paths) < 2:
      raise DataError(f"{os.path.dirname(paths[0])}: one training file; the app validates on each "
                      "action's last training file and needs at least two")
    chosen = paths[:-1] if split == "train" else paths[-1:]
    clips[action] = [expmap_files.downsample(
        expmap_files.read_clip(path, expmap_files.CMU_NUM_VALUES)) for path in chosen]
  return clips


def bvh_files(path):
  """The .bvh files at `path` (one file, or a folder's, sorted)."""
  if os.path.isfile(path):
    return [path]
  if not os.path.isdir(path):
    raise DataError(f"{path}: no such BVH file or folder")
  names = sorted(name for name in os.listdir(path) if name.lower().endswith(".bvh"))
  if not names:
    raise DataError(f"{path}: no .bvh files in the folder")
  return [os.path.join(path, name) for name in names]


def read_bvh_clip(path):
  """(expmap frames [T', 3 + 3 R] at about 25 frames a second, skeleton) of one BVH file."""
  motion = bvh_lib.read_bvh(path)
  step = max(1, round(1.0 / (motion.frame_time * BVH_FRAMES_PER_SECOND)))
  name = os.path.splitext(os.path.basename(path))[0]
  return motion.to_expmap()[::step], skeleton_lib.from_bvh(motion, name)


def _bvh(path, split, spec, window_length):
  paths = bvh_files(path)
  read = [read_bvh_clip(file_path) for file_path in paths]
  skeleton = read[0][1]
  for file_path, (_, file_skeleton) in zip(paths, read):
    if (file_skeleton.parents != skeleton.parents
        or file_skeleton.expmap_joint != skeleton.expmap_joint):
      raise DataError(f"{file_path}: another skeleton than {paths[0]}; one run takes one skeleton")
  if len(read) >= 3:
    chosen = {"train": read[:-2], "valid": read[-2:-1], "test": read[-1:]}[split]
    action = os.path.basename(os.path.normpath(path)) or "bvh"  # One action: the folder.
    return MotionData({action: [frames for frames, _ in chosen]}, skeleton, spec)
  clips = {}
  for file_path, (frames, file_skeleton) in zip(paths, read):
    held = max(int(0.15 * len(frames)), window_length)
    if len(frames) - 2 * held < window_length:
      raise DataError(f"{file_path}: {len(frames)} frames at 25 a second; splitting one clip in "
                      f"time needs {3 * window_length} ({window_length}, a window, for each of "
                      "train, valid and test). Give a folder of 3 or more BVH files, or shorter "
                      "windows (--set=data.num_observed=N --set=data.num_target=M)")
    parts = {"train": frames[:-2 * held], "valid": frames[-2 * held:-held], "test": frames[-held:]}
    clips[file_skeleton.name] = [parts[split]]
  return MotionData(clips, skeleton, spec)
