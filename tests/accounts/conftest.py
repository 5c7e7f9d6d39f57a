# A real SMTP server, as the alert tests use (for “Forgot password?”).
from tests.clinic.conftest import smtp, smtp_port  # noqa: F401
