"""ShiftedConv2D and GatedResnet: outputs see only rows above (and columns left), checked with gradients."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.layers.layer_checks import pixel_dependencies
from tfgen.layers import GatedResnet, ShiftedConv2D


@pytest.mark.parametrize("kernel_size,shift", [((2, 3), "down"), ((2, 2), "down_right"),
                                               ((1, 3), "down"), ((2, 1), "down_right")])
def test_outputs_see_their_shifted_window(kernel_size, shift):
  layer = ShiftedConv2D(3, kernel_size, shift)
  depends = pixel_dependencies(layer)
  height, width = kernel_size
  for row, col in np.ndindex(6, 6):
    expected = np.zeros((6, 6), bool)
    left = (width - 1) // 2 if shift == "down" else width - 1
    right = (width - 1) // 2 if shift == "down" else 0
    expected[max(row - height + 1, 0):row + 1, max(col - left, 0):col + right + 1] = True
    np.testing.assert_array_equal(depends[row, col], expected, err_msg=f"output {(row, col)}")


@pytest.mark.parametrize("shift", ["down", "down_right"])
def test_strided_and_transposed_layers_stay_causal(shift):
  """A stride-2 layer then its deconvolution: fine pixel (r, c) sees no row below r (no column right of c)."""
  kernel = (2, 3) if shift == "down" else (2, 2)
  down = ShiftedConv2D(3, kernel, shift, strides=2)
  up = ShiftedConv2D(2, kernel, shift, strides=2, transpose=True)
  assert tuple(down(tf.zeros([1, 8, 8, 2])).shape) == (1, 4, 4, 3)
  assert tuple(up(tf.zeros([1, 4, 4, 3])).shape) == (1, 8, 8, 2)
  depends = pixel_dependencies(lambda x: up(down(x)), height=8, width=8)
  for row, col in np.ndindex(8, 8):
    seen_rows, seen_cols = np.nonzero(depends[row, col])
    assert seen_rows.size and seen_rows.max() <= row, (row, col)
    if shift == "down_right":
      assert seen_cols[seen_rows == row].max(initial=-1) <= col, (row, col)


def test_gated_resnet_keeps_the_shift_and_checks_its_inputs(tmp_path):
  block = GatedResnet(2, (2, 2), "down_right", use_auxiliary=True, dropout=0.5)
  auxiliary = tf.random.stateless_normal([1, 6, 6, 3], seed=[3, 4])
  depends = pixel_dependencies(block, auxiliary=auxiliary)
  for row, col in np.ndindex(6, 6):
    seen_rows, seen_cols = np.nonzero(depends[row, col])
    assert seen_rows.max() <= row and seen_cols[seen_rows == row].max() <= col
  with pytest.raises(ValueError, match="needs an auxiliary input"):
    block(tf.zeros([1, 6, 6, 2]))
  with pytest.raises(ValueError, match="takes no auxiliary input"):
    GatedResnet(2)(tf.zeros([1, 6, 6, 2]), tf.zeros([1, 6, 6, 2]))
  with pytest.raises(ValueError, match="inputs of 2 channels, got 3"):
    GatedResnet(2)(tf.zeros([1, 6, 6, 3]))
  x = tf.random.stateless_normal([2, 6, 6, 2], seed=[5, 6])
  # Dropout acts in training only.
  pair_auxiliary = tf.tile(auxiliary, [2, 1, 1, 1])
  inference = block(x, pair_auxiliary).numpy()
  np.testing.assert_array_equal(inference, block(x, pair_auxiliary).numpy())
  trained = block(x, pair_auxiliary, training=True).numpy()
  assert not np.allclose(trained, inference)
  assert not np.allclose(trained, block(x, pair_auxiliary, training=True).numpy())
  inputs = (keras.Input((6, 6, 2)), keras.Input((6, 6, 3)))
  model = keras.Model(inputs, block(*inputs))
  model.save(tmp_path / "block.keras")
  loaded = keras.saving.load_model(tmp_path / "block.keras", safe_mode=True)
  pair = (x, tf.tile(auxiliary, [2, 1, 1, 1]))
  np.testing.assert_allclose(loaded(pair), model(pair), atol=1e-6)


def test_config_round_trip_and_bad_arguments():
  layer = ShiftedConv2D(4, (2, 2), "down_right", strides=2, transpose=True)
  assert ShiftedConv2D.from_config(layer.get_config()).get_config() == layer.get_config()
  with pytest.raises(ValueError, match="odd width"):
    ShiftedConv2D(4, (2, 2), "down")
  with pytest.raises(ValueError, match="shift must be"):
    ShiftedConv2D(4, (2, 3), "up")
  with pytest.raises(ValueError, match="strides 1 or 2"):
    ShiftedConv2D(4, (2, 3), strides=3)
