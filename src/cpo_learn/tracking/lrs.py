"""Sending a learner's xAPI statements to a learning record store (xAPI 1.0.3), each one stored once.

The push protocol:

1. The statements are the learner's whole log as ``tracking.xapi`` says it; each statement's id is its
   event's id, so the same event is always the same statement.
2. The *acknowledgement record*, ``<home>/learners/<slug>.json.lrs`` (beside the learner's file, JSON, written
   atomically), keeps per LRS endpoint the ids the LRS has acknowledged and when the last push was.
3. What waits is every statement whose id the record does not hold for this endpoint, in log order (so a
   voiding statement never goes before the one it voids). It is sent in batches (``POST statements``); after
   each batch the LRS acknowledges (200 or 204), the record is rewritten before the next batch goes.
4. A connection error, a timeout, a 429 or a 5xx is retried with exponential back-off (0.5 s, 1 s, 2 s, ...);
   when the tries run out the push stops and the rest waits. A 4xx other than those stops the push with one
   line naming the statement and the LRS's reason (a refused batch is re-sent one statement at a time to find
   which statement it was; the ones before it are acknowledged). A 409 for one statement means the LRS holds
   that id already with other content (xAPI statements never change there): it counts as acknowledged.
5. A push killed at any moment loses nothing (the record only ever grows after an acknowledgement) and
   duplicates nothing: what was stored but not yet recorded is sent again with the same ids, and an xAPI LRS
   stores a statement id once (a re-sent identical statement is answered 204 or 200 without a second copy).

Pushes of one learner are serialised by ``<slug>.json.lrs.lock``. Where to push, and how, is
``tracking.lrs_settings``. The HTTP client (urllib3) is imported only
here, and only when something is sent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpo_learn.errors import CpoLearnError, StoreError, one_line
from cpo_learn.tracking.lrs_settings import LrsSettings

if TYPE_CHECKING:
    import urllib3

    from cpo_learn.content.catalog import Catalog
    from cpo_learn.tracking.tracker import LearnerStore

XAPI_VERSION = "1.0.3"
RECORD_SCHEMA = 1
BACKOFF_START = 0.5
BACKOFF_CAP = 8.0
REASON_LIMIT = 300
Statement = dict[str, Any]


class LrsError(CpoLearnError):
    """The LRS could not be reached or refused something; the message says what waits and what to do."""


class EndpointError(LrsError):
    """The endpoint itself fails (unreachable, credentials refused, not an LRS): no learner can push to it."""


@dataclass(frozen=True)
class EndpointRecord:
    """What one LRS has acknowledged for a learner, and when the last push to it ended."""

    acknowledged: frozenset[str] = frozenset()
    last_push: str | None = None
    last_sent: int = 0


def record_path(learner_file: Path) -> Path:
    """The acknowledgement record beside a learner's file: ``<slug>.json`` -> ``<slug>.json.lrs``."""
    return learner_file.with_name(learner_file.name + ".lrs")


def read_record(path: Path) -> dict[str, EndpointRecord]:
    """The record's endpoints (none when there is no record yet); a ``StoreError`` for a damaged record."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    how = (f"move it aside (the next push re-sends every statement, and the LRS stores none twice): "
           f"mv {path} {path}.damaged")
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("schema_version") != RECORD_SCHEMA:
            raise ValueError("not an acknowledgement record of this cpo-learn")
        return {endpoint: EndpointRecord(frozenset(str(i) for i in entry["acknowledged"]), entry.get("last_push"),
                                         int(entry.get("last_sent", 0)))
                for endpoint, entry in data["endpoints"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoreError(f"{path} is damaged ({one_line(str(exc))[:100]}); {how}") from None


def write_record(path: Path, endpoints: Mapping[str, EndpointRecord]) -> None:
    """Replace the record atomically (the one atomic writer, fsynced)."""
    from cpo_learn.files import write_atomically

    data = {"schema_version": RECORD_SCHEMA, "endpoints": {
        endpoint: {"acknowledged": sorted(entry.acknowledged), "last_push": entry.last_push,
                   "last_sent": entry.last_sent}
        for endpoint, entry in sorted(endpoints.items())}}
    try:
        write_atomically(path, (json.dumps(data, indent=1) + "\n").encode())
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}; the LRS has the statements, and the next "
                         "push sends them again without storing any twice") from None


def waiting(statements: Sequence[Statement], record: EndpointRecord) -> list[Statement]:
    """The statements the endpoint has not acknowledged, in log order."""
    return [s for s in statements if s["id"] not in record.acknowledged]


def describe(statement: Statement) -> str:
    """``<id> (completed .../modules/education/x)``: which statement, in words a learner recognises."""
    verb = statement.get("verb", {}).get("display", {}).get("en-US") or statement.get("verb", {}).get("id", "?")
    target = statement.get("object", {}).get("id", "?")
    return f"{statement['id']} ({verb} {target})"


@dataclass(frozen=True)
class Answer:
    """An LRS's answer: the HTTP status and the body as text."""

    status: int
    body: str

    @property
    def reason(self) -> str:
        """The LRS's reason, one line: the ``detail``/``message`` of a JSON body, else the text."""
        text = self.body.strip()
        try:
            data = json.loads(text)
            if isinstance(data, dict):
                found = data.get("detail") or data.get("message") or data.get("error") or text
                text = found if isinstance(found, str) else json.dumps(found)
        except ValueError:
            pass
        text = one_line(" ".join(text.split()))
        return (text[:REASON_LIMIT] + "...") if len(text) > REASON_LIMIT else (text or "no reason given")


