"""Model files an app loads at start, checked against where the image has them."""

from __future__ import annotations

from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.model_files import loaders, model_notes
from dockwright.project.tree import ProjectTree


def _write(root: Path, files: dict[str, str | bytes]) -> ProjectTree:
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            (root / rel).write_bytes(content)
        else:
            (root / rel).write_text(content, encoding="utf-8")
    return ProjectTree(root)


SERVE = (
    "import joblib\nfrom fastapi import FastAPI\n\n"
    "app = FastAPI()\n"
    "scorer = joblib.load({path!r})\n\n\n"
    "@app.get('/score')\ndef score(x: float):\n    return {{'y': float(scorer.predict([[x]])[0])}}\n"
)


def test_every_loader_names_its_documentation() -> None:
    for loader in loaders().values():
        assert loader.source.startswith("https://"), loader.call


def test_a_model_in_the_project_is_fine(tmp_path: Path) -> None:
    tree = _write(
        tmp_path, {"serve.py": SERVE.format(path="weights/scorer.joblib"), "weights/scorer.joblib": b"\0"}
    )
    assert model_notes(tree) == []


def test_a_model_the_project_lacks(tmp_path: Path) -> None:
    tree = _write(tmp_path, {"serve.py": SERVE.format(path="weights/scorer.joblib")})
    (note,) = model_notes(tree)
    assert note.startswith("serve.py:5 loads 'weights/scorer.joblib' at start (joblib.load, https://")
    assert "not in the project" in note and "mount it" in note


def test_an_absolute_path_only_the_own_dockerfile_made(tmp_path: Path) -> None:
    tree = _write(
        tmp_path, {"serve.py": SERVE.format(path="/weights/scorer.joblib"), "weights/scorer.joblib": b"\0"}
    )
    (note,) = model_notes(tree)
    assert (
        "an absolute path; the project's weights/scorer.joblib is in the image at /app/weights/scorer.joblib"
        in note
    )
    under_app = _write(
        tmp_path / "b", {"serve.py": SERVE.format(path="/app/weights/s.joblib"), "weights/s.joblib": b""}
    )
    assert model_notes(under_app) == []


def test_a_relative_path_beside_the_module_resolves_from_the_work_directory(tmp_path: Path) -> None:
    code = "import onnxruntime as ort\n\nsession = ort.InferenceSession('ranker.onnx')\n"
    tree = _write(tmp_path, {"api/main.py": code, "api/ranker.onnx": b"\0"})
    (note,) = model_notes(tree)
    assert note.startswith("api/main.py:3 loads 'ranker.onnx' at start (onnxruntime.InferenceSession")
    assert "the file is api/ranker.onnx" in note


def test_startup_hooks_and_named_paths_count_other_functions_do_not(tmp_path: Path) -> None:
    code = (
        "from fastapi import FastAPI\nfrom keras.models import load_model\n\n"
        "MODEL = 'nets/digits.keras'\napp = FastAPI()\n\n\n"
        "@app.on_event('startup')\ndef warm():\n    app.state.net = load_model(MODEL)\n\n\n"
        "def later():\n    return load_model('nets/other.keras')\n\n\n"
        "if __name__ == '__main__':\n    load_model('nets/dev.keras')\n"
    )
    (note,) = model_notes(_write(tmp_path, {"web.py": code}))
    assert note.startswith("web.py:10 loads 'nets/digits.keras' at start (keras.models.load_model")


def test_keyword_only_loaders_environment_paths_and_tests_are_left_alone(tmp_path: Path) -> None:
    code = (
        "import os\nimport xgboost as xgb\nimport joblib\n\n"
        "booster = xgb.Booster(model_file='trees.json')\n"
        "other = xgb.Booster({'nthread': 2})\n"
        "clf = joblib.load(os.environ['MODEL_PATH'])\n"
        "remote = joblib.load('https://example.org/m.joblib')\n"
    )
    tree = _write(tmp_path, {"app.py": code, "tests/test_app.py": "import joblib\njoblib.load('x.joblib')\n"})
    (note,) = model_notes(tree)
    assert note.startswith("app.py:5 loads 'trees.json' at start (xgboost.Booster")


def test_the_note_reaches_the_plan_warnings(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {"serve.py": SERVE.format(path="weights/scorer.joblib"), "requirements.txt": "fastapi\njoblib\n"},
    )
    notes = detect_project(tmp_path).notes
    assert any(n.startswith("serve.py:5 loads 'weights/scorer.joblib' at start") for n in notes)


def test_a_path_built_on_the_modules_folder(tmp_path: Path) -> None:
    code = (
        "import os\nimport joblib\n\n"
        "HERE = os.path.dirname(os.path.abspath(__file__))\n"
        "MODEL = os.path.join(HERE, 'artifacts', 'ranker.joblib')\n"
        "ranker = joblib.load(MODEL)\n"
    )
    (note,) = model_notes(_write(tmp_path, {"svc/api.py": code}))
    assert note.startswith("svc/api.py:6 loads '<its folder>/artifacts/ranker.joblib' at start (joblib.load")
    assert "not in the project" in note
    for where in ("svc/artifacts/ranker.joblib", "artifacts/ranker.joblib"):
        present = _write(tmp_path / where.replace("/", "-"), {"svc/api.py": code, where: b"\0"})
        assert model_notes(present) == [], where


def test_a_pathlib_chain_on_file(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path\nimport torch\n\n"
        "weights = torch.load(Path(__file__).resolve().parent / 'weights' / 'net.pt')\n"
    )
    (note,) = model_notes(_write(tmp_path, {"serve.py": code}))
    assert "loads '<its folder>/weights/net.pt' at start (torch.load" in note


def test_a_path_holding_a_nul_character_is_not_in_the_project(tmp_path: Path) -> None:
    # the OS refuses such a path (ValueError from stat); the tree reports it absent, not a traceback
    tree = _write(tmp_path, {"serve.py": SERVE.format(path="weights/scorer\0.joblib")})
    (note,) = model_notes(tree)
    assert "not in the project" in note
    assert not tree.is_file("a\0b") and not tree.exists("a\0b")
