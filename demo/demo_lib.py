"""The demo: tfgen's models on embedded data, from training to a Markdown report.

The report is a list of sections (`SECTIONS`); each is a function of a `Demo`
that trains what it needs and returns its Markdown. A new family adds one.
"""

import dataclasses
import os
import shutil
import time

import numpy as np
from PIL import Image
from sklearn.datasets import load_sample_image

from apps.motion_prediction import evaluate_lib as motion_evaluate_lib
from apps.motion_prediction import forecast_lib as motion_forecast_lib
from apps.motion_prediction import train_lib as motion_train_lib
from apps.motion_prediction.forecaster import Forecaster as MotionForecaster
from apps.style_transfer import train_lib as style_train_lib
from apps.text_generation import generate_lib
from apps.text_generation import train_lib as text_train_lib
from export import tflite_lib
from export.demos import forecast_motion as demo_forecast_motion
from export.demos import generate_text as demo_generate_text
from export.demos import sample_images as demo_sample_images
from export.demos import translate_image as demo_translate_image
from tfgen import data
from tfgen.configs import conditional_dcgan_digits
from tfgen.configs import cvae_digits
from tfgen.configs import dcgan_digits
from tfgen.configs import fvsbn_digits
from tfgen.configs import made_digits
from tfgen.configs import nade_digits
from tfgen.configs import pixel_cnn_digits
from tfgen.configs import vae_digits
from tfgen.models.classic import double_counting
from tfgen.training import baselines
from tfgen.training import evaluate_lib
from tfgen.training import sample_lib
from tfgen.training import score_lib
from tfgen.training import train_lib
from tfgen.training import visualize_lib
from tfgen.training.workdir import Workdir
from tfgen.training.workdir import WorkdirMismatchError
from tfgen.utils import atomic
from tfgen.utils import images
from tfgen.utils import plots

# name: (config module, description)
FULLY_VISIBLE = {
    "fvsbn_digits": (fvsbn_digits, "FVSBN: a softmax regression per pixel on the earlier pixels"),
    "nade_digits": (nade_digits, "NADE: one shared hidden layer of 128 sigmoid units"),
    "made_digits": (made_digits, "MADE: two masked hidden layers of 256 relu units, direct connection"),
    "pixel_cnn_digits": (pixel_cnn_digits,
                         "PixelCNN: a 5x5 type-A masked convolution, 3 residual blocks of 3x3 ones"),
}


@dataclasses.dataclass
class Demo:
  """Where the demo writes, and how long its runs train.

  Attributes:
    workdir: the report's folder; each run trains in a subfolder.
    num_epochs: overrides the configs' epochs (quick runs), or None.
    steps_per_epoch: caps every run's steps per epoch (the test's smoke run), or None.
  """
  workdir: str
  num_epochs: int | None = None
  steps_per_epoch: int | None = None

  def steps(self, steps_per_epoch):
    """`steps_per_epoch`, capped by the demo's own cap when it has one."""
    return min(steps_per_epoch, self.steps_per_epoch or steps_per_epoch)

  def run_dir(self, name):
    return os.path.join(self.workdir, name)

  def picture(self, name):
    """The report's picture NAME.png (a path in the workdir)."""
    return Workdir(self.workdir).picture_path(name)

  def train(self, name, config_module):
    """Trains config_module's config in run_dir(name), resuming where it can: (config, minutes)."""
    config = config_module.get_config()
    if self.num_epochs:
      config.training.num_epochs = self.num_epochs
    if self.steps_per_epoch:
      config.training.steps_per_epoch = self.steps_per_epoch
    started = time.time()
    train_fresh_if_stale(lambda: train_lib.train(config, self.run_dir(name), verbose=2),
                         self.run_dir(name))
    return config, (time.time() - started) / 60.0

  def copy_picture(self, source, name):
    with atomic.atomic_path(self.picture(name)) as temporary:
      shutil.copy(source, temporary)


def train_fresh_if_stale(train_fn, run_dir):
  """Trains (resuming where it can); a demo run from another config or version starts over."""
  try:
    return train_fn()
  except WorkdirMismatchError:
    print(f"{run_dir} holds an older demo run; training it again")
    shutil.rmtree(run_dir)
    return train_fn()


