"""`confgen render`: intent -> release matrix -> files (Jinja2 lives in render.files only)."""
