package dev.warden.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The audit log: one append-only row for every change a person or an API token makes,
 * through the console, the API or Slack. Who, through which channel and from which
 * address come from the current request: a request to {@code /api/**} is an API token's
 * (named by its {@link Authentication#getName() name}), one to {@code /slack/**} a Slack
 * member's acting as a console user, anything else a signed-in console user's.
 * <p>
 * Call it inside the transaction that makes the change: the row commits or rolls back
 * with it, so a refused or failed change leaves none. Warden's own actions (automatic
 * runbooks, auto-resolve, escalations) are not audited here; they are on the incidents'
 * timelines.
 */
@Service
public class Audit {

	private static final Logger log = LoggerFactory.getLogger(Audit.class);

	/** Longest target, before and after kept; longer ones are cut with an ellipsis. */
	static final int MAX_TEXT = 300;

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private static final String COLUMNS = "id, at, actor, actor_kind, channel, address, action, target, before, "
			+ "after, details";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Clock clock;

	Audit(JdbcClient jdbc, JsonMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * Records a change made in the current request by whoever the request authenticated.
	 * @param action what was done, like {@code incident.acknowledge}
	 * @param target what it was done to, like {@code INC-12}
	 * @param before the target's state before, in short; null when not meaningful
	 * @param after the target's state after, in short; null when not meaningful
	 * @throws IllegalStateException when the request authenticated nobody
	 */
	@Transactional(propagation = Propagation.REQUIRED)
	public void record(String action, String target, String before, String after) {
		record(action, target, before, after, null);
	}

	/**
	 * Records a change made in the current request by whoever the request authenticated,
	 * with details (kept as JSON).
	 * @throws IllegalStateException when the request authenticated nobody
	 */
	@Transactional(propagation = Propagation.REQUIRED)
	public void record(String action, String target, String before, String after, Map<String, ?> details) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || authentication.getName() == null || authentication.getName().isBlank()) {
			if (currentRequest() == null) {
				notAudited(null, action, target);
				return;
			}
			throw new IllegalStateException("Cannot audit " + action + " on " + target
					+ ": the request has no signed-in user or token; name the actor");
		}
		recordAs(authentication.getName(), action, target, before, after, details);
	}

	/**
	 * Records a change made in the current request by a named person or token: a Slack
	 * member's action as the console user it maps to, or a service that knows who acts.
	 * The channel, the kind of actor and the address still come from the request.
	 * @param actor the console username, or the API token's name on the API
	 */
	@Transactional(propagation = Propagation.REQUIRED)
	public void recordAs(String actor, String action, String target, String before, String after,
			Map<String, ?> details) {
		HttpServletRequest request = currentRequest();
		if (request == null) {
			// People reach Warden only through requests; a change outside one is
			// Warden's own (start-up, jobs) or a test's, which the timeline or log keep.
			notAudited(actor, action, target);
			return;
		}
		Channel channel = Channel.of(request);
		this.jdbc
			.sql("""
					insert into audit_event (at, actor, actor_kind, channel, address, action, target, before, after, details)
					values (?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))""")
			.params(Timestamp.from(this.clock.instant().truncatedTo(ChronoUnit.MICROS)), actor,
					(channel == Channel.API) ? "token" : "user", channel.value(), request.getRemoteAddr(), action,
					cut(target), cut(before), cut(after),
					(details != null && !details.isEmpty()) ? this.json.writeValueAsString(details) : null)
			.update();
	}

	/**
	 * A page of the audit log, newest first.
	 * @param page the page, from 0
	 * @param size entries per page
	 */
	@Transactional(readOnly = true)
	public Page<AuditEntry> find(AuditQuery query, int page, int size) {
		List<String> conditions = new ArrayList<>();
		List<Object> parameters = new ArrayList<>();
		if (query.actor() != null) {
			conditions.add("actor = ?");
			parameters.add(query.actor());
		}
		if (query.action() != null) {
			conditions.add("(action = ? or action like ?)");
			parameters.add(query.action());
			parameters.add(escapeLike(query.action()) + ".%");
		}
		if (query.target() != null) {
			conditions.add("(target = ? or target like ?)");
			parameters.add(query.target());
			parameters.add(escapeLike(query.target()) + " %");
		}
		if (query.channel() != null) {
			conditions.add("channel = ?");
			parameters.add(query.channel().value());
		}
		if (query.from() != null) {
			conditions.add("at >= ?");
			parameters.add(Timestamp.from(query.from()));
		}
		if (query.to() != null) {
			conditions.add("at < ?");
			parameters.add(Timestamp.from(query.to()));
		}
		String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
		long total = this.jdbc.sql("select count(*) from audit_event" + where)
			.params(parameters)
			.query(Long.class)
			.single();
		List<Object> paged = new ArrayList<>(parameters);
		paged.add(size);
		paged.add((long) page * size);
		List<AuditEntry> entries = this.jdbc
			.sql("select " + COLUMNS + " from audit_event" + where + " order by at desc, id desc limit ? offset ?")
			.params(paged)
			.query(this::entry)
			.list();
		return new PageImpl<>(entries, PageRequest.of(page, size), total);
	}

	private AuditEntry entry(ResultSet row, int number) throws SQLException {
		String details = row.getString("details");
		return new AuditEntry(row.getLong("id"), row.getTimestamp("at").toInstant(), row.getString("actor"),
				row.getString("actor_kind"), row.getString("channel"), row.getString("address"),
				row.getString("action"), row.getString("target"), row.getString("before"), row.getString("after"),
				(details != null) ? this.json.readValue(details, OBJECT) : Map.of());
	}

	private static HttpServletRequest currentRequest() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest() : null;
	}

	private static void notAudited(String actor, String action, String target) {
		log.warn("Not audited, made outside any request: {} on {} by {}", action, target,
				(actor != null) ? actor : "Warden");
	}

	private static String cut(String text) {
		if (text == null || text.length() <= MAX_TEXT) {
			return text;
		}
		return text.substring(0, MAX_TEXT - 1) + "…";
	}

	private static String escapeLike(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

	/** How a change reached Warden. */
	public enum Channel {

		/** The web console, by a signed-in user. */
		CONSOLE,
		/** The JSON API, by an API token. */
		API,
		/** A Slack button, by the console user the Slack member maps to. */
		SLACK;

		/** As stored and shown: {@code console}, {@code api}, {@code slack}. */
		public String value() {
			return name().toLowerCase(Locale.ROOT);
		}

		/**
		 * The channel named so, in any case.
		 * @throws InvalidAuditQuery for any other name
		 */
		public static Channel of(String name) {
			for (Channel channel : values()) {
				if (channel.value().equalsIgnoreCase(name.strip())) {
					return channel;
				}
			}
			throw new InvalidAuditQuery("channel: '" + name + "' is not one of console, api, slack");
		}

		static Channel of(HttpServletRequest request) {
			String path = request.getRequestURI().substring(request.getContextPath().length());
			if (path.equals("/api") || path.startsWith("/api/")) {
				return API;
			}
			if (path.equals("/slack") || path.startsWith("/slack/")) {
				return SLACK;
			}
			return CONSOLE;
		}

	}

}
