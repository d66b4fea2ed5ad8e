"""The demo: fully visible models on scikit-learn's 8x8 digits, from training to a Markdown report."""

import os
import shutil
import time

import numpy as np

from apps.text_generation import generate_lib
from apps.text_generation import train_lib as text_train_lib
from tfgen import data
from tfgen.configs import cvae_digits
from tfgen.configs import fvsbn_digits
from tfgen.configs import made_digits
from tfgen.configs import nade_digits
from tfgen.configs import vae_digits
from tfgen.models.classic import double_counting
from tfgen.training import baselines
from tfgen.training import evaluate_lib
from tfgen.training import sample_lib
from tfgen.training import train_lib
from tfgen.training import visualize_lib
from tfgen.utils import atomic
from tfgen.utils import images

# name: (config module, description)
MODELS = {
    "fvsbn_digits": (fvsbn_digits, "FVSBN: a softmax regression per pixel on the earlier pixels"),
    "nade_digits": (nade_digits, "NADE: one shared hidden layer of 128 sigmoid units"),
    "made_digits": (made_digits, "MADE: two masked hidden layers of 256 relu units, direct connection"),
}


def _census_names():
  """Every name of the training corpus (both splits), to mark generated names that are new."""
  from tfgen.data import text_sources  # pylint: disable=import-outside-toplevel
  train, valid, _ = text_sources.names()
  return set((train + valid).split("\n"))


def _train_fresh_if_stale(train_fn, run_dir):
  """Trains (resuming where it can); a demo run from another config or version starts over."""
  try:
    return train_fn()
  except ValueError as error:
    if "holds a run" not in str(error):
      raise
    print(f"{run_dir} holds an older demo run; training it again")
    shutil.rmtree(run_dir)
    return train_fn()


