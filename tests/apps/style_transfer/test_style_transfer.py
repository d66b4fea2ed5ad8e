"""The style-transfer app end to end: train, translate any size, exact resume after a kill."""

import os
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from apps.style_transfer import train_lib
from apps.style_transfer import translate_lib
from tests.conftest import REPO
from tests.conftest import STYLE_TINY
from tfgen.data import DataError
from tfgen.training.workdir import Workdir

TINY = STYLE_TINY


@pytest.fixture
def digits_run(style_digits_run):
  return style_digits_run


def test_training_writes_strips_every_epoch_and_at_the_end(digits_run):
  workdir = Workdir(digits_run)
  assert os.path.exists(workdir.epoch_samples_path(1))
  assert os.path.exists(workdir.picture_path("translations"))


def test_translate_keeps_each_images_size(digits_run, tmp_path):
  folder = tmp_path / "in"
  (folder / "sub").mkdir(parents=True)
  Image.new("L", (13, 9), 80).save(folder / "a.png")
  Image.new("RGB", (20, 31), (9, 200, 3)).save(folder / "sub" / "b.jpg")  # Read as grey.
  written = translate_lib.translate(digits_run, "b2a", str(folder), str(tmp_path / "out"))
  sizes = sorted(Image.open(path).size for path in written)
  assert sizes == [(13, 9), (20, 31)]
  assert os.path.exists(tmp_path / "out" / "sub" / "b.png")
  one = translate_lib.translate(digits_run, "a2b", str(folder / "a.png"), str(tmp_path / "one.png"),
                                tile_size=8, overlap=2)
  assert Image.open(one[0]).size == (13, 9)


def test_translate_errors_name_the_problem(digits_run, tmp_path):
  with pytest.raises(ValueError, match="--direction must be a2b or b2a, got 'a2c'"):
    translate_lib.translate(digits_run, "a2c", "x.png", "y.png")
  with pytest.raises(DataError, match="no such image or folder"):
    translate_lib.translate(digits_run, "a2b", str(tmp_path / "absent.png"), "y.png")


def test_a_preset_without_a_fixed_epoch_size_takes_one_pass_of_the_larger_domain(tmp_path):
  overrides = {**TINY, "training.steps_per_epoch": 0, "data.batch_size": 64}
  summary = train_lib.train("embedded:digits", "embedded:restyled_digits", str(tmp_path), "digits",
                            overrides, verbose=0)
  assert summary["best_epoch"] == 1
  with h5py.File(Workdir(tmp_path).backup_weights_path, "r") as weights:
    assert int(weights["g_optimizer/vars/0"][()]) == 621 // 64  # 629 - 8 held out.


def test_the_training_stream_is_infinite_and_starts_where_asked():
  # fit takes steps_per_epoch only from an infinite stream: a finite 2**62 would be one epoch.
  images = np.arange(3 * 4 * 4, dtype=np.uint8).reshape(3, 4, 4, 1)
  stream = train_lib.indexed_stream(images, 4, False, seed=0, start=5)
  assert int(stream.cardinality()) == int(tf.data.INFINITE_CARDINALITY)
  from_zero = list(train_lib.indexed_stream(images, 4, False, seed=0, start=0).take(7))
  np.testing.assert_array_equal(next(iter(stream)), from_zero[5])


def test_domains_of_different_channels_are_refused(tmp_path):
  Image.new("RGB", (8, 8)).save(tmp_path / "colour.png")
  with pytest.raises(DataError, match="domain A has 3 channels and domain B 1"):
    train_lib.train(str(tmp_path), "embedded:digits", str(tmp_path / "run"), "digits", TINY,
                    verbose=0)


def test_translate_binary_refuses_a_bad_direction_in_one_line(digits_run):
  result = subprocess.run(
      [sys.executable, "-m", "apps.style_transfer.translate", f"--workdir={digits_run}",
       "--direction=sideways", "--input=x.png", "--output=y.png"],
      cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
  assert result.returncode != 0
  assert result.stderr.strip().splitlines()[-1] == (
      "apps.style_transfer.translate: error: --direction must be a2b or b2a, got 'sideways'")


KILL_TEST = {"training.num_epochs": 3, "training.steps_per_epoch": 8, "model.num_filters": 4,
             "model.num_residual_blocks": 1}


def _train_command(workdir):
  return [sys.executable, "-m", "apps.style_transfer.train", "--domain_a=embedded:digits",
          "--domain_b=embedded:restyled_digits", "--preset=digits", f"--workdir={workdir}"] + [
              f"--set={key}={value}" for key, value in KILL_TEST.items()]


def _train_in_process(workdir):
  train_lib.train("embedded:digits", "embedded:restyled_digits", str(workdir), "digits",
                  KILL_TEST, verbose=0)


def _weights(workdir):
  values = {}
  with h5py.File(Workdir(workdir).backup_weights_path, "r") as weights:
    weights.visititems(lambda name, item: values.__setitem__(name, item[()])
                       if isinstance(item, h5py.Dataset) else None)
  return values


def test_a_run_killed_after_a_backup_resumes_to_the_same_weights(tmp_path):
  unbroken, killed = tmp_path / "unbroken", tmp_path / "killed"
  environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
  process = subprocess.Popen(_train_command(killed), cwd=REPO, env=environment,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
  metadata = Workdir(killed).backup_metadata_path
  deadline = time.monotonic() + 300
  while not os.path.exists(metadata) and time.monotonic() < deadline and process.poll() is None:
    time.sleep(0.02)
  process.send_signal(signal.SIGKILL)
  _, errors = process.communicate(timeout=60)
  assert process.returncode == -signal.SIGKILL, errors.decode()[-2000:]
  assert Workdir(killed).read_backup_position()[0] < 3  # Killed before the end.
  _train_in_process(killed)  # The same run, resumed from its backup.
  _train_in_process(unbroken)
  expected, resumed = _weights(unbroken), _weights(killed)
  assert expected.keys() == resumed.keys()
  # Both optimizers, the schedule's position, the image histories and their draw counts.
  assert {"d_optimizer/vars/0", "g_optimizer/vars/0", "history_a/vars/2"} <= set(expected)
  for name, value in expected.items():
    np.testing.assert_allclose(resumed[name], value, rtol=1e-4, atol=1e-5, err_msg=name)
