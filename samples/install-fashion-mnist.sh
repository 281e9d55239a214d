#!/usr/bin/env bash
# Installs Fashion-MNIST (Debian's dataset-fashion-mnist, IDX files in /usr/share/datasets/fashion-mnist) for the
# training demo. Where apt is missing or the install fails, the demo falls back to the shipped 8x8 digits.
set -u
dir=/usr/share/datasets/fashion-mnist
if [ -r "$dir/train-images-idx3-ubyte.gz" ]; then
  echo "Fashion-MNIST already in $dir"
  exit 0
fi
if ! command -v apt-get > /dev/null; then
  echo "no apt-get here: the demo will use the shipped digits instead of Fashion-MNIST"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
if ! { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q dataset-fashion-mnist; }; then
  echo "could not install dataset-fashion-mnist: the demo will use the shipped digits instead"
fi
exit 0
