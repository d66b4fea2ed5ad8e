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
