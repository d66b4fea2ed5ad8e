r"""Trains and evaluates the density models on the fixed binarized MNIST; prints the README tables.

  python bench/reproduce_binarized_mnist.py [--models=fvsbn,nade,made,...,pixel_cnn] \
      [--data=../shared/data/binarized_mnist.npz] [--workdir_root=runs/reproduce]

Protocol: Larochelle & Murray's fixed binarization, 50k train / 10k validation /
10k test; the checkpoint with the best validation NLL is kept (early stopping
where the config sets a patience); the test set is scored once, in nats per
image, by `tfgen.evaluate`. Each row runs the two commands it prints, so a row
can be rerun by hand. VAE rows report the IWAE estimate with k = 5000 (seeded)
and the -ELBO; the VAE and IWAE rows also the estimate with each test image's proposal
refined by 100 steps (`--refine_steps=100`). Training resumes where it stopped,
so rerunning the script continues unfinished rows. Minutes are wall-clock on this machine.
Not part of `make bench` (it takes hours); `make reproduce` runs it.
"""

import argparse
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from tfgen.training.workdir import Workdir  # pylint: disable=wrong-import-position
from tfgen.utils import atomic  # pylint: disable=wrong-import-position
ROWS = {
    # name: (config, description, published nats, target nats)
    "fvsbn": ("tfgen/configs/fvsbn_binarized_mnist.py", "FVSBN", 97.45, 97.0),
    "nade": ("tfgen/configs/nade_binarized_mnist.py", "NADE (500 hidden)", "88.33-88.86", 88.0),
    "made": ("tfgen/configs/made_binarized_mnist.py", "MADE 1 hidden layer, 1 mask", 88.40, 88.4),
    "made_ensemble": ("tfgen/configs/made_ensemble_binarized_mnist.py",
                      "MADE 2 hidden layers, 32-mask ensemble", 86.64, 86.5),
    "vae": ("tfgen/configs/vae_binarized_mnist.py", "VAE, 1 stochastic layer (NLL by IWAE k=5000)",
            "86.76 (random binarization)", 88.5),
    "iwae": ("tfgen/configs/iwae_binarized_mnist.py", "IWAE trained with k=50 (NLL by IWAE k=5000)",
             "84.78 (random binarization)", 87.0),
    "pixel_cnn": ("tfgen/configs/pixel_cnn_binarized_mnist.py", "PixelCNN, 7 residual blocks",
                  81.30, 84.0),
    "gated_pixel_cnn": ("tfgen/configs/gated_pixel_cnn_binarized_mnist.py",
                        "Gated PixelCNN, 6 gated layers", "81.5 (pytorch-generative)", 83.0),
    "pixel_rnn": ("tfgen/configs/pixel_rnn_binarized_mnist.py", "PixelRNN (Row LSTM, 2 layers)",
                  "80.54 (Row LSTM) / 79.20 (Diagonal BiLSTM)", None),
}
# Extra tfgen.evaluate flags of a row: the VAE and IWAE rows also report the refined-proposal
# estimate (the IWAE row meets its target only with it).
EVALUATE_FLAGS = {"vae": ["--refine_steps=100"], "iwae": ["--refine_steps=100"]}


def run_row(name, data_path, workdir_root):
  config, description, published, target = ROWS[name]
  workdir = os.path.join(workdir_root, name)
  train = [sys.executable, "-m", "tfgen.train", f"--config={config}", f"--workdir={workdir}",
           f"--config.data.path={data_path}"]
  evaluate = ([sys.executable, "-m", "tfgen.evaluate", f"--workdir={workdir}", "--split=test"]
              + EVALUATE_FLAGS.get(name, []))
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
  subprocess.run(train + ["--noalsologtostderr"], cwd=REPO, env=env, check=True,
                 stdout=subprocess.DEVNULL)
  result = subprocess.run(evaluate, cwd=REPO, env=env, check=True, capture_output=True, text=True)
  evaluation = json.loads(result.stdout.strip().splitlines()[-1])
  summary = Workdir(os.path.join(REPO, workdir)).read_summary()
  row = {"name": name, "model": description, "published_nats": published, "target_nats": target,
         "test_nll_nats": evaluation["nll_nats"], "bits_per_dim": evaluation["bits_per_dim"]}
  if "negative_elbo_nats" in evaluation:
    row["negative_elbo_nats"] = evaluation["negative_elbo_nats"]
  if "nll_nats_refined" in evaluation:
    row["test_nll_refined_nats"] = evaluation["nll_nats_refined"]
  return {**row,
          "best_epoch": summary["best_epoch"], "epochs": summary["epochs"],
          "train_minutes": summary["minutes_total"],
          # Process CPU minutes (all threads).
          "train_cpu_minutes": summary["cpu_minutes_total"],
          "commands": [" ".join(["python"] + train[1:]), " ".join(["python"] + evaluate[1:])]}


def main():
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--models", default=",".join(ROWS))
  parser.add_argument("--data", default=os.path.join("..", "shared", "data", "binarized_mnist.npz"))
  parser.add_argument("--workdir_root", default=os.path.join("runs", "reproduce"))
  parser.add_argument("--output", default=os.path.join(REPO, "bench", "results",
                                                       "reproduce_binarized_mnist.json"))
  args = parser.parse_args()
  names = [name for name in args.models.split(",") if name]
  unknown = sorted(set(names) - set(ROWS))
  if unknown:
    sys.exit(f"unknown rows {unknown}; known: {', '.join(ROWS)}")
  if not os.path.exists(os.path.join(REPO, args.data)):
    sys.exit(f"no data at {args.data} (the fixed binarized MNIST .npz; see --data)")
  rows = []
  for name in names:
    print(f"== {name}", flush=True)
    rows.append(run_row(name, args.data, args.workdir_root))
    print(json.dumps(rows[-1]), flush=True)
  print("\n| model | published | target | test NLL (nats) | bits/dim | best epoch / epochs | minutes | CPU minutes |")
  print("|---|---|---|---|---|---|---|---|")
  for row in rows:
    nll = f"{row['test_nll_nats']:.2f}"
    if "test_nll_refined_nats" in row:
      nll += f" (refined proposal: {row['test_nll_refined_nats']:.2f})"
    target = "-" if row["target_nats"] is None else f"<= {row['target_nats']}"
    print(f"| {row['model']} | {row['published_nats']} | {target} | "
          f"{nll} | {row['bits_per_dim']:.4f} | "
          f"{row['best_epoch']} / {row['epochs']} | {row['train_minutes']:.1f} | "
          f"{row['train_cpu_minutes']:.1f} |")
  print("\nCommands:")
  for row in rows:
    print("  " + "\n  ".join(row["commands"]))
  atomic.write_json(args.output, rows)  # Makes the folder too.
  print(f"wrote {args.output}")


if __name__ == "__main__":
  main()
