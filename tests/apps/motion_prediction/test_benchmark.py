"""The CMU-Mocap benchmark protocol: fixed windows, the Euler error, the zero-velocity baseline."""

import numpy as np
import pytest

from apps.motion_prediction import baseline_lib
from apps.motion_prediction import benchmark
from apps.motion_prediction import expmap_files
from tfgen.data import DataError


def test_windows_are_the_published_protocols_and_the_same_every_run():
  # Starts the convSeq2Seq / LTD code draws for CMU walking (180 frames after downsampling).
  np.testing.assert_array_equal(benchmark.window_starts(180), [2, 102, 47, 12, 51, 33, 43, 60])
  np.testing.assert_array_equal(benchmark.window_starts(82), [2, 6, 4, 3, 1, 3, 1, 4])
  np.testing.assert_array_equal(benchmark.window_starts(1043)[:4], [386, 358, 47, 140])


def test_windows_cut_observed_then_target():
  clip = np.arange(100 * 3, dtype=np.float32).reshape(100, 3)
  observed, target = benchmark.windows(clip, num_windows=2)
  start = benchmark.window_starts(100, 2)[0]
  np.testing.assert_array_equal(observed[0], clip[start:start + 50])
  np.testing.assert_array_equal(target[0], clip[start + 50:start + 75])


def test_a_clip_shorter_than_observed_plus_target_is_refused():
  with pytest.raises(DataError, match="a clip of 75 frames is too short: 50 observed \\+ 25 "
                     "predicted frames need more than 75"):
    benchmark.window_starts(75)
  with pytest.raises(ValueError, match="num_windows must be >= 1, got 0"):
    benchmark.window_starts(100, 0)
  with pytest.raises(ValueError, match="num_target must exceed the last horizon frame 24, got 20"):
    benchmark.score(benchmark.zero_velocity, {"a": [np.zeros((100, 9))]}, num_target=20)
  with pytest.raises(ValueError,
                     match=r"observed must be \[windows, time, features\], got \[5, 9\]"):
    benchmark.zero_velocity(np.zeros((5, 9)), 3)


def test_zero_velocity_error_is_exactly_zero_on_a_constant_clip():
  rng = np.random.default_rng(0)
  clip = np.repeat(rng.normal(size=(1, 117)), 120, axis=0)
  result = benchmark.score(benchmark.zero_velocity, {"still": [clip]})
  assert result["still"]["mean"] == [0.0] * 6


def test_the_root_is_not_scored_and_a_joint_is():
  target = np.zeros((1, 25, 9))
  moved_root = target.copy()
  moved_root[..., :6] = 0.7
  np.testing.assert_array_equal(benchmark.euler_error(moved_root, target), 0.0)
  moved_joint = target.copy()
  moved_joint[..., 6] = 0.2  # A rotation of 0.2 rad about x: one Euler angle of 0.2.
  np.testing.assert_allclose(benchmark.euler_error(moved_joint, target), 0.2)


def test_score_takes_each_horizon_and_checks_the_forecast_shape():
  clip = np.cumsum(np.full((120, 9), 0.01), axis=0)
  result = benchmark.score(benchmark.zero_velocity, {"drift": [clip]}, num_windows=4)
  assert len(result["drift"]["mean"]) == len(benchmark.HORIZON_MS)
  assert np.all(np.diff(result["drift"]["mean"]) > 0)  # Drifting away: error grows with time.
  with pytest.raises(ValueError, match=r"drift: the forecast has shape \[4, 24, 9\]"):
    benchmark.score(lambda observed, num: observed[:, -24:], {"drift": [clip]}, num_windows=4)


