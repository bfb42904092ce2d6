"""The default Debezium and MSK Connect versions are stated the same way wherever a newcomer reads them."""

from __future__ import annotations

import re
from pathlib import Path

from dms2msk.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = Settings()
# "Debezium 3.6.3.Final on MSK Connect 3.7.x": the pair advise prints and the README repeats.
PAIR = re.compile(r"Debezium (\d+\.\d+\.\d+\.\w+) on MSK Connect (\d+\.\d+\.[\dx]+)")


def _connect_version_for(debezium_version: str) -> str:
    return Settings(debezium_version=debezium_version).effective_kafkaconnect_version


def test_the_connector_modules_default_connect_version_is_the_tools_default() -> None:
    variables = (ROOT / "modules" / "connector" / "variables.tf").read_text(encoding="utf-8")
    block = variables[variables.index('variable "kafkaconnect_version"') :]
    (default,) = re.findall(r'default\s*=\s*"([^"]+)"', block[: block.index("\n}\n")])
    assert default == DEFAULT.effective_kafkaconnect_version


def test_module_readme_examples_use_the_default_versions() -> None:
    for readme in sorted((ROOT / "modules").glob("*/README.md")):
        text = readme.read_text(encoding="utf-8")
        for release in re.findall(r"debezium-connector-\w+-(\d+\.\d+\.\d+\.\w+)", text):
            assert release == DEFAULT.debezium_version, readme
        for version in re.findall(r'kafkaconnect_version\s*=\s*"([^"]+)"', text):
            assert version == DEFAULT.effective_kafkaconnect_version, readme


def test_every_debezium_and_connect_pair_in_the_docs_matches_what_render_uses() -> None:
    texts = {path: path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *ROOT.glob("modules/*/README.md")]}
    texts[ROOT / "templates" / "README.md.jinja"] = (ROOT / "templates" / "README.md.jinja").read_text()
    pairs = [(path, *pair) for path, text in texts.items() for pair in PAIR.findall(text)]
    assert any(release == DEFAULT.debezium_version for _path, release, _connect in pairs)
    for path, release, connect in pairs:
        assert connect == _connect_version_for(release), (path, release, connect)


def test_the_readme_states_the_default_as_the_settings_do() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.findall(r"default (\d+\.\d+\.\d+\.\w+) on MSK Connect ([\dx.]+)", readme)
    stated += re.findall(r"uses Debezium (\d+\.\d+\.\d+\.\w+) on MSK Connect ([\dx.]+)[^.]*by default", readme)
    assert stated, "the README states the default Debezium version"
    assert set(stated) == {(DEFAULT.debezium_version, DEFAULT.effective_kafkaconnect_version)}
