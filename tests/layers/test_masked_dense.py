import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen.layers import MaskedDense

MASK = np.array([[1, 0, 0], [1, 1, 0]], np.float32)


def make_layer():
  layer = MaskedDense(3, use_bias=True)
  layer.build((None, 2))
  layer.set_mask(MASK)
  return layer


def test_output_equals_dense_with_masked_kernel():
  layer = make_layer()
  x = np.array([[0.3, -1.2], [2.0, 0.5]], np.float32)
  expected = x @ (layer.kernel.numpy() * MASK) + layer.bias.numpy()
  np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6)


def test_masked_connections_get_no_gradient_and_no_influence():
  layer = make_layer()
  x = tf.constant([[0.3, -1.2]])
  with tf.GradientTape() as tape:
    tape.watch(x)
    output = layer(x)[0, 0]  # Unit 0 sees both inputs; unit 2 sees none.
  assert np.all(tape.gradient(output, x).numpy() != 0)
  with tf.GradientTape() as tape:
    tape.watch(x)
    output = layer(x)[0, 2]
  np.testing.assert_array_equal(tape.gradient(output, x).numpy(), 0.0)


def test_mask_is_saved_and_not_trained():
  layer = make_layer()
  assert all(weight is not layer.mask for weight in layer.trainable_weights)
  np.testing.assert_array_equal(layer.mask.numpy(), MASK)


def test_bad_masks_are_refused():
  layer = make_layer()
  with pytest.raises(ValueError, match="mask shape"):
    layer.set_mask(np.ones((3, 3)))
  with pytest.raises(ValueError, match="only zeros and ones"):
    layer.set_mask(np.full((2, 3), 0.5))


def test_config_round_trip():
  layer = MaskedDense(4, activation="relu", use_bias=False)
  clone = MaskedDense.from_config(layer.get_config())
  assert clone.get_config() == layer.get_config()
  assert keras.activations.serialize(clone.activation) == "relu"
