"""A style-transfer check with ground truth: digits against a known restyling of other digits.

Domain A holds half of the embedded training digits; domain B the other half,
restyled by `image_domains.restyle_digits` (strokes thickened, then inverted).
The model never sees a digit next to its own restyling. On the test digits,
G: A -> B is scored against the true restyling of the same digits:

  label_accuracy   how often a classifier trained on restyled training digits reads
                   the right digit in G(a) (it reads true restyled test digits at
                   `label_accuracy_true_restyling`)
  pixel_error      mean |G(a) - restyle(a)| over pixels, on the 0..255 scale, next
                   to `pixel_error_identity` = mean |a - restyle(a)| (no translation)
"""

import numpy as np

from apps.style_transfer import image_domains
from apps.style_transfer import train_lib
from tfgen.training import sample_quality
from tfgen.training.workdir import Workdir
from tfgen.utils import images as images_lib


def restyled_classifier(seed=0, num_epochs=30):
  """A digit classifier of restyled digits (all training digits, restyled), seeded."""
  import keras  # pylint: disable=import-outside-toplevel
  digits, labels = image_domains.digit_images("train")
  restyled = image_domains.restyle_digits(digits).astype(np.float32) / 255.0
  keras.utils.set_random_seed(seed)
  classifier = sample_quality.build_classifier(restyled.shape[1:], 10)
  classifier.compile(optimizer=keras.optimizers.Adam(1e-3),
                     loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
  classifier.fit(restyled, labels, batch_size=64, epochs=num_epochs, verbose=0)
  return classifier


def evaluate(workdir, seed=0, picture=None):
  """The two numbers of the check for a run trained on embedded:digits -> embedded:restyled_digits.

  Returns {"num_test_digits", "label_accuracy", "label_accuracy_true_restyling",
  "label_accuracy_identity", "pixel_error", "pixel_error_identity"}; writes rows
  of (digit, G(digit), true restyling) to `picture` when given.
  """
  model, config, _ = Workdir(workdir).load_model()
  if (config.data.get("domain_a"), config.data.get("domain_b")) != (
      "embedded:digits", "embedded:restyled_digits"):
    raise ValueError(f"{workdir} was not trained from embedded:digits to embedded:restyled_digits")
  digits, labels = image_domains.digit_images("test")
  truth = image_domains.restyle_digits(digits).astype(np.float32)
  digits = digits.astype(np.float32)
  translated = np.round(model.translate(digits, "a2b").numpy())
  classifier = restyled_classifier(seed)

  def accuracy(images):
    return float((classifier.predict(images / 255.0, verbose=0).argmax(axis=1) == labels).mean())

  if picture:
    rows = np.stack([digits[:12], translated[:12], truth[:12]], axis=1).reshape(-1, 8, 8, 1)
    images_lib.save_grid(picture, rows, train_lib.NUM_VALUES, num_columns=6)
  return {"num_test_digits": len(digits),
          "label_accuracy": round(accuracy(translated), 4),
          "label_accuracy_true_restyling": round(accuracy(truth), 4),
          "label_accuracy_identity": round(accuracy(digits), 4),
          "pixel_error": round(float(np.abs(translated - truth).mean()), 2),
          "pixel_error_identity": round(float(np.abs(digits - truth).mean()), 2)}
