#!/usr/bin/env bash
# install-deps.sh run|test -- installs what `make run` or `make test` needs and is missing:
# Debian packages with apt-get (as root; otherwise it prints the exact command and stops)
# and PyPI packages with pip. Installed things are left alone, so a second run is instant.
set -euo pipefail
purpose="${1:-test}"
apt_packages=()
pip_packages=()

need_deb() { dpkg -s "$1" >/dev/null 2>&1 || apt_packages+=("$1"); }
need_cmd() { command -v "$1" >/dev/null 2>&1 || apt_packages+=("$2"); }
need_py() { python3 -c "import $1" >/dev/null 2>&1 || pip_packages+=("$2"); }

if ! command -v swift >/dev/null 2>&1; then
  echo "install-deps: no Swift toolchain on PATH; install Swift 6.1 or newer from swift.org first" >&2
  exit 1
fi

need_deb libcurl4-openssl-dev
need_deb zlib1g-dev
need_deb libmagic-dev
need_deb libqrencode-dev
need_cmd curl curl
need_cmd jq jq
if [ "$purpose" = test ]; then
  need_cmd python3 python3
  need_cmd pip3 python3-pip
  need_cmd wrk wrk
  need_cmd nginx nginx-light
  need_cmd chromium chromium
  need_cmd chromedriver chromium-driver
  need_cmd docker-compose docker-compose
  need_cmd clamd clamav-daemon
  need_cmd sigtool clamav
  need_cmd zbarimg zbar-tools
  need_cmd node nodejs
  need_cmd rclone rclone
  need_cmd s3cmd s3cmd
fi

if [ "${#apt_packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "install-deps: apt-get install ${apt_packages[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -q --no-install-recommends "${apt_packages[@]}" >/dev/null
  else
    echo "install-deps: missing Debian packages; run:" >&2
    echo "  sudo apt-get install -y ${apt_packages[*]}" >&2
    exit 1
  fi
fi

if [ "$purpose" = test ]; then
  need_py pytest pytest
  need_py xdist pytest-xdist
  need_py boto3 boto3
  need_py awscrt "botocore[crt]"
  need_py requests requests
  need_py selenium selenium
  need_py yaml PyYAML
  need_py axe_selenium_python axe-selenium-python
  need_py cryptography cryptography
  need_py oauth2_provider django-oauth-toolkit
  need_py standardwebhooks standardwebhooks
  need_py aiosmtpd aiosmtpd
  command -v aws >/dev/null 2>&1 || pip_packages+=(awscli)
  if [ "${#pip_packages[@]}" -gt 0 ]; then
    echo "install-deps: pip install ${pip_packages[*]}" >&2
    python3 -m pip install -q "${pip_packages[@]}"
  fi
fi
