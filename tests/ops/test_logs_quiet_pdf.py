"""Making a PDF writes no lines of the renderer's progress into Supine's logs."""

import logging
import logging.config

from django.conf import settings


def test_the_pdf_renderers_progress_is_not_logged():
    logging.config.dictConfig(settings.LOGGING)
    for name in ("weasyprint", "weasyprint.progress", "fontTools.subset"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
    assert logging.getLogger("supine.requests").isEnabledFor(logging.INFO)
