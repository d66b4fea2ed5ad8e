"""tfgen: deep generative models in TensorFlow / Keras 3.

Networks emit parameter tensors, heads (`tfgen.heads`) turn them into
TensorFlow Probability distributions, and every model's loss is `-log_prob`.
"""

__version__ = "0.1.0"
