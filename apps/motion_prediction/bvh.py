"""BVH motion files: any skeleton and channel order, to exponential maps and joint positions.

A BVH file has a HIERARCHY (joints with an OFFSET from their parent and the
CHANNELS they animate, in their own order) and a MOTION section (one line of
channel values a frame, Euler angles in degrees). A joint's local rotation is
the product of its rotation channels in the listed order (intrinsic): for
"Zrotation Xrotation Yrotation", R = Rz(z) Rx(x) Ry(y). Forward kinematics:

  position_j = position_parent + R_parent_global offset_j,   R_j_global = R_parent_global R_j

Reference: the BVH format as Biovision defined it (M. Meredith and S. Maddock,
"Motion capture file formats explained", 2001).
"""

import dataclasses
import os

import numpy as np
from scipy.spatial.transform import Rotation

from apps.motion_prediction import rotations
from tfgen.data import DataError

_POSITIONS = ("Xposition", "Yposition", "Zposition")
_ROTATIONS = ("Xrotation", "Yrotation", "Zrotation")


@dataclasses.dataclass
class BVH:
  """A parsed BVH file.

  Attributes:
    joint_names: [J] names; end sites are "<parent>_end".
    parents: [J] the parent's index, -1 for the root.
    offsets: float64 [J, 3] from each joint's parent.
    channels: [J] lists of channel names (empty for end sites).
    frames: float64 [T, C], C the total channel count.
    frame_time: seconds a frame.
  """
  joint_names: list
  parents: list
  offsets: np.ndarray
  channels: list
  frames: np.ndarray
  frame_time: float

  def channel_slices(self):
    """[J] (start, stop) of each joint's channels in a frame."""
    slices, start = [], 0
    for joint_channels in self.channels:
      slices.append((start, start + len(joint_channels)))
      start += len(joint_channels)
    return slices

  def local_rotations(self):
    """float64 [T, J, 3, 3]: each joint's rotation channels as matrices (identity without)."""
    num_frames = len(self.frames)
    result = np.broadcast_to(np.eye(3), (num_frames, len(self.joint_names), 3, 3)).copy()
    for joint, (start, _) in enumerate(self.channel_slices()):
      names = self.channels[joint]
      columns = [start + index for index, name in enumerate(names) if name in _ROTATIONS]
      if not columns:
        continue
      order = "".join(names[column - start][0] for column in columns)  # e.g. "ZXY", intrinsic.
      result[:, joint] = Rotation.from_euler(order, self.frames[:, columns],
                                             degrees=True).as_matrix()
    return result

  def root_positions(self):
    """float64 [T, 3]: the root's position channels (zeros where it has none)."""
    start, _ = self.channel_slices()[0]
    positions = np.zeros((len(self.frames), 3))
    for index, name in enumerate(self.channels[0]):
      if name in _POSITIONS:
        positions[:, _POSITIONS.index(name)] = self.frames[:, start + index]
    return positions

  def to_expmap(self):
    """float32 [T, 3 + 3 R]: the root position, then an expmap for each of the R rotating joints."""
    local = self.local_rotations()
    rotating = [joint for joint, names in enumerate(self.channels)
                if any(name in _ROTATIONS for name in names)]
    expmaps = rotations.rotmat_to_expmap(local[:, rotating]).reshape(len(self.frames), -1)
    return np.concatenate([self.root_positions(), expmaps], axis=1).astype(np.float32)

  def forward_kinematics(self):
    """float64 [T, J, 3]: every joint's position, end sites included."""
    local = self.local_rotations()
    num_frames, num_joints = local.shape[:2]
    positions = np.zeros((num_frames, num_joints, 3))
    global_rotations = np.zeros_like(local)
    for joint, parent in enumerate(self.parents):
      if parent < 0:
        positions[:, joint] = self.root_positions() + self.offsets[joint]
        global_rotations[:, joint] = local[:, joint]
      else:
        offset = global_rotations[:, parent] @ self.offsets[joint]
        positions[:, joint] = positions[:, parent] + offset
        global_rotations[:, joint] = global_rotations[:, parent] @ local[:, joint]
    return positions


def _numbers(fields, count, path, number, what):
  if len(fields) != count:
    raise DataError(f"{path}, line {number}: {what} needs {count} numbers, got {len(fields)}")
  try:
    values = [float(field) for field in fields]
  except ValueError:
    raise DataError(f"{path}, line {number}: {what} holds a value that is not a number") from None
  if not np.all(np.isfinite(values)):
    raise DataError(f"{path}, line {number}: {what} holds NaN or inf")
  return values


