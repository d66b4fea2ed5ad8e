"""Sample quality without a likelihood: distances in a small classifier's feature space.

A GAN has no log p(x), so its samples are compared with real examples through
a classifier trained on the same data (the FID and Inception Score recipe,
with a digit classifier standing in for Inception):

  FD = ||mu_r - mu_g||^2 + Tr(S_r + S_g - 2 (S_r S_g)^(1/2))   (Heusel et al. 2017)
       mu, S: mean and covariance of the classifier's features over real (r)
       and generated (g) examples; lower is better, 0 for equal Gaussians
  IS = exp(E_x KL(p(y | x) || p(y)))                            (Salimans et al. 2016)
       high when each sample is one confident class and the classes are
       balanced; at most the number of classes

The distance shrinks with more examples, so every figure here uses the same
number: the evaluated split's size. Two yardsticks come with it: the distance
between as many *training* examples and the split (what a perfect model would
get), and the Inception Score of the split itself.
"""

import numpy as np
import keras
import scipy.linalg
import tensorflow as tf

from tfgen.training import run

FEATURES_LAYER = "features"


def frechet_distance(features_a, features_b):
  """Fréchet distance between Gaussians fit to two feature sets [N, F] and [M, F]."""
  features_a = np.asarray(features_a, np.float64)
  features_b = np.asarray(features_b, np.float64)
  if features_a.ndim != 2 or features_b.ndim != 2 or features_a.shape[1] != features_b.shape[1]:
    raise ValueError(f"features must be [N, F] and [M, F], got {features_a.shape} and "
                     f"{features_b.shape}")
  if min(len(features_a), len(features_b)) < 2:
    raise ValueError("the Fréchet distance needs at least 2 examples on each side")
  mean_a, mean_b = features_a.mean(axis=0), features_b.mean(axis=0)
  cov_a = np.cov(features_a, rowvar=False)
  cov_b = np.cov(features_b, rowvar=False)
  return float(((mean_a - mean_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b)
               - 2.0 * trace_sqrt_product(cov_a, cov_b))


def trace_sqrt_product(cov_a, cov_b):
  """Tr((S_a S_b)^(1/2)) for covariances (symmetric PSD) = sum_i sqrt(eig_i(S_a^1/2 S_b S_a^1/2)).

  The symmetric form has real, non-negative eigenvalues, so singular
  covariances (dead ReLU features) need no special case.
  """
  values, vectors = scipy.linalg.eigh(cov_a)
  sqrt_a = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
  inner = scipy.linalg.eigvalsh(sqrt_a @ cov_b @ sqrt_a)
  return float(np.sqrt(np.clip(inner, 0.0, None)).sum())


def inception_score(probabilities):
  """exp(E_x KL(p(y | x) || p(y))) for class probabilities [N, num_classes]."""
  probabilities = np.clip(np.asarray(probabilities, np.float64), 1e-12, 1.0)
  marginal = probabilities.mean(axis=0, keepdims=True)
  kl = (probabilities * (np.log(probabilities) - np.log(marginal))).sum(axis=1)
  return float(np.exp(kl.mean()))


def build_classifier(event_shape, num_classes):
  """A small convnet: images scaled to [0, 1] -> logits; its layer "features" is the embedding."""
  return keras.Sequential([
      keras.Input(tuple(event_shape)),
      keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
      keras.layers.Conv2D(64, 3, strides=2, padding="same", activation="relu"),
      keras.layers.Flatten(),
      keras.layers.Dense(64, activation="relu", name=FEATURES_LAYER),
      keras.layers.Dense(num_classes),
  ], name="quality_classifier")


def _labeled(config):
  labeled = config.copy_and_resolve_references()
  labeled.data.with_labels = True
  return labeled


def _arrays(config, split):
  """(images on the data's scale, int labels) of a split, in order."""
  images, labels = [], []
  for x, y in run.split_batches(config, split, 500):
    images.append(x.numpy())
    labels.append(y.numpy())
  return np.concatenate(images), np.concatenate(labels)


# (data name, path, data_dir, num_epochs, seed) -> (classifier, accuracy): one training a process.
_CLASSIFIERS = {}


def train_classifier(config, info, num_epochs=30, seed=0):
  """Trains `build_classifier` on the config's labeled training split.

  Returns (classifier, accuracy on the test split). Seeded: the same data and
  seed give the same classifier, so scores of different runs compare; a
  process trains it once and reuses it (the demo scores three models).
  """
  key = (config.data.name, config.data.path, config.data.data_dir, int(num_epochs), int(seed))
  if key not in _CLASSIFIERS:
    _CLASSIFIERS[key] = _train_classifier(config, info, num_epochs, seed)
  return _CLASSIFIERS[key]


def _train_classifier(config, info, num_epochs, seed):
  labeled = _labeled(config)
  try:
    train_images, train_labels = _arrays(labeled, "train")
    test_images, test_labels = _arrays(labeled, "test")
  except ValueError as error:
    raise ValueError(f"sample quality needs a classifier of {info.name}'s labels: {error}") from None
  keras.utils.set_random_seed(seed)
  classifier = build_classifier(info.shape, int(train_labels.max()) + 1)
  classifier.compile(optimizer=keras.optimizers.Adam(1e-3),
                     loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                     metrics=["accuracy"])
  scale = 1.0 / (info.num_values - 1)
  classifier.fit(train_images * scale, train_labels, batch_size=64, epochs=num_epochs, verbose=0,
                 shuffle=True)
  accuracy = classifier.evaluate(test_images * scale, test_labels, verbose=0)[1]
  return classifier, float(accuracy)


def classifier_outputs(classifier, images, num_values):
  """(features [N, 64], class probabilities [N, num_classes]) of data-scale images."""
  embed = keras.Model(classifier.inputs, [classifier.get_layer(FEATURES_LAYER).output,
                                          classifier.outputs[0]])
  features, logits = embed.predict(np.asarray(images, np.float32) / (num_values - 1), verbose=0,
                                   batch_size=500)
  return features, tf.nn.softmax(logits).numpy()


def sample_quality(model, config, info, split="test", seed=0):
  """Scores `model`'s samples against the split with a classifier of the data.

  Draws as many samples as the split has examples (a conditional model draws
  the split's labels, and "label_accuracy" says how often the classifier reads
  the label it was given).

  Returns {"frechet_distance", "frechet_distance_train_vs_split", "inception_score",
  "inception_score_split", "classifier_test_accuracy", "num_samples"[, "label_accuracy"]}.
  """
  classifier, accuracy = train_classifier(config, info, seed=seed)
  labeled = _labeled(config)
  split_images, split_labels = _arrays(labeled, split)
  train_images, _ = _arrays(labeled, "train")
  count = len(split_images)
  if len(train_images) < count:
    raise ValueError(f"the training split ({len(train_images)}) is smaller than {split} ({count})")
  condition = split_labels if model.num_conditions else None
  samples = model.sample(count, condition=condition, seed=seed).numpy()
  subset = train_images[np.random.default_rng(seed).permutation(len(train_images))[:count]]
  split_features, split_probabilities = classifier_outputs(classifier, split_images, info.num_values)
  sample_features, sample_probabilities = classifier_outputs(classifier, samples, info.num_values)
  train_features, _ = classifier_outputs(classifier, subset, info.num_values)
  result = {
      "num_samples": count,
      "frechet_distance": round(frechet_distance(sample_features, split_features), 3),
      "frechet_distance_train_vs_split": round(frechet_distance(train_features, split_features), 3),
      "inception_score": round(inception_score(sample_probabilities), 3),
      "inception_score_split": round(inception_score(split_probabilities), 3),
      "classifier_test_accuracy": round(accuracy, 4),
  }
  if condition is not None:
    result["label_accuracy"] = round(float(
        (sample_probabilities.argmax(axis=1) == split_labels).mean()), 4)
  return result
