"""Keep the docs honest: every `kg` subcommand has help and is in the README."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import build_parser

README = (Path(__file__).parent.parent / "README.md").read_text()


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("kg has no subcommands")


SUBCOMMANDS = sorted(_subcommands())


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_subcommand_has_help(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg", name, "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert f"usage: kg {name}" in result.stdout
    assert len(_subcommands()[name].description or "") > 20, f"kg {name} needs a description"


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_subcommand_is_documented_in_readme(name: str) -> None:
    assert re.search(rf"`kg {re.escape(name)}\b", README), f"README does not mention `kg {name}`"


def test_readme_quick_start_has_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2
    assert all(len(b.strip().splitlines()) == 1 for b in blocks)


#: Options added for data far larger than the shipped graph (issue 10): each one is
#: documented in the README beside its command.
SCALE_OPTIONS = [("site", "--max-pages")]


@pytest.mark.parametrize(("name", "option"), SCALE_OPTIONS)
def test_scale_option_is_documented_in_readme(name: str, option: str) -> None:
    assert option in {o for a in _subcommands()[name]._actions for o in a.option_strings}
    assert re.search(rf"`kg {re.escape(name)}[^`]*{re.escape(option)}\b", README), (
        f"README does not document `kg {name} {option}`"
    )
