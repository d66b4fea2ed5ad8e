"""BVH files: any channel order, LF or CRLF, forward kinematics, errors with line numbers."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from apps.motion_prediction import bvh
from tfgen.data import DataError

TWO_JOINTS = """HIERARCHY
ROOT Hips
{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition ROTATIONS
  JOINT Spine
  {
    OFFSET 0 1 0
    CHANNELS 3 Zrotation Yrotation Xrotation
    End Site
    {
      OFFSET 0 2 0
    }
  }
}
MOTION
Frames: 2
Frame Time: 0.04
FRAMES
"""


def write(tmp_path, rotations="Zrotation Xrotation Yrotation", frames=None, newline="\n",
          text=TWO_JOINTS):
  frames = frames or "1 2 3 90 90 0 0 0 0\n0 0 0 0 0 0 0 0 0"
  path = tmp_path / "clip.bvh"
  path.write_bytes(text.replace("ROTATIONS", rotations).replace("FRAMES", frames)
                   .replace("\n", newline).encode())
  return str(path)


def test_the_cmu_clip_reads_with_its_mixed_line_endings_and_two_channel_orders(shared_data):
  clip = bvh.read_bvh(str(shared_data / "mocap" / "cmu_bvh" / "131_01.bvh"))
  assert len(clip.joint_names) == 31 + 7  # Joints and end sites.
  assert clip.frames.shape == (994, 96) and clip.frame_time == pytest.approx(1 / 120, rel=1e-3)
  assert {" ".join(names) for names in clip.channels if len(names) == 3} == {
      "Zrotation Yrotation Xrotation", "Zrotation Xrotation Yrotation"}
  assert clip.to_expmap().shape == (994, 3 + 31 * 3)


def test_rest_pose_forward_kinematics_is_the_summed_offsets(shared_data):
  clip = bvh.read_bvh(str(shared_data / "mocap" / "cmu_bvh" / "131_01.bvh"))
  clip.frames = np.zeros_like(clip.frames[:1])
  expected = np.zeros((len(clip.joint_names), 3))
  for joint, parent in enumerate(clip.parents):
    expected[joint] = clip.offsets[joint] + (expected[parent] if parent >= 0 else 0.0)
  np.testing.assert_allclose(clip.forward_kinematics()[0], expected, atol=1e-12)


def test_rotations_compose_in_the_listed_order(tmp_path):
  # Root Z 90 then X 90 (intrinsic): R = Rz Rx takes the spine offset (0, 1, 0) to (0, 0, 1).
  positions = bvh.read_bvh(write(tmp_path)).forward_kinematics()
  np.testing.assert_allclose(positions[0, 1], [1, 2, 3 + 1], atol=1e-12)
  np.testing.assert_allclose(positions[0, 2], [1, 2, 3 + 3], atol=1e-12)
  # Listed the other way, R = Rx Rz takes it to (-1, 0, 0).
  positions = bvh.read_bvh(write(tmp_path, "Xrotation Zrotation Yrotation",
                                 "1 2 3 90 90 0 0 0 0\n0 0 0 0 0 0 0 0 0")).forward_kinematics()
  np.testing.assert_allclose(positions[0, 1], [1 - 1, 2, 3], atol=1e-12)


def test_forward_kinematics_chains_global_rotations_from_the_root_offset(tmp_path):
  # Root at OFFSET (1, 0, 0), turned Z 90; the spine turned X 90 on top of that:
  # spine = (1, 0, 0) + Rz (0, 1, 0) = (0, 0, 0); end = spine + Rz Rx (0, 2, 0) = (0, 0, 2).
  text = TWO_JOINTS.replace("OFFSET 0 0 0", "OFFSET 1 0 0", 1)
  path = write(tmp_path, "Zrotation Xrotation Yrotation", "0 0 0 90 0 0 0 0 90\n0 0 0 0 0 0 0 0 0",
               text=text)
  positions = bvh.read_bvh(path).forward_kinematics()
  np.testing.assert_allclose(positions[0], [[1, 0, 0], [0, 0, 0], [0, 0, 2]], atol=1e-12)
  np.testing.assert_allclose(positions[1], [[1, 0, 0], [1, 1, 0], [1, 3, 0]], atol=1e-12)


def test_expmaps_are_the_channel_rotations(tmp_path):
  expmaps = bvh.read_bvh(write(tmp_path)).to_expmap()
  np.testing.assert_allclose(expmaps[0, :3], [1, 2, 3])
  expected = Rotation.from_euler("ZXY", [90, 90, 0], degrees=True).as_rotvec()
  np.testing.assert_allclose(expmaps[0, 3:6], expected, atol=1e-6)
  np.testing.assert_allclose(expmaps[1], 0.0, atol=1e-7)


@pytest.mark.parametrize("newline, prefix", [("\r\n", ""), ("\r", ""), ("\n", "\ufeff"),
                                             ("\t \n\n", "")])
def test_line_endings_a_bom_tabs_and_blank_lines_read_the_same(tmp_path, newline, prefix):
  expected = bvh.read_bvh(write(tmp_path)).frames
  (tmp_path / "other").mkdir()
  path = write(tmp_path / "other", newline=newline, text=prefix + TWO_JOINTS)
  np.testing.assert_array_equal(bvh.read_bvh(path).frames, expected)


@pytest.mark.parametrize("frames, message", [
    ("1 2 3 90 90 0 0 0\n0 0 0 0 0 0 0 0 0", r"clip.bvh, line 19: a frame needs 9 numbers, got 8"),
    ("1 2 3 90 90 0 0 0 x\n0 0 0 0 0 0 0 0 0",
     r"line 19: a frame holds a value that is not a number"),
    ("1 2 3 90 90 0 0 0 0\n0 0 0 0 0 0 0 0 nan", r"line 20: a frame holds NaN or inf"),
    ("1 2 3 90 90 0 0 0 0", r"'Frames: 2' but 1 frame lines"),
])
def test_bad_frames_name_their_line(tmp_path, frames, message):
  with pytest.raises(DataError, match=message):
    bvh.read_bvh(write(tmp_path, frames=frames))


def test_bad_hierarchies_name_their_line(tmp_path):
  with pytest.raises(DataError, match="no MOTION section"):
    bvh.read_bvh(write(tmp_path, text=TWO_JOINTS.split("MOTION")[0]))
  with pytest.raises(DataError, match=r"line 5: CHANNELS 6 lists 5 channels"):
    bvh.read_bvh(write(tmp_path, rotations="Zrotation Xrotation"))
  with pytest.raises(DataError, match=r"line 5: unknown channel 'Wrotation'"):
    bvh.read_bvh(write(tmp_path, rotations="Zrotation Xrotation Wrotation"))
  with pytest.raises(DataError, match=r"line 8: OFFSET needs 3 numbers, got 2"):
    bvh.read_bvh(write(tmp_path, text=TWO_JOINTS.replace("OFFSET 0 1 0", "OFFSET 0 1")))
  with pytest.raises(DataError, match=r"line 1: a BVH file starts with HIERARCHY, got 'ROOT'"):
    bvh.read_bvh(write(tmp_path, text=TWO_JOINTS.replace("HIERARCHY\n", "")))
  with pytest.raises(DataError, match=r"line 7: expected '\{' after 'Spine', got 'OFFSET'"):
    bvh.read_bvh(write(tmp_path, text=TWO_JOINTS.replace("  {\n    OFFSET 0 1 0",
                                                         "    OFFSET 0 1 0")))
  with pytest.raises(DataError, match=r"line 5: a channel is listed twice"):
    bvh.read_bvh(write(tmp_path, rotations="Zrotation Zrotation Xrotation"))
  with pytest.raises(DataError, match=r"line 9: position channels on a joint other than the root"):
    bvh.read_bvh(write(tmp_path, text=TWO_JOINTS.replace(
        "CHANNELS 3 Zrotation Yrotation Xrotation", "CHANNELS 3 Xposition Yrotation Xrotation")))
  with pytest.raises(DataError, match=r"line 13: an End Site has no CHANNELS"):
    bvh.read_bvh(write(tmp_path, text=TWO_JOINTS.replace(
        "OFFSET 0 2 0", "OFFSET 0 2 0\n      CHANNELS 1 Xrotation")))
  for header, message in (("Frames: 2.5", "Frames must be a whole number >= 1, got 2.5"),
                          ("Frame Time: 0", "Frame Time must be > 0, got 0"),
                          ("Frames: 2\nFrames: 2",
                           "expected 'Frames:' and 'Frame Time:' once each")):
    old = "Frames: 2" if header.startswith("Frames") else "Frame Time: 0.04"
    with pytest.raises(DataError, match=message):
      bvh.read_bvh(write(tmp_path, text=TWO_JOINTS.replace(old, header, 1)))
  with pytest.raises(DataError, match="no such BVH file"):
    bvh.read_bvh(str(tmp_path / "absent.bvh"))
