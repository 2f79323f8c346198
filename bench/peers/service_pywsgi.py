#!/usr/bin/python3
"""The tweepee API of examples/service on the seed stack: gevent's pywsgi + peewee + PyMySQL.

The same endpoints, tables (tweepee_users, tweepee_tweets, tweepee_follows), JSON and
background job (follower counts recomputed every second in a greenlet) as the C++ service, so
bench/service_load drives both with one client. One greenlet per request (pywsgi), peewee's
connection pool (playhouse.pool) with the same size as the C++ service's (--max-open).
Run with Debian's interpreter: /usr/bin/python3 (python3-gevent, -pymysql, -peewee).

  service_pywsgi.py --url mysql://user:pw@host:port/db --listen 127.0.0.1:8081 [--max-open 32] [--no-job]
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
from urllib.parse import parse_qs, unquote, urlparse  # noqa: E402

import gevent  # noqa: E402
from gevent.pywsgi import WSGIServer  # noqa: E402
import peewee  # noqa: E402
from playhouse.pool import PooledMySQLDatabase  # noqa: E402

db = PooledMySQLDatabase(None)


class BaseModel(peewee.Model):
    class Meta:
        database = db


class User(BaseModel):
    username = peewee.CharField(max_length=64, unique=True)
    joined = peewee.DateTimeField(constraints=[peewee.SQL("DEFAULT CURRENT_TIMESTAMP(6)")], null=True)
    followers = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "tweepee_users"


class Tweet(BaseModel):
    user = peewee.ForeignKeyField(User, column_name="user_id", on_delete="CASCADE")
    content = peewee.CharField(max_length=280)
    created = peewee.DateTimeField(constraints=[peewee.SQL("DEFAULT CURRENT_TIMESTAMP(6)")], null=True)

    class Meta:
        table_name = "tweepee_tweets"
        indexes = ((("user", "created"), False),)


class Follow(BaseModel):
    from_user = peewee.ForeignKeyField(User, column_name="from_user_id", on_delete="CASCADE")
    to_user = peewee.ForeignKeyField(User, column_name="to_user_id", on_delete="CASCADE")

    class Meta:
        table_name = "tweepee_follows"
        primary_key = peewee.CompositeKey("from_user", "to_user")


class ClientError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def body_json(environ):
    try:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        j = json.loads(environ["wsgi.input"].read(size) or b"null")
    except ValueError:
        raise ClientError("400 Bad Request", "the body must be a JSON object")
    if not isinstance(j, dict):
        raise ClientError("400 Bad Request", "the body must be a JSON object")
    return j


def field(j, name):
    v = j.get(name)
    if not isinstance(v, str):
        raise ClientError("400 Bad Request", 'field "%s" must be a string' % name)
    return v


def existing_user(name):
    u = User.get_or_none(User.username == name)
    if u is None:
        raise ClientError("404 Not Found", 'no user named "%s"' % name)
    return u


def micros(t):
    return int(t.timestamp() * 1e6) if t is not None else 0


def route(environ):
    method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
    if path == "/healthz":
        return "200 OK", "ok\n"
    if path == "/users" and method == "POST":
        name = field(body_json(environ), "username")
        if not 1 <= len(name) <= 64:
            raise ClientError("400 Bad Request", "username must be 1 to 64 characters")
        u, created = User.get_or_create(username=name)
        return ("201 Created" if created else "200 OK"), {"id": u.id, "username": u.username, "created": created}
    if path == "/follows" and method == "POST":
        j = body_json(environ)
        a, b = existing_user(field(j, "from")), existing_user(field(j, "to"))
        n = Follow.insert(from_user=a.id, to_user=b.id).on_conflict_ignore().execute()
        return "200 OK", {"followed": bool(n)}
    if path == "/tweets" and method == "POST":
        j = body_json(environ)
        author = existing_user(field(j, "username"))
        content = field(j, "content")
        if not 1 <= len(content) <= 280:
            raise ClientError("400 Bad Request", "content must be 1 to 280 characters")
        t = Tweet.create(user=author.id, content=content)
        t = Tweet.get_by_id(t.id)
        return "201 Created", {"id": t.id, "username": author.username, "content": t.content,
                               "created_us": micros(t.created)}
    if path.startswith("/users/") and method == "GET":
        u = existing_user(unquote(path[len("/users/"):]))
        return "200 OK", {"id": u.id, "username": u.username, "followers": u.followers}
    if path.startswith("/timeline/") and method == "GET":
        limit = int(parse_qs(environ.get("QUERY_STRING", "")).get("limit", ["20"])[0])
        reader = existing_user(unquote(path[len("/timeline/"):]))
        followed = Follow.select(Follow.to_user).where(Follow.from_user == reader.id)
        rows = (Tweet.select(Tweet, User.username).join(User).where(Tweet.user.in_(followed))
                .order_by(Tweet.created.desc(), Tweet.id.desc()).limit(limit))
        return "200 OK", {"username": reader.username,
                          "tweets": [{"id": t.id, "username": t.user.username, "content": t.content,
                                      "created_us": micros(t.created)} for t in rows]}
    raise ClientError("404 Not Found", "no route for " + path)


def app(environ, start_response):
    try:
        with db.connection_context():  # a pooled connection for this request only
            status, payload = route(environ)
    except ClientError as e:
        status, payload = e.status, {"error": str(e)}
    body = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
    ctype = "text/plain" if isinstance(payload, str) else "application/json"
    start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))])
    return [body]


def follower_job(period):
    count = (Follow.select(peewee.fn.COUNT(peewee.SQL("*"))).where(Follow.to_user == User.id))
    while True:
        gevent.sleep(period)
        with db.connection_context():
            User.update(followers=peewee.fn.COALESCE(count, 0)).execute()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--listen", default="127.0.0.1:8081")
    p.add_argument("--max-open", type=int, default=32)
    p.add_argument("--no-job", action="store_true")
    a = p.parse_args()
    u = urlparse(a.url)
    if u.scheme not in ("mysql", "mariadb") or not u.path.strip("/"):
        p.error("--url must look like mysql://user:pw@host:port/db, got %r" % a.url)
    q = parse_qs(u.query)
    kw = dict(user=unquote(u.username or ""), password=unquote(u.password or ""), max_connections=a.max_open,
              stale_timeout=300, timeout=30, charset="utf8mb4")  # timeout: wait for a connection (peewee polls every 0.1 s) instead of failing
    if "socket" in q:
        kw["unix_socket"] = q["socket"][0]
    else:
        kw.update(host=u.hostname or "127.0.0.1", port=u.port or 3306)
    db.init(u.path.strip("/"), **kw)
    with db.connection_context():
        db.create_tables([User, Tweet, Follow], safe=True)
    host, port = a.listen.rsplit(":", 1)
    server = WSGIServer((host, int(port)), app, log=None)
    server.start()
    job = None if a.no_job else gevent.spawn(follower_job, 1.0)
    print("listening on %s:%d" % (host, server.server_port), flush=True)
    stop = gevent.event.Event()
    gevent.signal_handler(signal.SIGTERM, stop.set)
    gevent.signal_handler(signal.SIGINT, stop.set)
    stop.wait()
    server.stop(timeout=5)
    if job is not None:
        job.kill()
    db.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
