import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen.layers import PhiloxDropout


def test_drops_at_the_rate_and_rescales_in_training_only():
  layer = PhiloxDropout(0.3, seed=0)
  x = np.full((200, 500), 2.0, np.float32)
  np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
  y = layer(x, training=True).numpy()
  dropped = y == 0
  assert abs(dropped.mean() - 0.3) < 0.01
  np.testing.assert_allclose(y[~dropped], 2.0 / 0.7, rtol=1e-6)


def test_seeded_layers_repeat_and_successive_calls_differ():
  x = np.ones((64, 64), np.float32)
  first, second = PhiloxDropout(0.5, seed=7), PhiloxDropout(0.5, seed=7)
  draws = [first(x, training=True).numpy() for _ in range(2)]
  np.testing.assert_array_equal(second(x, training=True).numpy(), draws[0])
  assert (draws[0] != draws[1]).any()


@pytest.mark.parametrize("jit_compile", [False, True])
def test_keep_masks_equal_keras_dropout_with_and_without_xla(jit_compile):
  # Only the kernel XLA compiles differs: the bits are Keras' own for the same seed.
  x = tf.ones((100, 800))
  outputs = []
  for layer_class in (keras.layers.Dropout, PhiloxDropout):
    layer = layer_class(0.4, seed=3)
    step = tf.function(lambda inputs, layer=layer: layer(inputs, training=True),
                       jit_compile=jit_compile)
    outputs.append([step(x).numpy() for _ in range(2)])
  np.testing.assert_array_equal(outputs[1], outputs[0])
  assert (outputs[1][0] != outputs[1][1]).any()
  assert abs((outputs[1][0] == 0).mean() - 0.4) < 0.01


def test_noise_shape_shares_the_mask_along_none_free_axes():
  layer = PhiloxDropout(0.5, noise_shape=(None, 1, 6), seed=1)
  y = layer(np.ones((4, 5, 6), np.float32), training=True).numpy()
  np.testing.assert_array_equal(y, np.broadcast_to(y[:, :1, :], y.shape))
  assert 0 < (y == 0).mean() < 1


def test_config_round_trips_through_keras_serialization():
  layer = PhiloxDropout(0.25, seed=5, name="drop")
  restored = keras.layers.deserialize(keras.layers.serialize(layer))
  assert isinstance(restored, PhiloxDropout)
  assert (restored.rate, restored.seed, restored.name) == (0.25, 5, "drop")
