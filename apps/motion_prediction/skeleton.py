"""Forward kinematics of exponential-map frames: joint positions for stick-figure pictures.

A frame is [3 + 3 R]: the root's position, then one expmap per rotating joint.
A `Skeleton` says which joint each expmap belongs to, the joints' parents and
their offsets from them:

  G_root = R_root,            p_root = root position + offset_root
  G_j    = G_parent(j) R_j,   p_j    = p_parent(j) + G_parent(j) offset_j

BVH skeletons use that (column-vector) convention. The CMU-Mocap and H3.6M
benchmark files compose rotations on the other side (row vectors, as in their
reference code, `xyz = offset R_parent + p_parent`), which is the same
formula with every R_j transposed; `row_vectors=True` says so.
"""

import dataclasses

import numpy as np

from apps.motion_prediction import rotations


@dataclasses.dataclass
class Skeleton:
  """Joints and how a frame's expmaps drive them.

  Attributes:
    parents: [J] parent index, -1 for the root (parents come before children).
    offsets: float [J, 3] from each joint's parent.
    expmap_joint: [R] the joint each of a frame's R expmaps rotates.
    row_vectors: compose as the benchmark files do (see the module docstring).
    name: for messages.
  """
  parents: list
  offsets: np.ndarray
  expmap_joint: list
  row_vectors: bool = False
  name: str = "skeleton"

  @property
  def num_values(self):
    """Values in a frame: 3 + 3 R."""
    return 3 + 3 * len(self.expmap_joint)

  @property
  def bones(self):
    """[(parent, child)] for drawing."""
    return [(parent, child) for child, parent in enumerate(self.parents) if parent >= 0]

  def positions(self, frames):
    """Joint positions float64 [T, J, 3] of expmap frames [T, 3 + 3 R]."""
    frames = np.asarray(frames, np.float64)
    if frames.ndim != 2 or frames.shape[1] != self.num_values:
      raise ValueError(f"the {self.name} skeleton takes frames of {self.num_values} values, got "
                       f"shape {list(frames.shape)}")
    num_frames, num_joints = len(frames), len(self.parents)
    local = np.broadcast_to(np.eye(3), (num_frames, num_joints, 3, 3)).copy()
    expmaps = frames[:, 3:].reshape(num_frames, -1, 3)
    matrices = rotations.expmap_to_rotmat(expmaps)
    if self.row_vectors:
      matrices = np.swapaxes(matrices, -1, -2)
    local[:, self.expmap_joint] = matrices
    return chain(self.parents, self.offsets, local, frames[:, :3])


def chain(parents, offsets, local_rotations, root_positions):
  """Joint positions [T, J, 3] down a kinematic tree (column vectors).

    G_root = L_root, p_root = root position + offset_root
    G_j = G_parent L_j, p_j = p_parent + G_parent offset_j

  Args:
    parents: [J] parent indices, -1 for the root, parents first.
    offsets: [J, 3] from each joint's parent.
    local_rotations: [T, J, 3, 3].
    root_positions: [T, 3].
  """
  num_frames, num_joints = local_rotations.shape[:2]
  positions = np.zeros((num_frames, num_joints, 3))
  global_rotations = np.zeros_like(local_rotations)
  for joint, parent in enumerate(parents):
    if parent < 0:
      positions[:, joint] = root_positions + offsets[joint]
      global_rotations[:, joint] = local_rotations[:, joint]
    else:
      positions[:, joint] = positions[:, parent] + global_rotations[:, parent] @ offsets[joint]
      global_rotations[:, joint] = global_rotations[:, parent] @ local_rotations[:, joint]
  return positions


def from_bvh(bvh, name="BVH"):
  """The skeleton of a `BVH`, for the frames of `bvh.to_expmap()`."""
  rotating = [joint for joint, names in enumerate(bvh.channels)
              if any(channel.endswith("rotation") for channel in names)]
  return Skeleton(list(bvh.parents), np.asarray(bvh.offsets, np.float64), rotating, False, name)


