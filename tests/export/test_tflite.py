"""TFLite export: builtin ops only, parity with TensorFlow in LiteRT, quantized sizes."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert import interpreter as litert

from export import saved_model_lib
from export import tflite_lib
from tests.export.machine_paths import machine_paths_in
from tfgen import heads
from tfgen.models import NADE, VAE
from tfgen.training.workdir import Workdir


def test_the_cached_step_runs_in_litert_like_the_model(names_run, names_tflite):
  path, lines = names_tflite
  assert "convert: generate, initial_state, log_prob, sample, sample_from_noise, step (none)" in lines
  metadata = json.load(open(tflite_lib.metadata_path(path)))
  assert metadata["signatures"] == ["generate", "initial_state", "log_prob", "sample",
                                    "sample_from_noise", "step"]
  assert len(metadata["vocabulary"]) == metadata["num_values"]
  model, _, _ = Workdir(names_run).load_model()
  interpreter = litert.Interpreter(model_path=path)
  # The GRU's whole-sequence log_prob runs as a loop of steps (no TensorList ops).
  names = np.random.default_rng(2).integers(
      0, metadata["num_values"], [2] + metadata["event_shape"]).astype(np.float32)
  np.testing.assert_allclose(interpreter.get_signature_runner("log_prob")(x=names)["log_prob"],
                             model.log_prob(names).numpy(), rtol=1e-5)
  runner = interpreter.get_signature_runner("step")
  state = model.start_state(1)
  flat = {f"state_{index}": leaf.numpy() for index, leaf in enumerate(tf.nest.flatten(state))}
  token = np.array([[0.0]], np.float32)
  for position in range(4):  # Greedy decoding, the loop a phone runs.
    got = runner(previous=token, position=np.array(position, np.int32), **flat)
    expected, state = model.next_params(token, tf.constant(position), state)
    np.testing.assert_allclose(got["params"], expected.numpy(), atol=1e-4)
    flat = {name: got[name] for name in flat}
    token = np.array([[float(np.argmax(got["params"]))]], np.float32)
  # The whole generation loop in LiteRT: the prompt kept, tokens in the vocabulary.
  ids = interpreter.get_signature_runner("generate")(
      prompt_ids=np.array([[3, 4]], np.int32), length=np.array(5, np.int32),
      temperature=np.array(1.0, np.float32))["ids"]
  assert ids.shape == (1, 7) and ids[0, :2].tolist() == [3, 4]
  assert 0 <= ids.min() and ids.max() < metadata["num_values"]


def test_quantized_step_models_are_smaller_and_within_their_tolerance(names_run, tmp_path):
  """The step model a phone ships, in each quantization (each export checks its tolerance)."""
  sizes = {}
  for quantize in ("none", "fp16", "dynamic", "int8"):
    lines = []
    result = tflite_lib.export(names_run, str(tmp_path / f"{quantize}.tflite"), quantize,
                               print_fn=lines.append, num_calibration_examples=16,
                               signature_keys=["initial_state", "step"])
    assert result["signatures"] == ["initial_state", "step"]
    sizes[quantize] = os.path.getsize(result["path"])
  assert "calibrate: 16 training inputs per signature" in lines
  assert sizes["dynamic"] < sizes["fp16"] < sizes["none"]
  assert sizes["int8"] < 0.5 * sizes["none"]
  with pytest.raises(ValueError, match="serves no forecast"):
    tflite_lib.export(names_run, str(tmp_path / "bad.tflite"), signature_keys=["forecast"])


def test_an_image_model_scores_and_replays_draws_in_litert(made_run, made_tflite):
  """MADE: log_prob (one-hot log-softmax) and sample_from_noise equal TensorFlow's; sample runs."""
  _, result = made_tflite
  assert result["signatures"] == ["log_prob", "sample", "sample_from_noise"]
  assert result["max_diff"] <= 1e-4
  model, _, _ = Workdir(made_run).load_model()
  interpreter = litert.Interpreter(model_path=result["path"])
  rng = np.random.default_rng(0)
  x = rng.integers(0, 17, size=(1, 8, 8, 1)).astype(np.uint8)  # Images are served as uint8.
  np.testing.assert_allclose(interpreter.get_signature_runner("log_prob")(x=x)["log_prob"],
                             model.log_prob(x).numpy(), rtol=1e-5)
  noise = rng.uniform(size=(1,) + model.noise_shapes()["uniform"]).astype(np.float32)
  replayed = interpreter.get_signature_runner("sample_from_noise")(uniform=noise)["samples"]
  np.testing.assert_array_equal(replayed, model.sample_from_noise(noise).numpy())
  drawn = interpreter.get_signature_runner("sample")(num_samples=np.array(2, np.int32))["samples"]
  assert drawn.shape == (2, 8, 8, 1) and set(np.unique(drawn)) <= set(range(17))
  assert not np.array_equal(drawn[0], drawn[1])  # LiteRT's own random ops draw.
  folder = os.path.dirname(result["path"])  # The .tflite and its .json: no machine paths.
  assert not machine_paths_in([folder], [folder, str(made_run)])


def test_nades_recurrence_scores_in_litert_by_prefix_sums(tmp_path):
  model = NADE((4, 4, 1), heads.Bernoulli(), hidden_units=6)  # log_prob_method="recurrence"
  model(tf.zeros([1, 4, 4, 1]))
  signatures = model.serving_signatures(seeded=False)
  saved_model_lib.save(model, signatures, str(tmp_path / "nade"))
  flatbuffer = tflite_lib._converter(str(tmp_path / "nade"), ["log_prob"], "none").convert()  # pylint: disable=protected-access
  x = np.random.default_rng(3).integers(0, 2, (3, 4, 4, 1)).astype(np.uint8)
  got = litert.Interpreter(model_content=flatbuffer).get_signature_runner("log_prob")(x=x)
  np.testing.assert_allclose(got["log_prob"], model.log_prob(x.astype(np.float32)).numpy(),
                             rtol=1e-5)


def test_flex_ops_are_refused_not_converted(tmp_path):
  """A VAE's elbo draws with stateless kernels: Flex ops, which LiteRT cannot run."""
  model = VAE((4, 4, 1), heads.Bernoulli(), latent_size=2, hidden_units=(4,))
  model.build()
  saved_model_lib.save(model, model.serving_signatures(seeded=False), str(tmp_path / "vae"))
  converter = tflite_lib._converter(str(tmp_path / "vae"), ["elbo"], "none")  # pylint: disable=protected-access
  assert set(converter.target_spec.supported_ops) == {tf.lite.OpsSet.TFLITE_BUILTINS}
  with pytest.raises(Exception) as raised:  # The converter raises several kinds.
    converter.convert()
  reason = tflite_lib._first_error(raised.value)  # pylint: disable=protected-access
  assert reason.startswith("not TFLite builtins: StatelessRandom"), reason
