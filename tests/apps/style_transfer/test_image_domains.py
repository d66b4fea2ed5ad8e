"""The style-transfer domains: folders of any images, the embedded ones, and their errors."""

import numpy as np
import pytest
from PIL import Image

from apps.style_transfer import image_domains
from tfgen.data import DataError
from tfgen.data import tfds_source


def write(path, size, mode="RGB", value=100):
  Image.new(mode, size, value if mode == "L" else (value, 50, 200)).save(path)
  return path


def test_a_folder_of_any_sizes_becomes_squares_and_bad_files_are_skipped_by_name(tmp_path):
  write(tmp_path / "wide.png", (120, 60))
  (tmp_path / "inner").mkdir()
  write(tmp_path / "inner" / "tall.jpg", (40, 90))
  (tmp_path / "broken.png").write_bytes(b"not an image at all")
  (tmp_path / "notes.txt").write_text("ignored")
  with pytest.warns(UserWarning, match="broken.png"):
    images = image_domains.read_folder(str(tmp_path), 32)
  assert images.shape == (2, 32, 32, 3) and images.dtype == np.uint8
  assert abs(int(images[0, 16, 16, 2]) - 200) <= 2  # The colour survives the resize.


def test_grey_folders_stay_grey(tmp_path):
  write(tmp_path / "a.png", (10, 12), mode="L", value=30)
  assert image_domains.read_folder(str(tmp_path), 8).shape == (1, 8, 8, 1)


def test_empty_missing_and_unreadable_folders_are_one_line_errors(tmp_path):
  with pytest.raises(DataError, match="no images"):
    image_domains.read_folder(str(tmp_path), 8)
  (tmp_path / "x.png").write_bytes(b"garbage")
  with pytest.warns(UserWarning), pytest.raises(DataError, match="none of its 1 image files"):
    image_domains.read_folder(str(tmp_path), 8)
  with pytest.raises(DataError, match="no such folder"):
    image_domains.load_domain(str(tmp_path / "absent"), "A", "train", 8)
  with pytest.raises(DataError, match="unknown embedded domain 'zebras'"):
    image_domains.load_domain("embedded:zebras", "A", "train", 8)


def test_tfds_offline_names_the_folder_option(monkeypatch, tmp_path):
  monkeypatch.setattr(tfds_source, "is_online", lambda timeout=3.0: False)
  monkeypatch.setenv("TFDS_DATA_DIR", str(tmp_path))
  with pytest.raises(DataError, match="--domain_b=FOLDER") as error:
    image_domains.load_domain("tfds:cycle_gan/horse2zebra", "B", "train", 32)
  assert "\n" not in str(error.value)


def test_restyling_inverts_and_thickens_strokes():
  digit = np.zeros((1, 4, 4, 1), np.uint8)
  digit[0, 1, 1, 0] = 255
  restyled = image_domains.restyle_digits(digit)[0, ..., 0]
  # One bright pixel grows to a 2x2 block, and dark becomes light.
  assert (restyled == 0).sum() == 4 and restyled[1, 1] == 0 and restyled[3, 3] == 255


def test_embedded_domains_are_unpaired_halves_and_photo_patches():
  digits, _ = image_domains.embedded_digits("train", restyled=False)
  restyled, _ = image_domains.embedded_digits("train", restyled=True)
  assert digits.shape[1:] == (8, 8, 1) and abs(len(digits) - len(restyled)) <= 1
  assert image_domains.load_domain("embedded:china", "A", "train", 36).shape[1:] == (36, 36, 3)