_CMU_PARENTS = (-1, 0, 1, 2, 3, 4, 5, 0, 7, 8, 9, 10, 11, 0, 13, 14, 15, 16, 17, 18, 15, 20, 21, 22,
                23, 24, 25, 23, 27, 15, 29, 30, 31, 32, 33, 34, 32, 36)
_CMU_OFFSETS = (  # Times 70; the reference code's _some_variables_cmu.
    (0, 0, 0), (0, 0, 0), (1.65674, -1.80282, 0.62477), (2.5972, -7.13576, 0),
    (2.49236, -6.8477, 0), (0.19704, -0.54136, 2.14581), (0, 0, 1.11249), (0, 0, 0),
    (-1.6107, -1.80282, 0.62476), (-2.59502, -7.12977, 0), (-2.4678, -6.78024, 0),
    (-0.23024, -0.63258, 2.13368), (0, 0, 1.11569), (0, 0, 0), (0.01961, 2.0545, -0.14112),
    (0.01021, 2.06436, -0.05921), (0, 0, 0), (0.00713, 1.56711, 0.14968),
    (0.03429, 1.56041, -0.10006), (0.01305, 1.6256, -0.05265), (0, 0, 0),
    (3.54205, 0.90436, -0.17364), (4.86513, 0, 0), (3.35554, 0, 0), (0, 0, 0), (0.66117, 0, 0),
    (0.53306, 0, 0), (0, 0, 0), (0.5412, 0, 0.5412), (0, 0, 0), (-3.49802, 0.75994, -0.32616),
    (-5.02649, 0, 0), (-3.36431, 0, 0), (0, 0, 0), (-0.73041, 0, 0), (-0.58887, 0, 0), (0, 0, 0),
    (-0.59786, 0, 0.59786),)


def cmu():
  """The 38-joint skeleton of the CMU-Mocap benchmark's 117-value frames (y up).

  Joint i is rotated by the frame's values 3 + 3i .. 5 + 3i; parents and
  offsets are those of the benchmark's reference forward kinematics
  (convSeq2Seq's and LTD's `_some_variables_cmu`), composed with row vectors.
  """
  return Skeleton(list(_CMU_PARENTS), 70.0 * np.asarray(_CMU_OFFSETS, np.float64),
                  list(range(len(_CMU_PARENTS))), row_vectors=True, name="CMU-Mocap")


_H36M_PARENTS = (-1, 0, 1, 2, 3, 4, 0, 6, 7, 8, 9, 0, 11, 12, 13, 14, 12, 16, 17, 18, 19, 20, 19,
                 22, 12, 24, 25, 26, 27, 28, 27, 30)
_H36M_OFFSETS = (  # mm; the reference code's _some_variables.
    (0, 0, 0), (-132.948591, 0, 0), (0, -442.894612, 0), (0, -454.206447, 0), (0, 0, 162.767078),
    (0, 0, 74.999437), (132.948826, 0, 0), (0, -442.894413, 0), (0, -454.20659, 0),
    (0, 0, 162.767426), (0, 0, 74.999948), (0, 0.1, 0), (0, 233.383263, 0), (0, 257.077681, 0),
    (0, 121.134938, 0), (0, 115.002227, 0), (0, 257.077681, 0), (0, 151.034226, 0),
    (0, 278.882773, 0), (0, 251.733451, 0), (0, 0, 0), (0, 0, 99.999627), (0, 100.000188, 0),
    (0, 0, 0), (0, 257.077681, 0), (0, 151.031437, 0), (0, 278.892924, 0), (0, 251.72868, 0),
    (0, 0, 0), (0, 0, 99.999888), (0, 137.499922, 0), (0, 0, 0),)


def h36m():
  """The 32-joint skeleton of Human3.6M's 99-value expmap frames (the benchmark's reference FK)."""
  return Skeleton(list(_H36M_PARENTS), np.asarray(_H36M_OFFSETS, np.float64),
                  list(range(len(_H36M_PARENTS))), row_vectors=True, name="H3.6M")