def read_bvh(path):
  """Parses a BVH file (LF or CRLF); any malformed content raises DataError naming its line."""
  if not os.path.isfile(path):
    raise DataError(f"{path}: no such BVH file")
  with open(path, "rb") as handle:
    try:
      lines = handle.read().decode("utf-8").splitlines()
    except UnicodeDecodeError:
      raise DataError(f"{path}: not a text file") from None
  names, parents, offsets, channels, stack = [], [], [], [], []
  pending = None  # The joint whose "{" comes next.
  number, started = 0, False
  for number, raw in enumerate(lines, start=1):
    fields = raw.split()
    if not fields:
      continue
    keyword = fields[0]
    if not started:
      if keyword != "HIERARCHY":
        raise DataError(f"{path}, line {number}: a BVH file starts with HIERARCHY, got {keyword!r}")
      started = True
      continue
    if keyword in ("ROOT", "JOINT") or (keyword == "End" and fields[1:2] == ["Site"]):
      if keyword == "ROOT" and names:
        raise DataError(f"{path}, line {number}: a second ROOT")
      if keyword != "ROOT" and not stack:
        raise DataError(f"{path}, line {number}: {keyword} outside a joint")
      parent = stack[-1] if stack else -1
      name = f"{names[parent]}_end" if keyword == "End" else " ".join(fields[1:])
      if not name:
        raise DataError(f"{path}, line {number}: {keyword} without a name")
      names.append(name)
      parents.append(parent)
      offsets.append(None)
      channels.append([])
      pending = len(names) - 1
    elif keyword == "{":
      if pending is None:
        raise DataError(f"{path}, line {number}: '{{' without a joint before it")
      stack.append(pending)
      pending = None
    elif keyword == "}":
      if not stack:
        raise DataError(f"{path}, line {number}: '}}' closes nothing")
      joint = stack.pop()
      if offsets[joint] is None:
        raise DataError(f"{path}, line {number}: joint {names[joint]!r} has no OFFSET")
    elif keyword == "OFFSET":
      if not stack:
        raise DataError(f"{path}, line {number}: OFFSET outside a joint")
      offsets[stack[-1]] = _numbers(fields[1:], 3, path, number, "OFFSET")
    elif keyword == "CHANNELS":
      if not stack:
        raise DataError(f"{path}, line {number}: CHANNELS outside a joint")
      try:
        count = int(fields[1])
      except (IndexError, ValueError):
        raise DataError(f"{path}, line {number}: CHANNELS needs a count") from None
      listed = fields[2:]
      if len(listed) != count:
        raise DataError(f"{path}, line {number}: CHANNELS {count} lists {len(listed)} channels")
      unknown = [name for name in listed if name not in _POSITIONS + _ROTATIONS]
      if unknown:
        raise DataError(f"{path}, line {number}: unknown channel {unknown[0]!r}")
      channels[stack[-1]] = listed
    elif keyword == "MOTION":
      break
    else:
      raise DataError(f"{path}, line {number}: unexpected {keyword!r} in the HIERARCHY")
  else:
    raise DataError(f"{path}: no MOTION section")
  if stack or not names:
    raise DataError(f"{path}, line {number}: MOTION before the HIERARCHY is closed")
  frames, frame_time = _read_motion(path, lines, number, sum(len(c) for c in channels))
  return BVH(names, parents, np.asarray(offsets, np.float64), channels, frames, frame_time)


def _read_motion(path, lines, motion_line, num_channels):
  """(frames [T, C], frame time) from the lines after MOTION."""
  header = {}
  frames = []
  for number in range(motion_line + 1, len(lines) + 1):
    text = lines[number - 1].strip()
    if not text:
      continue
    if len(header) < 2:
      key, _, value = text.partition(":")
      if key not in ("Frames", "Frame Time"):
        raise DataError(f"{path}, line {number}: expected 'Frames:' and 'Frame Time:', "
                        f"got {text!r}")
      header[key] = _numbers(value.split(), 1, path, number, key)[0]
      continue
    frames.append(_numbers(text.split(), num_channels, path, number, "a frame"))
  if len(header) < 2:
    raise DataError(f"{path}: the MOTION section lacks 'Frames:' or 'Frame Time:'")
  if len(frames) != int(header["Frames"]):
    raise DataError(f"{path}: 'Frames: {int(header['Frames'])}' but {len(frames)} frame lines")
  if not frames:
    raise DataError(f"{path}: no frames")
  return np.asarray(frames, np.float64), float(header["Frame Time"])
