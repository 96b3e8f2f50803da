#!/usr/bin/python3
"""A real SMTP server for tests: saves every message it accepts as a .eml file.

    /usr/bin/python3 tests/support/smtp_sink.py FOLDER [--host 127.0.0.1] [--port 0]

Listens on host:port (port 0 = pick a free one) with Debian's aiosmtpd
(python3-aiosmtpd; call /usr/bin/python3, a pyenv python may lack it), prints
the port on stdout once it accepts connections, and writes each message to
FOLDER/NNNNNN.eml (numbered from 000001 in arrival order; written under a
temporary name and renamed, so a reader never sees half a message). The file
starts with X-Envelope-From and X-Envelope-To lines (the SMTP MAIL FROM and
RCPT TO), then the message exactly as received after SMTP's dot-unstuffing.
SIGTERM or SIGINT stops it cleanly (exit 0).
"""

import argparse
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class SaveToFolder:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        head = "X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (
            envelope.mail_from,
            ", ".join(envelope.rcpt_tos),
        )
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        final = os.path.join(self.folder, "%06d.eml" % n)
        temp = final + ".part"
        with open(temp, "wb") as f:
            f.write(head.encode("ascii", "backslashreplace") + content)
        os.rename(temp, final)
        return "250 Message accepted for delivery"


def free_port(host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="where each message is written as NNNNNN.eml")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    args = parser.parse_args()

    os.makedirs(args.folder, exist_ok=True)
    port = args.port or free_port(args.host)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    controller = Controller(SaveToFolder(args.folder), hostname=args.host, port=port)
    controller.start()  # returns once the server answers
    print(port, flush=True)
    while not stop.wait(0.1):
        pass
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
