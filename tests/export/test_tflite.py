"""TFLite export: builtin ops only, parity with TensorFlow in LiteRT, quantized sizes."""

import os

import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert import interpreter as litert

from export import tflite_lib
from tests.export import tiny_runs
from tfgen.training.workdir import Workdir


@pytest.fixture(scope="module")
def names_run(tmp_path_factory):
  # Weights large enough for dynamic-range quantization to apply.
  return tiny_runs.names_run(tmp_path_factory.mktemp("tflite") / "names", hidden_units=64,
                             embedding_size=8)


def test_the_cached_step_runs_in_litert_like_the_model(names_run, tmp_path):
  lines = []
  result = tflite_lib.export(names_run, str(tmp_path / "names.tflite"), print_fn=lines.append)
  assert result["signatures"] == ["initial_state", "step"]
  assert "not TFLite builtins" in result["skipped"]["log_prob"]
  assert any(line.startswith("convert: sample left out") for line in lines)
  assert result["max_diff"] <= 1e-4
  model, _, _ = Workdir(names_run).load_model()
  runner = litert.Interpreter(model_path=result["path"]).get_signature_runner("step")
  state = model.start_state(1)
  flat = {f"state_{index}": leaf.numpy() for index, leaf in enumerate(tf.nest.flatten(state))}
  token = np.array([[0.0]], np.float32)
  for position in range(4):  # Greedy decoding, the loop a phone runs.
    got = runner(previous=token, position=np.array(position, np.int32), **flat)
    expected, state = model.next_params(token, tf.constant(position), state)
    np.testing.assert_allclose(got["params"], expected.numpy(), atol=1e-4)
    flat = {name: got[name] for name in flat}
    token = np.array([[float(np.argmax(got["params"]))]], np.float32)


def test_quantized_exports_are_smaller_and_within_their_tolerance(names_run, tmp_path):
  sizes = {}
  for quantize in ("fp16", "dynamic"):
    result = tflite_lib.export(names_run, str(tmp_path / f"{quantize}.tflite"), quantize,
                               print_fn=lambda _: None)
    assert result["max_diff"] <= tflite_lib.TOLERANCES[quantize]
    sizes[quantize] = os.path.getsize(result["path"])
  sizes["none"] = os.path.getsize(tflite_lib.export(names_run, str(tmp_path / "none.tflite"),
                                                    print_fn=lambda _: None)["path"])
  assert sizes["dynamic"] < sizes["fp16"] < sizes["none"]


def test_a_model_with_nothing_convertible_is_refused_and_nothing_is_written(tmp_path):
  workdir = tiny_runs.made_run(tmp_path / "made", hidden_units=(8,))
  output = tmp_path / "made.tflite"
  with pytest.raises(ValueError, match="no serving signature of MADE converts"):
    tflite_lib.export(workdir, str(output), print_fn=lambda _: None)
  assert not output.exists()
