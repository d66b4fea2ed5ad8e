"""Rotations for motion capture: exponential maps, rotation matrices, the benchmark's Euler angles.

An exponential map r in R^3 is the rotation by angle |r| about the axis r / |r|.
Every function takes arrays of any leading shape: [..., 3] or [..., 3, 3].

  R = I + sin(theta) K + (1 - cos(theta)) K^2,   K = [r / theta]_x,  theta = |r|   (Rodrigues)

References:
  Grassia, "Practical parameterization of rotations using the exponential map", 1998.
  Martinez et al., "On human motion prediction using recurrent neural networks", CVPR 2017
  (the Euler convention of the H3.6M / CMU-Mocap benchmarks).
"""

import numpy as np

# Below this angle a rotation is the identity to float64 precision.
_SMALL_ANGLE = 1e-12


def _check_last(array, shape, name):
  array = np.asarray(array, dtype=np.float64)
  if array.shape[array.ndim - len(shape):] != shape:
    raise ValueError(f"{name} must have shape [..., {', '.join(map(str, shape))}], "
                     f"got {list(array.shape)}")
  if not np.all(np.isfinite(array)):
    raise ValueError(f"{name} holds NaN or inf values")
  return array


def skew(vectors):
  """Cross-product matrices: [v]_x u = v x u.

  Args:
    vectors: [..., 3].
  Returns:
    [..., 3, 3].
  """
  first, second, third = vectors[..., 0], vectors[..., 1], vectors[..., 2]
  zero = np.zeros_like(first)
  return np.stack([np.stack([zero, -third, second], -1),
                   np.stack([third, zero, -first], -1),
                   np.stack([-second, first, zero], -1)], -2)


def expmap_to_rotmat(expmaps):
  """Exponential maps [..., 3] -> rotation matrices [..., 3, 3] (Rodrigues' formula)."""
  expmaps = _check_last(expmaps, (3,), "expmaps")
  theta = np.linalg.norm(expmaps, axis=-1)
  axis = expmaps / np.maximum(theta, _SMALL_ANGLE)[..., None]
  cross = skew(axis)
  sin, one_minus_cos = np.sin(theta)[..., None, None], (1.0 - np.cos(theta))[..., None, None]
  return np.eye(3) + sin * cross + one_minus_cos * (cross @ cross)


def rotmat_to_expmap(rotmats):
  """Rotation matrices [..., 3, 3] -> exponential maps [..., 3] with angle in [0, pi].

  theta = atan2(sin, cos) from the antisymmetric part (2 sin(theta) a) and the
  trace; near pi, where sin(theta) vanishes, the axis a comes from the symmetric
  part (R + R^T) / 2 = cos I + (1 - cos) a a^T, its sign from the antisymmetric part.
  """
  rotmats = _check_last(rotmats, (3, 3), "rotmats")
  antisymmetric = np.stack([rotmats[..., 2, 1] - rotmats[..., 1, 2],
                            rotmats[..., 0, 2] - rotmats[..., 2, 0],
                            rotmats[..., 1, 0] - rotmats[..., 0, 1]], -1)  # 2 sin(theta) a.
  sin = np.linalg.norm(antisymmetric, axis=-1) / 2.0
  cos = (np.trace(rotmats, axis1=-2, axis2=-1) - 1.0) / 2.0
  theta = np.arctan2(sin, cos)  # Accurate at every angle, unlike arccos near 0 and pi.
  # theta / (2 sin theta), with its series 1/2 + theta^2 / 12 where sin theta is tiny.
  small = theta < 1e-4
  factor = np.where(small, 0.5 + theta**2 / 12.0, theta / (2.0 * np.where(small, 1.0, sin)))
  generic = antisymmetric * factor[..., None]
  # Near pi: (R + R^T) / 2 = cos I + (1 - cos) a a^T; a is the column of a a^T with
  # the largest diagonal entry, normalized.
  outer = (rotmats + np.swapaxes(rotmats, -1, -2)) / 2.0 - cos[..., None, None] * np.eye(3)
  outer = outer / np.maximum(1.0 - cos, _SMALL_ANGLE)[..., None, None]
  column = np.argmax(np.diagonal(outer, axis1=-2, axis2=-1), axis=-1)
  axis = np.take_along_axis(outer, column[..., None, None], axis=-1)[..., 0]
  axis = axis / np.maximum(np.linalg.norm(axis, axis=-1, keepdims=True), _SMALL_ANGLE)
  sign = np.where(np.sum(axis * antisymmetric, axis=-1) < 0, -1.0, 1.0)
  near_pi = (theta * sign)[..., None] * axis
  return np.where((theta > np.pi - 1e-3)[..., None], near_pi, generic)


def rotmat_to_euler(rotmats):
  """Rotation matrices [..., 3, 3] -> the benchmarks' Euler angles [..., 3] (E1, E2, E3).

  With R = R[row, col]: E2 = -asin(R02), E1 = atan2(R12, R22), E3 = atan2(R01, R00);
  at gimbal lock (R02 = +-1) E2 = -+pi/2, E3 = 0 and E1 = atan2(R01, R02), as in
  the SRNN / Martinez et al. code every published CMU-Mocap number uses. (That
  branch reads E1 from R01 and R02, which drops the rotation about the locked
  axis; it is kept so that errors match the published ones, and exact +-1 does
  not occur in recorded data.)
  """
  rotmats = _check_last(rotmats, (3, 3), "rotmats")
  r02 = np.clip(rotmats[..., 0, 2], -1.0, 1.0)
  delta = np.arctan2(rotmats[..., 0, 1], rotmats[..., 0, 2])
  locked_minus, locked_plus = r02 == -1.0, r02 == 1.0
  e2 = -np.arcsin(r02)
  # cos(E2) > 0 off the lock, so dividing by it (as the reference does) changes no angle.
  e1 = np.arctan2(rotmats[..., 1, 2], rotmats[..., 2, 2])
  e3 = np.arctan2(rotmats[..., 0, 1], rotmats[..., 0, 0])
  e1 = np.where(locked_minus, delta, np.where(locked_plus, delta, e1))
  e2 = np.where(locked_minus, np.pi / 2, np.where(locked_plus, -np.pi / 2, e2))
  e3 = np.where(locked_minus | locked_plus, 0.0, e3)
  return np.stack([e1, e2, e3], -1)


def expmap_to_euler(expmaps):
  """Exponential maps [..., 3] -> the benchmarks' Euler angles [..., 3]."""
  return rotmat_to_euler(expmap_to_rotmat(expmaps))
