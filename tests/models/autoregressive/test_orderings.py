import numpy as np
import pytest

from tests import model_checks
from tfgen import heads
from tfgen.models import FVSBN
from tfgen.models import MADE
from tfgen.models import NADE
from tfgen.models.autoregressive import orderings


def test_multiscale_visits_coarse_grids_first():
  degrees = orderings.position_degrees("multiscale", 36, None, (6, 6))
  np.testing.assert_array_equal(degrees.reshape(6, 6), [
      [1, 10, 5, 11, 2, 12],
      [13, 14, 15, 16, 17, 18],
      [6, 19, 7, 20, 8, 21],
      [22, 23, 24, 25, 26, 27],
      [3, 28, 9, 29, 4, 30],
      [31, 32, 33, 34, 35, 36]])


def test_multiscale_is_a_permutation_with_channels_together():
  degrees = orderings.position_degrees("multiscale", 28 * 28 * 3, None, (28, 28, 3))
  np.testing.assert_array_equal(np.sort(degrees), np.arange(1, 28 * 28 * 3 + 1))
  by_pixel = degrees.reshape(28 * 28, 3)
  np.testing.assert_array_equal(by_pixel[:, 1:] - by_pixel[:, :-1], 1)  # Channels in a row.
  # Strides 16, 8, 4, 2, 1: 4, 12, 33, 147 and 588 pixels.
  levels = np.searchsorted(np.cumsum([4, 12, 33, 147, 588]), (by_pixel[:, 0] - 1) // 3, side="right")
  np.testing.assert_array_equal(np.bincount(levels), [4, 12, 33, 147, 588])


def test_multiscale_needs_a_grid():
  with pytest.raises(ValueError, match=r"multiscale ordering needs a grid .* with 6 positions, "
                                       r"got grid_shape=\(6,\)"):
    orderings.position_degrees("multiscale", 6, None, (6,))
  with pytest.raises(ValueError, match="ordering must be one of natural, reverse, random, multiscale"):
    orderings.position_degrees("spiral", 6, None)


@pytest.mark.parametrize("model_class,kwargs", [
    (FVSBN, {}), (NADE, {"hidden_units": 8}), (MADE, {"hidden_units": [16], "activation": "tanh"})])
def test_models_follow_the_multiscale_ordering(model_class, kwargs):
  model = model_class((4, 4, 1), heads.Bernoulli(), ordering="multiscale", **kwargs)
  model.build((None, 4, 4, 1))
  order = model.sampling_order().numpy()
  np.testing.assert_array_equal(order[:4], [0, 2, 8, 10])  # The stride-2 grid first.
  x = np.random.default_rng(0).random((1, 4, 4, 1)).astype(np.float32)
  depends = model_checks.check_autoregressive(model, x)
  assert depends[order[-1]].sum() == 15  # The last pixel sees all others: the check bites.
  model_checks.check_normalization(model.log_prob, 2, (4, 4, 1))