def test_digits():
  """The digits' test split in order: [269, 8, 8, 1] levels 0..16."""
  return np.concatenate([batch.numpy() for batch in
                         data.load("digits", "test", 64, shuffle=False)[0]])


def _fully_visible_runs(demo):
  """Trains and scores FVSBN, NADE and MADE: rows of (name, description, config, result, minutes)."""
  rows = []
  for name, (config_module, description) in FULLY_VISIBLE.items():
    config, minutes = demo.train(name, config_module)
    result = evaluate_lib.evaluate(demo.run_dir(name), "test")
    sample_lib.sample(demo.run_dir(name), 64, demo.picture(f"{name}_samples"), seed=0)
    rows.append((name, description, config, result, minutes))
  return rows


def fully_visible_section(demo):
  """FVSBN, NADE and MADE: test NLL, samples, conditional means, completions, curves."""
  rows = _fully_visible_runs(demo)
  sample_lib.complete(demo.run_dir("made_digits"), 8, seed=0,
                      output=demo.picture("made_completions"))
  for name in ("nade", "made"):
    sample_lib.sample_with_probabilities(demo.run_dir(f"{name}_digits"), 16, seed=0,
                                         output=demo.picture(f"{name}_probabilities"))
  real = test_digits()[:64]
  images.save_grid(demo.picture("digits_test"), real, 17)
  demo.copy_picture(Workdir(demo.run_dir("made_digits")).curves_path, "made_training_curves")
  baseline = baselines.independent_pixel_nll("digits", "test")["nll_nats"]
  table = "\n".join(
      f"| {description} (`tfgen/configs/{name}.py`, {config.training.num_epochs} epochs) | "
      f"{result['nll_nats']:.2f} | {result['bits_per_dim']:.4f} | {minutes:.1f} |"
      for name, description, config, result, minutes in rows)
  samples = " ".join(f"![{name}]({name}_samples.png)" for name, *_ in rows)
  commands = "\n".join(
      f"    python -m tfgen.train --config=tfgen/configs/{name}.py --workdir={demo.run_dir(name)}\n"
      f"    python -m tfgen.evaluate --workdir={demo.run_dir(name)} --split=test"
      for name, *_ in rows)
  return f"""Data: scikit-learn's 1797 handwritten digits, 8x8 pixels with 17 grey levels (0..16),
split 70/15/15 by a fixed permutation (seed 0): {rows[0][3]['num_examples']} test digits.
Each model is trained with Adam; the checkpoint with the best validation NLL is kept
and scored once on the test split.

## Test negative log-likelihood (nats per digit; lower is better)

| model | test NLL (nats) | bits/dim | minutes |
|---|---|---|---|
| uniform over 17 levels | {64 * np.log(17):.2f} | {np.log2(17):.4f} | - |
| independent pixels (per-pixel frequencies from train, add-one smoothing) | {baseline:.2f} | {baseline / (64 * np.log(2)):.4f} | - |
{table}

Reproduce a row:

{commands}

## Samples (seed 0): {', '.join(name for name, *_ in rows)}, and real test digits

{samples} ![real test digits](digits_test.png)

## NADE and MADE: samples beside their conditional means E[x_i | x_<i] (as in the NADE paper)

![NADE conditional means](nade_probabilities.png) ![MADE conditional means](made_probabilities.png)

## MADE completions: a test digit, its top half, and three completions of the bottom half

![completions](made_completions.png)

## MADE training curves

![training curves](made_training_curves.png)
"""


