"""The adversarial losses, from the discriminator's logits: [batch] in, a scalar mean out.

D(x) = sigmoid(logit(x)) is the probability D gives to "x is real", so D is a
`tfd.Bernoulli(logits)` over the label real = 1 / fake = 0, and the classic
losses are its log-probabilities:

  minimax, non_saturating (Goodfellow et al. 2014)
    L_D = E_x[-log D(x)] + E_z[-log(1 - D(G(z)))]
    minimax         L_G = E_z[log(1 - D(G(z)))]     (the lecture's min-max game)
    non_saturating  L_G = -E_z[log D(G(z))]         (same fixed point, strong early gradients)
  hinge (Lim & Ye 2017; Miyato et al. 2018)
    L_D = E_x[relu(1 - logit(x))] + E_z[relu(1 + logit(G(z)))],  L_G = -E_z[logit(G(z))]
  wgan_gp (Gulrajani et al. 2017): the logit is a critic f
    L_D = E_z[f(G(z))] - E_x[f(x)] + lambda E[(||grad f(x_hat)||_2 - 1)^2],  L_G = -E_z[f(G(z))]
    (the gradient penalty is `gradient_penalty`; x_hat mixes real and fake)
  least_squares (Mao et al. 2017; CycleGAN's LSGAN loss)
    L_D = E_x[(logit(x) - 1)^2] + E_z[logit(G(z))^2],  L_G = E_z[(logit(G(z)) - 1)^2]

Logits may carry more than a batch axis (a PatchGAN's map): every entry counts
as one decision and the mean runs over all of them.
"""

import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

LOSSES = ("non_saturating", "minimax", "hinge", "wgan_gp", "least_squares")


def check_loss(name):
  """Raises a ValueError naming the known losses unless `name` is one."""
  if name not in LOSSES:
    raise ValueError(f"unknown GAN loss {name!r}; use one of {', '.join(LOSSES)}")
  return name


def _log_real(logits):
  """log D(x) = log Bernoulli(logits).prob(real)."""
  return tfd.Bernoulli(logits=logits).log_prob(tf.ones_like(logits))


def _log_fake(logits):
  """log (1 - D(x)) = log Bernoulli(logits).prob(fake)."""
  return tfd.Bernoulli(logits=logits).log_prob(tf.zeros_like(logits))


def discriminator_loss(name, real_logits, fake_logits):
  """L_D of loss `name` (without WGAN-GP's penalty): a scalar.

  Args:
    name: a key of LOSSES.
    real_logits: D's logits on real examples, [batch, ...].
    fake_logits: D's logits on generated examples, [batch, ...].
  """
  check_loss(name)
  real_logits = tf.cast(real_logits, tf.float32)  # Mixed precision: losses in float32.
  fake_logits = tf.cast(fake_logits, tf.float32)
  if name in ("non_saturating", "minimax"):
    return -tf.reduce_mean(_log_real(real_logits)) - tf.reduce_mean(_log_fake(fake_logits))
  if name == "hinge":
    return (tf.reduce_mean(tf.nn.relu(1.0 - real_logits))
            + tf.reduce_mean(tf.nn.relu(1.0 + fake_logits)))
  if name == "wgan_gp":
    return tf.reduce_mean(fake_logits) - tf.reduce_mean(real_logits)
  return tf.reduce_mean(tf.square(real_logits - 1.0)) + tf.reduce_mean(tf.square(fake_logits))


def generator_loss(name, fake_logits):
  """L_G of loss `name`: a scalar, from D's logits on generated examples [batch, ...]."""
  check_loss(name)
  fake_logits = tf.cast(fake_logits, tf.float32)
  if name == "non_saturating":
    return -tf.reduce_mean(_log_real(fake_logits))
  if name == "minimax":
    return tf.reduce_mean(_log_fake(fake_logits))
  if name in ("hinge", "wgan_gp"):
    return -tf.reduce_mean(fake_logits)
  return tf.reduce_mean(tf.square(fake_logits - 1.0))


def gradient_penalty(critic, real, fake, mixing):
  """WGAN-GP's E[(||grad_x f(x_hat)||_2 - 1)^2] at x_hat = u x + (1 - u) G(z): a scalar.

  Args:
    critic: x [batch, *event_shape] -> logits [batch, ...].
    real, fake: [batch, *event_shape].
    mixing: u, uniform in [0, 1], [batch] (one per example).
  """
  shape = tf.concat([tf.shape(mixing), tf.ones([tf.rank(real) - 1], tf.int32)], 0)
  mixing = tf.reshape(mixing, shape)
  mixed = mixing * real + (1.0 - mixing) * fake
  with tf.GradientTape() as tape:
    tape.watch(mixed)
    total = tf.reduce_sum(critic(mixed))
  gradients = tape.gradient(total, mixed)
  norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=tf.range(1, tf.rank(gradients))) + 1e-12)
  return tf.reduce_mean(tf.square(norms - 1.0))


def decision_threshold(name):
  """The logit above which D calls an example real: 1/2 for least squares (targets 0 and 1), else 0."""
  return 0.5 if check_loss(name) == "least_squares" else 0.0


def real_accuracy(name, real_logits):
  """How often D calls real examples real (logit above `decision_threshold`)."""
  return tf.reduce_mean(tf.cast(real_logits > decision_threshold(name), tf.float32))


def fake_accuracy(name, fake_logits):
  """How often D calls generated examples fake (logit below `decision_threshold`)."""
  return tf.reduce_mean(tf.cast(fake_logits < decision_threshold(name), tf.float32))


def cycle_loss(real_a, real_b, a_to_b, b_to_a):
  """CycleGAN's cycle consistency: E|F(G(a)) - a| + E|G(F(b)) - b| (mean absolute error).

  Args:
    real_a, real_b: images of the two domains.
    a_to_b (G), b_to_a (F): the generators, images -> images.
  """
  return (tf.reduce_mean(tf.abs(b_to_a(a_to_b(real_a)) - real_a))
          + tf.reduce_mean(tf.abs(a_to_b(b_to_a(real_b)) - real_b)))


def identity_loss(real_a, real_b, a_to_b, b_to_a):
  """CycleGAN's identity term: E|G(b) - b| + E|F(a) - a| (a generator leaves its target alone)."""
  return (tf.reduce_mean(tf.abs(a_to_b(real_b) - real_b))
          + tf.reduce_mean(tf.abs(b_to_a(real_a) - real_a)))
