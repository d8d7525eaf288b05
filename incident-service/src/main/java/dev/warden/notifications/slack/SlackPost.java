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
 * @param pace the channel as routing names it, whose pace the post took a turn of (see
 * {@link SlackGateway#awaitTurnToPost(String, Urgency)}): a 429 pauses that pace; a reply
 * posted to its thread's channel ID is paced by the name its incident's message was
 * posted to
 */
public record SlackPost(String channel, String threadTs, String text, List<LayoutBlock> blocks, String idempotencyKey,
		String pace) {

	public SlackPost {
		Objects.requireNonNull(channel, "channel");
		pace = (pace != null) ? pace : channel;
		Objects.requireNonNull(text, "text");
		Objects.requireNonNull(idempotencyKey, "idempotencyKey");
		blocks = (blocks != null) ? List.copyOf(blocks) : List.of();
	}

	/** A post paced by the channel it goes to. */
	public SlackPost(String channel, String threadTs, String text, List<LayoutBlock> blocks, String idempotencyKey) {
		this(channel, threadTs, text, blocks, idempotencyKey, channel);
	}

}
