import gzip
import shutil

import numpy as np
import pytest

from tfgen import data
from tfgen.data import tfds_source


def collect(dataset):
  return np.concatenate([batch.numpy() for batch in dataset])


# ---- embedded digits ----------------------------------------------------------

def test_digits_splits_are_fixed_disjoint_and_complete():
  arrays = {}
  for split in ("train", "valid", "test"):
    dataset, info = data.load("digits", split, batch_size=100, shuffle=False)
    arrays[split] = collect(dataset)
    assert info.shape == (8, 8, 1) and info.num_values == 17
    assert len(arrays[split]) == info.num_examples
  assert sum(len(array) for array in arrays.values()) == 1797
  rows = {split: {array.tobytes() for array in arrays[split]} for split in arrays}
  # Identical digit images can occur twice in the data; the split indices are disjoint.
  assert len(rows["train"] & rows["test"]) < 5
  again = collect(data.load("digits", "test", batch_size=100, shuffle=False)[0])
  np.testing.assert_array_equal(again, arrays["test"])
  assert arrays["train"].max() == 16 and arrays["train"].min() == 0


def test_photo_patches_are_rgb_disjoint_blocks_of_both_photos():
  from sklearn.datasets import load_sample_images  # pylint: disable=import-outside-toplevel
  photos = load_sample_images().images
  patches = {}
  for split in ("train", "valid", "test"):
    dataset, info = data.load("photo_patches", split, batch_size=1000, shuffle=False)
    patches[split] = collect(dataset).astype(np.uint8)
    assert info.shape == (8, 8, 3) and info.num_values == 256
  # 13 x 20 blocks of 4 x 4 patches per photo, 80/10/10 by block.
  assert [len(patches[split]) for split in patches] == [6656, 832, 832]
  # Each patch is cut from a photo at a multiple of 8, and no patch is in two splits.
  where = {}
  for index, photo in enumerate(photos):
    for row in range(0, 13 * 32, 8):
      for col in range(0, 20 * 32, 8):
        where[photo[row:row + 8, col:col + 8].tobytes()] = (index, row // 32, col // 32)
  blocks = {split: {where[patch.tobytes()] for patch in patches[split]} for split in patches}
  assert not blocks["train"] & blocks["test"] and not blocks["valid"] & blocks["test"]
  assert {photo for photo, _, _ in blocks["test"]} == {0, 1}


def test_binarized_digits_are_binary():
  dataset, info = data.load("binarized_digits", "train", batch_size=2000)
  values = collect(dataset)
  assert info.num_values == 2 and set(np.unique(values)) == {0.0, 1.0}


def test_labels_come_with_images():
  dataset, info = data.load("digits", "valid", batch_size=8, with_labels=True)
  images, labels = next(iter(dataset))
  assert images.shape == (8, 8, 8, 1) and labels.shape == (8,) and info.num_classes == 10


def test_bad_split_and_batch_size():
  with pytest.raises(data.DataError, match="unknown split 'validation'"):
    data.load("digits", "validation")
  with pytest.raises(data.DataError, match="batch_size"):
    data.load("digits", "train", batch_size=0)
  with pytest.raises(data.DataError, match="unknown dataset 'cifar'"):
    data.load("cifar", "train")


# ---- binarized MNIST and MNIST from the shared data --------------------------

def test_binarized_mnist_fixed_split(shared_data):
  path = str(shared_data / "binarized_mnist.npz")
  sizes = {}
  for split in ("train", "valid", "test"):
    _, info = data.load("binarized_mnist", split, path=path)
    sizes[split] = info.num_examples
    assert info.shape == (28, 28, 1) and info.num_values == 2
  assert sizes == {"train": 50000, "valid": 10000, "test": 10000}
  dataset, _ = data.load("binarized_mnist", "test", path=path, batch_size=10000, with_labels=True)
  images, labels = next(iter(dataset))
  assert set(np.unique(images.numpy())) == {0.0, 1.0}
  assert np.bincount(labels.numpy()).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_binarized_mnist_from_amat_folder(tmp_path):
  rows = np.random.default_rng(0).integers(0, 2, (3, 784))
  np.savetxt(tmp_path / "binarized_mnist_valid.amat", rows, fmt="%d")
  dataset, info = data.load("binarized_mnist", "valid", path=str(tmp_path), batch_size=3)
  np.testing.assert_array_equal(collect(dataset).reshape(3, 784), rows)
  assert info.source.endswith("binarized_mnist_valid.amat")


def test_mnist_test_split_from_idx_files(shared_data):
  dataset, info = data.load("mnist", "test", path=str(shared_data / "mnist"), batch_size=10000)
  images = collect(dataset)
  assert images.shape == (10000, 28, 28, 1) and info.num_values == 256 and images.max() == 255


# ---- bad files ------------------------------------------------------------------

def test_missing_file_is_named():
  with pytest.raises(data.DataError, match="/no/such.npz: no such file"):
    data.load("binarized_mnist", "train", path="/no/such.npz")


def test_truncated_npz_is_named(tmp_path, shared_data):
  source = (shared_data / "binarized_mnist.npz").read_bytes()
  broken = tmp_path / "broken.npz"
  broken.write_bytes(source[:len(source) // 3])
  with pytest.raises(data.DataError, match=r"broken.npz: not a readable .npz, truncated or corrupt"):
    data.load("binarized_mnist", "train", path=str(broken))


def test_npz_with_wrong_content_is_named(tmp_path):
  path = tmp_path / "grey.npz"
  np.savez(path, train=np.full((2, 784), 7, np.uint8))
  with pytest.raises(data.DataError, match=r"grey.npz\[train\]: binarized MNIST holds only 0 and 1"):
    data.load("binarized_mnist", "train", path=str(path))
  with pytest.raises(data.DataError, match="no array 'test'"):
    data.load("binarized_mnist", "test", path=str(path))


def test_truncated_idx_gz_is_named(tmp_path, shared_data):
  shutil.copy(shared_data / "mnist" / "t10k-labels-idx1-ubyte.gz", tmp_path)
  raw = gzip.decompress((shared_data / "mnist" / "t10k-images-idx3-ubyte.gz").read_bytes())
  (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(raw[:5000]))
  with pytest.raises(data.DataError, match="header promises 7840000"):
    data.load("mnist", "test", path=str(tmp_path))


def test_missing_mnist_train_images_are_named(shared_data):
  with pytest.raises(data.DataError, match="train-images-idx3-ubyte.gz: no such file"):
    data.load("mnist", "train", path=str(shared_data / "mnist"))


def test_offline_tfds_says_so_in_one_line(tmp_path, monkeypatch):
  monkeypatch.setattr(tfds_source, "is_online", lambda timeout=3.0: False)
  with pytest.raises(data.DataError) as raised:
    data.load("binarized_mnist", "train", data_dir=str(tmp_path))
  message = str(raised.value)
  assert "offline" in message and "--config.data.path" in message and "\n" not in message


# ---- text -----------------------------------------------------------------------

def test_text_file_windows_and_vocabulary(tmp_path):
  path = tmp_path / "corpus.txt"
  path.write_text("abcabcabca" * 10, encoding="utf-8")
  dataset, info = data.load(f"text:{path}", "train", sequence_length=9, batch_size=100, shuffle=False)
  windows = collect(dataset)
  assert info.vocabulary == "abc" and info.num_values == 3
  assert windows.shape == (10, 9)  # 90 training characters (first 90%).
  assert "".join(info.vocabulary[i] for i in windows[0]) == "abcabcabc"
  _, valid_info = data.load(f"text:{path}", "valid", sequence_length=5)
  assert valid_info.num_examples == 2


def test_bad_utf8_names_the_byte_offset(tmp_path):
  path = tmp_path / "latin1.txt"
  path.write_bytes("caf".encode() + b"\xe9 au lait")
  with pytest.raises(data.DataError, match=r"latin1.txt: not valid UTF-8 at byte offset 3 \(byte 0xe9\)"):
    data.load(f"text:{path}", "train")


def test_empty_corpus_is_refused(tmp_path):
  path = tmp_path / "empty.txt"
  path.write_text("")
  with pytest.raises(data.DataError, match="empty.txt: the corpus is empty"):
    data.load(f"text:{path}", "train")


def test_names_corpus_embedded_and_shared_agree(shared_data):
  _, embedded = data.load("names", "train", sequence_length=16)
  _, shared = data.load("names", "train", sequence_length=16, path=str(shared_data / "names"))
  assert embedded.num_examples == shared.num_examples > 100
  assert embedded.vocabulary == shared.vocabulary and embedded.vocabulary.startswith("\n")


def test_tiny_shakespeare_local_copy(shared_data):
  _, info = data.load("tiny_shakespeare", "valid", path=str(shared_data / "tinyshakespeare.txt"),
                      sequence_length=100)
  assert info.num_values == 65
  assert info.num_examples == 111539 // 100  # The last 10% of 1,115,394 characters.


def test_npy_instead_of_npz_is_named(tmp_path):
  path = tmp_path / "images.npy"
  np.save(path, np.zeros((2, 784), np.uint8))
  with pytest.raises(data.DataError, match="a single array, expected a .npz"):
    data.load("binarized_mnist", "train", path=str(path))


def test_corrupt_gzip_body_is_named(tmp_path, shared_data):
  compressed = bytearray((shared_data / "mnist" / "t10k-labels-idx1-ubyte.gz").read_bytes())
  compressed[100:120] = b"\\xff" * 20
  (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(bytes(compressed))
  shutil.copy(shared_data / "mnist" / "t10k-images-idx3-ubyte.gz", tmp_path)
  with pytest.raises(data.DataError, match="not a readable idx file"):
    data.load("mnist", "test", path=str(tmp_path))


def test_text_without_a_path_is_named():
  with pytest.raises(data.DataError, match="text: needs a file"):
    data.load("text:", "train")


def test_a_list_file_is_shuffled_by_line_before_the_split(tmp_path):
  items = [f"Item{index:03d}" for index in range(200)]  # Sorted, as a user's list may be.
  path = tmp_path / "list.txt"
  path.write_text("\n".join(items) + "\n\n")
  train, valid, source = data.load_text(f"lines:{path}")
  train_items, valid_items = train.split(), valid.split()
  assert source == str(path) and len(valid_items) == 20 and len(train_items) == 180
  assert sorted(train_items + valid_items) == items  # Every item once, blank lines dropped.
  assert valid_items != items[-20:]  # Not the file's last lines: both splits span the list.
  assert data.load_text(f"lines:{path}") == (train, valid, source)  # A fixed shuffle.
  _, info = data.load(f"lines:{path}", "valid", sequence_length=8)
  assert info.num_examples == len(valid) // 8
  with pytest.raises(data.DataError, match="lines: needs a file"):
    data.load_text("lines:")
  (tmp_path / "one.txt").write_text("only\n")
  with pytest.raises(data.DataError, match="1 non-empty line"):
    data.load_text(f"lines:{tmp_path / 'one.txt'}")
