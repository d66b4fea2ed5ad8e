"""The synthetic walker, skeletons, the normaliser, windows and the app's sources."""

import numpy as np
import pytest

from apps.motion_prediction import expmap_files
from apps.motion_prediction import motion_data
from apps.motion_prediction import skeleton as skeleton_lib
from apps.motion_prediction import synthetic_walker
from apps.motion_prediction.normalizer import Normalizer
from apps.motion_prediction.windows import WindowSource
from tfgen.data import DataError


def test_the_walker_is_deterministic_and_varies_by_seed():
  first = synthetic_walker.clip(3, "walking", 60).to_expmap()
  np.testing.assert_array_equal(first, synthetic_walker.clip(3, "walking", 60).to_expmap())
  assert not np.allclose(first, synthetic_walker.clip(4, "walking", 60).to_expmap())


def test_runners_cover_more_ground_than_walkers():
  def speed(action):
    root = synthetic_walker.clip(0, action, 100).root_positions()
    return (root[-1, 2] - root[0, 2]) / 4.0  # cm a second over 4 s

  assert 60 < speed("walking") < speed("running")


def test_walker_feet_stay_near_the_ground_and_below_the_head():
  clip = synthetic_walker.clip(1, "walking", 50)
  positions = clip.forward_kinematics()
  names = synthetic_walker.skeleton_names()
  feet = positions[:, [names.index("LeftFoot"), names.index("RightFoot")], 1]
  head = positions[:, names.index("Head"), 1]
  assert feet.min() > -5 and feet.max() < 40
  assert np.all(head > 140)


def test_skeleton_positions_equal_the_bvh_forward_kinematics():
  clip = synthetic_walker.clip(2, "running", 20)
  skeleton = skeleton_lib.from_bvh(clip)
  np.testing.assert_allclose(skeleton.positions(clip.to_expmap()), clip.forward_kinematics(),
                             atol=1e-3)


@pytest.mark.parametrize("make", [skeleton_lib.cmu, skeleton_lib.h36m])
def test_benchmark_rest_pose_puts_each_joint_at_its_summed_offsets(make):
  skeleton = make()
  positions = skeleton.positions(np.zeros((1, skeleton.num_values)))[0]
  for joint, parent in enumerate(skeleton.parents):
    expected = skeleton.offsets[joint] + (positions[parent] if parent >= 0 else 0.0)
    np.testing.assert_allclose(positions[joint], expected, atol=1e-9)


def test_benchmark_rotations_compose_with_row_vectors():
  """A root expmap r turns the CMU child offsets by R(r)^T, as the reference code's
  `offset @ R_parent` does."""
  skeleton = skeleton_lib.cmu()
  frame = np.zeros((1, skeleton.num_values))
  frame[0, 3:6] = [0.0, 0.0, np.pi / 2]  # The root's expmap: 90 degrees about z.
  positions = skeleton.positions(frame)[0]
  child = 2  # Its offset from joint 1 (at the root) is (x, y, z).
  x, y, z = skeleton.offsets[child]
  # (x, y, z) @ Rz(90) = (y, -x, z); a column-vector convention would give (-y, x, z).
  np.testing.assert_allclose(positions[child], [y, -x, z], atol=1e-6)


def test_normalizer_round_trip_keeps_constant_and_root_dimensions(tmp_path):
  rng = np.random.default_rng(0)
  clips = [rng.normal(size=(30, 12)).astype(np.float32) for _ in range(2)]
  for clip in clips:
    clip[:, 8] = 0.25  # Constant: not modelled.
  normalizer = Normalizer.fit(clips)
  assert list(normalizer.modelled) == [6, 7, 9, 10, 11]
  values = normalizer.normalize(clips[0])
  assert abs(values.mean()) < 0.5 and values.shape == (30, 5)
  restored = normalizer.denormalize(values[np.newaxis], clips[0][-1:])[0]
  np.testing.assert_allclose(restored[:, 6:], clips[0][:, 6:], atol=1e-5)
  np.testing.assert_allclose(restored[:, :6], np.repeat(clips[0][-1:, :6], 30, 0))
  normalizer.save(str(tmp_path))
  again = Normalizer.load(str(tmp_path))
  np.testing.assert_array_equal(again.modelled, normalizer.modelled)
  with pytest.raises(ValueError, match="NaN"):
    normalizer.normalize(np.full((2, 12), np.nan))
  with pytest.raises(ValueError, match="12"):
    normalizer.normalize(np.zeros((2, 11)))
  (tmp_path / "motion_normalizer.json").write_text("{not json")
  with pytest.raises(DataError, match="corrupt"):
    Normalizer.load(str(tmp_path))


