"""Image grids as PNG files."""

import struct
import zlib

import numpy as np
from PIL import Image
from PIL import UnidentifiedImageError

from tfgen.utils.atomic import atomic_path

# What Pillow raises for a file that is not a readable image: a broken PNG chunk is a
# SyntaxError, a cut-off file an OSError or EOFError (found by tests/apps/test_fuzzing.py).
IMAGE_ERRORS = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct.error,
                zlib.error, Image.DecompressionBombError)


def to_grid(images, num_values, num_columns=None, padding=1):
  """Tiles [N, H, W, C] integer-valued images into one uint8 [rows*H', cols*W', C] array.

  Args:
    images: values 0..num_values-1 (or floats in [0, num_values-1]).
    num_values: number of grey levels, used to scale to 0..255.
    num_columns: images per row (default: about sqrt(N)).
    padding: pixels of grey between images.
  """
  images = np.asarray(images, dtype=np.float32)
  if images.ndim == 3:
    images = images[..., np.newaxis]
  if images.ndim != 4:
    raise ValueError(f"expected images [N, H, W, C], got shape {images.shape}")
  count, height, width, channels = images.shape
  scaled = np.clip(np.round(images * 255.0 / max(num_values - 1, 1)), 0, 255).astype(np.uint8)
  num_columns = num_columns or int(np.ceil(np.sqrt(count)))
  num_rows = int(np.ceil(count / num_columns))
  grid = np.full((num_rows * (height + padding) + padding, num_columns * (width + padding) + padding,
                  channels), 128, dtype=np.uint8)
  for index in range(count):
    row, column = divmod(index, num_columns)
    top, left = padding + row * (height + padding), padding + column * (width + padding)
    grid[top:top + height, left:left + width] = scaled[index]
  return grid


def save_grid(path, images, num_values, num_columns=None, scale=None):
  """Writes a grid of images as a PNG, enlarged (nearest neighbour) to be visible.

  Args:
    scale: pixel size; default makes the grid about 512 pixels wide.
  """
  grid = to_grid(images, num_values, num_columns)
  scale = scale or max(1, 512 // grid.shape[1])
  picture = Image.fromarray(grid[..., 0] if grid.shape[-1] == 1 else grid)
  picture = picture.resize((grid.shape[1] * scale, grid.shape[0] * scale), Image.NEAREST)
  with atomic_path(path) as temporary:
    picture.save(temporary, format="PNG")
  return path
