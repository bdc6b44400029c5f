"""Sending through the user's SMTP server (smtplib), each failure told in French.

SSL/TLS and STARTTLS verify the server's certificate against the system's authorities (or the
`cafile` given, for a company's own authority and for the tests); no encryption is accepted only
for a server on this machine (models.mail.account). The server's own answer is quoted.
"""

from __future__ import annotations

import base64
import contextlib
import email.policy
import io
import re
import smtplib
import socket
import ssl
from email.generator import BytesGenerator
from email.message import EmailMessage
from types import TracebackType

from models.mail.account import NONE, SSL, STARTTLS, MailAccount
from models.mail.message import envelope


class SendError(Exception):
    """The message was not accepted; its text is one French sentence with the server's answer.

    `retry` is True when nothing says the message itself is wrong (server down, timeout): the
    same message may be sent again later. `unknown` is True when the message itself had been
    handed over and only the server's answer was lost: it may have gone, so it must not be
    sent again before the user has looked ("état inconnu").
    """

    def __init__(self, message: str, retry: bool = True, unknown: bool = False) -> None:
        super().__init__(message)
        self.retry = retry
        self.unknown = unknown


class _AnswerLostError(Exception):
    """The whole message was sent and the server's answer did not come (timeout, cut)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


_LEADING_DOT = re.compile(rb"(?m)^\.")


def _answer(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {said}".strip()


def explain(exc: BaseException, account: MailAccount) -> SendError:
    """The French sentence for a failure of smtplib, ssl or the network."""
    where = f"{account.host}:{account.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(
            f"le serveur {where} refuse l'identifiant ou le mot de passe "
            f"(réponse du serveur : {_answer(exc.smtp_code, exc.smtp_error)})",
            retry=False,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendError(
            f"le serveur {where} ne propose pas ce qui est demandé ({exc}) : vérifiez la "
            "sécurité choisie (SSL/TLS, STARTTLS) et l'identifiant",
            retry=False,
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(
            f"{addr} ({_answer(code, text)})" for addr, (code, text) in exc.recipients.items()
        )
        return SendError(f"le serveur {where} refuse le(s) destinataire(s) : {refused}", False)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return SendError(
            f"le serveur {where} refuse l'expéditeur {account.sender} "
            f"(réponse du serveur : {_answer(exc.smtp_code, exc.smtp_error)})",
            retry=False,
        )
    if isinstance(exc, smtplib.SMTPDataError):
        return SendError(
            f"le serveur {where} refuse le message "
            f"(réponse du serveur : {_answer(exc.smtp_code, exc.smtp_error)})",
            retry=False,
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SendError(
            f"le certificat du serveur {where} n'est pas reconnu ({exc.verify_message}) : "
            "vérifiez le nom du serveur, ou demandez à votre hébergeur",
            retry=False,
        )
    if isinstance(exc, ssl.SSLError):
        return SendError(
            f"la connexion chiffrée avec {where} a échoué ({exc.reason or exc}) : vérifiez la "
            "sécurité choisie (SSL/TLS sur le port 465, STARTTLS sur le port 587)",
            retry=False,
        )
    if isinstance(exc, TimeoutError | socket.timeout):
        return SendError(
            f"le serveur {where} ne répond pas (délai de {account.timeout_s} s dépassé)"
        )
    if isinstance(exc, socket.gaierror):
        return SendError(f"serveur SMTP introuvable : « {account.host} » ({exc.strerror})")
    if isinstance(exc, ConnectionRefusedError):
        return SendError(f"le serveur {where} refuse la connexion (arrêté, ou mauvais port)")
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError):
        return SendError(f"le serveur {where} a coupé la connexion ({exc})")
    if isinstance(exc, smtplib.SMTPResponseException):
        return SendError(
            f"le serveur {where} a répondu par une erreur "
            f"(réponse du serveur : {_answer(exc.smtp_code, exc.smtp_error)})"
        )
    return SendError(f"envoi impossible par {where} : {exc}")


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; an accented user name or password goes as UTF-8 with AUTH PLAIN (RFC 4616).

    smtplib encodes the credentials as ASCII and would fail on "hélène" before asking the
    server anything.
    """
    if (user + password).isascii():
        smtp.login(user, password)
        return
    if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
        raise smtplib.SMTPNotSupportedError(
            "identifiant ou mot de passe accentué : le serveur ne propose pas AUTH PLAIN"
        )
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
    code, answer = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


