"""What ``diglot translate --engine deepl`` bills on the fake DeepL server, request by request.

Copies the sample project, adds German and French as new targets, runs the
CLI against ``tests/fake_deepl.py`` and prints the number of translate
requests, the characters billed and a digest of every request body (texts,
context, options) in order.  Run it before and after a change to the drafting
code: equal digests mean DeepL is sent exactly the same requests.

    .venv/bin/python bench/deepl_billing.py
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from diglot.cli import main  # noqa: E402
from fake_deepl import FakeDeepL, running  # noqa: E402


def measure() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "sample"
        root.mkdir()
        shutil.copy(REPO / "diglot.toml", root)
        for folder in ("source", "locales", "glossary"):
            if (REPO / folder).is_dir():
                shutil.copytree(REPO / folder, root / folder)
        config = root / "diglot.toml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            'target_languages = ["en"]', 'target_languages = ["en", "de", "fr"]'),
            encoding="utf-8")
        with running(FakeDeepL()) as fake:
            os.environ["DEEPL_AUTH_KEY"] = fake.auth_key
            os.environ["DEEPL_SERVER_URL"] = fake.url
            os.environ["SOURCE_DATE_EPOCH"] = "1764201600"
            cwd = Path.cwd()
            os.chdir(root)
            try:
                assert main(["extract"]) == 0
                assert main(["translate", "--engine", "deepl"]) == 0
                requests_first = len(fake.translate_requests)
                assert main(["translate", "--engine", "deepl"]) == 0
            finally:
                os.chdir(cwd)
            bodies = [json.dumps(r.body, sort_keys=True, ensure_ascii=False)
                      for r in fake.translate_requests]
            bare = [json.dumps({k: v for k, v in r.body.items() if k != "context"},
                               sort_keys=True, ensure_ascii=False)
                    for r in fake.translate_requests]
            return {
                "translate_requests": requests_first,
                "requests_on_rerun": len(fake.translate_requests) - requests_first,
                "billed_characters": fake.billed,
                "texts": len(fake.texts_sent),
                "all_requests": len(fake.log),
                "other_requests": sorted({r.path for r in fake.log} - {"/v2/translate"}),
                "bodies_sha256": hashlib.sha256("\n".join(bodies).encode()).hexdigest()[:16],
                "bodies_without_context_sha256":
                    hashlib.sha256("\n".join(bare).encode()).hexdigest()[:16],
                "contexts_with_link_targets": sum(
                    1 for r in fake.translate_requests if "](" in str(r.body.get("context"))),
            }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=1))
