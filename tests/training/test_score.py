"""tfgen.score: per-image NLL, AUROC against out-of-distribution sets, and bad inputs named."""

import numpy as np
import pytest
from PIL import Image
from sklearn import datasets

from tfgen import heads
from tfgen.configs import made_digits, vae_digits
from tfgen.data import DataError
from tfgen.models import MADE
from tfgen.training import evaluate_lib, score_lib, train_lib
from tfgen.training.workdir import Workdir


def digits(count):
  """The first scikit-learn digits (training ones too) at the run's 17 levels: [count, 8, 8, 1]."""
  return datasets.load_digits().images[:count].reshape(-1, 8, 8, 1).astype(np.int64)


def test_test_split_scores_match_evaluate_and_ood_sets_score_worse(pixel_cnn_run, tmp_path):
  rng = np.random.default_rng(0)
  noise = tmp_path / "noise.npy"
  np.save(noise, rng.integers(0, 17, (60, 8, 8, 1)))
  inverted = tmp_path / "inverted.npy"
  np.save(inverted, 16 - digits(60))
  for path in (noise, inverted):
    result = score_lib.score(pixel_cnn_run, ood_path=str(path), histogram=str(tmp_path / "h.png"))
    assert result["auroc"] > 0.9, result
    assert result["ood"]["mean_nll_nats"] > result["test"]["mean_nll_nats"]
  evaluated = evaluate_lib.evaluate(pixel_cnn_run, "test")
  assert abs(result["test"]["mean_nll_nats"] - evaluated["nll_nats"]) < 1e-3
  assert (tmp_path / "h.png").stat().st_size > 0


def test_auroc_of_a_set_against_itself_is_chance():
  scores = np.random.default_rng(1).normal(size=500)
  assert score_lib.auroc(scores, scores) == pytest.approx(0.5)
  assert score_lib.auroc(scores, scores + 100.0) == 1.0


def test_per_image_scores_and_per_pixel_bits(pixel_cnn_run, tmp_path):
  images = digits(5)
  np.save(tmp_path / "five.npy", images.reshape(5, 64))  # Flat rows are accepted too.
  csv_path, bits_path = tmp_path / "scores.csv", tmp_path / "bits.png"
  result = score_lib.score(pixel_cnn_run, input_path=str(tmp_path / "five.npy"),
                           output=str(csv_path), bits_map=str(bits_path))
  rows = csv_path.read_text().splitlines()
  assert rows[0] == "index,nll_nats,bits_per_dim" and len(rows) == 6
  nll = np.array([float(row.split(",")[1]) for row in rows[1:]])
  assert result["input"]["mean_nll_nats"] == pytest.approx(nll.mean(), abs=1e-3)
  assert bits_path.stat().st_size > 0
  # The per-pixel bits add up to each image's NLL.
  model, _, _ = Workdir(pixel_cnn_run).load_model()
  bits = score_lib.pixel_bits(model, images.astype(np.float32))
  np.testing.assert_allclose(bits.sum(axis=(1, 2)) * np.log(2.0), nll, atol=1e-2)


def test_a_folder_of_pngs_scores_like_its_array(pixel_cnn_run, tmp_path):
  images = digits(3)
  folder = tmp_path / "pngs"
  folder.mkdir()
  for index, image in enumerate(images):
    # Levels 0..16 stored as 0..255 grey; read back to the same 17 levels.
    grey = np.round(image[..., 0] * 255.0 / 16.0).astype(np.uint8)
    Image.fromarray(grey).save(folder / f"{index}.png")
  np.save(tmp_path / "three.npy", images)
  from_folder = score_lib.score(pixel_cnn_run, input_path=str(folder))
  from_array = score_lib.score(pixel_cnn_run, input_path=str(tmp_path / "three.npy"))
  assert from_folder["input"]["mean_nll_nats"] == from_array["input"]["mean_nll_nats"]


