"""The website chat widget in a real browser (Debian's Chromium driven by Playwright).

Starts the action server, the Rasa server (socketio channel, CORS for the web page's origin)
and scripts/web_server.py on free ports, then uses the demo page the way a patient would:
keyboard only to open the chat, a question, a quick reply, a page reload in the middle of the
conversation, markup typed into the box, and an unreachable server. A scripted socket.io
server then checks the widget's side of Rasa's protocol where the real bot cannot be made to
misbehave: replies in several parts, no reply, a server that hangs up. Screenshots go to
tests/output/screenshots/.

Needs Debian's Chromium (/usr/bin/chromium) and socket.io-client in web/node_modules.
"""

from __future__ import annotations

import asyncio
import re
import threading
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

from scripts import launch, web_server

pytestmark = pytest.mark.servers

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = launch.ROOT / "tests" / "output" / "screenshots"
REPLY_TIMEOUT_MS = 60_000  # a reply goes through NLU and the action server
STEP_TIMEOUT_MS = 30_000
MARKUP = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The demo page's URL, with the action server, Rasa and the web server running."""
    if not launch.MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it)")
    action_port, rasa_port, web_port = launch.free_port(), launch.free_port(), launch.free_port()
    web_origin = f"http://localhost:{web_port}"
    rasa_url = f"http://localhost:{rasa_port}"
    with (
        launch.action_server(action_port),
        launch.rasa_server(rasa_port, action_port, extra_args=["--cors", web_origin]),
        web_server.serve(web_port, rasa_url),
    ):
        yield web_origin


class ScriptedRasa:
    """A socket.io server speaking Rasa's socketio protocol (session_persistence: true) with
    scripted replies, so the widget's side of the protocol is tested without the NLU's pace:
    replies in parts, no reply at all, a server that hangs up."""

    GREETING = "Hello, I'm a scripted assistant for this test."
    PARTS = [
        {"text": "First part.\nOn a second line."},
        {"text": "Second part."},
        {
            "text": "Third part.",
            "quick_replies": [
                {
                    "content_type": "text",
                    "title": "A suggested question",
                    "payload": '/ask{"x":"1"}',
                },
            ],
        },
    ]

    def __init__(self, port: int, web_origin: str) -> None:
        import socketio
        from aiohttp import web

        self.port = port
        self.events: List[Tuple[str, Any]] = []
        self.sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[web_origin])
        self.app = web.Application()
        self.sio.attach(self.app)
        self.sio.on("session_request", self._session_request)
        self.sio.on("user_uttered", self._user_uttered)
        self.loop = asyncio.new_event_loop()
        self.runner: Optional[Any] = None

    def sent(self, event: str) -> List[Any]:
        return [data for name, data in self.events if name == event]

    async def _session_request(self, sid: str, data: Optional[Dict[str, Any]]) -> None:
        self.events.append(("session_request", data))
        session_id = (data or {}).get("session_id") or uuid.uuid4().hex
        await self.sio.enter_room(sid, session_id)
        await self.sio.emit("session_confirm", session_id, room=sid)

    async def _user_uttered(self, sid: str, data: Dict[str, Any]) -> None:
        self.events.append(("user_uttered", data))
        room, message = data.get("session_id"), data.get("message")
        if message == "/session_start":
            await self.sio.emit("bot_uttered", {"text": self.GREETING}, room=room)
        elif message == "three parts":
            for part in self.PARTS:
                await asyncio.sleep(0.4)  # shorter than the widget's 700 ms wait for more parts
                await self.sio.emit("bot_uttered", part, room=room)
        elif message == "hang up":
            await self.sio.disconnect(sid)
        elif message != "silence":
            await self.sio.emit("bot_uttered", {"text": f"You said: {message}"}, room=room)

    def __enter__(self) -> "ScriptedRasa":
        from aiohttp import web

        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.runner = web.AppRunner(self.app)
            self.loop.run_until_complete(self.runner.setup())
            self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", self.port).start())
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, name="scripted-rasa", daemon=True)
        self.thread.start()
        assert started.wait(30), "the scripted socket.io server did not start"
        return self

    def __exit__(self, *exc_info: object) -> None:
        async def stop() -> None:
            await self.sio.shutdown()
            await self.runner.cleanup()
            # engine.io's ping and service tasks: cancelled, not left pending in a closed loop
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(15)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(15)
        self.loop.close()


