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
import re

import numpy as np
from scipy.spatial.transform import Rotation

from apps.motion_prediction import rotations
from apps.motion_prediction import skeleton
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
    """float32 [T, 3 + 3 R]: the root's position channels, then an expmap per rotating joint.

    The root's position is its channels alone (its OFFSET, usually 0, is in
    `offsets`); R counts the joints with rotation channels, in file order.
    """
    local = self.local_rotations()
    rotating = [joint for joint, names in enumerate(self.channels)
                if any(name in _ROTATIONS for name in names)]
    expmaps = rotations.rotmat_to_expmap(local[:, rotating]).reshape(len(self.frames), -1)
    return np.concatenate([self.root_positions(), expmaps], axis=1).astype(np.float32)

  def forward_kinematics(self):
    """float64 [T, J, 3]: every joint's position, end sites included.

    The root is at its OFFSET plus its position channels; every other joint at
    its parent's position plus the parent's global rotation times its OFFSET.
    """
    return skeleton.chain(self.parents, self.offsets, self.local_rotations(),
                          self.root_positions())


def _parse_floats(fields, count, path, line_number, what):
  """`count` finite floats from text fields, or a DataError naming the line."""
  if len(fields) != count:
    raise DataError(f"{path}, line {line_number}: {what} needs {count} numbers, got {len(fields)}")
  try:
    values = [float(field) for field in fields]
  except ValueError:
    raise DataError(
        f"{path}, line {line_number}: {what} holds a value that is not a number") from None
  if not np.all(np.isfinite(values)):
    raise DataError(f"{path}, line {line_number}: {what} holds NaN or inf")
  return values


def _check_channels(fields, is_root, is_end_site, path, line_number):
  """The channel names of a CHANNELS line, checked."""
  where = f"{path}, line {line_number}"
  if is_end_site:
    raise DataError(f"{where}: an End Site has no CHANNELS")
  try:
    count = int(fields[1])
  except (IndexError, ValueError):
    raise DataError(f"{where}: CHANNELS needs a count") from None
  listed = fields[2:]
  if len(listed) != count:
    raise DataError(f"{where}: CHANNELS {count} lists {len(listed)} channels")
  unknown = [name for name in listed if name not in _POSITIONS + _ROTATIONS]
  if unknown:
    raise DataError(f"{where}: unknown channel {unknown[0]!r}")
  if len(set(listed)) != len(listed):
    raise DataError(f"{where}: a channel is listed twice")
  if not is_root and any(name in _POSITIONS for name in listed):
    raise DataError(f"{where}: position channels on a joint other than the root are not "
                    "supported")
  return listed