class Unreachable(Exception):
    """One try that got no HTTP answer (refused, reset, timed out)."""


class Client:
    """POSTs statement batches to one endpoint with basic auth (urllib3, imported on first use)."""

    def __init__(self, settings: LrsSettings) -> None:
        self.settings = settings
        self._pool: urllib3.PoolManager | None = None

    def post(self, batch: Sequence[Statement]) -> Answer:
        """One try: the LRS's answer, or ``Unreachable``."""
        import urllib3

        if self._pool is None:
            # No retries of urllib3's own (ours are counted and reported) and no proxies from the environment.
            self._pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(
                connect=self.settings.timeout, read=self.settings.timeout))
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json"}
        if self.settings.user is not None:
            headers.update(urllib3.make_headers(basic_auth=f"{self.settings.user}:{self.settings.password or ''}"))
        try:
            response = self._pool.request("POST", self.settings.statements_url, body=json.dumps(batch).encode(),
                                          headers=headers)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise Unreachable(_network_reason(exc)) from None
        return Answer(response.status, response.data.decode("utf-8", errors="replace"))


def _network_reason(exc: BaseException) -> str:
    import urllib3

    # NewConnectionError is a kind of ConnectTimeoutError in urllib3 2: ask about it first.
    if isinstance(exc, urllib3.exceptions.NewConnectionError | ConnectionRefusedError):
        refused = isinstance(exc, ConnectionRefusedError) or isinstance(exc.__context__, ConnectionRefusedError)
        return "connection refused" if refused else f"cannot connect ({one_line(str(exc))[-120:]})"
    if isinstance(exc, urllib3.exceptions.TimeoutError | TimeoutError):
        return "timed out"
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        return "the connection broke off"
    return type(exc).__name__


@dataclass
class PushReport:
    """What a push did: statements acknowledged, batches sent, tries that failed, and what still waits."""

    acknowledged: int = 0
    batches: int = 0
    retried: int = 0
    waiting: int = 0
    conflicts: int = 0  # statements the LRS already held with other content (409), taken as acknowledged


Sleep = Callable[[float], None]