@pytest.fixture(scope="module")
def scripted() -> Iterator[Tuple[str, ScriptedRasa]]:
    """The demo page talking to a ScriptedRasa, and that server."""
    server_port, web_port = launch.free_port(), launch.free_port()
    with (
        ScriptedRasa(server_port, f"http://localhost:{web_port}") as server,
        web_server.serve(web_port, f"http://localhost:{server_port}"),
    ):
        yield f"http://localhost:{web_port}", server


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium. Playwright's own browser download is never used."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium with "
            "`sudo apt-get update && sudo apt-get install -y chromium` "
            "(do not run `playwright install`)"
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=STEP_TIMEOUT_MS)  # every wait bounded, none too short for CI
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh tab (its own sessionStorage) that records any dialog the page opens."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    tab = context.new_page()
    tab.dialogs = []  # type: ignore[attr-defined]

    def on_dialog(dialog: object) -> None:
        tab.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    try:
        yield tab
    finally:
        context.close()


# ---- helpers ---------------------------------------------------------------------------------


def bot_message(page: object, text: str) -> object:
    return page.locator(".lbw-msg--bot", has_text=text)


def user_message(page: object, text: str) -> object:
    return page.locator(".lbw-msg--user .lbw-bubble", has_text=text)


def wait_until_reply_finished(page: object) -> None:
    """The typing indicator is hidden ~700 ms after the last part of a reply."""
    from playwright.sync_api import expect

    expect(page.locator(".lbw-typing")).to_be_hidden(timeout=REPLY_TIMEOUT_MS)


def ask(page: object, question: str, expected: str) -> None:
    """Type a question, press Enter, wait for a bot message containing ``expected``."""
    from playwright.sync_api import expect

    send = page.get_by_role("button", name="Send")
    expect(send).to_be_enabled(timeout=STEP_TIMEOUT_MS)  # connected and session confirmed
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")
    expect(user_message(page, question)).to_be_visible()
    expect(box).to_have_value("")
    expect(bot_message(page, expected).last).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    wait_until_reply_finished(page)


