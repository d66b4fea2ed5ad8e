"""The inventory of what a user can get wrong, and the error each mistake gets.

Every row is a test (tests/test_bad_inputs.py) and a row of docs/bad_inputs.md,
which is made from this file (COMMANDS for the binaries, CALLS for the Python API):

  python -m tests.bad_inputs > docs/bad_inputs.md

A command row runs a binary as a shell would (`tests/cli_runner.py`) and needs
exit code 1, no Python traceback, and its pattern in stderr. An API row calls
a function and needs the named exception with its pattern. In commands,
{made}, {names}, {motion} and {style} are tiny trained workdirs and {files} a
folder of broken files (`tests/test_bad_inputs.py` makes them).
"""

import dataclasses

MADE = ("tfgen.train", "--config=tfgen/configs/made_digits.py",
        "--config.model.hidden_units=(8,)", "--config.training.num_epochs=1")


@dataclasses.dataclass(frozen=True)
class Command:
  """A command line that must fail in one line: exit 1, no traceback, `pattern` in stderr."""
  mistake: str
  argv: tuple
  pattern: str


COMMANDS = (
    # tfgen.train
    Command("no --config", ("tfgen.train", "--workdir={files}/run"),
            r"Flag --config must have a value other than None"),
    Command("a config file that does not exist",
            ("tfgen.train", "--config=tfgen/configs/no_such.py", "--workdir={files}/run"),
            r"--config=tfgen/configs/no_such.py: no such file"),
    Command("a config file with a syntax error",
            ("tfgen.train", "--config={files}/broken_config.py", "--workdir={files}/run"),
            r"cannot load the config file "
            r"\(SyntaxError: invalid syntax \(broken_config.py, line 1\)\)"),
    Command("an unknown model name", MADE + ("--config.model.name=gpt5", "--workdir={files}/r1"),
            r"unknown model 'gpt5'; known models: .*made"),
    Command("an unknown dataset name",
            MADE + ("--config.data.name=cifar1000", "--workdir={files}/r2"),
            r"unknown dataset 'cifar1000'; known: .*digits"),
    Command("a config field that does not exist", MADE + ("--config.training.num_epoch=3",
                                                          "--workdir={files}/r3"),
            r"num_epoch"),
    Command("a negative number of epochs", MADE + ("--config.training.num_epochs=-1",
                                                  "--workdir={files}/r4"),
            r"training.num_epochs must be >= 1, got -1"),
    Command("a fractional number of steps", MADE + ("--config.training.steps_per_epoch=2.5",
                                                    "--workdir={files}/r4b"),
            r"flag --config.training.steps_per_epoch=2.5: invalid literal for int\(\)"),
    Command("a batch size of 0", MADE + ("--config.data.batch_size=0", "--workdir={files}/r5"),
            r"data.batch_size must be >= 1, got 0"),
    Command("a negative learning rate", MADE + ("--config.optimizer.learning_rate=-0.1",
                                                "--workdir={files}/r6"),
            r"optimizer.learning_rate must be >= 0.0, got -0.1"),
    Command("an unknown optimizer", MADE + ("--config.optimizer.name=lion",
                                            "--workdir={files}/r7"),
            r"unknown optimizer 'lion'; use 'adam', 'adamw' or 'adagrad'"),
    Command("an unknown distribution strategy", MADE + ("--config.training.distribution=horovod",
                                                        "--workdir={files}/r8"),
            r"unknown training.distribution 'horovod'; use one of default, mirrored, "
            r"multi_worker, tpu"),
    Command("an unknown precision", MADE + ("--config.training.precision=float8",
                                            "--workdir={files}/r8p"),
            r"training.precision must be one of float32, mixed_float16, mixed_bfloat16, "
            r"got 'float8'"),
    Command("multi_worker without TF_CONFIG",
            MADE + ("--config.training.distribution=multi_worker", "--workdir={files}/r9"),
            r"multi_worker needs TF_CONFIG set on every worker"),
    Command("a data file that does not exist",
            ("tfgen.train", "--config=tfgen/configs/made_binarized_mnist.py",
             "--config.data.path={files}/absent.npz", "--workdir={files}/r10"),
            r"absent.npz"),
    Command("a truncated .npz", ("tfgen.train", "--config=tfgen/configs/made_binarized_mnist.py",
                                 "--config.data.path={files}/truncated.npz",
                                 "--workdir={files}/r11"),
            r"truncated.npz: not a readable .npz, truncated or corrupt"),
    Command("an empty .npz", ("tfgen.train", "--config=tfgen/configs/made_binarized_mnist.py",
                              "--config.data.path={files}/empty.npz", "--workdir={files}/r12"),
            r"empty.npz"),
    Command("a workdir inside a file", MADE + ("--workdir={files}/a_file/run",),
            r"cannot create the workdir .*a_file/run: Not a directory"),
    Command("a workdir holding a run of another config",
            MADE + ("--config.model.activation=tanh", "--workdir={made}"),
            r"holds a run with another config \(model.activation: 'relu' -> 'tanh'\)"),
    Command("--overwrite on a folder that is not a workdir",
            MADE + ("--overwrite", "--workdir={files}/photos"),
            r"is not a tfgen workdir \(no config.json\), so --overwrite will not delete"),
    Command("--warm_start_from a folder that is not a run",
            MADE + ("--warm_start_from={files}/photos", "--workdir={files}/r13"),
            r"photos"),
    # tfgen.sample, evaluate, score, visualize
    Command("a workdir that does not exist",
            ("tfgen.sample", "--workdir={files}/nothing", "--output={files}/x.png"),
            r"nothing: no such workdir"),
    Command("a folder that is not a workdir",
            ("tfgen.sample", "--workdir={files}/photos", "--output={files}/x.png"),
            r"photos: no config.json, so not a tfgen.train workdir"),
    Command("0 samples", ("tfgen.sample", "--workdir={made}", "--num_samples=0",
                          "--output={files}/x.png"),
            r"num_samples must be an integer >= 1, got 0"),
    Command("temperature 0", ("tfgen.sample", "--workdir={made}", "--temperature=0",
                              "--output={files}/x.png"),
            r"temperature must be > 0, got 0"),
    Command("an output picture in an unknown format",
            ("tfgen.sample", "--workdir={made}", "--output={files}/x.docx"),
            r"--output=.*x.docx: write a .png or a .wav file"),
    Command("an output that is a folder",
            ("tfgen.sample", "--workdir={made}", "--output={files}/folder.png"),
            r"--output=.*folder.png is a folder; give a file name"),
    Command("an unknown split", ("tfgen.evaluate", "--workdir={made}", "--split=validation"),
            r"flag --split=validation: value should be one of <train\|valid\|test>"),
    Command("a batch size of 0 to evaluate",
            ("tfgen.evaluate", "--workdir={made}", "--batch_size=0"),
            r"flag --batch_size=0: 0 is not a positive integer"),
    Command("images of the wrong size to score",
            ("tfgen.score", "--workdir={made}", "--input={files}/big_images",
             "--output={files}/scores.csv"),
            r"is 16x16 pixels; the model takes 8x8"),
    Command("a corrupt image to score",
            ("tfgen.score", "--workdir={made}", "--input={files}/corrupt_images",
             "--output={files}/scores.csv"),
            r"broken.png: not a readable image"),
    Command("a folder with no images to score",
            ("tfgen.score", "--workdir={made}", "--input={files}/run_empty",
             "--output={files}/scores.csv"),
            r"no images"),
    Command("an .npz of images with values out of range to score",
            ("tfgen.score", "--workdir={made}", "--input={files}/out_of_range.npz",
             "--output={files}/scores.csv"),
            r"out_of_range.npz"),
    # export
    Command("an unknown export format", ("export", "--workdir={made}", "--format=onnx",
                                         "--output={files}/exported"),
            r"flag --format=onnx: value should be one of <saved_model\|tflite>"),
    Command("an export version of 0", ("export", "--workdir={made}", "--version=0",
                                       "--output={files}/exported"),
            r"version must be a positive integer, got 0"),
    Command("an unknown quantization", ("export", "--workdir={made}", "--format=tflite",
                                        "--quantize=int4", "--output={files}/exported"),
            r"flag --quantize=int4: value should be one of"),
    Command("a serving folder that does not exist",
            ("export.serve", "--model_dir={files}/nothing"), r"nothing"),
    Command("a port out of range", ("export.serve", "--model_dir={files}", "--port=70000"),
            r"flag --port=70000: 70000 is not an integer in the range \[0, 65535\]"),
    # apps.text_generation
    Command("a corpus file that does not exist",
            ("apps.text_generation.train", "--corpus={files}/absent.txt",
             "--workdir={files}/t1"), r"absent.txt"),
    Command("a corpus that is not UTF-8",
            ("apps.text_generation.train", "--corpus={files}/latin1.txt",
             "--workdir={files}/t2"), r"latin1.txt: not valid UTF-8 at byte offset 2"),
    Command("an empty corpus", ("apps.text_generation.train", "--corpus={files}/empty.txt",
                                "--workdir={files}/t3"), r"empty.txt.*empty"),
    Command("an unknown strategy for an app's training",
            ("apps.text_generation.train", "--set=training.distribution=horovod",
             "--workdir={files}/t4"), r"unknown training.distribution 'horovod'"),
    Command("a prompt with characters the model never saw",
            ("apps.text_generation.generate", "--workdir={names}", "--prompt=Zoë☃"),
            r"the prompt has characters the model never saw: 'ë', '☃'"),
    Command("temperature 0 to generate",
            ("apps.text_generation.generate", "--workdir={names}", "--temperature=0"),
            r"temperature must be > 0, got 0"),
    Command("top_p above 1", ("apps.text_generation.generate", "--workdir={names}",
                              "--top_p=1.5"), r"top_p must be in \(0, 1\] \(1 = all values\), got 1.5"),
    Command("top_p of 0", ("apps.text_generation.generate", "--workdir={names}", "--top_p=0"),
            r"top_p must be in \(0, 1\] \(1 = all values\), got 0.0"),
    Command("a negative top_k", ("apps.text_generation.generate", "--workdir={names}",
                                 "--top_k=-3"), r"top_k must be an integer >= 0 \(0 = all values\), got -3"),
    Command("a negative length", ("apps.text_generation.generate", "--workdir={names}",
                                  "--length=-5"), r"--length must be > 0 \(an integer\), got -5"),
    # apps.motion_prediction
    Command("an unknown motion dataset",
            ("apps.motion_prediction.train", "--data=kinetics", "--workdir={files}/m1"),
            r"kinetics"),
    Command("a BVH file that does not exist",
            ("apps.motion_prediction.forecast", "--workdir={motion}",
             "--input={files}/absent.bvh", "--output={files}/m.gif"), r"absent.bvh"),
    Command("a truncated BVH file",
            ("apps.motion_prediction.forecast", "--workdir={motion}",
             "--input={files}/truncated.bvh", "--output={files}/m.gif"), r"truncated.bvh"),
    Command("0 frames to forecast", ("apps.motion_prediction.forecast", "--workdir={motion}",
                                     "--frames=0", "--output={files}/m.gif"),
            r"observe and frames must be >= 1 and start >= 0, got 50, 0, 0"),
    # apps.style_transfer
    Command("an unknown direction", ("apps.style_transfer.translate", "--workdir={style}",
                                     "--direction=c2d", "--input={files}/big_images/big.png",
                                     "--output={files}/s.png"), r"c2d"),
    Command("an image that does not exist",
            ("apps.style_transfer.translate", "--workdir={style}", "--direction=a2b",
             "--input={files}/absent.png", "--output={files}/s.png"), r"absent.png"),
    Command("a corrupt image to translate",
            ("apps.style_transfer.translate", "--workdir={style}", "--direction=a2b",
             "--input={files}/corrupt_images/broken.png", "--output={files}/s.png"),
            r"broken.png: not a readable image"),
    Command("a domain folder that does not exist",
            ("apps.style_transfer.train", "--domain_a={files}/nothing",
             "--domain_b=embedded:restyled_digits", "--workdir={files}/s1"),
            r"nothing: no such folder"),
)