def test_any_likelihood_model_scores(tmp_path):
  config = made_digits.get_config()
  config.model.hidden_units = (32,)
  config.training.num_epochs = 1
  workdir = str(tmp_path / "made")
  train_lib.train(config, workdir, verbose=0)
  np.save(tmp_path / "x.npy", digits(4))
  result = score_lib.score(workdir, input_path=str(tmp_path / "x.npy"))
  assert result["model"] == "made" and result["input"]["num_images"] == 4
  # Per-pixel bits need an autoregressive model of images: a MADE of pixels is one.
  score_lib.score(workdir, input_path=str(tmp_path / "x.npy"), bits_map=str(tmp_path / "b.png"))
  assert (tmp_path / "b.png").stat().st_size > 0
  vectors = MADE((10,), heads.Bernoulli(), hidden_units=[8])
  with pytest.raises(ValueError, match="autoregressive image model"):
    score_lib.pixel_bits(vectors, np.zeros((2, 10), np.float32))


def test_a_vae_scores_by_its_seeded_iwae_estimate(tmp_path):
  config = vae_digits.get_config()
  config.model.hidden_units = (16,)
  config.training.num_epochs = 1
  config.training.steps_per_epoch = 4
  workdir = str(tmp_path / "vae")
  train_lib.train(config, workdir, verbose=0)
  np.save(tmp_path / "x.npy", digits(3))
  first = score_lib.score(workdir, input_path=str(tmp_path / "x.npy"), seed=1)
  assert first["likelihood"] == "elbo" and first["input"]["num_images"] == 3
  assert score_lib.score(workdir, input_path=str(tmp_path / "x.npy"), seed=1) == first
  other = score_lib.score(workdir, input_path=str(tmp_path / "x.npy"), seed=2)
  assert other["input"]["mean_nll_nats"] != first["input"]["mean_nll_nats"]


def test_bad_inputs_are_named(pixel_cnn_run, tmp_path):
  def fails(path, match):
    with pytest.raises(DataError, match=match):
      score_lib.score(pixel_cnn_run, input_path=str(path))

  fails(tmp_path / "missing.npy", "no such file")
  np.save(tmp_path / "shape.npy", np.zeros((3, 7, 8, 1)))
  fails(tmp_path / "shape.npy", r"expected images of shape \[N, 8, 8, 1\].*\(3, 7, 8, 1\)")
  np.save(tmp_path / "range.npy", np.full((3, 8, 8, 1), 17))
  fails(tmp_path / "range.npy", r"integers in \[0, 16\].*\[17, 17\]")
  np.save(tmp_path / "fraction.npy", np.full((3, 8, 8, 1), 0.5))
  fails(tmp_path / "fraction.npy", "integers")
  np.savez(tmp_path / "two.npz", a=np.zeros((1, 64)), b=np.zeros((1, 64)))
  fails(tmp_path / "two.npz", r"holds 2 arrays \(a, b\): name one")
  assert score_lib.score(pixel_cnn_run, input_path=f"{tmp_path / 'two.npz'}:b")["input"][
      "num_images"] == 1
  (tmp_path / "corrupt.npy").write_bytes(b"not numpy")
  fails(tmp_path / "corrupt.npy", "not a readable NumPy file")
  folder = tmp_path / "folder"
  folder.mkdir()
  (folder / "broken.png").write_bytes(b"\x89PNG broken")
  fails(folder, "broken.png: not a readable image")
  (folder / "broken.png").unlink()
  Image.fromarray(np.zeros((9, 8), np.uint8)).save(folder / "big.png")
  fails(folder, "big.png is 8x9 pixels; the model takes 8x8")
  np.save(tmp_path / "empty.npy", np.zeros((0, 8, 8, 1)))
  fails(tmp_path / "empty.npy", "no images in it")
  with pytest.raises(ValueError, match="--input=PATH"):
    score_lib.score(pixel_cnn_run)
