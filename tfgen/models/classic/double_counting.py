"""The lecture's point, runnable: naive Bayes double-counts a duplicated feature, logistic regression does not.

  python -m tfgen.models.classic.double_counting

Spam-like data: feature 0 is "bank" (more common in spam), the others are
noise. A second copy of "bank" (think "account", always together with it) is
appended. Naive Bayes multiplies the same evidence in twice, so its posterior
for a message with "bank" moves further from the prior; logistic regression
splits the weight between the copies and keeps its posterior.
"""

import numpy as np


def make_data(num_examples=2000, num_noise=5, seed=0):
  """x [N, 1 + num_noise] binary, y [N]: y = 1 (spam) makes feature 0 likelier."""
  rng = np.random.default_rng(seed)
  y = (rng.random(num_examples) < 0.4).astype(np.int64)
  bank = rng.random(num_examples) < np.where(y == 1, 0.7, 0.2)
  noise = rng.random((num_examples, num_noise)) < 0.5
  return np.column_stack([bank, noise]).astype(np.float32), y


def duplicate_first_feature(x):
  return np.column_stack([x[:, :1], x])


def spam_posteriors(num_examples=2000, seed=0, epochs=300):
  """p(spam | "bank" present, noise off) before and after duplicating "bank", for both models.

  Returns:
    {"naive_bayes": (before, after), "logistic_regression": (before, after)}.
  """
  import keras  # pylint: disable=import-outside-toplevel
  import tensorflow as tf  # pylint: disable=import-outside-toplevel
  from tfgen.models.classic.bernoulli_naive_bayes import BernoulliNaiveBayes  # pylint: disable=import-outside-toplevel
  from tfgen.models.classic.logistic_regression import LogisticRegression  # pylint: disable=import-outside-toplevel

  x, y = make_data(num_examples, seed=seed)
  query = np.zeros((1, x.shape[1]), np.float32)
  query[0, 0] = 1.0
  results = {"naive_bayes": [], "logistic_regression": []}
  for features, message in ((x, query), (duplicate_first_feature(x), duplicate_first_feature(query))):
    bayes = BernoulliNaiveBayes(num_classes=2).fit(features, y)
    results["naive_bayes"].append(float(bayes.predict_proba(message)[0, 1]))
    keras.utils.set_random_seed(seed)
    regression = LogisticRegression(num_classes=2, l2=1e-4)
    regression.compile(optimizer=keras.optimizers.Adam(0.05))
    # Full-batch steps in one epoch: the same optimisation without per-epoch overhead.
    full_batch = tf.data.Dataset.from_tensors((features, y)).repeat(epochs)
    regression.fit(full_batch, epochs=1, verbose=0, shuffle=False)
    results["logistic_regression"].append(float(regression.predict_proba(message)[0, 1]))
  return {name: tuple(values) for name, values in results.items()}


def main():
  results = spam_posteriors()
  print('p(spam | message with "bank"), before -> after adding a copy of the "bank" feature')
  for name, (before, after) in results.items():
    print(f"  {name:20s} {before:.3f} -> {after:.3f}  (moved {after - before:+.3f})")


if __name__ == "__main__":
  main()
