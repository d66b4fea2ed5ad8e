"""tf.distribute: MirroredStrategy steps equal one device's (SGD, AdaGrad; a likelihood model
and the VAE); two workers train and resume on loopback; other workers write only their own
copies; strategy names and TF_CONFIG are checked."""

import csv
import json
import os
import socket
import subprocess
import sys

import tempfile

import numpy as np
import pytest
import tensorflow as tf

from apps.text_generation import train_lib as text_train_lib
from tests.conftest import REPO
from tfgen.training import distribution
from tfgen.training import train_lib
from tfgen.training.workdir import Workdir

TINY_MADE = ["--config=tfgen/configs/made_digits.py", "--config.model.hidden_units=(16,)",
             "--config.data.batch_size=16", "--config.training.num_epochs=2",
             "--config.training.steps_per_epoch=3"]

TINY_TEXT = {"training.num_epochs": 1, "training.steps_per_epoch": 3, "data.sequence_length": 8,
             "model.hidden_units": 8, "model.num_layers": 1}


def run_module(module, *args, env=None, timeout=240):
  return subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, capture_output=True,
                        text=True, timeout=timeout, env={**os.environ, **(env or {})},
                        check=False)


def test_mirrored_steps_over_two_cpus_equal_one_device_steps():
  result = run_module("tests.training.mirrored_runs")
  assert result.returncode == 0, result.stderr[-3000:]
  report = json.loads(result.stdout.strip().splitlines()[-1])
  for case in ("made", "vae", "made_adagrad"):
    runs = report[case]
    assert runs["num_replicas"] == 2
    # Same global batch and seed: the same SGD steps, to float rounding; a loss not
    # divided by the replicas would double every step.
    assert runs["max_weight_change"] > 0.05, runs
    assert runs["max_weight_difference"] < 1e-5, runs
    for default, mirrored in zip(runs["default"], runs["mirrored"]):
      assert abs(default - mirrored) < 1e-4 * abs(default), runs
  assert report["nan_on_one_replica"] == {"unchanged_after_nan": True,
                                          "changed_after_finite": True, "iterations": 1}


def free_ports(count):
  sockets = [socket.socket() for _ in range(count)]
  for handle in sockets:
    handle.bind(("127.0.0.1", 0))
  ports = [handle.getsockname()[1] for handle in sockets]
  for handle in sockets:
    handle.close()
  return ports


