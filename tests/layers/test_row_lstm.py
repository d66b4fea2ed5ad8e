"""RowLSTM: a row's state sees its own row up to the pixel and a triangle above; config and errors."""

import numpy as np
import pytest
import tensorflow as tf

from tests.layers.layer_checks import pixel_dependencies
from tfgen.layers import RowLSTM


def test_row_state_sees_its_row_so_far_and_the_rows_above():
  jacobian = pixel_dependencies(RowLSTM(4, kernel_size=3), height=4, width=5)  # [H, W, H, W]
  for row, col in np.ndindex(4, 5):
    seen = jacobian[row, col]
    assert not seen[row + 1:].any() and not seen[row, col + 1:].any(), (row, col)
    assert seen[row, col] and (row == 0 or seen[row - 1, min(col + 1, 4)])
  # Row 2, column 0 sees at most two columns right in row 0 (a triangle).
  assert not jacobian[2, 0, 0, 3]


def test_config_round_trip_and_bad_arguments():
  layer = RowLSTM(6, kernel_size=5, num_groups=3)
  assert RowLSTM.from_config(layer.get_config()).get_config() == layer.get_config()
  assert tuple(layer(tf.zeros([2, 3, 4, 3])).shape) == (2, 3, 4, 6)
  with pytest.raises(ValueError, match="multiple of num_groups"):
    RowLSTM(4, num_groups=3)
  with pytest.raises(ValueError, match=r"\[batch, height, width, channels\]"):
    RowLSTM(4)(tf.zeros([2, 3, 4]))
