"""Text corpora as strings: any UTF-8 file, a list of items, the census names, tiny Shakespeare.

Each function returns (train_text, valid_text, source). The validation text is
the last 10% (as in char-rnn and nanoGPT); a list of items (one a line, such
as the census names) is shuffled first, so both splits draw from the whole list.
"""

import os

import numpy as np

from tfgen.data.data_error import DataError
from tfgen.data.tfds_source import load_tfds_arrays

VALID_FRACTION = 0.1
_NAME_FILES = ("dist.female.first", "dist.male.first")


def read_text_file(path):
  """Reads a UTF-8 file; a bad byte or an empty file raises a DataError naming the file."""
  if not os.path.exists(path):
    raise DataError(f"{path}: no such file")
  if os.path.isdir(path):
    raise DataError(f"{path}: is a folder, expected a text file")
  with open(path, "rb") as handle:
    data = handle.read()
  try:
    text = data.decode("utf-8")
  except UnicodeDecodeError as error:
    raise DataError(f"{path}: not valid UTF-8 at byte offset {error.start} "
                    f"(byte 0x{data[error.start]:02x})") from None
  if not text:
    raise DataError(f"{path}: the corpus is empty")
  return text


def split_text(text):
  cut = int(round(len(text) * (1.0 - VALID_FRACTION)))
  return text[:cut], text[cut:]


def text_file(path):
  train, valid = split_text(read_text_file(path))
  return train, valid, path


def shuffled_split(items):
  """Items shuffled (seed 0), first 90% / last 10%, each as one item a line."""
  ordered = list(items)
  np.random.default_rng(0).shuffle(ordered)
  cut = int(round(len(ordered) * (1.0 - VALID_FRACTION)))
  return "\n".join(ordered[:cut]) + "\n", "\n".join(ordered[cut:]) + "\n"


def lines_file(path):
  """A file of one item a line (names, words, titles): its non-empty lines, shuffled, split."""
  items = [line.strip() for line in read_text_file(path).splitlines() if line.strip()]
  if len(items) < 2:
    raise DataError(f"{path}: {len(items)} non-empty line(s); a list needs at least 2 items")
  return (*shuffled_split(items), path)


def names(path=None):
  """1990 US census first names (female and male), one capitalised name a line.

  Args:
    path: a folder with dist.female.first and dist.male.first; None: the copies
      inside the `names` package.
  """
  if path is None:
    try:
      import names as names_package  # pylint: disable=import-outside-toplevel
    except ImportError:
      raise DataError("the names corpus needs the `names` package (pip install names), "
                      "or --config.data.path=FOLDER with dist.female.first and dist.male.first") from None
    path = os.path.dirname(names_package.__file__)
  found = set()
  for file_name in _NAME_FILES:
    file_path = os.path.join(path, file_name)
    for line_number, line in enumerate(read_text_file(file_path).splitlines(), 1):
      fields = line.split()
      if not fields:
        continue
      if not fields[0].isalpha():
        raise DataError(f"{file_path}:{line_number}: expected a name first, got {fields[0]!r}")
      found.add(fields[0].capitalize())
  return (*shuffled_split(sorted(found)), path)


def tiny_shakespeare(path=None, data_dir=None):
  """Tiny Shakespeare: a local copy (first 90% / last 10%), or TFDS's train / validation."""
  if path:
    return text_file(path)
  hint = "--config.data.path=tinyshakespeare.txt"
  train = load_tfds_arrays("tiny_shakespeare", "train", data_dir, hint)["text"][0].decode("utf-8")
  valid = load_tfds_arrays("tiny_shakespeare", "validation", data_dir, hint)["text"][0].decode("utf-8")
  return train, valid, "tfds:tiny_shakespeare"
