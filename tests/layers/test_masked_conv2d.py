"""MaskedConv2D: each output sees exactly its causal region (checked with gradients); cached steps."""

import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen.layers import MaskedConv2D

HEIGHT, WIDTH = 5, 6


def dependencies(layer, channels):
  """D[r, c, o, r', c', i] = True if output (r, c, o) has a non-zero gradient w.r.t. input (r', c', i)."""
  x = tf.random.stateless_normal([1, HEIGHT, WIDTH, channels], seed=[1, 2])
  with tf.GradientTape() as tape:
    tape.watch(x)
    outputs = layer(x)[0]
  jacobian = tape.jacobian(outputs, x)                       # [H, W, O, 1, H, W, C]
  return np.abs(jacobian.numpy()[:, :, :, 0]) > 0


def expected(layer, channels):
  """The dependencies the layer's docstring promises."""
  half_h, half_w = layer.kernel_size[0] // 2, layer.kernel_size[1] // 2
  groups = layer.num_groups
  result = np.zeros((HEIGHT, WIDTH, layer.filters, HEIGHT, WIDTH, channels), bool)
  for row, col, out, in_row, in_col, inp in itertools.product(
      range(HEIGHT), range(WIDTH), range(layer.filters), range(HEIGHT), range(WIDTH),
      range(channels)):
    block_size = layer.filters // layer.num_output_blocks
    out_group, in_group = (out % block_size) * groups // block_size, inp * groups // channels
    centre_rule = in_group < out_group if layer.mask_type == "A" else in_group <= out_group
    if layer.region == "vertical":
      seen = row - half_h <= in_row <= row and abs(in_col - col) <= half_w
    elif layer.region == "horizontal":
      seen = in_row == row and (col - half_w <= in_col < col or (in_col == col and centre_rule))
    else:
      seen = ((row - half_h <= in_row < row and abs(in_col - col) <= half_w)
              or (in_row == row and col - half_w <= in_col < col)
              or (in_row == row and in_col == col and centre_rule))
    result[row, col, out, in_row, in_col, inp] = seen
  return result


@pytest.mark.parametrize("region,mask_type,kernel_size,num_groups,num_output_blocks", [
    ("raster", "A", 3, 1, 1), ("raster", "B", 3, 1, 1), ("raster", "A", (3, 5), 3, 1),
    ("raster", "B", 5, 3, 1), ("vertical", "B", 3, 1, 1), ("horizontal", "A", 3, 3, 1),
    ("horizontal", "B", 5, 1, 1), ("horizontal", "A", 3, 3, 2), ("raster", "B", 3, 3, 2),
])
def test_outputs_see_exactly_their_causal_region(region, mask_type, kernel_size, num_groups,
                                                 num_output_blocks):
  channels = 2 * num_groups
  layer = MaskedConv2D(num_groups * 2 * num_output_blocks, kernel_size, mask_type=mask_type,
                       region=region, num_groups=num_groups, num_output_blocks=num_output_blocks)
  layer.build((None, HEIGHT, WIDTH, channels))
  # Non-zero weights everywhere, so a zero gradient means the mask is zero there.
  layer.kernel.assign(tf.random.stateless_uniform(layer.kernel.shape, [3, 4], 0.5, 1.0))
  found, wanted = dependencies(layer, channels), expected(layer, channels)
  mismatch = np.argwhere(found != wanted)
  assert not len(mismatch), (f"{len(mismatch)} wrong dependencies, first (r, c, o, r', c', i) = "
                             f"{mismatch[0].tolist()}, found={found[tuple(mismatch[0])]}")


