"""VAE, conditional VAE and autoencoder runs through train / evaluate / sample."""

import numpy as np
import pytest

from tfgen.configs import cvae_digits, vae_digits
from PIL import Image

from tfgen.training import evaluate_lib, sample_lib, train_lib, visualize_lib


def tiny(config):
  config.model.hidden_units = (32,)
  config.training.num_epochs = 1
  config.training.steps_per_epoch = 4
  return config


def test_vae_run_reports_iwae_nll_and_elbo(tmp_path):
  workdir = str(tmp_path / "vae")
  train_lib.train(tiny(vae_digits.get_config()), workdir, verbose=0)
  result = evaluate_lib.evaluate(workdir, "test", num_importance_samples=20)
  assert result["num_examples"] == 269 and result["num_importance_samples"] == 20
  # The IWAE-20 estimate is a tighter bound than the ELBO; both below uniform guessing.
  assert result["nll_nats"] <= result["negative_elbo_nats"] + 0.5
  assert 0 < result["nll_nats"] < 64 * np.log(17)
  again = evaluate_lib.evaluate(workdir, "test", num_importance_samples=20)
  assert again == result  # Seeded importance samples.
  refined = evaluate_lib.evaluate(workdir, "test", num_importance_samples=20, refine_steps=30)
  assert refined["nll_nats"] == result["nll_nats"] and refined["refine_steps"] == 30
  # Proposals fitted to each test image: a tighter estimate of the same log p(x).
  assert refined["nll_nats_refined"] < result["nll_nats"], (refined, result)
  with pytest.raises(ValueError, match="refine_steps must be >= 0, got -1"):
    evaluate_lib.evaluate(workdir, "test", num_importance_samples=2, refine_steps=-1)
  grid = tmp_path / "samples.png"
  samples = sample_lib.sample(workdir, num_samples=6, output=str(grid), seed=2)
  assert samples.shape == (6, 8, 8, 1) and grid.exists()
  written = visualize_lib.visualize(workdir, str(tmp_path / "pictures"))
  assert sorted(written) == ["interpolation", "latent_scatter", "manifold", "reconstructions",
                             "samples"]
  for picture in written.values():
    assert min(Image.open(picture).size) >= 40


def test_cvae_run_samples_a_chosen_digit(tmp_path):
  workdir = str(tmp_path / "cvae")
  train_lib.train(tiny(cvae_digits.get_config()), workdir, verbose=0)
  result = evaluate_lib.evaluate(workdir, "valid", num_importance_samples=10, refine_steps=5)
  assert result["model"] == "conditional_vae" and np.isfinite(result["nll_nats"])
  assert np.isfinite(result["nll_nats_refined"])  # Refined under the learned prior p(z | c).
  sevens = sample_lib.sample(workdir, num_samples=3, seed=0, label="7")
  assert sevens.shape == (3, 8, 8, 1)
  with pytest.raises(ValueError, match="not a class of this model: use 0..9"):
    sample_lib.sample(workdir, num_samples=1, label="10")
  written = visualize_lib.visualize(workdir, str(tmp_path / "pictures"))
  assert "classes" in written and "manifold" not in written
  width, height = Image.open(written["classes"]).size
  assert height > width * 0.8  # Ten rows of ten.


def test_autoencoder_run_reports_reconstruction_error(tmp_path):
  config = tiny(vae_digits.get_config())
  config.model = config.model.__class__({"name": "autoencoder", "code_size": 4,
                                         "hidden_units": (32,), "loss": "l2"})
  workdir = str(tmp_path / "autoencoder")
  train_lib.train(config, workdir, verbose=0)
  result = evaluate_lib.evaluate(workdir, "test")
  assert result["loss"] == "l2" and 0 < result["reconstruction_error"] < 64
  assert sorted(visualize_lib.visualize(workdir, str(tmp_path / "pictures"))) == ["reconstructions"]
