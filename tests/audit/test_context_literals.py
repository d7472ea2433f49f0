"""With --context, the project's modules that set a secret to a literal and that the image carries are
the secrets check's warnings (audit/context_literals.py)."""

from __future__ import annotations

from pathlib import Path

from audit_images import F, Img, base_layer, serve

from dockwright.audit.checks import CheckOptions
from dockwright.audit.checks.base import Status
from dockwright.audit.checks.secrets import check_secrets
from dockwright.audit.image import read_image

QA = b'DEBUG = False\nDATABASE_PASSWORD = "Qa-Hunter2-Pass!"\n'  # a literal, no key shape
PLAIN = b"DEBUG = False\n"


def test_a_shipped_module_with_a_literal_secret_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "settings_qa.py").write_bytes(QA)
    (tmp_path / "conf" / "settings.py").write_bytes(PLAIN)
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "seed.py").write_bytes(QA)  # left out of the image: nothing to say
    image = Img([[*base_layer(), F("app/conf/settings_qa.py", QA), F("app/conf/settings.py", PLAIN)]])
    facts = read_image(serve(image), "demo:1", cache=None)
    assert check_secrets(facts, CheckOptions()).status == Status.PASS  # no key shape: the scan alone passes
    result = check_secrets(facts, CheckOptions(context=tmp_path))
    assert result.status == Status.WARN
    assert [e.path for e in result.evidence] == ["/app/conf/settings_qa.py"]
    assert "line 2 holds a literal value for DATABASE_PASSWORD" in result.evidence[0].detail
    assert "Hunter2" not in result.evidence[0].detail and "literal secrets" in result.summary
