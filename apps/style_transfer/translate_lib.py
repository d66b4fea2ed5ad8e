"""Translates an image, or a folder of images, with a trained style-transfer workdir."""

import os

import numpy as np
from PIL import Image

from apps.style_transfer import image_domains
from tfgen.data import DataError
from tfgen.training.workdir import Workdir
from tfgen.utils.atomic import atomic_path

DIRECTIONS = ("a2b", "b2a")


def _as_array(picture, channels):
  mode = "L" if channels == 1 else "RGB"
  pixels = np.asarray(picture.convert(mode), np.float32)
  return pixels.reshape(pixels.shape[0], pixels.shape[1], channels)


def _write(path, image):
  pixels = np.clip(np.round(image), 0, 255).astype(np.uint8)
  picture = Image.fromarray(pixels[..., 0] if pixels.shape[-1] == 1 else pixels)
  folder = os.path.dirname(os.path.abspath(path))
  os.makedirs(folder, exist_ok=True)
  suffix = os.path.splitext(path)[1].lower()
  fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP", ".webp": "WEBP"}.get(suffix, "PNG")
  with atomic_path(path) as temporary:
    picture.save(temporary, format=fmt)
  return path


def translate(workdir, direction, input_path, output_path, tile_size=0, overlap=32):
  """Translates `input_path` (an image or a folder) into `output_path`; returns the written paths.

  Images keep their full size (a fully convolutional generator); with tile_size
  they go through the generator in blended tiles of that side.

  Args:
    workdir: a style-transfer run folder.
    direction: "a2b" or "b2a".
    input_path: an image file, or a folder (every image below it).
    output_path: a file for one image; a folder for a folder (same relative
      names, as PNG unless the name says otherwise).
    tile_size: 0 = whole images; else the tile side (a multiple of 4).
    overlap: pixels shared by neighbouring tiles.
  """
  if direction not in DIRECTIONS:
    raise ValueError(f"--direction must be a2b or b2a, got {direction!r}")
  model, _, _ = Workdir(workdir).load_model()
  channels = model.event_shape[-1]
  if os.path.isdir(input_path):
    files = image_domains.image_files(input_path)
    targets = [os.path.join(output_path, os.path.splitext(os.path.relpath(file, input_path))[0]
                            + ".png") for file in files]
  elif os.path.isfile(input_path):
    files, targets = [input_path], [output_path]
    if os.path.isdir(output_path):
      targets = [os.path.join(output_path, os.path.basename(input_path))]
  else:
    raise DataError(f"{input_path}: no such image or folder")
  written = []
  for file, target in zip(files, targets):
    picture = image_domains.read_image(file)
    image = _as_array(picture, channels)[np.newaxis]
    output = model.translate(image, direction, tile_size=tile_size or None, overlap=overlap)
    written.append(_write(target, np.asarray(output)[0]))
  return written
