"""The environment of a process that loads whatsmeow, a Go library (neonize).

A Go library reads the environment the process started with, not what Python changes later: os.environ
changes reach it only while glibc edits the start-up array in place, and any new variable (Python's own
LC_CTYPE under a C locale, on a machine without LANG) moves the environment elsewhere. So a client that
needs whatsmeow to trust the test CA starts itself again with that environment instead.
"""
import os
import sys

PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


def restart_trusting_only(ca_file):
    """Returns when whatsmeow will trust ca_file alone and dial without a proxy from the environment;
    otherwise replaces this process with itself under that environment (same interpreter and arguments)."""
    ca_file = os.path.abspath(ca_file)
    drop = ("SSL_CERT_DIR",) + PROXY_VARIABLES
    if os.environ.get("SSL_CERT_FILE") == ca_file and not any(name in os.environ for name in drop):
        return
    env = {name: value for name, value in os.environ.items() if name not in drop}
    env["SSL_CERT_FILE"] = ca_file
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, os.path.abspath(sys.argv[0])] + sys.argv[1:], env)
