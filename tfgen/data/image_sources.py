"""Image datasets as numpy arrays: digits, binarized MNIST, MNIST, RGB photo patches.

Each function returns (images [N, H, W, C] uint8, labels [N] int64 or None, source).
"""

import gzip
import os
import struct
import zipfile
import zlib

import numpy as np

from tfgen.data.data_error import DataError
from tfgen.data.tfds_source import load_tfds_arrays

SPLITS = ("train", "valid", "test")
# Fractions of scikit-learn's 1797 digits in train and valid; the rest is test.
_DIGITS_FRACTIONS = (0.7, 0.15)
# MNIST's test class counts; the fixed binarized test set is sorted by class.
MNIST_TEST_CLASS_COUNTS = (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)
_BINARIZED_MNIST_FILES = {"train": "binarized_mnist_train.amat",
                          "valid": "binarized_mnist_valid.amat",
                          "test": "binarized_mnist_test.amat"}


def check_split(split):
  if split not in SPLITS:
    raise DataError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")


def _permuted_split(count, fractions, split):
  """Indices of `split` in a fixed permutation (seed 0) of `count` items cut by (train, valid) fractions."""
  order = np.random.default_rng(0).permutation(count)
  num_train = int(round(fractions[0] * count))
  num_valid = int(round(fractions[1] * count))
  bounds = {"train": (0, num_train), "valid": (num_train, num_train + num_valid),
            "test": (num_train + num_valid, count)}
  start, stop = bounds[split]
  return order[start:stop]


def digits(split, binarize=False):
  """scikit-learn's 8x8 digits (values 0..16), split 70/15/15 by a fixed permutation."""
  check_split(split)
  from sklearn.datasets import load_digits  # pylint: disable=import-outside-toplevel
  data = load_digits()
  images = data.images.astype(np.uint8)
  chosen = _permuted_split(len(images), _DIGITS_FRACTIONS, split)
  images = images[chosen]
  if binarize:
    images = (images >= 8).astype(np.uint8)
  return images[..., np.newaxis], data.target[chosen].astype(np.int64), "scikit-learn load_digits"


# Fractions of the photos' blocks of patches in train and valid; the rest is test.
_PATCH_FRACTIONS = (0.8, 0.1)
_PATCHES_PER_BLOCK = 4  # Blocks of 4 x 4 patches go to one split together.


def photo_patches(split, patch_size=8):
  """RGB patches (256 levels) cut from scikit-learn's two sample photos, china.jpg and flower.jpg.

  Each 427x640 photo is cut into non-overlapping patch_size x patch_size
  patches, grouped in blocks of 4 x 4 patches. A fixed permutation (seed 0)
  sends 80% of the blocks to train, 10% to valid and 10% to test: every split
  draws from all over both photos, and no test patch overlaps a training one.
  """
  check_split(split)
  from sklearn.datasets import load_sample_images  # pylint: disable=import-outside-toplevel
  block = _PATCHES_PER_BLOCK
  blocks = []
  for photo in load_sample_images().images:
    rows = photo.shape[0] // (patch_size * block)
    columns = photo.shape[1] // (patch_size * block)
    size = patch_size * block
    tiles = photo[:rows * size, :columns * size].reshape(rows, size, columns, size, 3)
    blocks.append(tiles.transpose(0, 2, 1, 3, 4).reshape(-1, size, size, 3))
  blocks = np.concatenate(blocks)
  chosen = blocks[np.sort(_permuted_split(len(blocks), _PATCH_FRACTIONS, split))]
  patches = chosen.reshape(-1, block, patch_size, block, patch_size, 3).transpose(0, 1, 3, 2, 4, 5)
  return (patches.reshape(-1, patch_size, patch_size, 3).astype(np.uint8), None,
          "scikit-learn load_sample_images")


def _check_binary_images(array, where):
  if array.ndim != 2 or array.shape[1] != 784:
    raise DataError(f"{where}: expected binarized MNIST rows of 784 values, got shape {array.shape}")
  if not np.isin(array, (0, 1)).all():
    raise DataError(f"{where}: binarized MNIST holds only 0 and 1, found other values")
  return array.astype(np.uint8).reshape(-1, 28, 28, 1)


def _read_npz(path, key):
  if not os.path.exists(path):
    raise DataError(f"{path}: no such file")
  try:
    loaded = np.load(path, allow_pickle=False)
    if not isinstance(loaded, np.lib.npyio.NpzFile):
      raise DataError(f"{path}: a single array, expected a .npz with arrays train, valid and test")
    with loaded as archive:
      if key not in archive.files:
        raise DataError(f"{path}: no array {key!r} (has {', '.join(archive.files)})")
      return archive[key]
  except DataError:
    raise
  except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, struct.error,
          RuntimeError, NotImplementedError, KeyError, OverflowError) as error:
    # zipfile reports damage as any of these (an "encrypted" flag: RuntimeError; an
    # unknown compression method: NotImplementedError), found by tests/data/test_fuzzing.py.
    raise DataError(f"{path}: not a readable .npz, truncated or corrupt "
                    f"({type(error).__name__}: {error})") from None