def pixel_cnn_section(demo):
  """The PixelCNN run of the first section: fast samples, completions, anomaly scores, bits maps."""
  run_dir = demo.run_dir("pixel_cnn_digits")
  demo.train("pixel_cnn_digits", pixel_cnn_digits)  # Trained by the first section: resumes done.
  sample_lib.complete(run_dir, 8, seed=0, output=demo.picture("pixel_cnn_completions"))
  test = test_digits()
  inverted = os.path.join(demo.workdir, "inverted_test_digits.npy")
  np.save(inverted, (16 - test).astype(np.int64))
  scores = score_lib.score(run_dir, ood_path=inverted,
                           histogram=demo.picture("pixel_cnn_ood_histogram"))
  shown = np.concatenate([test[:4], 16 - test[:4]])
  model, _, _ = Workdir(run_dir).load_model()
  plots.plot_bits_maps(demo.picture("pixel_cnn_bits"), shown, score_lib.pixel_bits(model, shown), 17)
  return f"""## PixelCNN: completions and anomaly scores

Completions of the bottom half (a test digit, its top half, three completions),
drawn by the fast cached sampler:

![completions](pixel_cnn_completions.png)

Anomaly scores (PixelDefend): the {scores['test']['num_images']} test digits score
{scores['test']['mean_bits_per_dim']:.3f} bits/dim, the same digits inverted
{scores['ood']['mean_bits_per_dim']:.3f}; NLL tells them apart with AUROC {scores['auroc']:.3f}.
Per-pixel bits, -log2 p(pixel | earlier pixels), for four test digits and their inversions:

![score histogram](pixel_cnn_ood_histogram.png)

![per-pixel bits](pixel_cnn_bits.png)

Reproduce: `python -m tfgen.score --workdir={run_dir} --ood=INVERTED.npy --histogram=ood.png`
(INVERTED.npy: 16 minus the test digits, as saved in {inverted}).
"""


def double_counting_section(demo):
  """Naive Bayes against logistic regression on a duplicated feature."""
  del demo
  posteriors = double_counting.spam_posteriors()
  (bayes_before, bayes_after), (regression_before, regression_after) = (
      posteriors["naive_bayes"], posteriors["logistic_regression"])
  return f"""## Generative vs discriminative: a duplicated feature

p(spam | message with "bank"), before -> after appending a copy of the "bank" feature
(`python -m tfgen.models.classic.double_counting`):

| model | before | after |
|---|---|---|
| Bernoulli naive Bayes | {bayes_before:.3f} | {bayes_after:.3f} |
| logistic regression | {regression_before:.3f} | {regression_after:.3f} |

Naive Bayes assumes the copies independent given the class and counts the same
evidence twice; logistic regression splits the weight between the copies.
"""


def text_section(demo):
  """A char-RNN on the census first names, and names it generates."""
  names_dir = demo.run_dir("names_rnn")
  # A quick run (num_epochs given) also shortens the text epochs.
  overrides = ({"training.num_epochs": demo.num_epochs,
                "training.steps_per_epoch": demo.steps(100)} if demo.num_epochs else {})
  started = time.time()
  summary = train_fresh_if_stale(
      lambda: text_train_lib.train("names", "rnn", names_dir, overrides, verbose=2), names_dir)
  minutes = (time.time() - started) / 60.0
  generated = generate_lib.generate(names_dir, prompt="\n", length=300, temperature=0.8, seed=0)
  new_names = [name for name in generated.split("\n")[:-1] if name][:12]
  train_names, valid_names, _ = data.load_text("names")
  known = set((train_names + valid_names).split("\n"))
  names_list = "\n".join(
      f"- {name}{'' if name in known else ' (not in the census lists)'}" for name in new_names)
  return f"""## Text: a char-RNN on the census first names

A 2-layer GRU (`apps/text_generation`, `--corpus=names --model=rnn`) trained
{minutes:.1f} minutes; validation (the last 10% of the shuffled names):
{summary['valid_nats_per_char']:.3f} nats/char ({summary['valid_bits_per_char']:.3f} bits/char).
Names it generated (temperature 0.8, seed 0):

{names_list}

Reproduce: `python -m apps.text_generation.train --corpus=names --model=rnn --workdir={names_dir}`,
then `python -m apps.text_generation.generate --workdir={names_dir} --prompt="Ma" --length=200`.
"""


