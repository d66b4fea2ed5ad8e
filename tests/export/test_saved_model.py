"""SavedModel export: TF Serving's layout, named signatures, a load with TensorFlow only, atomicity."""

import os
import signal
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from export import saved_model_lib
from export import tflite_lib
from tests.conftest import REPO
from tests.export.machine_paths import machine_paths_in
from tfgen.training.workdir import Workdir

LOADER = os.path.join(os.path.dirname(__file__), "load_without_tfgen.py")


def run_without_tfgen(path, signature, inputs, tmp_path):
  """(signature names, outputs) of one call in a fresh process that cannot import tfgen."""
  inputs_path, outputs_path = str(tmp_path / "inputs.npz"), str(tmp_path / "outputs.npz")
  np.savez(inputs_path, **{name: np.asarray(value) for name, value in inputs.items()})
  result = subprocess.run([sys.executable, LOADER, path, signature, inputs_path, outputs_path],
                          capture_output=True, text=True, timeout=300, check=False)
  assert result.returncode == 0, result.stderr[-3000:]
  names = result.stdout.strip().splitlines()[-1].split(",")
  return names, dict(np.load(outputs_path))


def test_likelihood_model_exports_log_prob_and_sample(made_run, tmp_path):
  lines = []
  result = saved_model_lib.export(made_run, str(tmp_path / "exported"), print_fn=lines.append)
  assert result["path"] == str(tmp_path / "exported" / "made_digits" / "1")
  assert os.path.isfile(os.path.join(result["path"], "saved_model.pb"))
  assert [line.split(":")[0] for line in lines[:4]] == ["build", "trace", "save", "verify"]
  assert lines[-1].startswith(f"wrote {result['path']}")
  model, _, _ = Workdir(made_run).load_model()
  digits = np.random.default_rng(0).integers(0, 17, (4, 8, 8, 1)).astype(np.float32)
  names, outputs = run_without_tfgen(result["path"], "log_prob", {"x": digits.astype(np.uint8)},
                                     tmp_path)
  assert names == ["log_prob", "sample", "sample_from_noise"]
  np.testing.assert_allclose(outputs["log_prob"], model.log_prob(digits).numpy(), rtol=1e-5)
  seed = np.array([5, 6], np.int32)
  _, outputs = run_without_tfgen(result["path"], "sample",
                                 {"num_samples": np.int32(3), "seed": seed}, tmp_path)
  np.testing.assert_array_equal(outputs["samples"], model.sample(3, seed=seed).numpy())
  # Neither the export nor the run's folder holds this machine's paths, only those passed.
  assert not machine_paths_in([result["path"], made_run], [str(tmp_path), str(made_run)])


def test_an_existing_version_is_refused_and_a_failed_export_leaves_nothing(made_run, tmp_path,
                                                                           monkeypatch):
  output = str(tmp_path / "exported")

  def diverge(*args):
    raise saved_model_lib.ExportMismatchError("log_prob/log_prob: differs by 1")

  monkeypatch.setattr(saved_model_lib, "verify", diverge)
  with pytest.raises(saved_model_lib.ExportMismatchError):
    saved_model_lib.export(made_run, output, print_fn=lambda _: None)
  assert os.listdir(os.path.join(output, "made_digits")) == []  # No version, no temporary.
  monkeypatch.undo()
  saved_model_lib.export(made_run, output, print_fn=lambda _: None)
  with pytest.raises(ValueError, match="versions are immutable, so give --version=2"):
    saved_model_lib.export(made_run, output, print_fn=lambda _: None)


def test_sequence_model_exports_its_cached_step(names_run, tmp_path):
  workdir = names_run
  result = saved_model_lib.export(workdir, str(tmp_path / "exported"), print_fn=lambda _: None)
  assert {"initial_state", "step", "log_prob", "sample"} <= set(result["signatures"])
  model, _, _ = Workdir(workdir).load_model()
  state = model.start_state(2)
  previous = np.array([[3.0], [7.0]], np.float32)
  expected, _ = model.next_params(previous, tf.constant(1), state)
  inputs = {"previous": previous, "position": np.int32(1)}
  inputs.update({f"state_{index}": leaf.numpy()
                 for index, leaf in enumerate(tf.nest.flatten(state))})
  _, outputs = run_without_tfgen(result["path"], "step", inputs, tmp_path)
  np.testing.assert_allclose(outputs["params"], expected.numpy(), atol=1e-5)


def test_motion_model_exports_forecast(motion_tiny_run, tmp_path):
  workdir, _ = motion_tiny_run
  result = saved_model_lib.export(workdir, str(tmp_path / "exported"), print_fn=lambda _: None)
  model, _, _ = Workdir(workdir).load_model()
  observed = np.random.default_rng(1).normal(size=(2, 7, model.element_size)).astype(np.float32)
  _, outputs = run_without_tfgen(result["path"], "forecast",
                                 {"observed": observed, "num_frames": np.int32(5)}, tmp_path)
  np.testing.assert_allclose(outputs["frames"], model.forecast(observed, 5).numpy(), atol=1e-5)


def kill_export_at(line_prefix, arguments):
  """Starts `python -m export ARGUMENTS` and SIGKILLs it when it prints LINE_PREFIX."""
  process = subprocess.Popen([sys.executable, "-u", "-m", "export", *arguments], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
  try:
    for line in process.stdout:
      if line.startswith(line_prefix):
        process.send_signal(signal.SIGKILL)
        break
    process.wait(timeout=300)
  finally:
    process.kill()
  assert process.returncode == -signal.SIGKILL, f"it ended before printing {line_prefix!r}"


def test_a_killed_export_leaves_no_artifact_and_the_next_one_succeeds(made_run, tmp_path,
                                                                     monkeypatch):
  output = tmp_path / "exported"
  kill_export_at("save:", [f"--workdir={made_run}", f"--output={output}"])
  assert not (output / "made_digits" / "1").exists()  # Only a hidden .1.*.tmp folder.
  saved_model_lib.export(made_run, str(output), print_fn=lambda _: None)
  assert sorted(os.listdir(output / "made_digits")) == ["1"]  # The stale temporary is gone.
  # A TFLite export that fails at its last check writes neither the model nor its JSON.
  def diverge(*args, **kwargs):
    raise saved_model_lib.ExportMismatchError("log_prob/log_prob: LiteRT differs")
  monkeypatch.setattr(tflite_lib, "verify", diverge)
  with pytest.raises(saved_model_lib.ExportMismatchError):
    tflite_lib.export(made_run, str(output / "made.tflite"), print_fn=lambda _: None)
  assert sorted(os.listdir(output)) == ["made_digits"]

