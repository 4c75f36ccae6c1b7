"""What went wrong talking to the server, in plain words an officer can act on, in both
languages ("中文 / English", see presenters.base.localize): no network, a wrong password,
an enrolment code used or expired, a revoked tablet. Never a status line or a traceback.
"""
from __future__ import annotations

from assets.messages import catalogue
from kivy_client.presenters.base import readable
from sync.client.errors import CredentialsError, RetryableError, TransportError
from sync.protocol import ErrorCode

NO_NETWORK = ("无法连接服务器 {server}：请检查网络（Wi-Fi 或移动数据）后重试",
              "cannot reach the server {server}: check the network (Wi-Fi or mobile data) and try again")
WRONG_PASSWORD = ("密码错误：请输入你本人的登录密码", "wrong password: enter your own sign-in password")
NEED_PASSWORD = ("请输入你本人的登录密码以确认登记", "enter your own sign-in password to confirm the enrolment")
TOO_MANY = ("密码错误次数过多，请稍后再试", "too many wrong passwords: try again later")
SERVER_BUSY = ("服务器暂时无法处理（{status}），请稍后再试", "the server cannot answer now ({status}): try again later")
REVOKED = ("本设备已被撤销或凭证已失效，请在“设置”中重新登记", ("this tablet was revoked or its credentials expired: "
           "enrol it again in Settings"))


def _pair(text: str) -> tuple[str, str]:
    zh, _sep, en = text.partition(" / ")
    return (zh, en or zh)


def is_offline(exc: BaseException) -> bool:
    """True when `exc` means the server could not be reached at all (no answer)."""
    return isinstance(exc, RetryableError) and getattr(exc, "status", None) is None


def _server_words(exc: TransportError) -> tuple[str, str] | None:
    """The server's own message (zh-CN, the server's default) with its English from the
    catalogue: the key whose zh-CN text the message is."""
    text = str(exc).split(": ", 1)[-1].strip()
    zh, en = catalogue("zh-CN"), catalogue("en")
    key = next((k for k, v in zh.items() if k.startswith(f"error.{exc.code}") and v == text), None)
    return (text, en[key]) if key and key in en else None


def failure_words(exc: BaseException, server: str = "") -> tuple[str, str]:
    """Return (中文, English) words for a failed request to `server`."""
    if is_offline(exc):
        pair = NO_NETWORK
    elif (code := getattr(exc, "code", None)) == ErrorCode.INVALID_CREDENTIALS:
        pair = WRONG_PASSWORD
    elif code == ErrorCode.RATE_LIMITED:
        pair = TOO_MANY
    elif code == ErrorCode.VALIDATION_FAILED and "password" in (getattr(exc, "details", None) or {}):
        pair = NEED_PASSWORD
    elif isinstance(exc, CredentialsError):
        pair = REVOKED
    elif isinstance(exc, RetryableError):
        pair = SERVER_BUSY
    else:
        words = _server_words(exc) if isinstance(exc, TransportError) else None
        return words or _pair(readable(exc))
    return (pair[0].format(server=server, status=getattr(exc, "status", "") or ""),
            pair[1].format(server=server, status=getattr(exc, "status", "") or ""))


def plain_failure(exc: BaseException, server: str = "", *, zh_prefix: str = "", en_prefix: str = "") -> str:
    """Return the bilingual words ("中文 / English") for a failed request, after the prefixes."""
    zh, en = failure_words(exc, server)
    return f"{zh_prefix}{zh} / {en_prefix}{en}"
