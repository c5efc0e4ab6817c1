"""A real SMTP server (aiosmtpd on 127.0.0.1) that counts its connections."""

import socket
from email import message_from_bytes

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class CountingInbox:
    """Keeps what it is sent; refuses the addresses in `refuse`; answers 421 (closing)
    to the messages whose subjects are in `hang_up_on`, once each."""

    def __init__(self, refuse=(), hang_up_on=()):
        self.messages = []
        self.connections = 0
        self.refuse = set(refuse)
        self.hang_up_on = set(hang_up_on)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        subject = message_from_bytes(envelope.content)["Subject"]
        if subject in self.hang_up_on:
            self.hang_up_on.discard(subject)
            return "421 Closing the connection"
        self.messages.append(envelope)
        return "250 Message accepted"

    def subjects(self):
        return [message_from_bytes(envelope.content)["Subject"] for envelope in self.messages]

    def message_ids(self):
        return [message_from_bytes(envelope.content)["Message-ID"] for envelope in self.messages]


class CountingSMTP(SMTP):
    def connection_made(self, transport):
        self.event_handler.connections += 1
        super().connection_made(transport)


class CountingController(Controller):
    def factory(self):
        return CountingSMTP(self.handler, **self.SMTP_kwargs)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(inbox):
    """Start an SMTP server for `inbox` on 127.0.0.1; sets inbox.port; returns the
    controller (stop() it)."""
    inbox.port = free_port()
    controller = CountingController(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    inbox.connections = 0  # start() connects once to check the server is up
    return controller
