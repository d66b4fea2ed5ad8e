"""Orderings of an autoregressive model's positions, as degrees 1..N."""

import numpy as np

ORDERINGS = ("natural", "reverse", "random", "multiscale")


def position_degrees(ordering, num_positions, rng, grid_shape=None):
  """Degree (place in the generation order, 1..N) of each grid position.

  Args:
    ordering: "natural" (row-major), "reverse", "random" (a permutation from
      `rng`) or "multiscale" (coarse to fine, below).
    num_positions: N.
    rng: numpy Generator, used for "random".
    grid_shape: (height, width, ...) of the positions, row-major; "multiscale"
      needs it.

  "multiscale" first visits the pixels on the coarsest grid of power-of-2
  stride, then each finer grid's new pixels, row-major within a level (and
  trailing axes, such as channels, within a pixel):

    level(i, j) = #{s in 2, 4, 8, ... < max(H, W) : s divides i and j},
    order = sorted by (-level, i, j).

  So most later pixels have earlier neighbours on every side, not only above
  and to the left; a model with linear conditionals (FVSBN) gains from that.
  (After Reed et al., "Parallel Multiscale Autoregressive Density Estimation",
  ICML 2017.)
  """
  if ordering == "natural":
    return np.arange(1, num_positions + 1)
  if ordering == "reverse":
    return np.arange(num_positions, 0, -1)
  if ordering == "random":
    return rng.permutation(num_positions) + 1
  if ordering == "multiscale":
    return _multiscale_degrees(num_positions, grid_shape)
  raise ValueError(f"ordering must be one of {', '.join(ORDERINGS)}, got {ordering!r}")


def _multiscale_degrees(num_positions, grid_shape):
  grid_shape = tuple(int(size) for size in grid_shape or ())
  if len(grid_shape) < 2 or int(np.prod(grid_shape)) != num_positions:
    raise ValueError(f"the multiscale ordering needs a grid of (height, width, ...) with "
                     f"{num_positions} positions, got grid_shape={grid_shape}")
  height, width = grid_shape[:2]
  rows, cols, within = np.unravel_index(np.arange(num_positions),
                                        (height, width, num_positions // (height * width)))
  level = np.zeros(num_positions, np.int64)
  stride = 2
  while stride < max(height, width):
    level += (rows % stride == 0) & (cols % stride == 0)
    stride *= 2
  order = np.lexsort((within, cols, rows, -level))  # The last key sorts first.
  degrees = np.empty(num_positions, np.int64)
  degrees[order] = np.arange(1, num_positions + 1)
  return degrees
