"""Each GAN loss against its formula on hand-made logits, and why the non-saturating trick exists."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen.models.adversarial import gan_losses

REAL = np.array([2.0, -0.5, 0.3], np.float32)
FAKE = np.array([-1.5, 0.7, -3.0], np.float32)


def sigmoid(logits):
  return 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))


def test_discriminator_loss_is_the_binary_cross_entropy_of_its_formula():
  expected = np.mean(-np.log(sigmoid(REAL))) + np.mean(-np.log(1.0 - sigmoid(FAKE)))
  for name in ("non_saturating", "minimax"):
    np.testing.assert_allclose(gan_losses.discriminator_loss(name, REAL, FAKE), expected,
                               rtol=1e-5)


def test_generator_losses_match_their_formulas():
  np.testing.assert_allclose(gan_losses.generator_loss("minimax", FAKE),
                             np.mean(np.log(1.0 - sigmoid(FAKE))), rtol=1e-5)
  np.testing.assert_allclose(gan_losses.generator_loss("non_saturating", FAKE),
                             -np.mean(np.log(sigmoid(FAKE))), rtol=1e-5)


def test_hinge_wasserstein_and_least_squares_losses():
  np.testing.assert_allclose(gan_losses.discriminator_loss("hinge", REAL, FAKE),
                             np.mean(np.maximum(0, 1 - REAL)) + np.mean(np.maximum(0, 1 + FAKE)),
                             rtol=1e-6)
  np.testing.assert_allclose(gan_losses.discriminator_loss("wgan_gp", REAL, FAKE),
                             FAKE.mean() - REAL.mean(), rtol=1e-6)
  np.testing.assert_allclose(gan_losses.discriminator_loss("least_squares", REAL, FAKE),
                             np.mean((REAL - 1) ** 2) + np.mean(FAKE ** 2), rtol=1e-6)
  for name in ("hinge", "wgan_gp"):
    np.testing.assert_allclose(gan_losses.generator_loss(name, FAKE), -FAKE.mean(), rtol=1e-6)
  np.testing.assert_allclose(gan_losses.generator_loss("least_squares", FAKE),
                             np.mean((FAKE - 1) ** 2), rtol=1e-6)


def generator_gradient(name, logit):
  logits = tf.constant([logit])
  with tf.GradientTape() as tape:
    tape.watch(logits)
    loss = gan_losses.generator_loss(name, logits)
  return float(tape.gradient(loss, logits)[0])


def test_minimax_gradient_vanishes_when_d_rejects_the_fakes_and_non_saturating_does_not():
  # D(G(z)) = sigmoid(-10) ~ 5e-5: D confidently calls the samples fake, as early in training.
  minimax = generator_gradient("minimax", -10.0)
  non_saturating = generator_gradient("non_saturating", -10.0)
  assert abs(minimax) < 1e-4, minimax  # d/dl log(1 - sigmoid(l)) = -sigmoid(l) -> 0
  assert abs(non_saturating) > 0.99, non_saturating  # d/dl -log sigmoid(l) = sigmoid(l) - 1 -> -1
  # Both push the logit up (descending the loss raises D(G(z))).
  assert minimax < 0 and non_saturating < 0


def test_gradient_penalty_is_zero_for_a_unit_slope_critic_and_positive_otherwise():
  real = tf.random.stateless_normal([4, 3, 3, 1], seed=[1, 2])
  fake = tf.random.stateless_normal([4, 3, 3, 1], seed=[3, 4])
  mixing = tf.random.stateless_uniform([4], seed=[5, 6])
  direction = tf.ones([1, 3, 3, 1]) / 3.0  # A unit vector: ||grad|| = 1 everywhere.
  unit = lambda x: tf.reduce_sum(x * direction, axis=[1, 2, 3])
  steep = lambda x: 3.0 * unit(x)
  assert float(gan_losses.gradient_penalty(unit, real, fake, mixing)) < 1e-8
  np.testing.assert_allclose(gan_losses.gradient_penalty(steep, real, fake, mixing), 4.0,
                             rtol=1e-5)


def test_accuracies_use_the_decision_threshold():
  assert float(gan_losses.real_accuracy("non_saturating", REAL)) == pytest.approx(2 / 3)
  assert float(gan_losses.fake_accuracy("non_saturating", FAKE)) == pytest.approx(2 / 3)
  # Least squares targets 0 and 1: 0.3 is nearer fake.
  assert float(gan_losses.real_accuracy("least_squares", REAL)) == pytest.approx(1 / 3)


def test_unknown_loss_names_the_known_ones():
  with pytest.raises(ValueError, match="non_saturating, minimax, hinge"):
    gan_losses.generator_loss("wasserstein", FAKE)
