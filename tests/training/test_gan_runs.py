"""A DCGAN run through tfgen.train: pictures per epoch, the latest weights, resume, evaluation."""

import os

import h5py
import pytest

from tfgen.configs import conditional_dcgan_digits
from tfgen.configs import dcgan_digits
from tfgen.training import evaluate_lib
from tfgen.training import sample_lib
from tfgen.training import train_lib
from tfgen.training.workdir import Workdir
from tfgen.utils import plots


def small(config, num_epochs):
  config.model.num_filters = 8
  config.model.latent_size = 8
  config.training.num_epochs = num_epochs
  return config


@pytest.fixture(scope="module")
def dcgan_run(tmp_path_factory):
  """A small DCGAN trained 1 epoch, then resumed to 2 (about 10 s): its workdir."""
  workdir = str(tmp_path_factory.mktemp("dcgan"))
  train_lib.train(small(dcgan_digits.get_config(), 1), workdir, verbose=0)
  summary = train_lib.train(small(dcgan_digits.get_config(), 2), workdir, verbose=0)
  assert summary["resumed_from_epoch"] == 1 and summary["best_epoch"] == 2, summary
  return workdir


def test_every_epoch_writes_samples_and_the_diversity(dcgan_run):
  workdir = Workdir(dcgan_run)
  assert os.path.exists(workdir.epoch_samples_path(1)) and os.path.exists(
      workdir.epoch_samples_path(2))
  history = plots.read_history(workdir.history_path)
  assert len(history["sample_diversity"]) == 2 and min(history["sample_diversity"]) > 0
  assert {"d_loss", "g_loss", "val_d_loss", "real_accuracy"} <= set(history)
  assert workdir.read_best() == {"epoch": 2}  # The latest weights, not a "best" by a loss.


def test_resume_restores_both_optimizers(dcgan_run):
  steps_per_epoch = 40  # 1258 training digits in batches of 32.
  with h5py.File(Workdir(dcgan_run).backup_weights_path, "r") as weights:
    for name in ("d_optimizer", "g_optimizer"):
      iterations = int(weights[f"{name}/vars/0"][()])
      assert iterations == 2 * steps_per_epoch, (name, iterations)
    # The noise continues where it was: two draws a training step; validation draws from a
    # fixed seed and leaves the count alone.
    assert int(weights["vars/0"][()]) == 2 * 2 * steps_per_epoch


def test_sample_and_evaluate_from_the_workdir(dcgan_run, tmp_path):
  samples = sample_lib.sample(dcgan_run, num_samples=6, output=str(tmp_path / "grid.png"), seed=1)
  assert samples.shape == (6, 8, 8, 1) and (tmp_path / "grid.png").exists()
  result = evaluate_lib.evaluate(dcgan_run)
  assert result["num_samples"] == 269 and "nll_nats" not in result
  # Two epochs of a tiny DCGAN are far from the data; real against real is much nearer.
  assert result["frechet_distance"] > result["frechet_distance_train_vs_split"] > 0


def test_conditional_dcgan_trains_on_labeled_digits(tmp_path):
  config = small(conditional_dcgan_digits.get_config(), 1)
  train_lib.train(config, str(tmp_path), verbose=0)
  sevens = sample_lib.sample(str(tmp_path), num_samples=4, label=7, seed=0)
  assert sevens.shape == (4, 8, 8, 1)


def test_a_gan_cannot_stop_early(tmp_path):
  config = small(dcgan_digits.get_config(), 1)
  config.training.early_stopping_patience = 3
  with pytest.raises(ValueError, match="no validation loss to stop early on"):
    train_lib.train(config, str(tmp_path), verbose=0)
