-- Sign-in budgets as bucket4j token buckets, shared by every instance: one bucket per
-- client address and one per (username, client address). bucket4j takes a bucket's row
-- FOR UPDATE, so instances taking from the same budget at the same moment wait for each
-- other and never both take its last attempt. The id names the kind of budget, its limit
-- and the address; usernames appear only as SHA-256 hashes (people type passwords into
-- the username field). expires_at (epoch milliseconds, system clock) is when the bucket is full again:
-- past that, the row means nothing and a recurring job deletes it.
-- Unlogged: a sign-in attempt writes no WAL and waits for no fsync, so a burst of posts
-- does not queue on the disk (and hold pool connections) while attempts are counted. The
-- price: after a PostgreSQL crash, or on a promoted replica, every budget starts full.
create unlogged table console_login_bucket (
    id         text   primary key,
    state      bytea,
    expires_at bigint
);

create index console_login_bucket_expires_at on console_login_bucket (expires_at);

-- The old counters locked a username for everyone; nothing reads them any more, and they
-- hold usernames as typed, which sometimes are passwords.
drop table console_login_throttle;