def _read_amat(path):
  if not os.path.exists(path):
    raise DataError(f"{path}: no such file")
  try:
    return np.loadtxt(path, dtype=np.float32, ndmin=2)
  except ValueError as error:
    raise DataError(f"{path}: not a whitespace-separated .amat matrix ({error})") from None


def binarized_mnist(split, path=None, data_dir=None):
  """The fixed binarized MNIST (50k/10k/10k) of Larochelle & Murray.

  Args:
    path: a `.npz` with arrays train/valid/test of shape [N, 784] (the layout of
      shared/data/binarized_mnist.npz), or a folder with that file or with
      Larochelle's binarized_mnist_{train,valid,test}.amat. None: TFDS.
    data_dir: TFDS data folder.
  """
  check_split(split)
  labels = None
  if split == "test":
    labels = np.repeat(np.arange(10), MNIST_TEST_CLASS_COUNTS).astype(np.int64)
  images, source = _binarized_mnist_images(split, path, data_dir)
  if labels is not None and len(labels) != len(images):
    labels = None  # Only the standard 10000-image test set, sorted by class, has known labels.
  return images, labels, source


def _binarized_mnist_images(split, path, data_dir):
  if path:
    if os.path.isdir(path):
      npz = os.path.join(path, "binarized_mnist.npz")
      if os.path.exists(npz):
        path = npz
      else:
        amat = os.path.join(path, _BINARIZED_MNIST_FILES[split])
        if not os.path.exists(amat):
          raise DataError(f"{path}: holds neither binarized_mnist.npz nor {_BINARIZED_MNIST_FILES[split]}")
        return _check_binary_images(_read_amat(amat), amat), amat
    if path.endswith(".amat"):
      return _check_binary_images(_read_amat(path), path), path
    return _check_binary_images(_read_npz(path, split), f"{path}[{split}]"), path
  tfds_split = {"train": "train", "valid": "validation", "test": "test"}[split]
  arrays = load_tfds_arrays("binarized_mnist", tfds_split, data_dir,
                            "--config.data.path=FILE.npz or a folder of .amat files")
  return arrays["image"].astype(np.uint8).reshape(-1, 28, 28, 1), "tfds:binarized_mnist"


def _read_idx(path, expected_magic):
  if not os.path.exists(path):
    raise DataError(f"{path}: no such file")
  try:
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as handle:
      data = handle.read()
  except (OSError, EOFError, zlib.error) as error:
    raise DataError(f"{path}: not a readable idx file, truncated or corrupt ({error})") from None
  if len(data) < 8:
    raise DataError(f"{path}: too short for an idx header")
  magic = int.from_bytes(data[:4], "big")
  if magic != expected_magic:
    raise DataError(f"{path}: idx magic number {magic}, expected {expected_magic}")
  num_dims = magic & 0xFF
  dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(num_dims)]
  body = data[4 + 4 * num_dims:]
  if len(body) != int(np.prod(dims)):
    raise DataError(f"{path}: {len(body)} bytes of data, header promises {int(np.prod(dims))}")
  return np.frombuffer(body, dtype=np.uint8).reshape(dims)


def mnist(split, path=None, data_dir=None):
  """MNIST with 256 grey levels: train = first 50k of the 60k, valid = last 10k.

  Args:
    path: a folder with the idx files (train-images-idx3-ubyte.gz, ...); None: TFDS.
  """
  check_split(split)
  if path:
    prefix = "t10k" if split == "test" else "train"
    images = _read_idx(os.path.join(path, f"{prefix}-images-idx3-ubyte.gz"), 2051)
    labels = _read_idx(os.path.join(path, f"{prefix}-labels-idx1-ubyte.gz"), 2049).astype(np.int64)
    if len(labels) != len(images):
      raise DataError(f"{path}: {len(images)} {prefix} images but {len(labels)} labels")
    source = path
  else:
    arrays = load_tfds_arrays("mnist", "test" if split == "test" else "train", data_dir,
                              "--config.data.path=FOLDER with the idx .gz files")
    images, labels, source = arrays["image"][..., 0], arrays["label"].astype(np.int64), "tfds:mnist"
  if split == "train":
    images, labels = images[:50000], labels[:50000]
  elif split == "valid":
    images, labels = images[50000:], labels[50000:]
  return images.reshape(-1, 28, 28, 1), labels, source
