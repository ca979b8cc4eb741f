"""gunicorn settings for the web container."""

bind = "0.0.0.0:8000"
workers = 3
timeout = 30
accesslog = "-"
# Method, status and duration only: query strings may carry search terms, so no path is logged.
access_log_format = '%(h)s "%(m)s" %(s)s %(B)s %(L)ss'
