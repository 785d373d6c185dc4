"""The w3id.org redirect rules, run by a real Apache httpd (Debian's apache2) on 127.0.0.1.

The test serves our `.htaccess` the way w3id.org does (a folder ``thb-kg/``
under the document root, ``AllowOverride All``, mod_rewrite), pointed at a
live `kg serve`, and checks each rule's redirect and that its target answers.
scripts/test installs apache2 when it is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import free_port
from lod_support import kg_serve, request

from kg.lod.w3id import DEFAULT_TARGET, RULES, htaccess

pytestmark = pytest.mark.server

ROOT = Path(__file__).parent.parent
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")

#: (path under /thb-kg/, status of the redirect, path on the target, Accept, target's status)
CASES = (
    ("id/body/unodc", 303, "/doc/body/unodc", "text/turtle", 200),
    ("id/body/unodc?format=jsonld", 303, "/doc/body/unodc?format=jsonld", None, 200),
    ("doc/body/unodc", 302, "/doc/body/unodc", "text/html", 200),
    ("graph/seed-article", 302, "/graph/seed-article", "application/n-quads", 200),
    ("ontology", 302, "/ontology", "application/rdf+xml", 200),
    ("ontology.ttl", 302, "/ontology.ttl", None, 200),
    (".well-known/void", 302, "/.well-known/void", "text/turtle", 200),
    ("data/thb-kg.nq", 302, "/data/thb-kg.nq", None, 200),
    ("sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", 307, "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
     "application/sparql-results+json", 200),
    ("", 302, "/", "text/html", 200),
)

_CONF = """\
ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/httpd.pid"
DefaultRuntimeDir "{root}"
ErrorLog "{root}/error.log"
LogLevel warn
LoadModule mpm_event_module {mods}/mod_mpm_event.so
LoadModule authz_core_module {mods}/mod_authz_core.so
LoadModule rewrite_module {mods}/mod_rewrite.so
DocumentRoot "{root}/www"
<Directory "{root}/www">
    AllowOverride All
    Require all granted
</Directory>
"""


def test_shipped_rules_are_the_generators_output() -> None:
    shipped = (ROOT / "w3id" / "thb-kg" / ".htaccess").read_text(encoding="utf-8")
    assert shipped == htaccess(DEFAULT_TARGET)
    assert (ROOT / "w3id" / "thb-kg" / "README.md").is_file()
    assert len(RULES) == shipped.count("RewriteRule")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with kg_serve(tmp_path_factory.mktemp("cache")) as base:
        yield base


@pytest.fixture(scope="module")
def apache(endpoint: str) -> Iterator[str]:
    """Apache httpd with our .htaccess at /thb-kg/, redirecting to the live endpoint."""
    if not os.path.exists(APACHE) or not (MODULES / "mod_rewrite.so").exists():
        pytest.skip("apache2 is not installed (scripts/test installs it: apt-get install apache2)")
    root = Path(tempfile.mkdtemp(prefix="thb-kg-apache-"))
    try:
        root.chmod(0o755)  # Apache's children may run as www-data when started by root
        (root / "www" / "thb-kg").mkdir(parents=True)
        (root / "www").chmod(0o755)
        (root / "www" / "thb-kg").chmod(0o755)
        rules = root / "www" / "thb-kg" / ".htaccess"
        rules.write_text(htaccess(endpoint), encoding="utf-8")
        rules.chmod(0o644)
        port = free_port()
        conf = root / "httpd.conf"
        conf.write_text(_CONF.format(root=root, port=port, mods=MODULES), encoding="utf-8")
        if os.geteuid() == 0:
            with conf.open("a", encoding="utf-8") as f:
                f.write("User www-data\nGroup www-data\n")
        proc = subprocess.Popen([APACHE, "-f", str(conf), "-DFOREGROUND"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                request(base + "/", follow=False)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    log = (root / "error.log").read_text() if (root / "error.log").exists() else ""
                    raise RuntimeError(f"apache2 did not start: {err} {log}") from None
                time.sleep(0.1)
        try:
            yield base + "/thb-kg/"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
            if proc.stderr is not None:
                proc.stderr.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize(("path", "status", "target", "accept", "final"), CASES,
                         ids=[c[0] or "(root)" for c in CASES])
def test_rule_redirects_to_an_answering_target(
    apache: str, endpoint: str, path: str, status: int, target: str, accept: str | None,
    final: int,
) -> None:
    got, headers, _ = request(apache + path, accept=accept, follow=False)
    assert got == status
    assert headers["location"] == endpoint + target
    answered, headers, body = request(headers["location"], accept=accept)
    assert answered == final, body[:300]
    if accept:
        assert headers["content-type"].split(";")[0] == accept


def test_post_to_sparql_stays_a_post(apache: str, endpoint: str) -> None:
    got, headers, _ = request(apache + "sparql", method="POST", data=b"ASK { ?s ?p ?o }",
                              headers={"Content-Type": "application/sparql-query"}, follow=False)
    assert got == 307 and headers["location"] == endpoint + "/sparql"
    answered, _h, body = request(headers["location"], method="POST", data=b"ASK { ?s ?p ?o }",
                                 headers={"Content-Type": "application/sparql-query"},
                                 accept="application/sparql-results+json")
    assert answered == 200 and b"true" in body


def test_a_path_without_a_rule_is_not_redirected(apache: str) -> None:
    got, _h, _b = request(apache + "nothing-here", follow=False)
    assert got == 404
