#!/usr/bin/env bash
# Runs a command with a real Secret Service: a private D-Bus session with gnome-keyring unlocked
# headlessly, as the keychain tests need. Without dbus-run-session or gnome-keyring, the command
# runs as it is and the keychain tests say what is missing.
set -euo pipefail
if [ -n "${HEADROOM_KEYRING_READY:-}" ] || ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  exec "$@"
fi
export HEADROOM_KEYRING_READY=1
# A keyring folder of its own: never the user's login keyring, and no stale keyring from an earlier run.
export XDG_DATA_HOME="$(mktemp -d)"
exec dbus-run-session -- bash -c 'echo -n headroom-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"' keyring "$@" 2> >(grep -v "Failed to set fd limit" >&2)
