"""Applying an image-to-image network to images of any size: side padding, and overlapping tiles."""

import numpy as np
import tensorflow as tf


def padded_apply(function, images, multiple, minimum=1):
  """function(images padded to sides divisible by `multiple`), cropped back to the input's size.

  The padding mirrors the image at its bottom and right edges (symmetric), so
  the network sees no artificial border.

  Args:
    function: [batch, H', W', C] -> [batch, H', W', C'], H' and W' multiples of `multiple`.
    images: [batch, H, W, C].
    multiple: the side multiple the network needs (2^downsamplings).
    minimum: the smallest side the network takes (its reflect paddings need
      room); rounded up to a multiple of `multiple`.
  """
  images = tf.convert_to_tensor(images)
  height, width = tf.shape(images)[1], tf.shape(images)[2]
  minimum = -(-int(minimum) // multiple) * multiple
  pad_rows = tf.maximum((-height) % multiple, minimum - height)
  pad_columns = tf.maximum((-width) % multiple, minimum - width)

  def missing(padded):
    """(rows, columns) still to add; SYMMETRIC padding adds at most the image's own size."""
    rows = tf.minimum(pad_rows - (tf.shape(padded)[1] - height), tf.shape(padded)[1])
    columns = tf.minimum(pad_columns - (tf.shape(padded)[2] - width), tf.shape(padded)[2])
    return rows, columns

  def more(padded):
    rows, columns = missing(padded)
    return tf.logical_or(rows > 0, columns > 0)

  def grow(padded):
    rows, columns = missing(padded)
    return (tf.pad(padded, [[0, 0], [0, tf.maximum(rows, 0)], [0, tf.maximum(columns, 0)], [0, 0]],
                   mode="SYMMETRIC"),)

  # A loop that also runs in a graph (a served signature takes any height and width).
  padded = tf.while_loop(more, grow, (images,),
                         shape_invariants=(tf.TensorShape([None, None, None, images.shape[-1]]),))[0]
  return function(padded)[:, :height, :width]


def tile_starts(size, tile_size, overlap):
  """Start offsets of tiles of `tile_size` covering [0, size), neighbours sharing >= `overlap`."""
  if tile_size >= size:
    return [0]
  stride = tile_size - overlap
  starts = list(range(0, size - tile_size, stride)) + [size - tile_size]
  return sorted(set(starts))


def blend_weights(tile_size, overlap):
  """1-D weights of a tile: ramping up over `overlap` pixels at each end, 1 inside, > 0 everywhere."""
  index = np.arange(tile_size, dtype=np.float64)
  ramp = np.minimum(index + 1, tile_size - index) / (overlap + 1)
  return np.minimum(1.0, ramp)


def tiled_apply(function, images, tile_size, overlap=32):
  """function applied tile by tile to images [batch, H, W, C], blended across the overlaps.

  Tiles of tile_size x tile_size (smaller at an image smaller than a tile)
  overlap by at least `overlap` pixels; each output pixel is the average of
  the tiles covering it, weighted by how far it lies inside each (linear
  ramps), so no seam shows. Only one tile's activations are in memory at a
  time, which lets a fully convolutional network translate images too large
  for memory at once.

  Args:
    function: [batch, h, w, C] -> [batch, h, w, C'] for any tile size h, w given.
    images: [batch, H, W, C].
    tile_size: side of the tiles (> overlap).
    overlap: pixels neighbouring tiles share (>= 0).
  """
  if int(tile_size) < 1 or int(overlap) < 0 or int(overlap) >= int(tile_size):
    raise ValueError(f"need tile_size > overlap >= 0, got tile_size={tile_size}, overlap={overlap}")
  images = tf.convert_to_tensor(images)
  height, width = int(images.shape[1]), int(images.shape[2])
  total, weight_sum = None, np.zeros((1, height, width, 1))
  for top in tile_starts(height, tile_size, overlap):
    for left in tile_starts(width, tile_size, overlap):
      tile = images[:, top:top + tile_size, left:left + tile_size]
      output = np.asarray(function(tile), np.float64)
      rows, columns = output.shape[1], output.shape[2]
      weights = np.outer(blend_weights(rows, min(overlap, rows - 1)),
                         blend_weights(columns, min(overlap, columns - 1)))[None, :, :, None]
      if total is None:
        total = np.zeros((output.shape[0], height, width, output.shape[-1]))
      total[:, top:top + rows, left:left + columns] += weights * output
      weight_sum[:, top:top + rows, left:left + columns] += weights
  return tf.constant((total / weight_sum).astype(np.float32))
