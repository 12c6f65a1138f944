#!/usr/bin/env bash
# Renders every console screen, with demo data, to PNG under docs/screens/ (for the README).
# With xvfb-run (Debian: apt-get install -y xvfb libgtk-3-0) the real GTK window is drawn on a
# virtual 1280x800 screen; without it, JavaFX's headless Monocle platform draws the same scenes.
# Extra arguments go to Maven (for example -o to stay offline).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v xvfb-run >/dev/null 2>&1; then
  xvfb-run -a -s "-screen 0 1280x800x24" mvn -B -q -Pscreenshots "$@" test
else
  mvn -B -q -Pscreenshots "$@" test \
    -DargLine="-Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -Djava.awt.headless=true"
fi
ls -1 docs/screens/*.png
