"""The two image domains of a style-transfer run: folders, TFDS, or embedded images.

A domain is named by a string:
  FOLDER                         every image below it (PNG, JPEG, BMP, GIF, WebP), any size
  tfds:cycle_gan/NAME            TFDS's CycleGAN sets; as domain A it reads trainA/testA,
                                 as domain B trainB/testB (e.g. tfds:cycle_gan/horse2zebra)
  embedded:china, embedded:flower
                                 64x64 patches of scikit-learn's two sample photos
  embedded:digits, embedded:restyled_digits
                                 scikit-learn's 8x8 digits (first half of the training
                                 split), and the other half restyled: inverted with
                                 thickened strokes (`restyle_digits`), a pair with ground truth

Images are resized so that the shorter side is `load_size`, then centre-cropped
to load_size x load_size; training takes random crop_size crops with random
horizontal flips from those (`tfgen`'s CycleGAN recipe: 286 -> 256).
"""

import os
import warnings

import numpy as np
from PIL import Image
from scipy import ndimage

from tfgen.data import DataError
from tfgen.data import image_sources
from tfgen.data.tfds_source import load_tfds_arrays
from tfgen.utils import folder_files
from tfgen.utils.images import IMAGE_ERRORS

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
EMBEDDED = ("china", "flower", "digits", "restyled_digits")
_PHOTO_INDEX = {"china": 0, "flower": 1}
_PATCH_SIZE = 64
_DIGIT_LEVELS = 16  # Digits hold 0..16; shown as 0..255.


def restyle_digits(digits):
  """The known restyling: strokes thickened by a 2x2 grey dilation, then inverted.

  Args:
    digits: uint8 [N, H, W, 1] in 0..255.
  Returns:
    uint8 [N, H, W, 1]: 255 - dilate(digits).
  """
  thick = ndimage.grey_dilation(np.asarray(digits), size=(1, 2, 2, 1))
  return (255 - thick).astype(np.uint8)


def digit_images(split):
  """The embedded digits of `split` on the 0..255 scale: (uint8 [N, 8, 8, 1], labels [N])."""
  images, labels, _ = image_sources.digits(split)
  images = np.round(images.astype(np.float32) * (255.0 / _DIGIT_LEVELS)).astype(np.uint8)
  return images, labels


def embedded_digits(split, restyled):
  """(images uint8 [N, 8, 8, 1], labels [N]) of the embedded digit domains.

  Training splits the digits' training split in two halves, so the two domains
  hold different digits (unpaired); "valid" and "test" give the whole split,
  restyled or not.
  """
  images, labels = digit_images(split)
  if split == "train":
    half = len(images) // 2
    images, labels = (images[half:], labels[half:]) if restyled else (images[:half], labels[:half])
  return (restyle_digits(images) if restyled else images), labels


def _photo_patches(name):
  from sklearn.datasets import load_sample_images  # pylint: disable=import-outside-toplevel
  photo = load_sample_images().images[_PHOTO_INDEX[name]]
  rows, columns = photo.shape[0] // _PATCH_SIZE, photo.shape[1] // _PATCH_SIZE
  tiles = photo[:rows * _PATCH_SIZE, :columns * _PATCH_SIZE].reshape(
      rows, _PATCH_SIZE, columns, _PATCH_SIZE, 3)
  return tiles.transpose(0, 2, 1, 3, 4).reshape(-1, _PATCH_SIZE, _PATCH_SIZE, 3)


def square(image, load_size):
  """A PIL image resized (shorter side = load_size) and centre-cropped to load_size x load_size."""
  width, height = image.size
  scale = load_size / min(width, height)
  resized = image.resize((max(load_size, round(width * scale)), max(load_size, round(height * scale))),
                         Image.BICUBIC)
  left = (resized.size[0] - load_size) // 2
  top = (resized.size[1] - load_size) // 2
  return resized.crop((left, top, left + load_size, top + load_size))


def image_files(folder):
  """Image files below `folder`, sorted, none through a link out of it; DataError when it is
  missing or holds none."""
  if not os.path.isdir(folder):
    raise DataError(f"{folder}: no such folder (a domain is a folder of images, "
                    f"tfds:cycle_gan/NAME or embedded:{'|'.join(EMBEDDED)})")
  files, num_skipped = folder_files.files_below(folder, IMAGE_SUFFIXES)
  if not files:
    raise DataError(f"{folder}: no images ({', '.join(IMAGE_SUFFIXES)}) in this folder"
                    f"{folder_files.skipped_note(num_skipped)}")
  return files


def read_image(path):
  """A PIL image, fully loaded; DataError naming the file when it cannot be read."""
  try:
    with Image.open(path) as picture:
      picture.load()
      return picture.copy()
  except IMAGE_ERRORS as error:
    raise DataError(f"{path}: not a readable image ({error})") from None


def read_folder(folder, load_size):
  """uint8 [N, load_size, load_size, C] of a folder's readable images, C = 3 if any has colour.

  Unreadable files are skipped with a warning that names them; a folder with
  no readable image is a DataError.
  """
  pictures, skipped = [], []
  for path in image_files(folder):
    try:
      pictures.append(read_image(path))
    except DataError as error:
      skipped.append(str(error))
  for message in skipped:
    warnings.warn(f"skipped {message}", stacklevel=2)
  if not pictures:
    raise DataError(f"{folder}: none of its {len(skipped)} image files could be read")
  grey = all(picture.mode in ("1", "L", "LA", "I", "I;16", "F") for picture in pictures)
  mode = "L" if grey else "RGB"
  arrays = [np.asarray(square(picture.convert(mode), load_size), np.uint8) for picture in pictures]
  return np.stack(arrays).reshape(len(arrays), load_size, load_size, 1 if grey else 3)


def _tfds(name, side, split):
  dataset = name[len("tfds:"):]
  tfds_split = f"{'train' if split == 'train' else 'test'}{side}"
  arrays = load_tfds_arrays(dataset, tfds_split, None,
                            offline_hint=f"pass --domain_{side.lower()}=FOLDER, a folder of images")
  return arrays["image"]


def load_domain(spec, side, split, load_size):
  """A domain's images: uint8 [N, load_size, load_size, C].

  Args:
    spec: a folder, tfds:cycle_gan/NAME or embedded:NAME (see the module docstring).
    side: "A" or "B" (which half of a TFDS CycleGAN set).
    split: "train" or "test" (TFDS and embedded digits; folders give all their images).
    load_size: side of the square images returned.
  """
  if spec.startswith("embedded:"):
    name = spec[len("embedded:"):]
    if name not in EMBEDDED:
      raise DataError(f"unknown embedded domain {name!r}; known: {', '.join(EMBEDDED)}")
    if name in _PHOTO_INDEX:
      images = _photo_patches(name)
    else:
      images = embedded_digits(split, restyled=name == "restyled_digits")[0]
    return _resize_all(images, load_size)
  if spec.startswith("tfds:"):
    return _resize_all(_tfds(spec, side, split), load_size)
  return read_folder(spec, load_size)


def _resize_all(images, load_size):
  if images.shape[1] == images.shape[2] == load_size:
    return images
  mode = "L" if images.shape[-1] == 1 else "RGB"
  resized = [np.asarray(square(Image.fromarray(image.squeeze(-1) if mode == "L" else image, mode),
                               load_size)) for image in images]
  return np.stack(resized).reshape(len(images), load_size, load_size, images.shape[-1])
