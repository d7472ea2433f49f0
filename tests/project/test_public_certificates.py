"""A package's certificate bundle (certificates only, no private key) stays in the build context after
the .dockerignore's secret patterns; a PEM holding a private key, or one in a test suite, does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.initialize import plan_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"


def test_a_packages_ca_bundle_is_kept_and_a_key_is_not(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "requests==2.32.3\n",
            "app.py": "import sys\nsys.path.insert(0, 'lib')\nimport certifi\nprint(certifi.where())\n",
            "lib/certifi/__init__.py": "def where():\n    return __file__\n",
            "lib/certifi/cacert.pem": CERT * 3,
            "lib/tls/__init__.py": "",
            "lib/tls/server.pem": CERT + KEY,
            "lib/tls/tests/__init__.py": "",
            "lib/tls/tests/ca.pem": CERT,
            # a dotenv holding a certificate beside passwords, a PEM with a key under another label
            "lib/tls/.env": 'DATABASE_PASSWORD=Quarry-9f8e7d\nCA="' + CERT + '"\n',
            "lib/tls/vpn.pem": CERT
            + "-----BEGIN OpenVPN Static key V1-----\nabcd\n-----END OpenVPN Static key V1-----\n",
        }
    )
    plan = plan_project(root, {"python": "3.12", "start": "python app.py"})
    patterns = [e.pattern for e in plan.dockerignore]
    assert patterns.index("!lib/certifi/cacert.pem") > patterns.index("**/*.pem")  # after the secrets
    assert "!lib/tls/server.pem" not in patterns
    assert "!lib/tls/tests/ca.pem" not in patterns
    assert not [p for p in patterns if p.startswith("!lib/tls/")]
