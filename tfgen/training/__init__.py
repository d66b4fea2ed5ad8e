"""Training, sampling and evaluation libraries behind the tfgen binaries."""
