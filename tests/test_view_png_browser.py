"""The network view's "Download PNG" (issue 12, item 9): a real PNG of what is drawn now.

The file is made in the page from the network's canvas (no server, no
request), has the canvas's size in device pixels, is opaque (white behind
the drawing) and changes with the view: hiding a class changes the picture.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from test_view_browser import shared_browser, visit

import kg as kg_api
from kg.network import to_networkx
from kg.view import render

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Any:
    return shared_browser(request)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("png") / "graph.html"
    render(to_networkx(kg_api.load()), title="thb-kg: the whole graph").write(path)
    return path


def download(v: Any, tmp_path: Path, name: str) -> tuple[str, bytes]:
    with v.page.expect_download() as info:
        v.page.click("#thb-png")
    target = tmp_path / name
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_bytes()


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)])
def test_png_is_the_canvas(browser: Any, page: Path, tmp_path: Path, viewport: tuple) -> None:
    from PIL import Image

    v = visit(browser, page, viewport={"width": viewport[0], "height": viewport[1]})
    name, payload = download(v, tmp_path, "all.png")
    assert name == "thb-kg-the-whole-graph.png"
    assert payload.startswith(PNG_SIGNATURE)
    size = v.js(
        "(() => { const c = document.querySelector('#thb-network canvas'); return [c.width, c.height]; })()"
    )
    image = Image.open(io.BytesIO(payload))
    image.load()
    assert list(image.size) == size and size[0] > 300 and size[1] > 300
    rgba = image.convert("RGBA")
    assert rgba.getextrema()[3] == (255, 255), "transparent pixels: nothing behind the drawing"
    colours = rgba.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 20, "a blank picture"
    # hide every instrument: the picture changes
    folded = v.page.is_visible("#thb-filters-toggle")  # on a phone the filters fold away
    if folded:
        v.page.click("#thb-filters-toggle")
    v.page.uncheck('#thb-legend label[data-kind="instrument"] input')
    if folded:
        v.page.click("#thb-filters-toggle")
    _name, fewer = download(v, tmp_path, "fewer.png")
    assert fewer.startswith(PNG_SIGNATURE) and fewer != payload
    assert v.requests == [page.resolve().as_uri()], "the download fetched something"
    assert v.console_errors == []