class Connection:
    """One SMTP session, opened and authenticated once for a batch; use with `with`.

    Any failure, from the connection to the last command, is a SendError in French.
    """

    def __init__(self, account: MailAccount, password: str, cafile: str | None = None) -> None:
        self.account = account
        self._password = password
        self._context = ssl.create_default_context(cafile=cafile)
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Connection:
        a = self.account
        try:
            if a.security == SSL:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    a.host, a.port, timeout=a.timeout_s, context=self._context
                )
            else:
                smtp = smtplib.SMTP(a.host, a.port, timeout=a.timeout_s)
            self._smtp = smtp
            smtp.ehlo()
            if a.security == STARTTLS:
                smtp.starttls(context=self._context)
                smtp.ehlo()
            if a.user:
                if a.security == NONE and a.host not in ("localhost", "127.0.0.1", "::1"):
                    raise SendError("mot de passe refusé sans chiffrement hors de cet ordinateur")
                _login(smtp, a.user, self._password)
        except SendError:
            self._drop()
            raise
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise explain(exc, a) from exc
        return self

    def send(self, msg: EmailMessage) -> list[str]:
        """Hand one message to the server; the addresses it accepted (never empty).

        Returns only when the server accepted the message for at least one address. A failure
        once the message itself was sent (the answer to its end lost: timeout, connection cut)
        is a SendError with `unknown` set: the message may have gone.
        """
        if self._smtp is None:
            raise SendError("connexion SMTP fermée")
        sender, to = envelope(self.account, msg)
        try:
            refused = self._transmit(self._smtp, msg, sender, to)
        except _AnswerLostError as lost:
            self._drop()
            raise SendError(
                f"{explain(lost.cause, self.account)}, après l'envoi du message entier : le "
                "serveur a pu le recevoir sans que sa réponse nous parvienne (état inconnu, "
                "à vérifier dans votre messagerie)",
                unknown=True,
            ) from lost.cause
        except (smtplib.SMTPException, OSError) as exc:
            if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                self._drop()
            raise explain(exc, self.account) from exc
        # Some addresses may be refused while others are accepted: the message did go out,
        # and the record names only those it went to.
        return [a for a in to if a not in refused]

    @staticmethod
    def _transmit(
        smtp: smtplib.SMTP, msg: EmailMessage, sender: str, to: list[str]
    ) -> dict[str, tuple[int, bytes]]:
        """What smtplib's send_message does (MAIL, RCPT, DATA), in steps, so that a failure
        after the message was handed over is told apart; the addresses refused."""
        international = not (sender + "".join(to)).isascii()
        out = io.BytesIO()
        # The policies smtplib uses: CRLF lines; raw UTF-8 headers only for SMTPUTF8.
        policy = email.policy.SMTPUTF8 if international else email.policy.SMTP
        BytesGenerator(out, policy=policy).flatten(msg)
        options: list[str] = ["SMTPUTF8", "BODY=8BITMIME"] if international else []
        smtp.ehlo_or_helo_if_needed()
        code, answer = smtp.mail(sender, options)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, answer, sender)
        refused: dict[str, tuple[int, bytes]] = {}
        for address in to:
            code, answer = smtp.rcpt(address)
            if code not in (250, 251):
                refused[address] = (code, answer)
        if len(refused) == len(to):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        smtp.putcmd("data")
        code, answer = smtp.getreply()
        if code != 354:
            smtp.rset()
            raise smtplib.SMTPDataError(code, answer)
        body = _LEADING_DOT.sub(b"..", out.getvalue())
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        smtp.send(body + b".\r\n")  # cut off before its final dot: not a message yet
        try:
            code, answer = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            raise _AnswerLostError(exc) from exc
        if code != 250:
            raise smtplib.SMTPDataError(code, answer)
        return refused

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with contextlib.suppress(OSError):
                smtp.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
