"""The sample-quality scores: the Fréchet distance and Inception Score, and the collapse monitor."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen.configs import dcgan_digits
from tfgen.data import loader
from tfgen.training import sample_quality
from tfgen.training.sample_monitor import SampleMonitor
from tfgen.training.sample_monitor import diversity_ratio


def test_frechet_distance_is_zero_for_equal_sets_and_adds_the_mean_shift():
  features = np.random.default_rng(0).normal(size=(500, 6))
  assert abs(sample_quality.frechet_distance(features, features)) < 1e-8
  shift = np.array([3.0, 0, 0, 0, 0, 4.0])  # Same covariance: FD = ||shift||^2 = 25.
  assert sample_quality.frechet_distance(features, features + shift) == pytest.approx(25.0)
  other = np.random.default_rng(1).normal(size=(400, 6)) * 2.0
  assert sample_quality.frechet_distance(features, other) == pytest.approx(
      sample_quality.frechet_distance(other, features))


def test_frechet_distance_of_gaussians_matches_its_closed_form():
  # N(0, I) against N(0, 4 I) in d dims: tr(I) + tr(4 I) - 2 tr(2 I) = d.
  rng = np.random.default_rng(2)
  first, second = rng.normal(size=(200000, 3)), 2.0 * rng.normal(size=(200000, 3))
  assert sample_quality.frechet_distance(first, second) == pytest.approx(3.0, abs=0.05)


def test_frechet_distance_handles_dead_features():
  features = np.random.default_rng(3).normal(size=(100, 5))
  features[:, :2] = 0.0  # Dead ReLU units: singular covariances.
  value = sample_quality.frechet_distance(features, features * 1.5)
  assert np.isfinite(value) and value > 0


def test_inception_score_is_the_number_of_classes_for_confident_balanced_labels():
  assert sample_quality.inception_score(np.eye(10)[np.arange(100) % 10]) == pytest.approx(10.0)
  assert sample_quality.inception_score(np.eye(10)[np.zeros(100, int)]) == pytest.approx(1.0)
  assert sample_quality.inception_score(np.full((50, 10), 0.1)) == pytest.approx(1.0)


@pytest.fixture(scope="module")
def digit_classifier():
  config = dcgan_digits.get_config()
  info = loader.load("digits", "train")[1]
  return sample_quality.train_classifier(config, info, num_epochs=15), config, info


def test_real_digits_are_much_nearer_each_other_than_noise(digit_classifier):
  (classifier, accuracy), _, _ = digit_classifier
  assert accuracy > 0.9
  train = np.concatenate([x.numpy() for x in loader.load("digits", "train", 500)[0]])[:269]
  test = np.concatenate([x.numpy() for x in loader.load("digits", "test", 500)[0]])
  noise = np.random.default_rng(0).integers(0, 17, test.shape).astype(np.float32)
  features = {name: sample_quality.classifier_outputs(classifier, images, 17)[0]
              for name, images in (("train", train), ("test", test), ("noise", noise))}
  real = sample_quality.frechet_distance(features["train"], features["test"])
  fake = sample_quality.frechet_distance(features["noise"], features["test"])
  assert fake > 10 * real, (real, fake)
  probabilities = sample_quality.classifier_outputs(classifier, test, 17)[1]
  assert sample_quality.inception_score(probabilities) > 7.0  # Ten balanced, clear classes.


def test_data_without_labels_cannot_train_the_classifier():
  config = dcgan_digits.get_config()
  config.data.name = "photo_patches"
  info = loader.load("photo_patches", "valid")[1]
  with pytest.raises(ValueError, match="sample quality needs a classifier of photo_patches"):
    sample_quality.train_classifier(config, info, num_epochs=1)


class _Constant:
  """Stands in for a generator that has collapsed to one image."""
  num_conditions = 0

  def sample(self, num_samples, condition=None, seed=None):
    del condition, seed
    return tf.fill([num_samples, 8, 8, 1], 5.0)


def test_the_monitor_warns_when_samples_collapse(tmp_path):
  real = np.random.default_rng(0).integers(0, 17, (32, 8, 8, 1)).astype(np.float32)
  assert diversity_ratio(real[:16], real[16:]) == pytest.approx(1.0, abs=0.1)
  monitor = SampleMonitor(lambda epoch: str(tmp_path / f"epoch_{epoch}.png"), real, 17,
                          num_samples=8)
  monitor.set_model(_Constant())
  logs = {}
  with pytest.warns(UserWarning, match="collapsing to a few modes"):
    monitor.on_epoch_end(0, logs)
  assert logs["sample_diversity"] == 0.0 and (tmp_path / "epoch_1.png").exists()
