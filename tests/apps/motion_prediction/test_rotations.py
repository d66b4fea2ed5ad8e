"""Exponential maps, rotation matrices and the benchmark's Euler angles, against scipy."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from apps.motion_prediction import rotations


def random_expmaps(num, seed=0, max_angle=np.pi):
  rng = np.random.default_rng(seed)
  axes = rng.normal(size=(num, 3))
  axes /= np.linalg.norm(axes, axis=-1, keepdims=True)
  return axes * rng.uniform(0.0, max_angle, (num, 1))


def test_expmap_to_rotmat_matches_scipy_rotvec():
  expmaps = random_expmaps(500)
  np.testing.assert_allclose(rotations.expmap_to_rotmat(expmaps),
                             Rotation.from_rotvec(expmaps).as_matrix(), atol=1e-12)


def test_zero_expmap_is_the_identity_and_back_and_shapes_broadcast():
  np.testing.assert_array_equal(rotations.expmap_to_rotmat(np.zeros((2, 4, 3))),
                                np.broadcast_to(np.eye(3), (2, 4, 3, 3)))
  np.testing.assert_array_equal(rotations.rotmat_to_expmap(np.eye(3)), np.zeros(3))


@pytest.mark.parametrize("max_angle, offset, rtol", [
    (np.pi, 0.0, 1e-9), (1e-6, 0.0, 1e-9), (1e-9, 0.0, 1e-9), (1e-4, np.pi - 1e-4, 1e-9),
    (1e-10, np.pi - 1e-10, 1e-7)])
def test_round_trip_through_the_matrix_including_tiny_angles_and_angles_near_pi(
    max_angle, offset, rtol):
  rng = np.random.default_rng(1)
  axes = rng.normal(size=(300, 3))
  axes /= np.linalg.norm(axes, axis=-1, keepdims=True)
  angles = offset + rng.uniform(0.1, 1.0, (300, 1)) * max_angle
  expmaps = axes * angles
  back = rotations.rotmat_to_expmap(rotations.expmap_to_rotmat(expmaps))
  np.testing.assert_allclose(back, expmaps, rtol=rtol, atol=0.0)


def test_at_exactly_pi_either_axis_sign_is_the_same_rotation():
  expmaps = np.array([[np.pi, 0.0, 0.0], [0.0, 0.0, -np.pi], [np.pi / np.sqrt(2)] * 2 + [0.0]])
  back = rotations.rotmat_to_expmap(rotations.expmap_to_rotmat(expmaps))
  np.testing.assert_allclose(np.linalg.norm(back, axis=-1), np.pi, atol=1e-9)
  np.testing.assert_allclose(rotations.expmap_to_rotmat(back), rotations.expmap_to_rotmat(expmaps),
                             atol=1e-9)


def test_euler_angles_are_scipy_intrinsic_xyz_negated():
  # R = Rx(-E1) Ry(-E2) Rz(-E3) in scipy's intrinsic "XYZ" order, away from gimbal lock.
  rotmats = Rotation.from_rotvec(random_expmaps(500, seed=2)).as_matrix()
  euler = rotations.rotmat_to_euler(rotmats)
  np.testing.assert_allclose(Rotation.from_euler("XYZ", -euler).as_matrix(), rotmats, atol=1e-10)


def test_gimbal_lock_branch_is_the_references():
  # At R02 = -1 (+1): E2 = pi/2 (-pi/2), E3 = 0, E1 = atan2(R01, R02), as the SRNN code does.
  for sign, e2 in ((-1.0, np.pi / 2), (1.0, -np.pi / 2)):
    rotmat = Rotation.from_euler("XYZ", [-0.3, -e2, 0.0]).as_matrix()
    rotmat[0, 2] = sign
    euler = rotations.rotmat_to_euler(rotmat)
    np.testing.assert_allclose(euler, [np.arctan2(rotmat[0, 1], sign), e2, 0.0])


def test_bad_shapes_and_values_name_the_problem():
  with pytest.raises(ValueError, match=r"expmaps must have shape \[..., 3\], got \[4, 2\]"):
    rotations.expmap_to_rotmat(np.zeros((4, 2)))
  with pytest.raises(ValueError, match="rotmats holds NaN or inf"):
    rotations.rotmat_to_euler(np.full((3, 3), np.nan))
