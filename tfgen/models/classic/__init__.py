"""The generative vs discriminative pair: Bernoulli naive Bayes and logistic regression."""

from tfgen.models.classic.bernoulli_naive_bayes import BernoulliNaiveBayes
from tfgen.models.classic.logistic_regression import LogisticRegression

__all__ = ["BernoulliNaiveBayes", "LogisticRegression"]