def latent_section(demo):
  """A VAE with a 2-D latent and a conditional VAE: IWAE NLL and their pictures."""
  results = {}
  num_importance_samples = 100 if demo.num_epochs else 1000  # A quick run: a rougher estimate.
  for name, config_module in (("vae_digits", vae_digits), ("cvae_digits", cvae_digits)):
    demo.train(name, config_module)
    results[name] = evaluate_lib.evaluate(demo.run_dir(name), "test",
                                          num_importance_samples=num_importance_samples)
    for picture, path in visualize_lib.visualize(demo.run_dir(name), seed=0).items():
      demo.copy_picture(path, f"{name}_{picture}")
  vae_dir = demo.run_dir("vae_digits")
  return f"""## A VAE with a 2-D latent, and a conditional VAE

`tfgen/configs/vae_digits.py`: MLP encoder and decoder (128-128 relu), z in R^2,
Categorical(17) pixels. Test NLL by IWAE with k={num_importance_samples}: {results['vae_digits']['nll_nats']:.2f} nats
(-ELBO {results['vae_digits']['negative_elbo_nats']:.2f}); the conditional VAE
(`cvae_digits.py`, learned prior p(z | digit)): {results['cvae_digits']['nll_nats']:.2f} nats given the label.

Encoded test digits (posterior means) coloured by label, and the decoder's means over a grid of z:

![latent scatter](vae_digits_latent_scatter.png) ![manifold](vae_digits_manifold.png)

Test digits beside their reconstructions, and a walk between two encoded digits:

![reconstructions](vae_digits_reconstructions.png)

![interpolation](vae_digits_interpolation.png)

The conditional VAE, one row per digit (means of p(x | z, digit), z from p(z | digit)):

![classes](cvae_digits_classes.png)

Reproduce: `python -m tfgen.train --config=tfgen/configs/vae_digits.py --workdir={vae_dir}`,
`python -m tfgen.evaluate --workdir={vae_dir} --num_importance_samples={num_importance_samples}`,
`python -m tfgen.visualize --workdir={vae_dir}`.
"""


def _quality_row(name, result):
  label = f"{result['label_accuracy']:.3f}" if "label_accuracy" in result else "-"
  return (f"| {name} | {result['frechet_distance']:.2f} | {result['inception_score']:.2f} | "
          f"{label} |")


