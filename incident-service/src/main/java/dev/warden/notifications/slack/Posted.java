package dev.warden.notifications.slack;

import java.util.Objects;

/**
 * A message Slack holds.
 *
 * @param channelId the channel's ID, also when the message was posted by channel name
 * @param ts the message's timestamp, its ID within the channel
 */
public record Posted(String channelId, String ts) {

	public Posted {
		Objects.requireNonNull(channelId, "channelId");
		Objects.requireNonNull(ts, "ts");
	}

}
