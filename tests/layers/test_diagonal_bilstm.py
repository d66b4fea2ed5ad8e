"""DiagonalBiLSTM: skewing, causality of both directions, config and errors."""

import numpy as np
import pytest
import tensorflow as tf

from tests.layers.layer_checks import pixel_dependencies
from tfgen.layers import DiagonalBiLSTM
from tfgen.layers.diagonal_bilstm import skew, unskew


def test_skew_moves_row_r_right_by_r_and_unskew_undoes_it():
  x = tf.reshape(tf.range(1, 2 * 3 * 4 + 1, dtype=tf.float32), [1, 2, 3, 4, 1])[0]  # [2, 3, 4, 1]
  skewed = skew(x).numpy()
  assert skewed.shape == (2, 3, 6, 1)
  for row in range(3):
    np.testing.assert_array_equal(skewed[:, row, row:row + 4], x.numpy()[:, row])
    assert not skewed[:, row, :row].any() and not skewed[:, row, row + 4:].any()
  np.testing.assert_array_equal(unskew(skew(x), 4).numpy(), x.numpy())


def test_output_sees_only_earlier_pixels_and_every_one_above():
  jacobian = pixel_dependencies(DiagonalBiLSTM(4), height=4, width=5)  # [H, W, H, W]
  for row, col in np.ndindex(4, 5):
    seen = jacobian[row, col]
    assert not seen[row + 1:].any() and not seen[row, col + 1:].any(), (row, col)
    # Both directions together: the whole row above, and the row so far.
    assert seen[:row].all() and seen[row, :col + 1].all(), (row, col)


def test_config_round_trip_and_bad_arguments():
  layer = DiagonalBiLSTM(6, num_groups=3)
  assert DiagonalBiLSTM.from_config(layer.get_config()).get_config() == layer.get_config()
  assert tuple(layer(tf.zeros([2, 3, 4, 3])).shape) == (2, 3, 4, 6)
  with pytest.raises(ValueError, match="multiple of num_groups"):
    DiagonalBiLSTM(4, num_groups=3)
  with pytest.raises(ValueError, match=r"\[batch, height, width, channels\]"):
    DiagonalBiLSTM(4)(tf.zeros([2, 3, 4]))
