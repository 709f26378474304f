#!/usr/bin/env bash
# Builds a riscv64 Debian sid sysroot in $1 (default build/debian/sysroot) for
# tests/debian.rs: apt, with its own state and cache directories under $1/.apt,
# downloads the packages below and what they depend on for riscv64 without
# touching the host's apt state; dpkg-deb unpacks them. Nothing is configured or
# run on the host. A finished sysroot has $1/.complete naming the package list,
# and is kept until that list changes.
set -euo pipefail

PACKAGES="busybox-static bash-static dash coreutils sed grep mawk diffutils findutils
python3-minimal perl-base sqlite3 lua5.4"
root=$(realpath -m "${1:-build/debian/sysroot}")
want=$(echo $PACKAGES)
if [ -f "$root/.complete" ] && [ "$(cat "$root/.complete")" = "$want" ]; then
  exit 0
fi

rm -rf "$root"
apt_dir="$root/.apt"
mkdir -p "$apt_dir/etc/apt/apt.conf.d" "$apt_dir/etc/apt/preferences.d" \
  "$apt_dir/etc/apt/trusted.gpg.d" "$apt_dir/state/lists/partial" \
  "$apt_dir/cache/archives/partial"
touch "$apt_dir/status"
echo "deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
  "http://deb.debian.org/debian sid main" > "$apt_dir/etc/apt/sources.list"
# APT::Sandbox::User=root: apt's download methods would otherwise drop to the
# _apt user, which cannot read the files made here by whoever runs the tests.
apt=(apt-get -q -y -o "Dir::Etc=$apt_dir/etc/apt" -o "Dir::State=$apt_dir/state"
  -o "Dir::State::status=$apt_dir/status" -o "Dir::Cache=$apt_dir/cache"
  -o APT::Architecture=riscv64 -o APT::Architectures=riscv64
  -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
"${apt[@]}" update >/dev/null
# shellcheck disable=SC2086
"${apt[@]}" install --download-only --no-install-recommends $PACKAGES >/dev/null
for deb in "$apt_dir"/cache/archives/*.deb; do
  dpkg-deb -x "$deb" "$root"
done
# The merged /usr layout that usrmerge would set up: /lib/ld-linux-riscv64-lp64d.so.1
# is where programs look for their dynamic linker.
for d in bin sbin lib; do
  [ -e "$root/$d" ] || ln -s "usr/$d" "$root/$d"
done
# The one alternative the tests use, which mawk's postinst would register.
ln -s mawk "$root/usr/bin/awk"
rm -rf "$apt_dir/cache/archives"
echo "$want" > "$root/.complete"
