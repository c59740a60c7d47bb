"""The public programme page in a real browser: right to left, in Vazirmatn, with local assets only."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser


@pytest.fixture
def program_page(live_server, page, page_requests, save_screenshot):
    """/program/ opened in Chromium after loading the programme, with all fonts settled."""
    call_command("load_programme", verbosity=0)
    response = page.goto(f"{live_server.url}/program/", wait_until="networkidle")
    assert response is not None and response.status == 200, response and response.status
    page.evaluate("document.fonts.ready.then(() => true)")
    save_screenshot(page, "program")
    return page


def _responses_for(page_requests, suffix):
    return [record for record in page_requests if record.url.split("?", 1)[0].endswith(suffix)]


def test_program_page_is_right_to_left(program_page):
    assert program_page.evaluate("document.documentElement.dir") == "rtl"
    assert program_page.evaluate("document.dir") == "rtl"
    assert program_page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert program_page.evaluate("document.documentElement.lang") == "fa"


def test_program_page_loads_bootstrap_rtl_css(program_page, page_requests):
    (bootstrap,) = _responses_for(page_requests, "/static/vendor/bootstrap/bootstrap.rtl.min.css")
    assert bootstrap.status == 200
    rule_count = program_page.evaluate(
        """() => {
            const sheet = [...document.styleSheets].find(s => (s.href || "").endsWith("bootstrap.rtl.min.css"));
            return sheet ? sheet.cssRules.length : 0;
        }"""
    )
    assert rule_count > 1000
    # A Bootstrap rule in effect: .navbar is a flex box.
    assert program_page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"


def test_program_page_text_is_set_in_vazirmatn(program_page, page_requests):
    (font_face_css,) = _responses_for(page_requests, "/static/vendor/vazirmatn/Vazirmatn-font-face.css")
    assert font_face_css.status == 200
    font_files = [record for record in page_requests if record.url.endswith(".woff2")]
    assert font_files, "no Vazirmatn woff2 file was requested"
    assert all(record.status == 200 for record in font_files), [(r.url, r.status) for r in font_files]
    assert program_page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Vazirmatn")
    loaded_weights = program_page.evaluate(
        """() => [...document.fonts]
            .filter(face => face.family.replace(/["']/g, "") === "Vazirmatn" && face.status === "loaded")
            .map(face => face.weight)"""
    )
    assert "400" in loaded_weights
    assert program_page.evaluate("document.fonts.check('16px Vazirmatn', 'برنامه کاله')")


def test_program_page_requests_stay_on_the_server(program_page, page_requests):
    assert page_requests, "the page made no requests at all"
    assert [record.url for record in page_requests if not record.is_local] == []
    failed = [(r.url, r.status, r.failure) for r in page_requests if r.failure or (r.status or 0) >= 400]
    assert failed == []