_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def _rgb(css: str) -> Tuple[float, float, float, float]:
    match = _RGB.fullmatch(css.strip())
    assert match, f"unexpected colour {css!r}"
    r, g, b, a = match.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def _luminance(rgb: Tuple[float, float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two opaque CSS colours."""
    lighter, darker = sorted(
        [_luminance(_rgb(foreground)), _luminance(_rgb(background))], reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


# Text colour and the first opaque background colour up the tree, as the browser computed them.
_COLOURS_JS = """
(element) => {
  const text = getComputedStyle(element).color;
  for (let node = element; node; node = node.parentElement) {
    const background = getComputedStyle(node).backgroundColor;
    const alpha = background.startsWith('rgba') ? parseFloat(background.split(',')[3]) : 1;
    if (alpha > 0) return [text, background, alpha];
  }
  return [text, 'rgb(255, 255, 255)', 1];
}
"""


def colours(locator: object) -> Tuple[str, str]:
    text, background, alpha = locator.evaluate(_COLOURS_JS)
    assert alpha == 1, f"translucent background {background}: contrast depends on the page"
    return text, background


# ---- tests ------------------------------------------------------------------------------------


def test_a_conversation_in_the_widget(site: str, page: object) -> None:
    from playwright.sync_api import expect

    page.goto(site + "/")
    expect(page).to_have_title(re.compile("Lupus patient association"))
    launcher = page.get_by_role("button", name="Questions about lupus biologics?")
    expect(launcher).to_be_visible()

    # Keyboard only: Tab to the launcher, Enter; focus lands in the question box.
    for _ in range(10):
        page.keyboard.press("Tab")
        if launcher.evaluate("element => element === document.activeElement"):
            break
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name="Lupus Biologics Assistant")
    expect(panel).to_be_visible()
    box = page.get_by_role("textbox", name="Your question")
    expect(box).to_be_focused()
    expect(panel).to_contain_text(
        "Automated assistant, general information only. In an emergency call your local emergency number."
    )

    # The opening disclaimer comes by itself, once.
    expect(
        bot_message(page, "automated assistant"),
        "no reply over socket.io: if logs/rasa-server.log says \"coroutine 'AsyncServer.enter_room' "
        "was never awaited\", Rasa's socketio channel does not work with this python-socketio "
        "(RasaHQ/rasa#13027)",
    ).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
    expect(bot_message(page, "can't give personal medical advice")).to_be_visible()
    wait_until_reply_finished(page)

    # A question, typed and sent with Enter; the typing indicator shows until the reply is in.
    page.keyboard.type("can my child take benlysta?")
    page.keyboard.press("Enter")
    expect(page.locator(".lbw-typing")).to_be_visible(timeout=5_000)
    expect(page.locator(".lbw-typing")).to_contain_text("Assistant is typing")
    expect(bot_message(page, "from 5 years of age")).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(bot_message(page, "Source: patient-information page")).to_be_visible(
        timeout=REPLY_TIMEOUT_MS
    )
    wait_until_reply_finished(page)
    expect(user_message(page, "can my child take benlysta?")).to_be_visible()

    # Quick replies are real buttons; Enter on one sends its payload and shows its title.
    given = page.get_by_role("button", name="How is belimumab given?")
    expect(given).to_be_visible()
    assert page.locator(".lbw-quick-reply").count() >= 2
    given.focus()
    page.keyboard.press("Enter")
    expect(user_message(page, "How is belimumab given?")).to_be_visible()
    expect(box).to_be_focused()  # the pressed button is gone; focus is not lost
    expect(bot_message(page, "once a month")).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    wait_until_reply_finished(page)
    log = page.get_by_role("log")
    assert "/faq_" not in log.inner_text(), "a button's payload was shown to the user"
    assert page.locator(".lbw-quick-replies").count() <= 1, "old quick replies were left in place"

    # A reload keeps the conversation, on screen and on the server.
    page.reload()
    expect(panel).to_be_visible()  # it was open
    expect(bot_message(page, "from 5 years of age")).to_be_visible()
    expect(user_message(page, "How is belimumab given?")).to_be_visible()
    expect(bot_message(page, "once a month")).to_be_visible()
    ask(page, "what about anifrolumab?", "does not say how anifrolumab is given")
    expect(bot_message(page, "automated assistant")).to_have_count(1)  # no second disclaimer

    # Markup is shown as text, never run or parsed.
    ask_markup = page.get_by_role("textbox", name="Your question")
    ask_markup.fill(MARKUP)
    ask_markup.press("Enter")
    expect(user_message(page, MARKUP)).to_have_text(MARKUP)
    wait_until_reply_finished(page)
    assert page.locator(".lbw-root img").count() == 0, "markup typed by the user became an element"
    assert page.dialogs == [], f"the page opened a dialog: {page.dialogs}"

    # The log is announced politely; controls have names (the role queries above found them).
    expect(log).to_have_attribute("aria-live", "polite")
    assert log.get_attribute("role") == "log"

    # Contrast of the text people read, as the browser computed it (WCAG AA: 4.5:1).
    checks: List[Tuple[str, object]] = [
        ("bot message", page.locator(".lbw-msg--bot .lbw-bubble").first),
        ("user message", page.locator(".lbw-msg--user .lbw-bubble").first),
        ("question box", box),
        ("quick-reply button", page.locator(".lbw-quick-reply").first),
        ("emergency notice", page.locator(".lbw-notice")),
        ("Send button", page.get_by_role("button", name="Send")),
    ]
    expect(page.locator(".lbw-quick-reply").first).to_be_visible()
    ratios = {}
    for name, locator in checks:
        ratios[name] = contrast_ratio(*colours(locator))

    # Escape closes the chat and gives focus back to the launcher.
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    ratios["launcher"] = contrast_ratio(*colours(launcher))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "widget-closed-1280x800.png"))
    low = {name: round(ratio, 2) for name, ratio in ratios.items() if ratio < 4.5}
    assert not low, f"text contrast below 4.5:1: {low} (all: {ratios})"

    # Screenshots at phone and desktop width; the panel fills a phone's width.
    launcher.click()
    expect(panel).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 812})
    box_375 = panel.bounding_box()
    assert box_375 and box_375["x"] == 0 and box_375["width"] == 375, box_375
    page.screenshot(path=str(SCREENSHOTS / "widget-375x812.png"))
    page.set_viewport_size({"width": 1280, "height": 800})
    box_1280 = panel.bounding_box()
    assert box_1280 and 360 <= box_1280["width"] <= 400, box_1280
    assert box_1280["x"] + box_1280["width"] >= 1280 - 40, "the panel is not at the bottom right"
    page.screenshot(path=str(SCREENSHOTS / "widget-1280x800.png"))


def test_an_unreachable_server_is_said_plainly(site: str, page: object) -> None:
    from playwright.sync_api import expect

    page.goto(site + "/?server=http://localhost:1")  # nothing listens there
    page.get_by_role("button", name="Questions about lupus biologics?").click()
    status = page.get_by_role("alert")
    expect(status).to_contain_text("Can't reach the assistant", timeout=STEP_TIMEOUT_MS)
    retry = page.get_by_role("button", name="Retry")
    expect(retry).to_be_visible()

    # Offline, Send is disabled and what the person typed stays in the box.
    send = page.get_by_role("button", name="Send")
    expect(send).to_be_disabled()
    box = page.get_by_role("textbox", name="Your question")
    box.fill("is rituximab approved for lupus?")
    box.press("Enter")
    expect(box).to_have_value("is rituximab approved for lupus?")
    assert page.locator(".lbw-msg--user").count() == 0

    # Retry tries again and, the server still being down, says so again.
    retry.click()
    expect(status).to_contain_text("Can't reach the assistant", timeout=STEP_TIMEOUT_MS)
    expect(retry).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 812})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "widget-offline-375x812.png"))


def test_the_socketio_protocol_with_a_scripted_server(
    scripted: Tuple[str, ScriptedRasa], page: object
) -> None:
    from playwright.sync_api import expect

    site, server = scripted
    page.goto(site + "/")
    page.get_by_role("button", name="Questions about lupus biologics?").click()
    expect(bot_message(page, ScriptedRasa.GREETING)).to_be_visible()
    assert server.sent("session_request") == [{"session_id": None}]
    session_id = server.sent("user_uttered")[0]["session_id"]
    # The session starts in the page's language (this page has no lang: English).
    assert server.sent("user_uttered") == [
        {"message": "/session_start", "session_id": session_id, "metadata": {"lang": "en"}}
    ]

    # The typing dots pulse, unless the person asked for less motion.
    dot = page.locator(".lbw-dot").first
    assert dot.evaluate("node => getComputedStyle(node).animationName") == "lbw-pulse"
    page.emulate_media(reduced_motion="reduce")
    assert dot.evaluate("node => getComputedStyle(node).animationName") == "none"
    page.emulate_media(reduced_motion="no-preference")

    # One reply in three parts: the indicator stays until the last, quick replies go under it,
    # and a single newline is a line break.
    box = page.get_by_role("textbox", name="Your question")
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    box.fill("three parts")
    box.press("Enter")
    typing = page.locator(".lbw-typing")
    expect(typing).to_be_visible()
    expect(bot_message(page, "First part.")).to_be_visible()
    expect(typing).to_be_visible()  # the second part is 400 ms away
    expect(bot_message(page, "Third part.")).to_be_visible()
    expect(typing).to_be_hidden()
    assert bot_message(page, "First part.").inner_text().endswith("First part.\nOn a second line.")
    first = bot_message(page, "First part.").locator(".lbw-bubble").bounding_box()
    second = bot_message(page, "Second part.").locator(".lbw-bubble").bounding_box()
    assert first["height"] > second["height"] * 1.5, "the newline was not shown as a line break"
    suggestion = page.get_by_role("button", name="A suggested question")
    expect(suggestion).to_be_visible()
    assert page.locator(".lbw-quick-replies").evaluate(
        "group => group.previousElementSibling.textContent.includes('Third part.')"
    ), "the quick replies are not right under the message that carries them"
    assert page.locator(".lbw-quick-replies").count() == 1
    suggestion.focus()
    page.keyboard.press(" ")  # Space activates a button as well as Enter
    expect(user_message(page, "A suggested question")).to_be_visible()
    expect(bot_message(page, 'You said: /ask{"x":"1"}')).to_be_visible()
    assert all(data["session_id"] == session_id for data in server.sent("user_uttered"))

    # A reload asks for the same session and does not ask for the disclaimer again.
    page.reload()
    expect(user_message(page, "A suggested question")).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    assert server.sent("session_request")[-1] == {"session_id": session_id}
    assert [d["message"] for d in server.sent("user_uttered")].count("/session_start") == 1

    # No reply within 20 s: the indicator goes and an error line says so.
    box.fill("silence")
    box.press("Enter")
    expect(typing).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("didn't answer", timeout=30_000)
    expect(typing).to_be_hidden()

    # The server hangs up: an error line, Send disabled, typed text kept; Retry reconnects
    # to the same session, and the kept text can then be sent.
    box.fill("hang up")
    box.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Can't reach the assistant")
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    box.fill("my question typed while offline")
    box.press("Enter")
    expect(box).to_have_value("my question typed while offline")
    requests_before = len(server.sent("session_request"))
    page.get_by_role("button", name="Retry").click()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert len(server.sent("session_request")) == requests_before + 1
    assert server.sent("session_request")[-1] == {"session_id": session_id}
    box.press("Enter")
    expect(bot_message(page, "You said: my question typed while offline")).to_be_visible()


def test_the_web_server_serves_the_widget_and_nothing_else(
    scripted: Tuple[str, ScriptedRasa], monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.error
    import urllib.request

    site, server = scripted

    def get(path: str) -> Tuple[int, Dict[str, str], bytes]:
        try:
            with urllib.request.urlopen(site + path, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    status, headers, body = get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    rasa = f"http://localhost:{server.port}"
    assert (
        f'data-server-url="{rasa}"' in body.decode() and "__RASA_SERVER_URL__" not in body.decode()
    )
    assert headers["Content-Security-Policy"].startswith(
        f"default-src 'self'; connect-src 'self' {rasa} ws://localhost:{server.port}; "
        "img-src 'self'; style-src 'self'; script-src 'self'"
    )
    for path, content_type in [
        ("/widget/lupus-chat.js", "text/javascript"),
        ("/widget/lupus-chat.css", "text/css"),
        ("/widget/socket.io.min.js", "text/javascript"),
    ]:
        status, headers, body = get(path)
        assert status == 200 and headers["Content-Type"].startswith(content_type), path
        assert (
            headers["X-Content-Type-Options"] == "nosniff"
            and headers["Cache-Control"] == "no-cache"
        )
        assert body
    for path in [
        "/widget/",
        "/widget",
        "/index.html",
        "/demo/index.html",
        "/web/widget/lupus-chat.js",
        "/widget/../../README.md",
        "/widget/socket.io.min.js.map",
        "/favicon.ico",
    ]:
        assert get(path)[0] == 404, path

    # Start-up checks: a clear message rather than 404s for the widget.
    monkeypatch.setattr(
        web_server, "SOCKET_IO", launch.ROOT / "web" / "node_modules" / "missing.js"
    )
    with pytest.raises(web_server.MissingAssetError, match="make setup-web"):
        with web_server.serve(launch.free_port(), rasa):
            pass
    with pytest.raises(ValueError, match="without a path"):
        web_server.rasa_origin("http://localhost:5005/socket.io")
    assert web_server.rasa_origin("https://rasa.example.org/") == "https://rasa.example.org"
