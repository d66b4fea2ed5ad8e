import keras
import numpy as np
import pytest

from tfgen.models.classic import BernoulliNaiveBayes, LogisticRegression
from tfgen.models.classic import double_counting


def test_naive_bayes_matches_counting_and_bayes_rule():
  x = np.array([[1, 0], [1, 1], [0, 1], [0, 0]], np.float32)
  y = np.array([1, 1, 0, 0])
  model = BernoulliNaiveBayes(num_classes=2, alpha=1.0).fit(x, y)
  np.testing.assert_allclose(model.feature_probs, [[1 / 4, 2 / 4], [3 / 4, 2 / 4]])
  prior = np.array([0.5, 0.5])
  likelihood = np.array([(1 / 4) * (1 - 2 / 4), (3 / 4) * (1 - 2 / 4)])  # x = [1, 0]
  expected = prior * likelihood / (prior * likelihood).sum()
  np.testing.assert_allclose(model.predict_proba(np.array([[1, 0]], np.float32))[0], expected)


def test_duplicated_feature_moves_naive_bayes_but_not_logistic_regression():
  results = double_counting.spam_posteriors(num_examples=2000, epochs=300)
  bayes_before, bayes_after = results["naive_bayes"]
  regression_before, regression_after = results["logistic_regression"]
  # Naive Bayes counts the evidence twice: the odds are multiplied by the likelihood ratio again.
  assert bayes_after - bayes_before > 0.15
  assert abs(regression_after - regression_before) < 0.02
  # Both agree before the duplication (the model is right for this data).
  assert abs(bayes_before - regression_before) < 0.05


def test_naive_bayes_odds_multiply_by_the_likelihood_ratio_once_more():
  x, y = double_counting.make_data(3000, seed=1)
  query = np.zeros((1, x.shape[1]), np.float32)
  query[0, 0] = 1
  single = BernoulliNaiveBayes(2).fit(x, y)
  double = BernoulliNaiveBayes(2).fit(double_counting.duplicate_first_feature(x), y)
  ratio = single.feature_probs[1, 0] / single.feature_probs[0, 0]
  odds = lambda p: p[0, 1] / p[0, 0]
  np.testing.assert_allclose(
      odds(double.predict_proba(double_counting.duplicate_first_feature(query))),
      odds(single.predict_proba(query)) * ratio, rtol=1e-6)


def test_logistic_regression_save_load(tmp_path):
  model = LogisticRegression(num_classes=3, l2=0.01)
  x = np.random.default_rng(0).random((4, 5)).astype(np.float32)
  model(x)
  model.save(tmp_path / "lr.keras")
  loaded = keras.saving.load_model(tmp_path / "lr.keras", safe_mode=True)
  np.testing.assert_allclose(loaded.predict_proba(x), model.predict_proba(x), rtol=1e-6)


def test_logistic_regression_penalty_counts_in_training_only():
  rng = np.random.default_rng(0)
  x = rng.normal(size=(32, 5)).astype(np.float32)
  y = rng.integers(0, 3, size=32)
  model = LogisticRegression(num_classes=3, l2=1.0)
  model.compile(keras.optimizers.SGD(0.1))
  model.fit(x, y, epochs=1, batch_size=32, verbose=0)
  logits = model(x)
  cross_entropy = float(np.mean(keras.losses.sparse_categorical_crossentropy(
      y, logits, from_logits=True)))
  penalty = float(np.sum(np.square(model.linear.kernel.numpy())))
  assert penalty > 0.01  # Large enough that counting it would show.
  np.testing.assert_allclose(model.evaluate(x, y, verbose=0), cross_entropy, rtol=1e-5)
  np.testing.assert_allclose(
      float(model.compute_loss(y=y, y_pred=logits, training=True)), cross_entropy + penalty,
      rtol=1e-5)


def test_bad_input():
  with pytest.raises(ValueError, match="only 0 and 1"):
    BernoulliNaiveBayes(2).fit(np.array([[0.5, 1.0]]), np.array([0]))
  with pytest.raises(ValueError, match="labels must be integers"):
    BernoulliNaiveBayes(2).fit(np.array([[0.0, 1.0]]), np.array([2]))
  with pytest.raises(ValueError, match="not fitted"):
    BernoulliNaiveBayes(2).predict(np.array([[0.0, 1.0]]))
  with pytest.raises(ValueError, match="expected 2 features"):
    BernoulliNaiveBayes(2).fit(np.array([[0.0, 1.0]]), np.array([1])).predict(np.ones((1, 3)))
