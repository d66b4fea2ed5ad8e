"""The train / sample / evaluate binaries end to end, as a user runs them."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from PIL import Image

from tests import cli_runner
from tests.conftest import REPO
from tests.training.saved_weights import saved_weights
from tfgen.training import train_lib
from tfgen.training.workdir import Workdir

TINY = ["--config=tfgen/configs/made_digits.py", "--config.model.hidden_units=(32,)",
        "--config.data.batch_size=128"]


def run(module, *args, check=True):
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
  result = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
  if check and result.returncode != 0:
    raise AssertionError(f"{module} failed ({result.returncode}):\n{result.stderr[-3000:]}")
  return result


def last_line(text):
  return text.strip().splitlines()[-1]


def test_train_sample_evaluate(tmp_path):
  workdir = str(tmp_path / "run")
  grids = [str(tmp_path / "grid1.png"), str(tmp_path / "grid2.png")]
  probabilities = tmp_path / "probabilities.png"
  noise = tmp_path / "noise.npy"
  np.save(noise, np.random.default_rng(0).integers(0, 17, (50, 8, 8, 1)))
  # One process runs the commands in turn, as a shell would (tests/cli_runner.py).
  trained, sampled, resampled, evaluated, scored, failed = cli_runner.run_commands([
      ["tfgen.train", *TINY, f"--workdir={workdir}", "--config.training.num_epochs=2"],
      ["tfgen.sample", f"--workdir={workdir}", "--num_samples=9", f"--output={grids[0]}",
       "--seed=1", f"--probabilities_output={probabilities}"],
      ["tfgen.sample", f"--workdir={workdir}", "--num_samples=9", f"--output={grids[1]}",
       "--seed=1"],
      ["tfgen.evaluate", f"--workdir={workdir}", "--split=test"],
      ["tfgen.score", f"--workdir={workdir}", f"--ood={noise}",
       f"--histogram={tmp_path / 'ood.png'}"],
      ["tfgen.score", f"--workdir={workdir}", f"--input={tmp_path / 'none.npy'}"]])
  for result in (trained, sampled, resampled, evaluated, scored):
    assert result["exit_code"] == 0, result["stderr"][-3000:]
  # Written to a pipe, as to a log file: a line per epoch, no progress-bar frames or colours.
  assert "\r" not in trained["stdout"] and "\x1b" not in trained["stdout"]
  epoch_lines = [line for line in trained["stdout"].splitlines() if " - loss: " in line]
  assert len(epoch_lines) == 2 and all("val_loss" in line for line in epoch_lines)
  assert len(trained["stdout"]) < 2000, trained["stdout"]
  for name in ("config.json", "best.weights.h5", "best.json", "history.csv", "training_curves.png"):
    assert os.path.exists(os.path.join(workdir, name)), name
  assert os.listdir(os.path.join(workdir, "logs"))

  assert Image.open(probabilities).size[0] > 0
  np.testing.assert_array_equal(np.array(Image.open(grids[1])), np.array(Image.open(grids[0])))

  record = json.loads(last_line(evaluated["stdout"]))
  assert set(record) == {"model", "dataset", "split", "num_examples", "nll_nats", "bits_per_dim"}
  assert record["num_examples"] == 269 and record["split"] == "test"
  # 64 pixels with 17 levels: uniform guessing costs 64 ln 17 = 181 nats.
  assert 0 < record["nll_nats"] < 64 * np.log(17)
  np.testing.assert_allclose(record["bits_per_dim"], record["nll_nats"] / (64 * np.log(2)),
                             rtol=1e-3)

  scores = json.loads(last_line(scored["stdout"]))
  assert scores["test"]["mean_nll_nats"] == pytest.approx(record["nll_nats"], abs=1e-3)
  assert scores["auroc"] > 0.9 and "AUROC" in scored["stdout"]
  assert failed["exit_code"] == 1 and not failed["traceback"]
  assert failed["stderr"].strip().splitlines()[-1] == (
      f"tfgen.score: error: {tmp_path / 'none.npy'}: no such file or folder")


def kill_when(args, metadata, condition):
  """Starts `args`, kills it with SIGKILL once the backup metadata satisfies `condition`."""
  process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
  deadline = time.time() + 300
  try:
    while time.time() < deadline:
      try:
        if metadata.exists() and condition(json.loads(metadata.read_text())):
          break
      except ValueError:
        pass
      time.sleep(0.02)
    else:
      pytest.fail("training wrote no backup in time")
  finally:
    process.send_signal(signal.SIGKILL)
    process.wait()
  return json.loads(metadata.read_text())


def test_kill_nine_then_same_command_resumes(tmp_path, capsys):
  workdir = tmp_path / "run"
  args = [sys.executable, "-m", "tfgen.train", *TINY, f"--workdir={workdir}",
          "--config.training.num_epochs=8", "--config.training.steps_per_backup=3"]
  metadata = workdir / "backup" / "training_metadata.json"
  first = kill_when(args, metadata, lambda state: state["epoch"] >= 2)
  # Killed again mid-way through the first resumed epoch: the backup must still name it.
  second = kill_when(args, metadata,
                     lambda state: state["epoch"] >= first["epoch"] and state["batch"] > 0)
  assert second["epoch"] >= first["epoch"] >= 2
  killed_at = second["epoch"]
  assert killed_at < 8
  # The killed runs' minutes, kept at each backup, count in the total.
  killed = json.loads((workdir / "minutes.json").read_text())
  killed_minutes = killed["minutes_total"]
  assert killed_minutes > 0 and killed["cpu_minutes_total"] > 0
  resumed = run("tfgen.train", *args[3:])
  assert f"resuming {workdir} at epoch {killed_at + 1} of 8" in resumed.stdout
  assert f"Epoch {killed_at + 1}/8" in resumed.stdout and "Epoch 1/8" not in resumed.stdout
  summary = json.loads((workdir / "train_summary.json").read_text())
  assert summary["minutes_total"] == pytest.approx(
      killed_minutes + summary["minutes_this_run"], abs=0.03)
  assert summary["cpu_minutes_total"] == pytest.approx(
      killed["cpu_minutes_total"] + summary["cpu_minutes_this_run"], abs=0.03)
  # Once more (in this process, as the command would): nothing left to train.
  config, _ = Workdir(workdir).read_config()
  train_lib.train(config, str(workdir), verbose=1)
  again = capsys.readouterr().out
  assert "has finished its 8 epochs; nothing to train" in again and "Epoch" not in again
  # Twice killed, the run ends with the weights of an unbroken run of its config.
  unbroken = str(tmp_path / "unbroken")
  train_lib.train(config, unbroken, verbose=0)
  for killed_weight, unbroken_weight in zip(saved_weights(workdir), saved_weights(unbroken)):
    np.testing.assert_allclose(killed_weight, unbroken_weight, rtol=1e-5, atol=1e-6)


def test_early_stop_is_final_for_the_same_command(tmp_path):
  workdir = str(tmp_path / "run")
  args = ["tfgen.train", *TINY, f"--workdir={workdir}", "--config.training.num_epochs=8",
          "--config.training.early_stopping_patience=1", "--config.optimizer.learning_rate=0.0"]
  first, again = cli_runner.run_commands([args, args])
  assert first["exit_code"] == again["exit_code"] == 0, first["stderr"][-3000:]
  # Nothing improves.
  assert "Epoch 2/8" in first["stdout"] and "Epoch 3/8" not in first["stdout"]
  assert "stopped early at epoch 2" in again["stdout"] and "Epoch" not in again["stdout"]
