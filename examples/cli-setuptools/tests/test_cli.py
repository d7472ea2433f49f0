from click.testing import CliRunner

from greet.cli import main


def test_greets() -> None:
    assert "Hello, you!" in CliRunner().invoke(main, ["--name", "you"]).output
