-- When a failed notification was last owed again (the console's Resend or the API):
-- its retry horizon (warden.notifications.give-up-after) counts from here rather than
-- from created_at, when it was first owed.
alter table notification add column resent_at timestamptz;