def test_rgb_mask_a_centre_tap():
  layer = MaskedConv2D(3, 1, mask_type="A", num_groups=3)
  layer.build((None, 4, 4, 3))
  # R sees nothing of its own pixel, G sees R, B sees R and G.
  np.testing.assert_array_equal(layer.mask[0, 0], [[0, 1, 1], [0, 0, 1], [0, 0, 0]])
  layer = MaskedConv2D(3, 1, mask_type="B", num_groups=3)
  layer.build((None, 4, 4, 3))
  np.testing.assert_array_equal(layer.mask[0, 0], [[1, 1, 1], [0, 1, 1], [0, 0, 1]])
  # Two output blocks (a gate's [f, g]): each holds R, G, B in order.
  layer = MaskedConv2D(6, 1, mask_type="A", num_groups=3, num_output_blocks=2)
  layer.build((None, 4, 4, 3))
  np.testing.assert_array_equal(layer.mask[0, 0], [[0, 1, 1] * 2, [0, 0, 1] * 2, [0, 0, 0] * 2])


@pytest.mark.parametrize("region,mask_type,kernel_size", [
    ("raster", "A", 3), ("raster", "B", (3, 5)), ("horizontal", "A", 3), ("horizontal", "B", 5),
    ("vertical", "B", 3), ("vertical", "B", (5, 3))])
def test_cached_steps_equal_the_full_convolution(region, mask_type, kernel_size):
  layer = MaskedConv2D(6, kernel_size, mask_type=mask_type, region=region, num_groups=3)
  x = tf.random.stateless_normal([2, HEIGHT, WIDTH, 3], seed=[5, 6])
  full = layer(x).numpy()
  if region == "vertical":
    with pytest.raises(ValueError, match="row_step"):
      layer.step(layer.initial_cache(2, HEIGHT, WIDTH), x[:, 0, 0], 0, 0)
  else:
    cache = layer.initial_cache(2, HEIGHT, WIDTH)
    stepped = np.zeros_like(full)
    for row in range(HEIGHT):
      for col in range(WIDTH):
        output, cache = layer.step(cache, x[:, row, col], row, col)
        stepped[:, row, col] = output.numpy()
    np.testing.assert_allclose(stepped, full, atol=1e-5)
  cache = layer.initial_cache(2, HEIGHT, WIDTH)
  rows = []
  for row in range(HEIGHT):
    output, cache = layer.row_step(cache, x[:, row], row)
    rows.append(output.numpy())
  # A whole row at once: a row's inputs are all written before its outputs are read.
  np.testing.assert_allclose(np.stack(rows, axis=1), full, atol=1e-5)


def test_config_round_trip_and_bad_arguments():
  layer = MaskedConv2D(6, (3, 5), mask_type="A", region="horizontal", num_groups=3)
  assert MaskedConv2D.from_config(layer.get_config()).get_config() == layer.get_config()
  with pytest.raises(ValueError, match="odd kernel_size"):
    MaskedConv2D(4, 2)
  with pytest.raises(ValueError, match="mask_type"):
    MaskedConv2D(4, 3, mask_type="C")
  with pytest.raises(ValueError, match="region"):
    MaskedConv2D(4, 3, region="diagonal")
  with pytest.raises(ValueError, match="multiple of num_groups"):
    MaskedConv2D(4, 3, num_groups=3)
  with pytest.raises(ValueError, match="num_output_blocks=2"):
    MaskedConv2D(9, 3, num_groups=3, num_output_blocks=2)
  with pytest.raises(ValueError, match="equal groups"):
    MaskedConv2D(3, 3, num_groups=3).build((None, 4, 4, 4))
  with pytest.raises(ValueError, match=r"\[batch, height, width, channels\]"):
    MaskedConv2D(3, 3)(tf.zeros([2, 4, 4]))


def test_saves_inside_a_model(tmp_path):
  inputs = keras.Input((4, 4, 3))
  model = keras.Model(inputs, MaskedConv2D(3, 3, mask_type="A", num_groups=3)(inputs))
  path = str(tmp_path / "masked.keras")
  model.save(path)
  loaded = keras.saving.load_model(path, safe_mode=True)
  x = np.random.default_rng(0).normal(size=(2, 4, 4, 3)).astype(np.float32)
  np.testing.assert_allclose(loaded(x), model(x), atol=1e-6)