def run(workdir, num_epochs=None):
  """Runs the demo into `workdir`; returns the report's path."""
  os.makedirs(workdir, exist_ok=True)
  rows = []
  for name, (config_module, description) in MODELS.items():
    config = config_module.get_config()
    if num_epochs:
      config.training.num_epochs = num_epochs
    run_dir = os.path.join(workdir, name)
    started = time.time()
    _train_fresh_if_stale(lambda: train_lib.train(config, run_dir, verbose=2), run_dir)
    minutes = (time.time() - started) / 60.0
    result = evaluate_lib.evaluate(run_dir, "test")
    sample_lib.sample(run_dir, 64, os.path.join(workdir, f"{name}_samples.png"), seed=0)
    rows.append((name, description, config, result, minutes))
  made_dir = os.path.join(workdir, "made_digits")
  sample_lib.complete(made_dir, 8, seed=0, output=os.path.join(workdir, "made_completions.png"))
  for name in ("nade", "made"):
    sample_lib.sample_with_probabilities(os.path.join(workdir, f"{name}_digits"), 16, seed=0,
                                         output=os.path.join(workdir, f"{name}_probabilities.png"))
  real = np.concatenate([b.numpy() for b in data.load("digits", "test", 64, shuffle=False)[0]])[:64]
  images.save_grid(os.path.join(workdir, "digits_test.png"), real, 17)
  with atomic.atomic_path(os.path.join(workdir, "made_training_curves.png")) as temporary:
    shutil.copy(os.path.join(made_dir, "training_curves.png"), temporary)
  baseline = baselines.independent_pixel_nll("digits", "test")["nll_nats"]
  latent = {}
  for name, config_module in (("vae_digits", vae_digits), ("cvae_digits", cvae_digits)):
    config = config_module.get_config()
    if num_epochs:
      config.training.num_epochs = num_epochs
    run_dir = os.path.join(workdir, name)
    _train_fresh_if_stale(lambda: train_lib.train(config, run_dir, verbose=2), run_dir)
    latent[name] = evaluate_lib.evaluate(run_dir, "test", num_importance_samples=1000)
    for picture, path in visualize_lib.visualize(run_dir, seed=0).items():
      with atomic.atomic_path(os.path.join(workdir, f"{name}_{picture}.png")) as temporary:
        shutil.copy(path, temporary)
  names_dir = os.path.join(workdir, "names_rnn")
  # A quick run (num_epochs given) also shortens the text epochs.
  text_overrides = ({"training.num_epochs": num_epochs, "training.steps_per_epoch": 100}
                    if num_epochs else {})
  started = time.time()
  names_summary = _train_fresh_if_stale(
      lambda: text_train_lib.train("names", "rnn", names_dir, text_overrides, verbose=2), names_dir)
  names_minutes = (time.time() - started) / 60.0
  generated = generate_lib.generate(names_dir, prompt="\n", length=300, temperature=0.8, seed=0)
  new_names = [name for name in generated.split("\n")[:-1] if name][:12]
  known = _census_names()
  posteriors = double_counting.spam_posteriors()

  table = "\n".join(
      f"| {description} (`tfgen/configs/{name}.py`, {config.training.num_epochs} epochs) | "
      f"{result['nll_nats']:.2f} | {result['bits_per_dim']:.4f} | {minutes:.1f} |"
      for name, description, config, result, minutes in rows)
  samples = " ".join(f"![{name}]({name}_samples.png)" for name, *_ in rows)
  commands = "\n".join(
      f"    python -m tfgen.train --config=tfgen/configs/{name}.py --workdir={workdir}/{name}\n"
      f"    python -m tfgen.evaluate --workdir={workdir}/{name} --split=test"
      for name, *_ in rows)
  (bayes_before, bayes_after), (regression_before, regression_after) = (
      posteriors["naive_bayes"], posteriors["logistic_regression"])
  names_list = "\n".join(
      f"- {name}{'' if name in known else ' (not in the census lists)'}" for name in new_names)
  report = os.path.join(workdir, "report.md")
  atomic.write_text(report, f"""# tfgen demo: fully visible models on the 8x8 digits

Data: scikit-learn's 1797 handwritten digits, 8x8 pixels with 17 grey levels (0..16),
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

## Generative vs discriminative: a duplicated feature

p(spam | message with "bank"), before -> after appending a copy of the "bank" feature
(`python -m tfgen.models.classic.double_counting`):

| model | before | after |
|---|---|---|
| Bernoulli naive Bayes | {bayes_before:.3f} | {bayes_after:.3f} |
| logistic regression | {regression_before:.3f} | {regression_after:.3f} |

Naive Bayes assumes the copies independent given the class and counts the same
evidence twice; logistic regression splits the weight between the copies.

## Text: a char-RNN on the census first names

A 2-layer GRU (`apps/text_generation`, `--corpus=names --model=rnn`) trained
{names_minutes:.1f} minutes; validation (the last 10% of the shuffled names):
{names_summary['valid_nats_per_char']:.3f} nats/char ({names_summary['valid_bits_per_char']:.3f} bits/char).
Names it generated (temperature 0.8, seed 0):

{names_list}

Reproduce: `python -m apps.text_generation.train --corpus=names --model=rnn --workdir={names_dir}`,
then `python -m apps.text_generation.generate --workdir={names_dir} --prompt="Ma" --length=200`.

## A VAE with a 2-D latent, and a conditional VAE

`tfgen/configs/vae_digits.py`: MLP encoder and decoder (128-128 relu), z in R^2,
Categorical(17) pixels. Test NLL by IWAE with k=1000: {latent['vae_digits']['nll_nats']:.2f} nats
(-ELBO {latent['vae_digits']['negative_elbo_nats']:.2f}); the conditional VAE
(`cvae_digits.py`, learned prior p(z | digit)): {latent['cvae_digits']['nll_nats']:.2f} nats given the label.

Encoded test digits (posterior means) coloured by label, and the decoder's means over a grid of z:

![latent scatter](vae_digits_latent_scatter.png) ![manifold](vae_digits_manifold.png)

Test digits beside their reconstructions, and a walk between two encoded digits:

![reconstructions](vae_digits_reconstructions.png)

![interpolation](vae_digits_interpolation.png)

The conditional VAE, one row per digit (means of p(x | z, digit), z from p(z | digit)):

![classes](cvae_digits_classes.png)

Reproduce: `python -m tfgen.train --config=tfgen/configs/vae_digits.py --workdir={workdir}/vae_digits`,
`python -m tfgen.evaluate --workdir={workdir}/vae_digits --num_importance_samples=1000`,
`python -m tfgen.visualize --workdir={workdir}/vae_digits`.
""")
  return report
