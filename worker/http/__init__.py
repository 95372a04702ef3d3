"""The one HTTP seam: every request khabardar makes goes through :class:`HttpClient`."""

from worker.http.client import HttpClient, HttpResponse
from worker.http.guard import check_url

__all__ = ["HttpClient", "HttpResponse", "check_url"]
