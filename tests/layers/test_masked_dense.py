import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen.layers import MaskedDense

MASK = np.array([[1, 0, 0], [1, 1, 0]], np.float32)
INPUT_DEGREES = np.array([1, 2, 3], np.int32)
OUTPUT_DEGREES = np.array([1, 3, 2, 0], np.int32)


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



def make_degree_layer(rule, use_bias=True, name=None):
  layer = MaskedDense(4, use_bias=use_bias, degree_rule=rule, name=name)
  layer.build((None, 3))
  layer.set_degrees(INPUT_DEGREES, OUTPUT_DEGREES)
  return layer


@pytest.mark.parametrize("rule,expected", [
    ("greater_equal", [[1, 1, 1, 0], [0, 1, 1, 0], [0, 1, 0, 0]]),
    ("greater", [[0, 1, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])])
def test_mask_compares_degrees(rule, expected):
  layer = make_degree_layer(rule)
  np.testing.assert_array_equal(layer.connections().numpy(), expected)
  x = np.array([[0.3, -1.2, 0.7]], np.float32)
  want = x @ (layer.kernel.numpy() * np.array(expected, np.float32)) + layer.bias.numpy()
  np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-6)


def test_degree_masked_connections_get_no_gradient():
  layer = make_degree_layer("greater")
  x = tf.constant([[0.3, -1.2, 0.7]])
  with tf.GradientTape() as tape:
    tape.watch(x)
    output = layer(x)[0, 2]  # Degree 2 sees only the input of degree 1.
  np.testing.assert_array_equal(tape.gradient(output, x).numpy()[0] != 0, [True, False, False])


def test_degrees_are_saved_and_not_trained():
  layer = make_degree_layer("greater_equal")
  assert [weight.name for weight in layer.trainable_weights] == ["kernel", "bias"]
  np.testing.assert_array_equal(layer.input_degrees.numpy(), INPUT_DEGREES)
  np.testing.assert_array_equal(layer.output_degrees.numpy(), OUTPUT_DEGREES)


def test_bad_degrees_are_refused():
  layer = make_degree_layer("greater_equal")
  with pytest.raises(ValueError, match=r"input degrees have shape \(2,\), expected \(3,\)"):
    layer.set_degrees([1, 2], OUTPUT_DEGREES)
  with pytest.raises(ValueError, match="output degrees must be integers"):
    layer.set_degrees(INPUT_DEGREES, OUTPUT_DEGREES.astype(np.float32))
  with pytest.raises(ValueError, match="comes from its degrees; use set_degrees"):
    layer.set_mask(np.ones((3, 4)))
  with pytest.raises(ValueError, match="holds an explicit mask; use set_mask"):
    MaskedDense(4).set_degrees(INPUT_DEGREES, OUTPUT_DEGREES)
  with pytest.raises(ValueError, match="degree_rule must be None or one of greater_equal, greater"):
    MaskedDense(4, degree_rule=">=")


def test_degree_config_round_trip():
  layer = MaskedDense(4, activation="relu", use_bias=False, degree_rule="greater")
  clone = MaskedDense.from_config(layer.get_config())
  assert clone.get_config() == layer.get_config() and clone.degree_rule == "greater"


@pytest.mark.parametrize("degree_rule", [None, "greater_equal", "greater"])
def test_bfloat16_training_matmuls_keep_the_mask_and_float32_elsewhere(degree_rule):
  rng = np.random.default_rng(0)
  layers = []
  for dtype in ("float32", "bfloat16"):
    layer = MaskedDense(4, activation="tanh", degree_rule=degree_rule, training_matmul_dtype=dtype)
    layer.build((None, 3))
    if degree_rule is None:
      layer.set_mask(rng.integers(0, 2, size=(3, 4)) if not layers else layers[0].mask.numpy())
    else:
      layer.set_degrees(INPUT_DEGREES, OUTPUT_DEGREES)
    if layers:
      layer.kernel.assign(layers[0].kernel)
      layer.bias.assign(rng.normal(size=4).astype(np.float32))
      layers[0].bias.assign(layer.bias)
    layers.append(layer)
  exact, rounded = layers
  x = tf.constant(rng.normal(size=(5, 3)), tf.float32)
  kept = (exact.masked_kernel().numpy() != 0) | (exact.kernel.numpy() == 0)
  np.testing.assert_array_equal(rounded(x).numpy(), exact(x).numpy())  # training=None: float32.
  gradients = []
  for layer in layers:
    with tf.GradientTape() as tape:
      outputs = layer(x, training=True)
      loss = tf.reduce_sum(outputs * tf.range(1.0, 5.0))
    gradients.append(tape.gradient(loss, layer.kernel))
    assert outputs.dtype == tf.float32 and gradients[-1].dtype == tf.float32
  assert not np.array_equal(rounded(x, training=True).numpy(), exact(x, training=True).numpy())
  np.testing.assert_allclose(rounded(x, training=True).numpy(), exact(x, training=True).numpy(),
                             atol=3e-2)
  assert np.all(gradients[1].numpy()[~kept] == 0)  # Masked weights get no gradient at all.
  np.testing.assert_allclose(gradients[1].numpy(), gradients[0].numpy(), rtol=3e-2, atol=3e-2)


def test_bad_training_matmul_dtype_is_named():
  with pytest.raises(ValueError, match="training_matmul_dtype must be one of float32, bfloat16"):
    MaskedDense(4, training_matmul_dtype="float16")


def test_training_matmul_dtype_round_trips():
  layer = MaskedDense(4, degree_rule="greater", training_matmul_dtype="bfloat16")
  assert MaskedDense.from_config(layer.get_config()).training_matmul_dtype == "bfloat16"


def one_layer_model(layer):
  inputs = keras.Input((3,))
  return keras.Model(inputs, layer(inputs))


@pytest.mark.parametrize("use_bias", [True, False])
def test_weights_saved_with_a_mask_load_kernel_and_bias(tmp_path, use_bias):
  # Files written when MADE's layers held whole masks still load; the degrees stay as set.
  old = one_layer_model(MaskedDense(4, use_bias=use_bias, name="layer"))
  old.layers[-1].set_mask(np.ones((3, 4)))
  if use_bias:
    old.layers[-1].bias.assign(np.arange(4, dtype=np.float32))
  old.save_weights(tmp_path / "old.weights.h5")
  new_layer = make_degree_layer("greater_equal", use_bias=use_bias, name="layer")
  new = one_layer_model(new_layer)
  new.load_weights(tmp_path / "old.weights.h5")
  np.testing.assert_array_equal(new_layer.kernel.numpy(), old.layers[-1].kernel.numpy())
  if use_bias:
    np.testing.assert_array_equal(new_layer.bias.numpy(), np.arange(4))
  np.testing.assert_array_equal(new_layer.output_degrees.numpy(), OUTPUT_DEGREES)
