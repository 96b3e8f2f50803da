#!/usr/bin/env bash
# Installs every Debian package Gatehouse needs to build, run and test.
# Idempotent: packages already installed are skipped, and apt is not touched
# at all when nothing is missing. Run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ccache
  clang-format libssl-dev
  # libraries (docs/decisions/0002-dependencies.md says why each)
  libicu-dev libyaml-cpp-dev nlohmann-json3-dev
  libsimdjson-dev libcli11-dev
  # the server: storage, accounts, HTTP
  libsqlite3-dev sqlite3 libpqxx-dev libpq-dev postgresql-15 libsodium-dev
  libcpp-httplib-dev
  # images (decision 0013): OpenCV's modules one by one (not the 200-package
  # libopencv-dev), its face cascades, Tesseract with English, exiv2
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
  libopencv-objdetect-dev libopencv-features2d-dev libopencv-calib3d-dev opencv-data
  libtesseract-dev libleptonica-dev tesseract-ocr-eng libexiv2-dev
  libpng-dev libjpeg62-turbo-dev libwebp-dev
  # notifications: SMTP delivery (libcurl) and the SMTP server the tests start
  libcurl4-openssl-dev python3-aiosmtpd
  # the web application's end-to-end tests: Debian's Chromium (driven by
  # playwright-core from npm; nothing downloads a browser)
  chromium
  # tests, benchmarks, fuzzing
  libgtest-dev libgmock-dev libbenchmark-dev
  # test pictures (tests/support/images): text drawn with cairo in real fonts,
  # and photos composed from OpenCV's sample pictures (opencv-doc)
  libcairo2-dev zlib1g-dev fonts-dejavu-core fonts-liberation2 opencv-doc
  clang-16 libclang-rt-16-dev
  python3 hyperfine time wrk
)

# Multi-pattern matching: Intel's Hyperscan on x86-64, where Debian has it;
# Vectorscan (its portable fork, same API and soname) elsewhere. Vectorscan
# 5.4.9 loses matches depending on the text's memory alignment and on which
# patterns share a database (docs/decisions/0014); Hyperscan 5.4.0 does not.
# The two conflict: installing one removes the other.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  PACKAGES+=(libhyperscan-dev)
else
  PACKAGES+=(libvectorscan-dev)
fi

# Node.js and npm build the web front end. Debian's nodejs/npm, unless a
# Node.js is already installed (NodeSource's conflicts with Debian's npm).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Hyperscan and Vectorscan conflict: say which one goes ("PKG-" removes it).
remove=()
for p in "${missing[@]}"; do
  case $p in
    libhyperscan-dev) remove+=(libvectorscan-dev- libvectorscan5-) ;;
    libvectorscan-dev) remove+=(libhyperscan-dev- libhyperscan5-) ;;
  esac
done
for p in "${remove[@]}"; do
  if dpkg-query -W -f='${Status}' "${p%-}" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
