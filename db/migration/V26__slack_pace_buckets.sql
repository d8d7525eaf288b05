-- Slack pacing shared by every instance, as bucket4j token buckets: one bucket per
-- channel for chat.postMessage (keyed by the channel as routing names it, #name or id,
-- so a first message and its thread replies share one), one for the workspace's chat.update calls and one for its
-- lookups. The id names the method, the channel and the limit, so the keys are bounded
-- by the channels Warden posts to. bucket4j takes a bucket's row FOR UPDATE, so two
-- instances taking a turn in one channel at the same moment wait for each other and never
-- both take its last turn. expires_at (epoch milliseconds, system clock) is when the
-- bucket is full again: past that, the row means nothing and a recurring job deletes it.
-- Unlogged, like console_login_bucket: a turn writes no WAL and waits for no fsync. The
-- price: after a PostgreSQL crash, or on a promoted replica, every channel starts with
-- its whole burst (Slack's 429s still pause it).
create unlogged table slack_pace_bucket (
    id         text   primary key,
    state      bytea,
    expires_at bigint
);

create index slack_pace_bucket_expires_at on slack_pace_bucket (expires_at);

-- A channel whose thread replies are being held back for pages, and since when (epoch
-- nanoseconds, the instances' clock, like the buckets): the first reply refused since a
-- reply last got a turn. Once held long enough, a reply may take a page's turn. One row
-- per channel at most, deleted when a reply gets a turn.
create unlogged table slack_reply_hold (
    pace        text   primary key,
    since_nanos bigint not null
);
