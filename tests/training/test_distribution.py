"""tf.distribute: MirroredStrategy steps equal one device's (SGD, AdaGrad; a likelihood model
and the VAE); two workers train on loopback; strategy names and TF_CONFIG are checked."""

import csv
import json
import os
import socket
import subprocess
import sys

import pytest
import tensorflow as tf

from tests.conftest import REPO
from tfgen.training import distribution

TINY_MADE = ["--config=tfgen/configs/made_digits.py", "--config.model.hidden_units=(16,)",
             "--config.data.batch_size=16", "--config.training.num_epochs=2",
             "--config.training.steps_per_epoch=3"]


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


def test_two_workers_on_loopback_train_and_only_the_chief_writes(tmp_path):
  workdir = tmp_path / "run"
  addresses = [f"127.0.0.1:{port}" for port in free_ports(2)]
  processes, temporaries = [], []
  for index in range(2):
    temporary = tmp_path / f"tmp{index}"
    temporary.mkdir()
    temporaries.append(temporary)
    tf_config = {"cluster": {"worker": addresses}, "task": {"type": "worker", "index": index}}
    processes.append(subprocess.Popen(
        [sys.executable, "-m", "tfgen.train", *TINY_MADE, f"--workdir={workdir}",
         "--config.training.distribution=multi_worker"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TF_CONFIG": json.dumps(tf_config), "TMPDIR": str(temporary)}))
  try:
    outputs = [process.communicate(timeout=240) for process in processes]
  finally:
    for process in processes:
      process.kill()
  for process, (stdout, stderr) in zip(processes, outputs):
    assert process.returncode == 0, stderr[-3000:]
  assert "best validation NLL" in outputs[0][0]
  with open(workdir / "history.csv", newline="", encoding="utf-8") as handle:
    assert [row["epoch"] for row in csv.DictReader(handle)] == ["0", "1"]  # One writer.
  summary = json.loads((workdir / "train_summary.json").read_text())
  assert summary["epochs"] == 2 and summary["best_epoch"] is not None
  # The worker wrote its callbacks' files to a temporary copy, deleted at the end.
  assert not [path.name for path in temporaries[1].iterdir() if path.name.startswith("tfgen_")]


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
