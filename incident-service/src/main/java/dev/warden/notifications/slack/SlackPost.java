package dev.warden.notifications.slack;

import java.util.List;
import java.util.Objects;

import com.slack.api.model.block.LayoutBlock;

/**
 * A message to post.
 *
 * @param channel a channel ID ({@code C...}, {@code G...}) or a name such as
 * {@code #ai-oncall}
 * @param threadTs the timestamp of the message to reply to; null for a top-level message
 * @param text the text: shown in notifications, and as the message when there are no
 * blocks
 * @param blocks the Block Kit blocks; may be empty
 * @param idempotencyKey identifies this message among all Warden posts, so that it can be
 * found again after an ambiguous failure; carried in the message's metadata
 */
public record SlackPost(String channel, String threadTs, String text, List<LayoutBlock> blocks, String idempotencyKey) {

	public SlackPost {
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(text, "text");
		Objects.requireNonNull(idempotencyKey, "idempotencyKey");
		blocks = (blocks != null) ? List.copyOf(blocks) : List.of();
	}

}
