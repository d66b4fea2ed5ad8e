"""Every head's unseeded `sample` converts to TFLite builtins and runs in LiteRT."""

import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert import interpreter as litert

from tfgen import heads

CASES = [
    (heads.Bernoulli(), (4, 1), 2),
    (heads.Categorical(5), (4, 5), 5),
    (heads.DiscretizedLogisticMixture(num_components=3, num_bins=8), (4, 9), 8),
    (heads.DiscretizedLogisticMixture(num_components=2, num_bins=8, coupled_channels=3), (4, 20), 8),
    (heads.Normal(), (4, 2), None),
    (heads.GaussianMixture(3), (4, 9), None),
    (heads.DiagonalGaussianMixture(3), (4, 3 + 2 * 3 * 5), None),
    (heads.DiagonalGaussianMixture(1, fixed_scale=0.5), (4, 5), None),
]


@pytest.mark.parametrize("head,params_shape,num_values", CASES, ids=lambda case: repr(case))
def test_sample_runs_in_litert_with_builtin_ops(head, params_shape, num_values):
  sample = tf.function(lambda params: head.sample(params),
                       input_signature=[tf.TensorSpec((1,) + params_shape, tf.float32)])
  converter = tf.lite.TFLiteConverter.from_concrete_functions(
      [sample.get_concrete_function()], sample)
  converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
  model = converter.convert()
  interpreter = litert.Interpreter(model_content=model)
  interpreter.allocate_tensors()
  params = np.random.default_rng(0).normal(size=(1,) + params_shape).astype(np.float32)
  interpreter.set_tensor(interpreter.get_input_details()[0]["index"], params)
  interpreter.invoke()
  drawn = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
  expected_shape = tuple(head.sample(params).shape)
  assert drawn.shape == expected_shape
  assert np.all(np.isfinite(drawn))
  if num_values is not None:
    assert np.all((drawn >= 0) & (drawn <= num_values - 1) & (drawn == np.round(drawn)))


@pytest.mark.parametrize("head,params_shape,num_values", CASES, ids=lambda case: repr(case))
def test_a_draw_replays_from_its_noise_in_python_and_litert(head, params_shape, num_values):
  """sample(seed) is sample_from_noise of that seed's uniforms, and LiteRT gives the same draw."""
  del num_values
  rng = np.random.default_rng(1)
  params = rng.normal(size=(1,) + params_shape).astype(np.float32)
  noise_shape = (1, params_shape[0], head.noise_size(params_shape[-1]))
  seed = tf.constant([5, 6], tf.int32)
  seeded = head.sample(params, seed=seed)
  uniforms = tf.random.stateless_uniform(noise_shape, seed, minval=1e-6, maxval=1 - 1e-6)
  np.testing.assert_allclose(head.sample_from_noise(params, uniforms).numpy(), seeded.numpy(),
                             atol=1e-5)
  noise = rng.uniform(size=noise_shape).astype(np.float32)
  expected = head.sample_from_noise(params, noise, temperature=0.7).numpy()
  replay = tf.function(lambda params, noise: head.sample_from_noise(params, noise, 0.7),
                       input_signature=[tf.TensorSpec((1,) + params_shape, tf.float32),
                                        tf.TensorSpec(noise_shape, tf.float32)])
  converter = tf.lite.TFLiteConverter.from_concrete_functions(
      [replay.get_concrete_function()], replay)
  converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
  interpreter = litert.Interpreter(model_content=converter.convert())
  interpreter.allocate_tensors()
  for detail in interpreter.get_input_details():  # Inputs in argument order.
    interpreter.set_tensor(detail["index"], params if "params" in detail["name"] else noise)
  interpreter.invoke()
  drawn = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
  np.testing.assert_allclose(drawn, expected, atol=1e-4)
  with pytest.raises(ValueError, match="uniform numbers, got noise with last axis"):
    head.sample_from_noise(params, noise[..., :-1] if noise_shape[-1] > 1 else noise[..., :0])