@dataclasses.dataclass(frozen=True)
class Call:
  """A Python call that must raise `error` (a class name) with `pattern` in its message.

  `code` is evaluated with `model` (a MADE on 8x8 digits, 17 levels), `heads`,
  `data`, `Vocabulary`, `np` and `x` (two blank digits) in scope.
  """
  mistake: str
  code: str
  error: str
  pattern: str


CALLS = (
    Call("digits that are not integers", "model.log_prob(x + 0.5)", "InvalidArgumentError",
         r"Categorical\(num_classes=17\) head expects integer values in \[0, 16\], got "
         r"non-integer values"),
    Call("digits above the top level", "model.log_prob(x + 17)", "InvalidArgumentError",
         r"got values > 16"),
    Call("negative digits", "model.log_prob(x - 1)", "InvalidArgumentError", r"got values < 0"),
    Call("NaN pixels", "model.log_prob(np.full((2, 8, 8, 1), np.nan, np.float32))",
         "InvalidArgumentError", r"got non-integer values"),
    Call("images of the wrong shape", "model.log_prob(np.zeros((2, 7, 7, 1), np.float32))",
         "ValueError", r"MADE expects examples of shape \(8, 8, 1\) \(64 values\), got shape "
         r"\(7, 7, 1\) \(49 values\)"),
    Call("strings instead of numbers", "model.log_prob(np.full((2, 8, 8, 1), 'a'))",
         "ValueError", r"MADE expects numbers, got values of dtype"),
    Call("a Bernoulli value of 2", "heads.get('bernoulli', num_values=2).log_prob("
         "np.full((2, 4), 2.0), np.zeros((2, 4)))", "InvalidArgumentError",
         r"Bernoulli head expects integer values in \[0, 1\], got values > 1"),
    Call("head parameters of the wrong size",
         "heads.get('categorical', num_values=17).distribution(np.zeros((2, 8, 8, 5)))",
         "ValueError", r"Categorical\(num_classes=17\) got params with last axis 5"),
    Call("an unknown head", "heads.get('poisson', num_values=3)", "ValueError",
         r"unknown head 'poisson'; known heads: bernoulli, categorical"),
    Call("0 samples from the API", "model.sample(0)", "ValueError",
         r"num_samples must be an integer >= 1, got 0"),
    Call("a negative temperature", "model.sample(2, temperature=-1.0)", "ValueError",
         r"temperature must be > 0, got -1.0"),
    Call("a NaN temperature", "model.sample(2, temperature=float('nan'))", "ValueError",
         r"temperature must be > 0, got nan"),
    Call("a seed of three numbers", "model.sample(2, seed=[1, 2, 3])", "ValueError",
         r"a seed must be an int or a tensor of shape \[2\], got shape \(3,\)"),
    Call("values to keep without a mask", "model.sample(2, conditioned_on=x)", "ValueError",
         r"conditioned_on needs a mask: 1 where the value is given"),
    Call("a mask of the wrong shape", "model.sample(2, conditioned_on=x, mask=np.ones((3, 3)))",
         "ValueError", r"mask of shape \(3, 3\) does not broadcast to \(2, 8, 8, 1\)"),
    Call("top_p of 2 from the API", "model.sample(2, top_p=2.0)", "ValueError",
         r"top_p must be in \(0, 1\] \(1 = all values\), got 2.0"),
    Call("a label for an unconditional model", "model.sample(2, condition=3)", "ValueError",
         r"this MADE is unconditional; condition must be None"),
    Call("an unknown dataset from the API", "data.load('imagenet', 'train')", "DataError",
         r"unknown dataset 'imagenet'; known: .*digits"),
    Call("an unknown split from the API", "data.load('digits', 'validation')", "DataError",
         r"unknown split 'validation'; use one of train, valid, test"),
    Call("text with characters outside the vocabulary", "Vocabulary('abc').encode('abz')",
         "ValueError", r"characters the model never saw: 'z' \(known: 'abc'\)"),
)


