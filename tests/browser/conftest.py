"""The widget's module fixtures (an Agora server with its host pages, and Chromium) for every
browser test module; each module gets its own."""

from tests.browser.test_widget import browser, stack  # noqa: F401