def test_windows_refuse_clips_too_short_and_repeat_by_index():
  with pytest.raises(DataError, match="75 frames a window needs"):
    WindowSource({"walk": [np.zeros((74, 3))]}, 75, "train")
  clips = {"a": [np.arange(40.0).reshape(20, 2)], "b": [np.zeros((5, 2))]}
  source = WindowSource(clips, 4, "train")
  assert source.num_windows == 17 + 2
  first = [window.numpy() for window in source.stream(seed=1, start=3).take(3)]
  again = [window.numpy() for window in source.stream(seed=1, start=4).take(2)]
  np.testing.assert_array_equal(first[1:], again)
  fixed, actions = source.fixed(100, seed=0)
  assert fixed.shape == (19, 4, 2) and set(actions) == {0, 1}


def test_window_labels_follow_the_training_actions():
  clips = {"walking": [np.zeros((6, 2))]}
  source = WindowSource(clips, 4, "valid", actions=["jumping", "walking"])
  assert set(source.action_ids) == {1}
  with pytest.raises(DataError, match="the valid split has the action 'running'"):
    WindowSource({"running": [np.zeros((6, 2))]}, 4, "valid", actions=["walking"])


def test_takes_sort_by_number():
  names = ["walking_10.txt", "walking_2.txt", "running_1.txt", "walking_1.txt"]
  assert sorted(names, key=expmap_files.take_order) == [
      "running_1.txt", "walking_1.txt", "walking_2.txt", "walking_10.txt"]


def test_synthetic_source_splits_are_disjoint_clips():
  train, valid = motion_data.load("synthetic", "train"), motion_data.load("synthetic", "valid")
  assert set(train.clips) == {"walking", "running"}
  assert train.num_values == valid.num_values == train.all_clips()[0].shape[1]
  assert not any(np.allclose(a[:50], b[:50]) for a in train.all_clips() for b in valid.all_clips())


def test_unknown_sources_and_missing_files_are_named():
  with pytest.raises(DataError, match="unknown motion data"):
    motion_data.load("mocap:somewhere", "train")
  with pytest.raises(DataError, match="no such BVH"):
    motion_data.load("bvh:/no/such/file.bvh", "train")
  with pytest.raises(DataError, match="no such folder"):
    motion_data.load("cmu:/no/such/root", "train")


def test_cmu_source_validates_on_each_actions_last_training_file(shared_data):
  root = str(shared_data / "mocap" / "cmu_expmap")
  train, valid = motion_data.load(f"cmu:{root}", "train"), motion_data.load(f"cmu:{root}", "valid")
  for action, clips in valid.clips.items():
    files = expmap_files.cmu_files(root, "train", action)
    assert len(clips) == 1 and len(train.clips[action]) == len(files) - 1
    np.testing.assert_array_equal(
        clips[0], expmap_files.downsample(expmap_files.read_clip(files[-1], 117)))


def test_bvh_source_splits_a_clip_in_time_or_a_folder_by_file(shared_data, tmp_path):
  path = str(shared_data / "mocap" / "cmu_bvh" / "131_01.bvh")
  whole, skeleton = motion_data.read_bvh_clip(path)
  assert len(whole) == 199  # 994 frames at 120 a second, every 5th: 24 a second.
  with pytest.raises(DataError, match="199 frames .* needs 225"):
    motion_data.load(f"bvh:{path}", "train")
  parts = [motion_data.load(f"bvh:{path}", split, window_length=40).all_clips()[0]
           for split in motion_data.SPLITS]
  assert [len(part) for part in parts] == [119, 40, 40]
  np.testing.assert_array_equal(np.concatenate(parts), whole)
  assert skeleton.num_values == whole.shape[1]
  for index in range(3):
    (tmp_path / f"take_{index}.bvh").write_bytes(open(path, "rb").read())
  valid = motion_data.load(f"bvh:{tmp_path}", "valid")
  train = motion_data.load(f"bvh:{tmp_path}", "train")
  assert list(valid.clips) == list(train.clips) == [tmp_path.name]
  assert len(valid.clips[tmp_path.name]) == 1 and len(train.clips[tmp_path.name]) == 1