def adversarial_section(demo):
  """DCGAN and a conditional DCGAN on the digits, scored next to the VAE; CycleGAN on two photos."""
  results, minutes = {}, {}
  for name, config_module in (("dcgan_digits", dcgan_digits),
                              ("conditional_dcgan_digits", conditional_dcgan_digits)):
    config, minutes[name] = demo.train(name, config_module)
    results[name] = evaluate_lib.evaluate(demo.run_dir(name), "test")
    for picture, path in visualize_lib.visualize(demo.run_dir(name), seed=0).items():
      demo.copy_picture(path, f"{name}_{picture}")
  workdir = Workdir(demo.run_dir("dcgan_digits"))
  num_epochs = int(config.training.num_epochs)
  shown_epochs = sorted({1, max(1, num_epochs // 10), num_epochs})
  for epoch in shown_epochs:
    demo.copy_picture(workdir.epoch_samples_path(epoch), f"dcgan_digits_epoch_{epoch:03d}")
  vae = evaluate_lib.evaluate(demo.run_dir("vae_digits"), "test", num_importance_samples=10,
                              sample_quality=True)
  dcgan = results["dcgan_digits"]
  style_dir = demo.run_dir("style_photos")
  overrides = {"training.num_epochs": demo.num_epochs,
               "training.steps_per_epoch": demo.steps(5)} if demo.num_epochs else {}
  if demo.steps_per_epoch:  # The test's smoke run: one residual block, not the preset's 3.
    overrides["model.num_residual_blocks"] = 1
  started = time.time()
  train_fresh_if_stale(lambda: style_train_lib.train(
      "embedded:china", "embedded:flower", style_dir, "demo", overrides, verbose=2), style_dir)
  style_minutes = (time.time() - started) / 60.0
  demo.copy_picture(Workdir(style_dir).picture_path("translations"), "style_photos_translations")
  epochs_shown = " ".join(f"![epoch {epoch}](dcgan_digits_epoch_{epoch:03d}.png)"
                          for epoch in shown_epochs)
  return f"""## Adversarial models: DCGAN, a conditional DCGAN, CycleGAN

DCGAN (`tfgen/configs/dcgan_digits.py`, non-saturating loss, {num_epochs} epochs,
{minutes['dcgan_digits']:.1f} minutes) and the conditional DCGAN (labels into G and D).
A GAN has no likelihood, so its samples are scored in the feature space of a
small digit classifier (test accuracy {dcgan['classifier_test_accuracy']:.3f}), against the
{dcgan['num_samples']} test digits: the Fréchet distance (lower is better; as many
training digits score {dcgan['frechet_distance_train_vs_split']:.2f}) and the Inception Score (at most 10;
the test digits score {dcgan['inception_score_split']:.2f}). The VAE above, scored the same way:

| samples of | Fréchet distance | Inception Score | label accuracy |
|---|---|---|---|
{_quality_row("DCGAN", dcgan)}
{_quality_row("conditional DCGAN (given labels)", results["conditional_dcgan_digits"])}
{_quality_row("VAE (2-D latent)", vae)}

The same 64 z after epochs {", ".join(map(str, shown_epochs))}:

{epochs_shown}

Walks in z, and the conditional DCGAN with one row per digit (one z per column):

![interpolation](dcgan_digits_interpolation.png) ![classes](conditional_dcgan_digits_classes.png)

CycleGAN (`apps/style_transfer`, preset `demo`) between 64x64 patches of
scikit-learn's two sample photos, {style_minutes:.1f} minutes: rows of
A -> B -> A (china) and B -> A -> B (flower), 32x32 validation crops:

![translations](style_photos_translations.png)

Reproduce: `python -m tfgen.train --config=tfgen/configs/dcgan_digits.py --workdir={demo.run_dir("dcgan_digits")}`,
`python -m tfgen.evaluate --workdir={demo.run_dir("dcgan_digits")}`, and
`python -m apps.style_transfer.train --workdir={style_dir}`.
"""


def motion_section(demo):
  """The motion-prediction app on the synthetic walker: a small mixture density GRU."""
  run_dir = demo.run_dir("motion_walker")
  overrides = ({"training.num_epochs": demo.num_epochs,
                "training.steps_per_epoch": demo.steps(10)} if demo.num_epochs else {})
  started = time.time()
  train_fresh_if_stale(lambda: motion_train_lib.train("synthetic", "mdn", run_dir, overrides,
                                                      verbose=2, small=True), run_dir)
  minutes = (time.time() - started) / 60.0
  results, _ = motion_evaluate_lib.evaluate(run_dir, num_windows=(8,))
  ours, baseline = results["ours"]["8 windows"], results["zero_velocity"]["8 windows"]
  rows = []
  for action in ours:
    for method, result in (("mixture density GRU", ours), ("zero velocity", baseline)):
      rows.append(f"| {action} | {method} | "
                  + " | ".join(f"{value:.3f}" for value in result[action]["mean"]) + " |")
  forecast = motion_forecast_lib.forecast(run_dir, "synthetic:200:walking",
                                          os.path.join(demo.workdir, "motion_walker_futures.gif"),
                                          num_samples=3, seed=0)
  del forecast
  return f"""## Motion prediction: a mixture density GRU on the synthetic walker

`apps/motion_prediction` (`--model=mdn --small`, {minutes:.1f} minutes): a GRU
reads 50 frames (2 s) of a procedural walker or runner and forecasts 25. Its
head is a 5-component mixture of diagonal Gaussians over the next frame, so it
can draw several futures. Euler-angle error (the CMU-Mocap benchmark's
measure) of its mean rollout on 8 windows of a held-out clip of each gait,
beside repeating the last frame:

| action | method | 80 ms | 160 ms | 320 ms | 400 ms | 560 ms | 1000 ms |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Three drawn futures (colours) beside the truth (black); the animation is
[motion_walker_futures.gif](motion_walker_futures.gif):

![futures](motion_walker_futures.png)

Reproduce: `python -m apps.motion_prediction.train --model=mdn --small --workdir={run_dir}`,
`python -m apps.motion_prediction.evaluate --workdir={run_dir}`, and
`python -m apps.motion_prediction.forecast --workdir={run_dir} --input=synthetic:200:walking --num_samples=3 --output=futures.gif`.
"""


def phone_section(demo):
  """The runs above as TFLite files, run by the phone demos (LiteRT, numpy and Pillow only)."""
  folder = os.path.join(demo.workdir, "exported")
  rows, paths = [], {}
  for name, keys in (("names_rnn", ["initial_state", "step"]), ("vae_digits", ["sample_from_noise"]),
                     ("style_photos", ["translate_a2b"]), ("motion_walker", ["initial_state",
                                                                             "step"])):
    paths[name] = os.path.join(folder, f"{name}.tflite")
    result = tflite_lib.export(demo.run_dir(name), paths[name], print_fn=lambda _: None,
                               signature_keys=keys)
    rows.append(f"| [{name}.tflite](exported/{name}.tflite) | {', '.join(result['signatures'])} | "
                f"{result['bytes'] / 1e6:.2f} MB | {result['max_diff']:.1e} |")
  text = demo_generate_text.generate(paths["names_rnn"], "", length=150, temperature=0.8, seed=0)
  atomic.write_text(os.path.join(folder, "names.txt"), text)
  drawn, num_values = demo_sample_images.draw(paths["vae_digits"], num_samples=16, seed=0)
  demo_sample_images.save_grid(demo.picture("phone_vae_digits"), drawn, num_values)
  photo = os.path.join(folder, "china_crop.png")
  Image.fromarray(load_sample_image("china.jpg")[150:278, 250:378]).save(photo)
  demo_translate_image.save(demo.picture("phone_restyled_china"),
                            demo_translate_image.translate(paths["style_photos"], photo))
  clip, _ = motion_forecast_lib.read_input("synthetic:200:walking")
  observed = clip[:50]
  phone = demo_forecast_motion.forecast(
      paths["motion_walker"], os.path.join(demo.run_dir("motion_walker"),
                                           "motion_normalizer.json"), observed, 25)
  keras_forecast = MotionForecaster.from_workdir(demo.run_dir("motion_walker"))[0](
      observed[np.newaxis], 25)[0]
  np.save(os.path.join(folder, "motion_forecast.npy"), phone)
  names_shown = ", ".join(name for name in text.split("\n") if name)
  return f"""## On the phone: TFLite files and demos without TensorFlow

`python -m export --format=tflite` turned four of the runs above into LiteRT
files (builtin ops only, float32), each checked in LiteRT beside TensorFlow
(max difference), with a JSON of what a client needs (vocabulary, shapes)
beside it. The demos in `export/demos/` run them with `ai_edge_litert`, numpy
and Pillow only:

| file | signatures | size | max difference |
|---|---|---|---|
{chr(10).join(rows)}

- `generate_text`: the char-RNN's `step`, run a character at a time with its
  state passed round (temperature 0.8, seed 0): {names_shown}
  ([names.txt](exported/names.txt)).
- `sample_images`: the VAE's `sample_from_noise` on numpy noise (seed 0):
  ![phone digits](phone_vae_digits.png)
- `translate_image`: the CycleGAN's `translate_a2b` on a 128x128 crop of the
  china photo: ![crop](exported/china_crop.png) ![restyled](phone_restyled_china.png)
- `forecast_motion`: the motion GRU's `step`, rolled out 25 frames after 50
  observed frames of the walker ([motion_forecast.npy](exported/motion_forecast.npy));
  it differs from the Keras forecaster's by at most
  {float(np.max(np.abs(phone - keras_forecast))):.1e} rad.

Reproduce: `python -m export --workdir={demo.run_dir("names_rnn")} --format=tflite --signatures=initial_state,step --output={folder}`,
then `python -m export.demos.generate_text --model={paths["names_rnn"]} --temperature=0.8 --seed=0`
(and `sample_images`, `translate_image`, `forecast_motion` likewise).
"""


# The report's sections, in order; each takes the `Demo` and returns Markdown.
SECTIONS = (fully_visible_section, pixel_cnn_section, double_counting_section, text_section,
            latent_section, adversarial_section, motion_section, phone_section)


def run(workdir, num_epochs=None, sections=SECTIONS, steps_per_epoch=None):
  """Runs the demo's sections into `workdir`; returns the report's path."""
  demo = Demo(workdir, num_epochs, steps_per_epoch)
  os.makedirs(workdir, exist_ok=True)
  parts = ["# tfgen demo: generative models on embedded data\n"]
  parts += [section(demo) for section in sections]
  report = os.path.join(workdir, "report.md")
  atomic.write_text(report, "\n".join(parts))
  return report