def markdown():
  """docs/bad_inputs.md: one row per command."""
  lines = ["# Bad inputs and their errors", "",
           "Each row is a test: `tests/test_bad_inputs.py` runs the command and checks that it",
           "exits with code 1, prints no Python traceback, and names the problem as shown.",
           "This page is made from `tests/bad_inputs.py`: `python -m tests.bad_inputs > "
           "docs/bad_inputs.md`;", "a test fails when the two differ.", "",
           "In the commands, WORKDIR is a trained run and FILES a folder of broken files.", "",
           "| binary | mistake | command | the error names |", "|---|---|---|---|"]
  for command in COMMANDS:
    argv = " ".join(command.argv[1:]).replace("{files}", "FILES")
    for run in ("{made}", "{names}", "{motion}", "{style}"):
      argv = argv.replace(run, "WORKDIR")
    pattern = command.pattern.replace("\\", "").replace("|", "\\|")
    lines.append(f"| `{command.argv[0]}` | {command.mistake} | `{argv}` | `{pattern}` |")
  lines += ["", "## Python API", "",
            "`model` is a MADE on the 8x8 digits (17 grey levels), `x` two blank digits.", "",
            "| mistake | call | raises | the message names |", "|---|---|---|---|"]
  for call in CALLS:
    pattern = call.pattern.replace("\\", "").replace("|", "\\|")
    lines.append(f"| {call.mistake} | `{call.code}` | `{call.error}` | `{pattern}` |")
  return "\n".join(lines) + "\n"


if __name__ == "__main__":
  print(markdown(), end="")