def read_bvh(path):
  """Parses a BVH file.

  Args:
    path: a .bvh file, LF, CRLF or CR line endings, UTF-8 (a BOM is allowed).
  Returns:
    A `BVH`.
  Raises:
    DataError: naming the line of any malformed content.
  """
  if not os.path.isfile(path):
    raise DataError(f"{path}: no such BVH file")
  with open(path, "rb") as handle:
    try:
      text = handle.read().decode("utf-8-sig")
    except UnicodeDecodeError:
      raise DataError(f"{path}: not a text file") from None
  lines = re.split(r"\r\n|\r|\n", text)
  names, parents, offsets, channels, open_joints = [], [], [], [], []
  pending = None  # The joint whose "{" must come next.
  line_number, started = 0, False
  for line_number, raw in enumerate(lines, start=1):
    fields = raw.split()
    if not fields:
      continue
    keyword, where = fields[0], f"{path}, line {line_number}"
    if not started:
      if keyword != "HIERARCHY":
        raise DataError(f"{where}: a BVH file starts with HIERARCHY, got {keyword!r}")
      started = True
      continue
    if pending is not None and keyword != "{":
      raise DataError(f"{where}: expected '{{' after {names[pending]!r}, got {keyword!r}")
    if keyword in ("ROOT", "JOINT") or (keyword == "End" and fields[1:2] == ["Site"]):
      if keyword == "ROOT" and names:
        raise DataError(f"{where}: a second ROOT")
      if keyword != "ROOT" and not open_joints:
        raise DataError(f"{where}: {keyword} outside a joint")
      if keyword != "ROOT" and channels[open_joints[-1]] is None:
        raise DataError(f"{where}: an End Site has no child joints")
      parent = open_joints[-1] if open_joints else -1
      name = f"{names[parent]}_end" if keyword == "End" else " ".join(fields[1:])
      if not name:
        raise DataError(f"{where}: {keyword} without a name")
      if name in names:
        raise DataError(f"{where}: a second joint named {name!r}")
      names.append(name)
      parents.append(parent)
      offsets.append(None)
      channels.append(None if keyword == "End" else [])  # None marks an End Site.
      pending = len(names) - 1
    elif keyword == "{":
      if pending is None:
        raise DataError(f"{where}: '{{' without a joint before it")
      open_joints.append(pending)
      pending = None
    elif keyword == "}":
      if not open_joints:
        raise DataError(f"{where}: '}}' closes nothing")
      joint = open_joints.pop()
      if offsets[joint] is None:
        raise DataError(f"{where}: joint {names[joint]!r} has no OFFSET")
    elif keyword == "OFFSET":
      if not open_joints:
        raise DataError(f"{where}: OFFSET outside a joint")
      offsets[open_joints[-1]] = _parse_floats(fields[1:], 3, path, line_number, "OFFSET")
    elif keyword == "CHANNELS":
      if not open_joints:
        raise DataError(f"{where}: CHANNELS outside a joint")
      joint = open_joints[-1]
      channels[joint] = _check_channels(fields, parents[joint] < 0, channels[joint] is None,
                                        path, line_number)
    elif keyword == "MOTION":
      break
    else:
      raise DataError(f"{where}: unexpected {keyword!r} in the HIERARCHY")
  else:
    raise DataError(f"{path}: no MOTION section")
  if open_joints or pending is not None or not names:
    raise DataError(f"{path}, line {line_number}: MOTION before the HIERARCHY is closed")
  channels = [joint_channels or [] for joint_channels in channels]
  values, frame_time = _read_motion(path, lines, line_number,
                                    sum(len(joint_channels) for joint_channels in channels))
  return BVH(names, parents, np.asarray(offsets, np.float64), channels, values, frame_time)


def _read_motion(path, lines, motion_line_number, num_channels):
  """The MOTION section.

  Args:
    path: for messages.
    lines: every line of the file.
    motion_line_number: the line of the MOTION keyword (1-based).
    num_channels: C, the HIERARCHY's channel count.
  Returns:
    (channel values float64 [T, C], seconds a frame).
  """
  header, values = {}, []
  for line_number in range(motion_line_number + 1, len(lines) + 1):
    text = lines[line_number - 1].strip()
    if not text:
      continue
    where = f"{path}, line {line_number}"
    if len(header) < 2:
      key, _, value = text.partition(":")
      if key not in ("Frames", "Frame Time") or key in header:
        raise DataError(f"{where}: expected 'Frames:' and 'Frame Time:' once each, got {text!r}")
      number = _parse_floats(value.split(), 1, path, line_number, key)[0]
      if key == "Frames" and (number != int(number) or number < 1):
        raise DataError(f"{where}: Frames must be a whole number >= 1, got {value.strip()}")
      if key == "Frame Time" and number <= 0:
        raise DataError(f"{where}: Frame Time must be > 0, got {value.strip()}")
      header[key] = number
      continue
    values.append(_parse_floats(text.split(), num_channels, path, line_number, "a frame"))
  if len(header) < 2:
    raise DataError(f"{path}: the MOTION section lacks 'Frames:' or 'Frame Time:'")
  if len(values) != int(header["Frames"]):
    raise DataError(f"{path}: 'Frames: {int(header['Frames'])}' but {len(values)} frame lines")
  return np.asarray(values, np.float64), float(header["Frame Time"])