def run_two_workers(tmp_path, args, phase):
  """Runs `python -m tfgen.train ARGS` as workers 0 and 1 on loopback: their stdouts."""
  addresses = [f"127.0.0.1:{port}" for port in free_ports(2)]
  processes = []
  for index in range(2):
    temporary = tmp_path / f"tmp{phase}_{index}"
    temporary.mkdir()
    tf_config = {"cluster": {"worker": addresses}, "task": {"type": "worker", "index": index}}
    processes.append(subprocess.Popen(
        [sys.executable, "-m", "tfgen.train", *args,
         "--config.training.distribution=multi_worker"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TF_CONFIG": json.dumps(tf_config), "TMPDIR": str(temporary)}))
  try:
    outputs = [process.communicate(timeout=240) for process in processes]
  finally:
    for process in processes:
      process.kill()
  for process, (_, stderr) in zip(processes, outputs):
    assert process.returncode == 0, stderr[-3000:]
  # The worker wrote its callbacks' files to a temporary copy, deleted at the end.
  assert not [path.name for path in (tmp_path / f"tmp{phase}_1").iterdir()
              if path.name.startswith("tfgen_")]
  return [stdout for stdout, _ in outputs]


def test_two_workers_on_loopback_train_resume_and_only_the_chief_writes(tmp_path):
  workdir = tmp_path / "run"
  # A constant rate: the first run's schedule then does not depend on its epoch count.
  args = [*TINY_MADE, f"--workdir={workdir}", "--config.optimizer.schedule=constant"]
  run_two_workers(tmp_path, [*args, "--config.training.num_epochs=1"], phase=0)
  # The same run asked for one epoch more: both workers resume from the chief's backup.
  chief, _ = run_two_workers(tmp_path, args, phase=1)
  assert f"resuming {workdir} at epoch 2 of 2" in chief and "best validation NLL" in chief
  with open(workdir / "history.csv", newline="", encoding="utf-8") as handle:
    assert [row["epoch"] for row in csv.DictReader(handle)] == ["0", "1"]  # One writer.
  summary = json.loads((workdir / "train_summary.json").read_text())
  assert summary["epochs"] == 2 and summary["best_epoch"] is not None
  # The same global batches on one device, unbroken: the same losses, to rounding. (Not the
  # same weights: Adam turns the all-reduce's rounding of a near-zero gradient into a step
  # of the full rate.)
  config, _ = Workdir(workdir).read_config()
  config.training.distribution = "default"
  unbroken = tmp_path / "unbroken"
  train_lib.train(config, str(unbroken), verbose=0)
  resumed, expected = history(workdir), history(unbroken)
  for name in ("loss", "val_loss"):  # They differ by 1e-5 relative when they do.
    np.testing.assert_allclose(resumed[name], expected[name], rtol=3e-5, err_msg=name)


def history(workdir):
  """{column: [value per epoch]} of a run's history.csv."""
  with open(workdir / "history.csv", newline="", encoding="utf-8") as handle:
    rows = list(csv.DictReader(handle))
  return {name: [float(row[name]) for row in rows] for name in rows[0] if name != "epoch"}


def test_an_apps_other_workers_write_only_their_own_copies(tmp_path, monkeypatch):
  monkeypatch.setattr(distribution, "is_chief", lambda strategy: False)
  monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
  workdir = tmp_path / "run"
  summary = text_train_lib.train("names", "rnn", str(workdir), TINY_TEXT, verbose=0)
  assert summary["valid_nats_per_char"] > 0  # Trained and evaluated in its copy,
  assert not workdir.exists()  # not in the chief's workdir;
  assert not [name for name in os.listdir(tmp_path) if name.startswith("tfgen_")]  # Gone.


def test_a_worker_copies_the_chiefs_backup_unless_the_run_starts_afresh(tmp_path, monkeypatch):
  monkeypatch.setattr(distribution, "is_chief", lambda strategy: False)
  workdir = Workdir(str(tmp_path / "run"))
  os.makedirs(workdir.backup_dir)
  open(os.path.join(workdir.backup_dir, "model.weights.h5"), "w", encoding="utf-8").close()
  open(os.path.join(workdir.path, "config.json"), "w", encoding="utf-8").close()
  for overwrite, expected in ((False, ["model.weights.h5"]), (True, [])):
    with distribution.process_workdir(workdir, "default", overwrite) as copy:
      assert copy.path != workdir.path
      assert (os.listdir(copy.backup_dir) if os.path.isdir(copy.backup_dir) else []) == expected
      # The config the backup was written under comes with it.
      assert os.path.exists(os.path.join(copy.path, "config.json")) == (not overwrite)
    assert not os.path.exists(copy.path)


@pytest.mark.parametrize("text, problem", [
    (None, "needs TF_CONFIG"), ("{cluster", "not JSON"), ("[]", "JSON object"),
    ('{"cluster": {}}', "no cluster with workers"),
    ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "ps", "index": 0}}', "must name a job"),
    ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 1}}',
     "index 1 is not one of the 1 worker"),
])
def test_a_bad_tf_config_is_named(text, problem):
  with pytest.raises(ValueError, match=problem):
    distribution.check_tf_config(text)


def test_an_unknown_strategy_lists_the_known_ones():
  with pytest.raises(ValueError, match="default, mirrored, multi_worker, tpu"):
    distribution.strategy_for("horovod")


def test_without_a_tpu_the_tpu_strategy_says_so():
  with pytest.raises(ValueError, match="no TPU reachable"):
    distribution.strategy_for("tpu")


def test_one_process_is_its_own_chief():
  assert distribution.is_chief(tf.distribute.get_strategy())
