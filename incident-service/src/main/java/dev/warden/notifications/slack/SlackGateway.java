package dev.warden.notifications.slack;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.google.gson.JsonParseException;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsListResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Conversation;
import com.slack.api.model.ConversationType;
import com.slack.api.model.Message;
import com.slack.api.model.ResponseMetadata;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.http.SlackHttpClient;
import com.slack.api.util.http.UserAgentInterceptor;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Posts and updates messages through Slack's Web API, and finds a message again after a
 * post whose outcome is unknown.
 * <p>
 * Neither the Slack client nor its HTTP client retries: every failure reaches the caller
 * as a {@link SlackFailure} whose kind says whether the message may have been posted.
 * Each post carries its idempotency key in the message's metadata, which is what
 * {@link #findPosted(String, String, String, Instant)} looks for.
 * <p>
 * Calls are paced as Slack documents its limits, per method, across every Warden instance
 * on the database ({@link SlackPaces}): posts per channel ({@code chat.postMessage}:
 * about one a second, short bursts allowed; a new incident's first message may use the
 * whole burst, other posts only {@link SlackSettings#replyBurst()} of it), and updates
 * and lookups per workspace ({@code chat.update}, {@code conversations.history} and
 * {@code conversations.replies} are Tier 3: 50+ a minute, bursts welcome). Updates are
 * not held to the posting pace. A turn that comes within {@link #PATIENCE} is waited for;
 * a later one is a {@link SlackBusy}, for the caller to come back, as is a turn the
 * database cannot grant (it is down or slow): nothing is sent unpaced. A 429 pauses the
 * method (for posts, the channel) for its {@code Retry-After}.
 */
@Component
public class SlackGateway implements AutoCloseable {

	/** The metadata event type of every message Warden posts. */
	static final String EVENT_TYPE = "warden_notification";

	/** The metadata payload field holding the idempotency key. */
	static final String KEY_FIELD = "key";

	/** Looking for a post starts this long before it was attempted, for clock skew. */
	static final Duration LOOKBACK = Duration.ofSeconds(60);

	private static final int PAGE_SIZE = 200;

	private static final int MAX_HISTORY_PAGES = 10;

	private static final int MAX_CHANNEL_PAGES = 100;

	/**
	 * A turn this close is waited for in the calling thread: cheaper than rescheduling a
	 * job, and short enough not to hold a worker long.
	 */
	public static final Duration PATIENCE = Duration.ofMillis(250);

	/** Slack's Tier 3 methods allow bursts; how many, Slack does not say. */
	static final int TIER3_BURST = 10;

	/** The pause after a 429 without a usable Retry-After. */
	static final Duration DEFAULT_RATE_LIMIT_PAUSE = Duration.ofSeconds(1);

	/** The shortest wait a Retry-After can ask for: 0 would retry at once, in a loop. */
	static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

	/** The longest wait a Retry-After can ask for. */
	static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

	/**
	 * After replies to a channel have been held back this many channel intervals (none
	 * went out since the channel first refused one), the next reply may use the whole
	 * burst like a page: a channel that steadily gets pages, or just came out of a 429
	 * pause, still lets its replies through. Long enough that a storm of pages (20
	 * incidents in 10 s need the whole burst and every turn after it) is never slowed by
	 * a reply taking a turn: at 5 intervals the storm's last page came seconds later.
	 */
	static final int REPLY_STARVATION_INTERVALS = 30;

	/**
	 * When the database cannot say whose turn it is, come back after this long: the
	 * delivery waits, as for a busy channel, and no attempt is spent.
	 */
	static final Duration PACING_UNAVAILABLE_RETRY = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(SlackGateway.class);

	private static final Pattern SECONDS = Pattern.compile("-?[0-9]+");

	/** Channel names are lower case, so an upper-case token is an ID. */
	private static final Pattern CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");

	private final SlackSettings settings;

	private final Slack slack;

	private final MethodsClient methods;

	/** Turns at Slack, shared by every instance. */
	private final SlackPaces paces;

	/** chat.update turns for the workspace. */
	private final SlackPaces.Pace updates;

	/** conversations.history and conversations.replies turns for the workspace. */
	private final SlackPaces.Pace lookups;

	/** Channel name (without {@code #}) to ID. */
	private final Map<String, String> channelIds = new ConcurrentHashMap<>();

	private final ReentrantLock channelListing = new ReentrantLock();

	SlackGateway(SlackSettings settings, SlackPaces paces) {
		this.settings = settings;
		this.paces = paces;
		SlackConfig config = new SlackConfig();
		config.setMethodsEndpointUrlPrefix(settings.methodsUrl().toString());
		// Statistics would call auth.test before the first call and keep per-team
		// metrics; Warden needs neither.
		config.setStatsEnabled(false);
		config.getMethodsConfig().setStatsEnabled(false);
		OkHttpClient http = new OkHttpClient.Builder().connectTimeout(settings.timeout())
			.readTimeout(settings.timeout())
			.writeTimeout(settings.timeout())
			// A retried post is a second message: failures must reach Warden.
			.retryOnConnectionFailure(false)
			.followRedirects(false)
			.followSslRedirects(false)
			.addInterceptor(new UserAgentInterceptor(Map.of()))
			.addInterceptor(new SendTracker())
			.build();
		this.slack = Slack.getInstance(config, new SlackHttpClient(http));
		this.methods = this.slack.methods(settings.botToken());
		this.updates = SlackPaces.Pace.of("chat.update", TIER3_BURST,
				Duration.ofMinutes(1).dividedBy(settings.updatesPerMinute()));
		this.lookups = SlackPaces.Pace.of("conversations.history+replies", TIER3_BURST,
				Duration.ofMinutes(1).dividedBy(50));
	}

	/** Whether Slack is configured; when not, every call fails permanently. */
	public boolean enabled() {
		return this.settings.enabled();
	}

	/**
	 * Takes a turn to post to the channel: at once if the channel's pace allows, after a
	 * short wait (at most {@link #PATIENCE}) if the next turn is that close. A reply uses
	 * only {@link SlackSettings#replyBurst()} of the burst, unless the channel's replies
	 * have been held back for {@link #REPLY_STARVATION_INTERVALS} intervals: then it may
	 * use the whole burst, and a refused reply is told to come back when that is so.
	 * @param channel the channel, by ID or name, as routing names it (the post's
	 * {@link SlackPost#pace()}): a channel's posts share one pace across instances when
	 * routing names it one way
	 * @param urgency whether the post is a new incident's first message, which may use
	 * the whole burst
	 * @throws SlackBusy when the next turn is further away, or the database cannot grant
	 * one; nothing was taken
	 */
	public void awaitTurnToPost(String channel, Urgency urgency) {
		requireEnabled();
		int floor = (urgency == Urgency.FIRST_MESSAGE) ? 0
				: Math.max(0, this.settings.channelBurst() - this.settings.replyBurst());
		SlackPaces.Pace pace = pace(channel);
		take(() -> this.paces.claim(pace, floor, PATIENCE,
				this.settings.channelInterval().multipliedBy(REPLY_STARVATION_INTERVALS)), "posting to " + channel);
	}

	/**
	 * Posts a message with {@code chat.postMessage}. Take a turn with
	 * {@link #awaitTurnToPost(String, Urgency)} first.
	 * @return where the message is: the channel's ID and the message's timestamp
	 * @throws SlackFailure when Slack did not confirm the post; when
	 * {@link SlackFailure.Kind#AMBIGUOUS AMBIGUOUS}, look the message up with
	 * {@link #findPosted(String, String, String, Instant)} before posting again
	 */
	public Posted post(SlackPost post) {
		requireEnabled();
		ChatPostMessageResponse response = paced(() -> pace(post.pace()),
				() -> call("chat.postMessage", false,
						() -> this.methods.chatPostMessage((request) -> request.channel(post.channel())
							.threadTs(post.threadTs())
							.text(post.text())
							.blocks(post.blocks().isEmpty() ? null : post.blocks())
							.metadata(new Message.Metadata(EVENT_TYPE, Map.of(KEY_FIELD, post.idempotencyKey())))
							.unfurlLinks(false)
							.unfurlMedia(false))));
		if (response.getChannel() == null || response.getTs() == null) {
			throw new SlackFailure(SlackFailure.Kind.AMBIGUOUS, "answer without channel or ts");
		}
		rememberChannel(post.channel(), response.getChannel());
		return new Posted(response.getChannel(), response.getTs());
	}

	/**
	 * Replaces a message's text and blocks with {@code chat.update}.
	 * @param channelId the channel's ID, as returned by {@link #post(SlackPost)}
	 * @param ts the message's timestamp
	 * @param text the new text
	 * @param blocks the new blocks; empty removes the message's blocks
	 * @throws SlackBusy when the workspace's next update turn is more than
	 * {@link #PATIENCE} away; nothing was sent
	 * @throws SlackFailure when Slack did not confirm the update; updates can be
	 * repeated, so a failure is never {@link SlackFailure.Kind#AMBIGUOUS AMBIGUOUS}
	 */
	public void update(String channelId, String ts, String text, List<LayoutBlock> blocks) {
		requireEnabled();
		take(() -> this.paces.claim(this.updates, 0, PATIENCE), "chat.update");
		paced(() -> this.updates,
				() -> call("chat.update", true,
						() -> this.methods.chatUpdate((request) -> request.channel(channelId)
							.ts(ts)
							.text(text)
							.blocks((blocks != null) ? blocks : List.of()))));
	}

	/**
	 * Finds a message Warden posted, after a post failed ambiguously. Looks through the
	 * channel's history since a minute before {@code since} for a top-level message, or
	 * through the thread for a reply, for the message whose metadata carries the key.
	 * @param channel the channel the post went to: an ID or a name such as
	 * {@code #ai-oncall}
	 * @param threadTs the thread the post replied to; null for a top-level message
	 * @param idempotencyKey the post's key
	 * @param since when the post was first attempted
	 * @return the message, or empty when Slack does not have it
	 * @throws SlackBusy when the workspace's next lookup turn is more than
	 * {@link #PATIENCE} away
	 * @throws SlackFailure when the lookup itself fails
	 */
	public Optional<Posted> findPosted(String channel, String threadTs, String idempotencyKey, Instant since) {
		requireEnabled();
		String channelId = channelId(channel);
		String oldest = slackTimestamp(since.minus(LOOKBACK));
		String cursor = null;
		for (int page = 0; page < MAX_HISTORY_PAGES; page++) {
			String pageCursor = cursor;
			List<Message> messages;
			take(() -> this.paces.claim(this.lookups, 0, PATIENCE), "looking up a post");
			if (threadTs == null) {
				ConversationsHistoryResponse response = paced(() -> this.lookups,
						() -> call("conversations.history", true,
								() -> this.methods.conversationsHistory((request) -> request.channel(channelId)
									.oldest(oldest)
									.includeAllMetadata(true)
									.limit(PAGE_SIZE)
									.cursor(pageCursor))));
				messages = response.getMessages();
				cursor = response.isHasMore() ? nextCursor(response.getResponseMetadata()) : null;
			}
			else {
				ConversationsRepliesResponse response = paced(() -> this.lookups,
						() -> call("conversations.replies", true,
								() -> this.methods.conversationsReplies((request) -> request.channel(channelId)
									.ts(threadTs)
									.includeAllMetadata(true)
									.limit(PAGE_SIZE)
									.cursor(pageCursor))));
				messages = response.getMessages();
				cursor = response.isHasMore() ? nextCursor(response.getResponseMetadata()) : null;
			}
			Optional<Posted> found = (messages != null) ? messages.stream()
				.filter((message) -> carriesKey(message, idempotencyKey))
				.findFirst()
				.map((message) -> new Posted(channelId, message.getTs())) : Optional.empty();
			if (found.isPresent() || cursor == null) {
				return found;
			}
		}
		return Optional.empty();
	}

	/** Releases the HTTP client's connections and threads. */
	@Override
	public void close() {
		try {
			this.slack.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not close the Slack client", ex);
		}
	}

	private void requireEnabled() {
		if (!enabled()) {
			throw new SlackFailure(SlackFailure.Kind.PERMANENT, "Slack is not configured (warden.slack.bot-token)");
		}
	}

	private static boolean carriesKey(Message message, String idempotencyKey) {
		Message.Metadata metadata = message.getMetadata();
		return metadata != null && EVENT_TYPE.equals(metadata.getEventType()) && metadata.getEventPayload() != null
				&& idempotencyKey.equals(metadata.getEventPayload().get(KEY_FIELD));
	}

	private static String nextCursor(ResponseMetadata metadata) {
		String cursor = (metadata != null) ? metadata.getNextCursor() : null;
		return (cursor == null || cursor.isBlank()) ? null : cursor;
	}

	/** Slack's {@code seconds.microseconds} form of an instant. */
	static String slackTimestamp(Instant instant) {
		return instant.getEpochSecond() + "." + String.format(Locale.ROOT, "%06d", instant.getNano() / 1000);
	}

	/**
	 * The channel's posting pace, by the channel as routing names it. Not by the ID a
	 * post reveals: instances that learned it and instances that did not yet would pace
	 * one channel under two keys.
	 */
	private SlackPaces.Pace pace(String channel) {
		String name = channelName(channel);
		String key = (name != null) ? "#" + name : channel;
		return SlackPaces.Pace.of("chat.postMessage " + key, this.settings.channelBurst(),
				this.settings.channelInterval());
	}

	/**
	 * Goes ahead with a claimed turn, after waiting for a booked one. A claim the
	 * database could not answer is a busy turn: the caller comes back, and nothing goes
	 * to Slack unpaced.
	 */
	private static void take(Supplier<SlackPaces.Claim> claiming, String what) {
		SlackPaces.Claim claim;
		try {
			claim = claiming.get();
		}
		catch (RuntimeException ex) {
			log.warn("Cannot take a turn at Slack for {}, trying again in {}: {}", what, PACING_UNAVAILABLE_RETRY,
					ex.toString());
			throw new SlackBusy(what + " (pacing unavailable)", PACING_UNAVAILABLE_RETRY);
		}
		if (!claim.granted()) {
			throw new SlackBusy(what, claim.delay());
		}
		if (!claim.delay().isZero()) {
			try {
				Thread.sleep(claim.delay());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SlackBusy(what + " (interrupted)", claim.delay());
			}
		}
	}

	/** Makes a call; when Slack says too many, the pace pauses for its Retry-After. */
	private <T> T paced(Supplier<SlackPaces.Pace> pace, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (SlackFailure failure) {
			if (failure.kind() == SlackFailure.Kind.RATE_LIMITED) {
				Duration pause = failure.retryAfter().orElse(DEFAULT_RATE_LIMIT_PAUSE);
				try {
					this.paces.pause(pace.get(), pause);
				}
				catch (RuntimeException ex) {
					// The failure still says when to come back; other callers meet the
					// 429.
					log.warn("Cannot pause the pace after Slack's 429 for {}: {}", pause, ex.toString());
				}
			}
			throw failure;
		}
	}

	private void rememberChannel(String channel, String channelId) {
		String name = channelName(channel);
		if (name != null) {
			this.channelIds.put(name, channelId);
		}
	}

	/** The name in {@code #name} or {@code name}; null when the channel is an ID. */
	private static String channelName(String channel) {
		if (channel.startsWith("#")) {
			return channel.substring(1);
		}
		return CHANNEL_ID.matcher(channel).matches() ? null : channel;
	}

	private String channelId(String channel) {
		String name = channelName(channel);
		if (name == null) {
			return channel;
		}
		String id = this.channelIds.get(name);
		if (id != null) {
			return id;
		}
		this.channelListing.lock();
		try {
			id = this.channelIds.get(name);
			if (id == null) {
				listChannels();
				id = this.channelIds.get(name);
			}
		}
		finally {
			this.channelListing.unlock();
		}
		if (id == null) {
			throw new SlackFailure(SlackFailure.Kind.PERMANENT, "channel_not_found (#" + name + ")");
		}
		return id;
	}

	private void listChannels() {
		String cursor = null;
		for (int page = 0; page < MAX_CHANNEL_PAGES; page++) {
			String pageCursor = cursor;
			ConversationsListResponse response = call("conversations.list", true,
					() -> this.methods.conversationsList((request) -> request
						.types(List.of(ConversationType.PUBLIC_CHANNEL, ConversationType.PRIVATE_CHANNEL))
						.excludeArchived(true)
						.limit(PAGE_SIZE)
						.cursor(pageCursor)));
			if (response.getChannels() != null) {
				for (Conversation conversation : response.getChannels()) {
					if (conversation.getName() != null && conversation.getId() != null) {
						this.channelIds.put(conversation.getName(), conversation.getId());
					}
				}
			}
			cursor = nextCursor(response.getResponseMetadata());
			if (cursor == null) {
				return;
			}
		}
	}

	/**
	 * Makes one call and turns every way it can fail into a {@link SlackFailure}.
	 * @param idempotent whether repeating the call is harmless; if not, a failure after
	 * the request was sent is {@link SlackFailure.Kind#AMBIGUOUS AMBIGUOUS}
	 */
	private static <T extends SlackApiTextResponse> T call(String method, boolean idempotent, SlackCall<T> call) {
		T response;
		try {
			response = call.run();
		}
		catch (SlackApiException ex) {
			throw httpFailure(idempotent, ex);
		}
		catch (IOException ex) {
			throw ioFailure(idempotent, ex);
		}
		catch (JsonParseException ex) {
			throw new SlackFailure(idempotent ? SlackFailure.Kind.TRANSIENT : SlackFailure.Kind.AMBIGUOUS,
					"unreadable answer to " + method, null, ex);
		}
		if (!response.isOk()) {
			throw apiFailure(idempotent, response);
		}
		return response;
	}

	private static SlackFailure httpFailure(boolean idempotent, SlackApiException ex) {
		int status = ex.getResponse().code();
		String reason = "HTTP " + status;
		if (status == 429) {
			return new SlackFailure(SlackFailure.Kind.RATE_LIMITED, reason,
					retryAfter(ex.getResponse().header("Retry-After")), ex);
		}
		if (status == 504 && !idempotent) {
			// A gateway that timed out waiting for Slack cannot say whether Slack posted.
			return new SlackFailure(SlackFailure.Kind.AMBIGUOUS, reason, null, ex);
		}
		if (status >= 500 || status == 408) {
			return new SlackFailure(SlackFailure.Kind.TRANSIENT, reason, null, ex);
		}
		return new SlackFailure(SlackFailure.Kind.PERMANENT, reason, null, ex);
	}

	private static SlackFailure apiFailure(boolean idempotent, SlackApiTextResponse response) {
		String error = (response.getError() != null) ? response.getError() : "unknown_error";
		SlackFailure.Kind kind = switch (error) {
			case "ratelimited", "rate_limited" -> SlackFailure.Kind.RATE_LIMITED;
			// Slack says part of the operation may have been carried out.
			case "internal_error", "fatal_error" ->
				idempotent ? SlackFailure.Kind.TRANSIENT : SlackFailure.Kind.AMBIGUOUS;
			case "service_unavailable", "request_timeout" -> SlackFailure.Kind.TRANSIENT;
			default -> SlackFailure.Kind.PERMANENT;
		};
		String reason = ("missing_scope".equals(error) && response.getNeeded() != null)
				? error + " (needs " + response.getNeeded() + ")" : error;
		Duration retryAfter = null;
		if (kind == SlackFailure.Kind.RATE_LIMITED && response.getHttpResponseHeaders() != null) {
			List<String> values = response.getHttpResponseHeaders().get("retry-after");
			retryAfter = (values != null && !values.isEmpty()) ? retryAfter(values.getFirst()) : null;
		}
		return new SlackFailure(kind, reason, retryAfter, null);
	}

	private static SlackFailure ioFailure(boolean idempotent, IOException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SendTracker.Unanswered unanswered) {
				return new SlackFailure(idempotent ? SlackFailure.Kind.TRANSIENT : SlackFailure.Kind.AMBIGUOUS,
						describe(unanswered.getCause(), true), null, ex);
			}
		}
		return new SlackFailure(SlackFailure.Kind.TRANSIENT, describe(ex, false), null, ex);
	}

	private static String describe(IOException ex, boolean sent) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : "";
		String lower = message.toLowerCase(Locale.ROOT);
		if (ex instanceof SocketTimeoutException) {
			return sent ? "read timed out" : "timed out before the request was sent";
		}
		if (ex instanceof UnknownHostException) {
			return "unknown host " + message;
		}
		if (ex instanceof ConnectException) {
			return (lower.contains("refused") || hasCauseMentioning(ex, "refused")) ? "connection refused"
					: "cannot connect: " + message;
		}
		if (ex instanceof SocketException && lower.contains("reset")) {
			return "connection reset";
		}
		if (ex instanceof EOFException || lower.contains("unexpected end of stream")) {
			return "connection closed";
		}
		return message.isEmpty() ? ex.getClass().getSimpleName() : message;
	}

	private static boolean hasCauseMentioning(Throwable ex, String word) {
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().toLowerCase(Locale.ROOT).contains(word)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The wait a {@code Retry-After} header asks for, within [{@link #MIN_RETRY_AFTER},
	 * {@link #MAX_RETRY_AFTER}]: zero would retry at once in a loop that costs no
	 * attempt, and a huge number would overflow the time arithmetic.
	 * @return the wait, or null when the header is missing or not a number of seconds
	 */
	static Duration retryAfter(String header) {
		if (header == null || !SECONDS.matcher(header.strip()).matches()) {
			return null;
		}
		String seconds = header.strip();
		if (seconds.startsWith("-")) {
			return MIN_RETRY_AFTER;
		}
		// Longer than any wait that fits (a long has 19 digits): the most Warden waits.
		if (seconds.length() > 18) {
			return MAX_RETRY_AFTER;
		}
		Duration wait = Duration.ofSeconds(Long.parseLong(seconds));
		return (wait.compareTo(MIN_RETRY_AFTER) < 0) ? MIN_RETRY_AFTER
				: (wait.compareTo(MAX_RETRY_AFTER) > 0) ? MAX_RETRY_AFTER : wait;
	}

	/** One Slack call. */
	@FunctionalInterface
	private interface SlackCall<T> {

		T run() throws IOException, SlackApiException;

	}

}