class Pusher:
    """Sends what waits for one learner and endpoint, keeping the acknowledgement record as it goes."""

    def __init__(self, settings: LrsSettings, record_file: Path, now: Callable[[], str], *,
                 client: Client | None = None, sleep: Sleep = time.sleep,
                 on_retry: Callable[[str, float], None] | None = None) -> None:
        self.settings = settings
        self.record_file = record_file
        self.now = now
        self.client = client or Client(settings)
        self.sleep = sleep
        self.on_retry = on_retry

    def push(self, statements: Sequence[Statement]) -> PushReport:
        """Send every statement the endpoint has not acknowledged (``LrsError`` when it must stop)."""
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.record_file) + ".lock", timeout=60)
        try:
            lock.acquire()
        except Timeout:
            raise LrsError(f"another push for this learner has held {lock.lock_file} for 60 s; try again when it "
                           "has finished") from None
        except OSError as exc:
            raise StoreError(f"cannot lock {lock.lock_file}: {exc.strerror or exc}") from None
        try:
            return self._push_locked(statements)
        finally:
            lock.release()

    def _push_locked(self, statements: Sequence[Statement]) -> PushReport:
        endpoints = read_record(self.record_file)
        entry = endpoints.get(self.settings.endpoint, EndpointRecord())
        pending = waiting(statements, entry)
        report = PushReport(waiting=len(pending))
        acknowledged = set(entry.acknowledged)

        def save(sent: int) -> None:
            endpoints[self.settings.endpoint] = EndpointRecord(frozenset(acknowledged), self.now(), sent)
            write_record(self.record_file, endpoints)

        size = max(1, self.settings.batch_size)
        try:
            for start in range(0, len(pending), size):
                batch = pending[start:start + size]
                for accepted in self._send(batch, report):  # saved group by group, before anything else goes
                    acknowledged.update(accepted)
                    report.acknowledged += len(accepted)
                    report.waiting -= len(accepted)
                    save(report.acknowledged)
        finally:
            if not pending:
                save(0)  # a push that found nothing to send still counts as the last push
        return report

    def _send(self, batch: Sequence[Statement], report: PushReport) -> Iterator[list[str]]:
        """Send one batch; yields the groups of ids acknowledged (the batch, or one by one after a refusal)."""
        answer = self._try(batch, report)
        if answer.status in (200, 204):
            report.batches += 1
            yield [s["id"] for s in batch]
            return
        if answer.status in (401, 403):
            raise EndpointError(f"the LRS at {self.settings.endpoint} refused the credentials ({answer.status}: "
                           f"{answer.reason}); check CPO_LEARN_LRS_USER and CPO_LEARN_LRS_PASSWORD (or [lrs] in "
                           f"config.toml); {report.waiting} statements wait")
        if not 400 <= answer.status < 500:  # a redirect or an odd 2xx: not an xAPI statements resource
            raise EndpointError(f"the LRS at {self.settings.endpoint} answered {answer.status} ({answer.reason}) to "
                           f"POST statements; check that the endpoint is the xAPI endpoint (it ends in /xAPI/ "
                           f"or the like); {report.waiting} statements wait")
        if len(batch) > 1:
            # The LRS refused the batch as a whole (a 409 or 4xx for one of them, as xAPI says it should): find
            # the statement by sending them one at a time.
            for statement in batch:
                yield from self._send([statement], report)
            return
        if answer.status == 409:
            # The LRS holds a statement with this id already, with other content (a title that changed after a
            # push whose answer was lost): the event is in the LRS, and xAPI statements are immutable there.
            report.conflicts += 1
            yield [batch[0]["id"]]
            return
        raise LrsError(f"the LRS refused statement {describe(batch[0])}: {answer.status} {answer.reason}; "
                       f"{report.acknowledged} statements sent, {report.waiting} wait (fix or report it, "
                       f"then push again)")

    def _try(self, batch: Sequence[Statement], report: PushReport) -> Answer:
        """POST with back-off on no answer, 429 and 5xx; the last answer, or ``LrsError`` when tries run out."""
        delay = BACKOFF_START
        for attempt in range(self.settings.retries + 1):
            try:
                answer = self.client.post(batch)
                if answer.status != 429 and answer.status < 500:
                    return answer
                problem = f"{answer.status} {answer.reason}"
            except Unreachable as exc:
                problem = str(exc)
            if attempt == self.settings.retries:
                break
            report.retried += 1
            if self.on_retry is not None:
                self.on_retry(problem, delay)
            self.sleep(delay)
            delay = min(delay * 2, BACKOFF_CAP)
        tries = self.settings.retries + 1
        raise EndpointError(f"cannot push to the LRS at {self.settings.endpoint}: {problem} "
                       f"({tries} {'try' if tries == 1 else 'tries'}); {report.acknowledged} statements sent, "
                       f"{report.waiting} wait for the next 'cpo-learn lrs push'")


def learner_statements(store: LearnerStore, catalog: Catalog, settings: LrsSettings) -> list[Statement]:
    """The learner's whole log as the statements a push sends (the same as ``export --format xapi --base``)."""
    from cpo_learn.tracking.xapi import DEFAULT_BASE, catalog_statements

    history = store.history()
    return catalog_statements(history.events, catalog, name=history.name, account=history.learner,
                              base=settings.base or DEFAULT_BASE)


def push_learner(store: LearnerStore, catalog: Catalog, settings: LrsSettings, **options: Any) -> PushReport:
    """Push what waits of one learner's statements (``Pusher`` options pass through)."""
    from cpo_learn import clock
    from cpo_learn.tracking.events import format_timestamp

    pusher = Pusher(settings, record_path(store.path), lambda: format_timestamp(clock.now()), **options)
    return pusher.push(learner_statements(store, catalog, settings))
