"""The kill test of ``bench/kill.py`` in its quick variant: SIGKILL during ``update`` and
``build`` never leaves an invalid catalog, a partial edition or (after the next run) a
temporary file.  ``python bench/kill.py`` runs the full one (20,000 sentences, 20 kills)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

KILL = Path(__file__).parent.parent / "bench" / "kill.py"


@pytest.mark.gettext
@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext (msgfmt)")
def test_sigkill_during_update_and_build_loses_nothing(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(KILL), "--sentences", "150", "--kills", "2",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("ok"), done.stdout
