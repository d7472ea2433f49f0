"""Scrapy projects: ``scrapy.cfg`` names the settings' package; each spider with a literal name is a
process started by ``scrapy crawl NAME`` in the ENTRYPOINT (project/detectors/scrapy_project.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

CFG = "[settings]\ndefault = books.settings\n\n[deploy]\nproject = books\n"
SPIDER = """\
import scrapy
from scrapy.spiders import CrawlSpider


class PricesSpider(scrapy.Spider):
    name = "prices"
    start_urls = ["https://books.example/"]

    def parse(self, response):
        yield {"title": response.css("h1::text").get()}


class CatalogueSpider(CrawlSpider):
    name = "catalogue"


class Helper:
    name = "not-a-spider"
"""


def _project(make_project: MakeProject, requirements: str = "scrapy==2.11.2\n") -> Path:
    return make_project(
        {
            "scrapy.cfg": CFG,
            "requirements.txt": requirements,
            "books/__init__.py": "",
            "books/settings.py": "BOT_NAME = 'books'\nSPIDER_MODULES = ['books.spiders']\n",
            "books/spiders/__init__.py": "",
            "books/spiders/shop.py": SPIDER,
        }
    )


def test_the_first_spider_is_crawled_and_the_others_are_processes(make_project: MakeProject) -> None:
    facts = detect_project(_project(make_project), python="3.13")
    assert facts.app.kind.value == "cli"
    assert facts.app.command.value == ("scrapy", "crawl", "prices")
    assert [(e.file, e.line) for e in facts.app.command.evidence] == [
        ("books/spiders/shop.py", 6),
        ("scrapy.cfg", 2),
    ]
    assert any(p.startswith("catalogue: scrapy crawl catalogue") for p in facts.app.other_processes)
    assert not any("not-a-spider" in p for p in facts.app.other_processes)
    plan = make_plan(facts)
    # the program is the ENTRYPOINT, the crawl its default arguments: `docker run IMAGE crawl catalogue`
    assert plan.entrypoint[-1] == "scrapy" and plan.cmd == ("crawl", "prices")


def test_another_spider_is_picked_by_process(make_project: MakeProject) -> None:
    facts = detect_project(_project(make_project), python="3.13", process="catalogue")
    assert facts.app.command.value == ("scrapy", "crawl", "catalogue")


def test_a_project_that_does_not_declare_scrapy_is_told(make_project: MakeProject) -> None:
    facts = detect_project(_project(make_project, requirements="itemadapter==0.9.0\n"), python="3.13")
    assert any("declares no dependency on Scrapy" in n for n in facts.notes)
    with_it = detect_project(_project(make_project), python="3.13")
    assert not any("Scrapy" in n for n in with_it.notes)