def test_csv_errors_name_file_and_line(tmp_path):
  path = tmp_path / "clip.txt"
  path.write_text("1,2,3\n4,5\n")
  with pytest.raises(DataError, match=r"clip.txt, line 2: 2 values, expected 3"):
    expmap_files.read_clip(str(path), 3)
  path.write_text("1,2,3\n4,nan,6\n")
  with pytest.raises(DataError, match=r"clip.txt, line 2: NaN or inf value"):
    expmap_files.read_clip(str(path), 3)
  path.write_text("1,x,3\n")
  with pytest.raises(DataError, match=r"clip.txt, line 1: a value is not a number"):
    expmap_files.read_clip(str(path), 3)


def test_h36m_layout_reads_subjects_and_downsamples(tmp_path):
  (tmp_path / "S5").mkdir()
  rows = "\n".join(",".join([str(frame)] * 99) for frame in range(6))
  (tmp_path / "S5" / "walking_1.txt").write_text(rows)
  clips = expmap_files.load_h36m(str(tmp_path), expmap_files.H36M_TEST_SUBJECTS)
  np.testing.assert_array_equal(clips["walking"][0][:, 0], [0, 2, 4])
  with pytest.raises(DataError, match="S1: no such folder"):
    expmap_files.load_h36m(str(tmp_path), (1,))


# The zero-velocity rows of docs/experiments.md (8 windows), at 80 ... 1000 ms.
PUBLISHED_ROWS = {"walking": [0.407, 0.602, 0.832, 0.951, 1.085, 1.338],
                  "running": [0.563, 0.995, 1.381, 1.459, 1.573, 1.543],
                  "jumping": [0.363, 0.616, 1.484, 1.683, 1.988, 2.027]}


def test_the_cmu_test_split_gives_the_documented_zero_velocity_rows(shared_data):
  clips = expmap_files.load_cmu(str(shared_data / "mocap" / "cmu_expmap"), "test")
  assert list(clips) == ["jumping", "running", "walking"]
  assert clips["walking"][0].shape == (180, 117)
  result = benchmark.score(benchmark.zero_velocity, clips)
  for action, row in PUBLISHED_ROWS.items():
    np.testing.assert_allclose(result[action]["mean"], row, atol=5e-4, err_msg=action)


def test_the_baseline_report_writes_both_protocols(shared_data, tmp_path):
  output = tmp_path / "zero_velocity.json"
  results, table = baseline_lib.run(f"cmu:{shared_data / 'mocap' / 'cmu_expmap'}",
                                    output=str(output))
  assert set(results) == {"8 windows", "256 windows"} and output.exists()
  assert "| walking | zero velocity, 256 windows |" in table
  with pytest.raises(DataError, match="unknown motion data 'cmu'"):
    baseline_lib.run("cmu")


def write_h36m_take(folder, name, num_frames, seed):
  rows = np.random.default_rng(seed).normal(size=(num_frames, 99)).round(4)
  (folder / name).write_text("\n".join(",".join(map(str, row)) for row in rows) + "\n")
  return expmap_files.downsample(rows.astype(np.float32))


def test_srnn_protocol_alternates_takes_with_the_reference_draws(tmp_path):
  (tmp_path / "S5").mkdir()
  first = write_h36m_take(tmp_path / "S5", "walking_1.txt", 500, 0)
  second = write_h36m_take(tmp_path / "S5", "walking_2.txt", 460, 1)
  observed, target = benchmark.srnn_windows(first, second)
  rng = np.random.RandomState(1234567890)  # Martinez et al.'s find_indices_srnn, by hand.
  for index in range(8):
    take = (first, second)[index % 2]
    start = rng.randint(16, len(take) - 150)
    np.testing.assert_array_equal(observed[index], take[start:start + 50])
    np.testing.assert_array_equal(target[index], take[start + 50:start + 75])
  results, _ = baseline_lib.run(f"h36m:{tmp_path}", num_windows=(8,))
  assert results["8 windows"]["walking"]["num_windows"] == 8
  with pytest.raises(ValueError, match="even"):
    benchmark.srnn_windows(first, second, num_windows=3)
  with pytest.raises(DataError, match="too short for the SRNN protocol"):
    benchmark.srnn_windows(first[:100], second)
