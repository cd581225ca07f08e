"""The search page in a real headless browser: Debian's chromium, driven by Selenium.

`itudocs serve` runs as a user starts it; the browser types, clicks and presses
keys as a user does.  Screenshots go to tests/output/browser/ (ignored by git).
CI installs chromium and chromium-driver (.ci/run); without them this test fails
and says what to install, it never skips.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from itudocs.search.export import CSV_FIELDS
from itudocs.search.library import Library

SHOTS = Path(__file__).parent / "output" / "browser"
LAPTOP, PHONE = (1280, 900), (390, 844)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def browser_binaries() -> tuple[str, str]:
    found = {name: shutil.which(name) for name in ("chromium", "chromedriver")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        pytest.fail(
            f"the browser test needs {' and '.join(missing)} on PATH: "
            "apt-get install chromium chromium-driver (.ci/run does this)",
            pytrace=False,
        )
    return found["chromium"], found["chromedriver"]  # type: ignore[return-value]


@pytest.fixture(scope="module")
def server(sample_library: Library) -> Iterator[str]:
    """`itudocs serve` on a free port, as a user starts it; yields the page's address."""
    command = [sys.executable, "-m", "itudocs", "serve", "--index", str(sample_library.index_dir), "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8") as process:
        try:
            line = process.stdout.readline()  # type: ignore[union-attr]
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            assert found, f"itudocs serve said {line!r}"
            yield found.group(0)
        finally:
            process.terminate()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[WebDriver]:
    chromium, chromedriver = browser_binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(options=options, service=Service(chromedriver))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_window_size(*LAPTOP)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def wait_for(driver: WebDriver, condition: Callable[[WebDriver], object], timeout: float = 10) -> object:
    return WebDriverWait(driver, timeout).until(condition)


def search(driver: WebDriver, query: str) -> list:
    """Type ``query`` into the box and press Enter, as a user does; the hits shown."""
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(query, Keys.ENTER)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".summary [role=status]"))
    return driver.find_elements(By.CSS_SELECTOR, "li.hit")


def fits(driver: WebDriver) -> bool:
    """Nothing on the page is wider than the window: no sideways scrolling."""
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_a_user_searches_reads_footnotes_follows_a_hit_and_exports(
    browser: WebDriver, server: str, downloads: Path
) -> None:
    browser.get(server)
    assert browser.switch_to.active_element.get_attribute("id") == "q"  # the box has the focus

    hits = search(browser, "第140号决议")
    assert len(hits) == 9
    assert "9 passages match 第140号决议" in browser.find_element(By.CSS_SELECTOR, ".summary").text
    citations = [hit.find_element(By.CSS_SELECTOR, ".cite").text for hit in hits]
    sources = [hit.find_element(By.CSS_SELECTOR, ".meta .src").text for hit in hits]
    assert all(re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt:\d+", source) for source in sources), sources
    assert "参考文件" in citations[0] and all("cites PP-RES-140" in hit.text for hit in hits)
    assert all(hit.find_elements(By.TAG_NAME, "mark") for hit in hits)
    assert "q=%E7%AC%AC140%E5%8F%B7%E5%86%B3%E8%AE%AE" in browser.current_url  # a link to share
    assert fits(browser)
    browser.save_screenshot(str(SHOTS / "search-laptop.png"))
    ids = [hit.find_element(By.CSS_SELECTOR, ".meta .id").text for hit in hits]

    browser.find_element(By.LINK_TEXT, "CSV").click()
    csv_file = downloads / "itudocs 第140号决议.csv"
    wait_for(browser, lambda _: csv_file.exists())
    with open(csv_file, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == ids
    assert list(rows[0])[: len(CSV_FIELDS)] == list(CSV_FIELDS)
    assert {row["query"] for row in rows} == {"第140号决议"}

    hits = search(browser, "120场发言")
    note = hits[0].find_element(By.CSS_SELECTOR, "a.fn")
    assert note.text == "2" and note.get_attribute("data-note") == "003_039c71ca7392b1ab:fn2"
    note.click()
    box = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, ".note-box"))
    wait_for(browser, lambda _: "12月16日所作发言内容" in box.text)
    browser.save_screenshot(str(SHOTS / "footnote-laptop.png"))
    note.send_keys(Keys.ESCAPE)
    assert not browser.find_elements(By.CSS_SELECTOR, ".note-box")
    note.send_keys(Keys.ENTER)  # the keyboard opens it too
    wait_for(browser, lambda d: "12月16日" in d.find_element(By.CSS_SELECTOR, ".note-box").text)
    assert note.get_attribute("aria-expanded") == "true"

    hits[0].find_element(By.CSS_SELECTOR, ".cite a").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "/passage/" in d.current_url)
    assert browser.current_url.endswith("/passage/003_039c71ca7392b1ab%3Apc027c3")
    assert "共进行了120场发言" in browser.find_element(By.CSS_SELECTOR, ".focus").text
    assert "12月16日所作发言内容" in browser.find_element(By.CSS_SELECTOR, ".footnotes").text
    assert len(browser.find_elements(By.CSS_SELECTOR, ".context li")) == 2  # one neighbour either side
    browser.save_screenshot(str(SHOTS / "passage-laptop.png"))

    browser.back()
    wait_for(browser, lambda d: d.find_element(By.ID, "q").get_attribute("value") == "120场发言")


def test_a_query_holding_markup_shows_as_text(browser: WebDriver, server: str) -> None:
    browser.get(server)
    search(browser, "<script>alert(1)</script>")

    assert "hold some words of <script>alert(1)</script> ·" in browser.find_element(By.CSS_SELECTOR, ".summary").text
    assert browser.find_element(By.ID, "q").get_attribute("value") == "<script>alert(1)</script>"
    assert browser.execute_script("return document.querySelectorAll('main script, body > script').length") == 0
    with pytest.raises(NoAlertPresentException):
        _ = browser.switch_to.alert.text
    browser.save_screenshot(str(SHOTS / "markup-laptop.png"))


def test_the_pages_read_on_a_phone_and_work_from_the_keyboard(
    browser: WebDriver, server: str, sample_library: Library
) -> None:
    browser.set_window_size(*PHONE)
    try:
        passage = f"passage/{sample_library.search('共进行了120场发言').hits[0].id}"
        for name, path in (("search", "?q=第140号决议"), ("passage", passage), ("refs", "refs")):
            browser.get(server + path)
            assert fits(browser), name
            browser.save_screenshot(str(SHOTS / f"{name}-phone.png"))
        browser.get(server + "?q=120场发言")
        browser.find_element(By.CSS_SELECTOR, "a.fn").click()
        wait_for(browser, lambda d: "12月16日" in d.find_element(By.CSS_SELECTOR, ".note-box").text)
        assert fits(browser), "an open footnote"
        browser.save_screenshot(str(SHOTS / "footnote-phone.png"))
        browser.get(server + passage)
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        assert browser.switch_to.active_element.text == "Skip to content"
        browser.get(server + "?q=数字鸿沟")
        browser.find_element(By.TAG_NAME, "body").send_keys("/")
        assert browser.switch_to.active_element.get_attribute("id") == "q"
    finally:
        browser.set_window_size(*LAPTOP)
