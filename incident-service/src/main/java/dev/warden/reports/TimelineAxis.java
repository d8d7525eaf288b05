package dev.warden.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.warden.incidents.Actor;
import dev.warden.incidents.AlertSnapshot;
import dev.warden.incidents.AlertStatus;
import dev.warden.incidents.Durations;
import dev.warden.incidents.IncidentView;
import dev.warden.incidents.Milestones;
import dev.warden.incidents.RecordedEvent;
import dev.warden.notifications.Notification;
import dev.warden.runbooks.ExecutionStepView;
import dev.warden.runbooks.ExecutionView;

/**
 * An incident's timeline on a time axis, laid out here in SVG units for a template to
 * draw (as the console's charts are): one lane per alert with a bar from its
 * {@code startsAt} to its {@code endsAt} (to the axis's end while it fires), one lane per
 * runbook run with a bar per step, a lane of marks for the notifications sent and one for
 * what people did, and the milestones as lines across all lanes.
 * <p>
 * The axis runs from the earliest entry (usually the impact start) to the resolution, or
 * to now while the incident is open. A long quiet span, one in which nothing starts, ends
 * or happens, is drawn as a {@link Break} of fixed width so that the busy periods keep
 * their room; every other span is drawn to one scale, so within and across the
 * {@link Segment segments} positions are proportional to time ({@link #x(Instant)}).
 * <p>
 * The console's incident page, the printable postmortem and its PDF draw the same axis;
 * every text in it is plain text for the template to escape.
 *
 * @param label what the drawing shows, for {@code aria-label}
 * @param height the drawing's height in SVG units (its width is {@link #WIDTH})
 * @param start the left end
 * @param end the right end: the resolution, or now
 * @param open whether the incident is still open (the right end is now)
 * @param segments the spans drawn to scale, in time order
 * @param breaks the quiet spans drawn shortened, in time order
 * @param lanes the lanes, top to bottom
 * @param hiddenAlerts alerts beyond {@link #MOST_ALERT_LANES}, not drawn
 * @param hiddenAlertsY where the note about them goes, when there are any
 * @param milestones the milestones as lines
 * @param ticks the time axis's labels
 * @param axisY the y of the time axis, under the last lane
 * @param readoutY the y of the line that shows the entry under the pointer or focus
 */
public record TimelineAxis(String label, int height, Instant start, Instant end, boolean open, List<Segment> segments,
		List<Break> breaks, List<Lane> lanes, int hiddenAlerts, double hiddenAlertsY, List<Line> milestones,
		List<Tick> ticks, double axisY, double readoutY) {

	/** Width of the drawing in SVG units; the page scales it to the column. */
	public static final int WIDTH = 1000;

	/** Where the plot starts: the lanes' names stand left of it. */
	public static final int LEFT = 190;

	/** Where the plot ends. */
	public static final int RIGHT = WIDTH - 20;

	/** At most this many alerts get a lane; the others are counted. */
	public static final int MOST_ALERT_LANES = 20;

	/**
	 * A quiet span is shortened when it is longer than this share of the time still drawn
	 * to scale...
	 */
	static final double QUIET_SHARE = 0.25;

	/** ...and at least this long: a short incident is drawn to scale throughout... */
	static final Duration QUIET_LEAST = Duration.ofMinutes(30);

	/** ...and at least this much busy time is left to draw to scale. */
	static final Duration BUSY_LEAST = Duration.ofMinutes(1);

	/** A shortened quiet span keeps this share of the busy time on either side... */
	static final double QUIET_MARGIN = 0.05;

	/** ...and at least this much. */
	static final Duration QUIET_MARGIN_LEAST = Duration.ofSeconds(30);

	/** At most this many quiet spans are shortened. */
	static final int MOST_BREAKS = 6;

	/** The width of a shortened quiet span. */
	static final int BREAK_WIDTH = 36;

	static final int TOP = 40;

	static final int LANE_HEIGHT = 22;

	static final int BAR_HEIGHT = 12;

	private static final int NOTE_HEIGHT = 18;

	/** Least room between two time labels. */
	private static final int TICK_GAP = 70;

	/** Least room between the labels of neighbouring milestones, which alternate rows. */
	private static final int MILESTONE_GAP = 62;

	private static final int LONGEST_LANE_NAME = 28;

	/** The readout line is cut here; the tooltip and the table have the whole entry. */
	private static final int LONGEST_READOUT = 125;

	private static final int LONGEST_TEXT = 400;

	/** Tick steps in seconds: values a person reads at a glance. */
	private static final long[] TICK_STEPS = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800,
			21_600, 43_200, 86_400, 172_800, 604_800, 1_209_600, 2_592_000 };

	private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ENGLISH);

	/**
	 * The axis of an incident from what a page has already read: no query per entry.
	 * @param incident the incident, with its alerts, milestones and timeline
	 * @param executions its runbook runs with their steps
	 * @param notifications the messages owed for it
	 * @param now the right end while the incident is open
	 * @param zone the zone the times are shown in
	 */
	public static TimelineAxis of(IncidentView incident, List<ExecutionView> executions,
			List<Notification> notifications, Instant now, ZoneId zone) {
		DateTimeFormatter full = FULL.withZone(zone);
		Milestones milestones = incident.milestones();
		List<Milestone> points = new ArrayList<>();
		addMilestone(points, "Impact started", milestones.impactStartedAt(), null);
		addMilestone(points, "Detected", milestones.detectedAt(), null);
		addMilestone(points, "Acknowledged", milestones.acknowledgedAt(), milestones.acknowledgedBy());
		addMilestone(points, "Mitigated", milestones.mitigatedAt(), null);
		addMilestone(points, "Resolved", milestones.resolvedAt(), milestones.resolvedBy());
		List<LaneInput> lanes = new ArrayList<>();
		Map<String, Long> names = incident.alerts()
			.stream()
			.collect(Collectors.groupingBy(TimelineAxis::alertName, Collectors.counting()));
		incident.alerts()
			.stream()
			.sorted(Comparator.comparing(AlertSnapshot::startsAt, Comparator.nullsLast(Comparator.naturalOrder())))
			.filter((alert) -> alert.startsAt() != null)
			.forEach((alert) -> lanes.add(alertLane(alert, names.get(alertName(alert)) > 1, full)));
		for (ExecutionView execution : executions) {
			LaneInput lane = runbookLane(execution, full);
			if (!lane.entries().isEmpty()) {
				lanes.add(lane);
			}
		}
		List<Entry> told = new ArrayList<>();
		for (Notification notification : notifications) {
			Instant at = (notification.sentAt() != null) ? notification.sentAt()
					: (notification.failedAt() != null) ? notification.failedAt() : notification.createdAt();
			if (at != null) {
				told.add(new Entry(notificationText(notification, at, full), at, null, false, notification.status()));
			}
		}
		if (!told.isEmpty()) {
			lanes.add(new LaneInput(Kind.NOTIFICATION, "Notifications", told));
		}
		List<Entry> done = new ArrayList<>();
		for (RecordedEvent event : incident.timeline()) {
			if (event.actor().kind() == Actor.Kind.USER) {
				done.add(new Entry(actionText(event, full), event.occurredAt(), null, false, action(event)));
			}
		}
		if (!done.isEmpty()) {
			lanes.add(new LaneInput(Kind.ACTION, "People", done));
		}
		boolean open = milestones.resolvedAt() == null;
		return layout(points, lanes, open ? now : milestones.resolvedAt(), open, zone);
	}

	/**
	 * Lays the axis out.
	 * @param milestones the milestones that happened
	 * @param lanes the lanes, top to bottom; alert lanes beyond {@link #MOST_ALERT_LANES}
	 * are counted, not drawn
	 * @param end the resolution, or now: the axis reaches at least this far, and entries
	 * still going end here
	 * @param open whether the incident is still open
	 * @param zone the zone of the time labels
	 */
	static TimelineAxis layout(List<Milestone> milestones, List<LaneInput> lanes, Instant end, boolean open,
			ZoneId zone) {
		List<LaneInput> shown = new ArrayList<>();
		int alerts = 0;
		int hidden = 0;
		for (LaneInput lane : lanes) {
			if (lane.kind() == Kind.ALERT && ++alerts > MOST_ALERT_LANES) {
				hidden++;
			}
			else {
				shown.add(lane);
			}
		}
		TreeSet<Instant> moments = new TreeSet<>();
		milestones.forEach((milestone) -> moments.add(milestone.at()));
		for (LaneInput lane : shown) {
			for (Entry entry : lane.entries()) {
				moments.add(entry.from());
				if (entry.to() != null) {
					moments.add(entry.to());
				}
			}
		}
		Instant start = moments.isEmpty() ? end : moments.first();
		Instant last = moments.isEmpty() ? end : moments.last();
		// Open: the axis ends now; resolved: at the resolution, or at the last entry
		// after it.
		Instant right = (open || last.isBefore(end)) ? end : last;
		if (!right.isAfter(start)) {
			right = start.plusSeconds(1);
		}
		moments.add(start);
		moments.add(right);
		DateTimeFormatter full = FULL.withZone(zone);
		Scale scale = Scale.of(moments.subSet(start, true, right, true), start, right, full);

		double y = TOP;
		List<Lane> laidOut = new ArrayList<>();
		double hiddenY = 0;
		boolean alertsEnded = false;
		for (LaneInput lane : shown) {
			if (lane.kind() != Kind.ALERT && !alertsEnded) {
				alertsEnded = true;
				if (hidden > 0) {
					hiddenY = y + NOTE_HEIGHT / 2.0;
					y += NOTE_HEIGHT;
				}
			}
			List<Item> items = new ArrayList<>();
			for (Entry entry : lane.entries()) {
				Instant from = clamp(entry.from(), start, right);
				double x = scale.x(from);
				if (entry.to() == null && !entry.open()) {
					items.add(new Item(lane.kind(), entry.state(), entry.text(), readout(entry.text()), from, null,
							false, round(x), 0, round(y + LANE_HEIGHT / 2.0), 0));
				}
				else {
					Instant to = (entry.to() != null) ? clamp(entry.to(), from, right) : right;
					items.add(new Item(lane.kind(), entry.state(), entry.text(), readout(entry.text()), from, to,
							entry.open(), round(x), round(scale.x(to) - x), round(y + (LANE_HEIGHT - BAR_HEIGHT) / 2.0),
							BAR_HEIGHT));
				}
			}
			laidOut.add(new Lane(lane.kind(), shorten(lane.name()), lane.name(), round(y + LANE_HEIGHT / 2.0), items));
			y += LANE_HEIGHT;
		}
		if (!alertsEnded && hidden > 0) {
			hiddenY = y + NOTE_HEIGHT / 2.0;
			y += NOTE_HEIGHT;
		}
		double axisY = y + 4;
		List<Line> lines = milestoneLines(milestones, scale, full, axisY);
		List<Tick> ticks = ticks(scale, zone);
		String label = "Timeline from %s to %s%s: %d alerts, %d runbook runs, %d notifications, %d actions by people%s"
			.formatted(full.format(start), full.format(right), open ? " (now, still open)" : "", alerts,
					count(shown, Kind.STEP), entries(shown, Kind.NOTIFICATION), entries(shown, Kind.ACTION),
					scale.breaks().isEmpty() ? "" : "; " + scale.breaks().size() + " quiet spans drawn shortened");
		return new TimelineAxis(label, (int) Math.ceil(axisY + 48), start, right, open, scale.segments(),
				scale.breaks(), laidOut, hidden, round(hiddenY), lines, ticks, round(axisY), round(axisY + 38));
	}

	/**
	 * Where an instant is drawn: proportional to time within the segments (all at one
	 * scale), spread evenly over a shortened quiet span, and held to the ends.
	 */
	public double x(Instant at) {
		return Scale.x(at, this.start, this.end, this.segments, this.breaks);
	}

	/** The {@code viewBox} of the drawing. */
	public String viewBox() {
		return "0 0 " + WIDTH + " " + this.height;
	}

	public int width() {
		return WIDTH;
	}

	/** The lanes' names end here. */
	public int left() {
		return LEFT;
	}

	public int right() {
		return RIGHT;
	}

	/** The top of the lanes, where the milestones' lines start. */
	public int top() {
		return TOP - 4;
	}

	/** Every entry, lane by lane, for the table under the drawing and for tests. */
	public List<Item> items() {
		return this.lanes.stream().flatMap((lane) -> lane.items().stream()).toList();
	}

	/** Height of the printed (PDF) drawing, in points: half an SVG unit each. */
	public double boxHeight() {
		return round(this.height * BOX_SCALE);
	}

	/** Where the printed (PDF) drawing places the time axis, as CSS. */
	public String axisBox() {
		return "top: %spt".formatted(round(this.axisY * BOX_SCALE));
	}

	/** Where the printed (PDF) drawing places the note about alerts not drawn, as CSS. */
	public String hiddenAlertsBox() {
		return "top: %spt".formatted(round((this.hiddenAlertsY - 7) * BOX_SCALE));
	}

	/** One SVG unit in the PDF's points. */
	static final double BOX_SCALE = 0.5;

	private static List<Line> milestoneLines(List<Milestone> milestones, Scale scale, DateTimeFormatter full,
			double axisY) {
		List<Milestone> sorted = milestones.stream().sorted(Comparator.comparing(Milestone::at)).toList();
		int[] xs = new int[sorted.size()];
		for (int i = 0; i < xs.length; i++) {
			xs[i] = (int) Math.round(scale.x(sorted.get(i).at()));
		}
		int[] labels = spread(xs, LEFT + 40, RIGHT - 40, MILESTONE_GAP);
		List<Line> lines = new ArrayList<>();
		for (int i = 0; i < xs.length; i++) {
			Milestone milestone = sorted.get(i);
			String text = milestone.name() + " at " + full.format(milestone.at())
					+ ((milestone.by() != null) ? " by " + milestone.by() : "");
			lines.add(new Line(milestone.name(), milestone.at(), text, round(scale.x(milestone.at())), labels[i],
					(i % 2 == 0) ? 13 : 27, axisY));
		}
		return lines;
	}

	/**
	 * Where labels go: under their point where there is room, pushed apart where points
	 * are close, and kept between {@code least} and {@code most}.
	 */
	static int[] spread(int[] xs, int least, int most, int gap) {
		int[] labels = new int[xs.length];
		for (int i = 0; i < xs.length; i++) {
			labels[i] = Math.clamp(xs[i], least, most);
			if (i > 0) {
				labels[i] = Math.max(labels[i], labels[i - 1] + gap);
			}
		}
		for (int i = xs.length - 1; i >= 0; i--) {
			int limit = (i == xs.length - 1) ? most : labels[i + 1] - gap;
			labels[i] = Math.min(labels[i], limit);
		}
		return labels;
	}

	/**
	 * The time labels: a round step giving at most one label per {@link #TICK_GAP} units
	 * of the drawing, aligned to the zone's clock, none inside a shortened span.
	 */
	private static List<Tick> ticks(Scale scale, ZoneId zone) {
		double perMilli = scale.unitsPerMilli();
		long step = TICK_STEPS[TICK_STEPS.length - 1] * 1000L;
		for (long seconds : TICK_STEPS) {
			if (seconds * 1000L * perMilli >= TICK_GAP) {
				step = seconds * 1000L;
				break;
			}
		}
		boolean days = !scale.segments()
			.getFirst()
			.from()
			.atZone(zone)
			.toLocalDate()
			.equals(scale.segments().getLast().to().atZone(zone).toLocalDate());
		DateTimeFormatter format = DateTimeFormatter
			.ofPattern((step < 60_000) ? "HH:mm:ss" : days ? "d MMM HH:mm" : "HH:mm", Locale.ENGLISH)
			.withZone(zone);
		List<Tick> ticks = new ArrayList<>();
		double lastX = Double.NEGATIVE_INFINITY;
		for (Segment segment : scale.segments()) {
			ZonedDateTime from = segment.from().atZone(zone);
			Instant midnight = from.truncatedTo(ChronoUnit.DAYS).toInstant();
			long offset = Duration.between(midnight, segment.from()).toMillis();
			Instant at = midnight.plusMillis(((offset + step - 1) / step) * step);
			for (; !at.isAfter(segment.to()); at = at.plusMillis(step)) {
				double x = scale.x(at);
				if (x - lastX >= TICK_GAP && !nearBreak(x, scale.breaks())) {
					ticks.add(new Tick(format.format(at), at, round(x)));
					lastX = x;
				}
			}
		}
		return ticks;
	}

	private static boolean nearBreak(double x, List<Break> breaks) {
		return breaks.stream().anyMatch((each) -> Math.abs(each.middle() - x) < TICK_GAP / 2.0 + BREAK_WIDTH / 2.0);
	}

	private static LaneInput alertLane(AlertSnapshot alert, boolean sameNameElsewhere, DateTimeFormatter full) {
		String name = alertName(alert);
		if (sameNameElsewhere) {
			String instance = alert.labels().get("instance");
			name += " " + ((instance != null) ? instance : alert.fingerprint());
		}
		boolean firing = alert.status() == AlertStatus.FIRING;
		Instant endsAt = firing ? null : alert.endsAt();
		String state = alert.status().name().toLowerCase(Locale.ROOT);
		String labels = alert.labels()
			.entrySet()
			.stream()
			.filter((label) -> !label.getKey().equals("alertname"))
			.map((label) -> label.getKey() + "=" + label.getValue())
			.collect(Collectors.joining(", "));
		String summary = alert.annotations().get("summary");
		String text = "Alert %s (%s): %s to %s%s%s%s".formatted(alertName(alert), state, full.format(alert.startsAt()),
				(endsAt != null) ? full.format(endsAt) : "still firing",
				(endsAt != null) ? " (" + Durations.words(Duration.between(alert.startsAt(), endsAt)) + ")" : "",
				(summary != null) ? ": " + summary : "", labels.isEmpty() ? "" : " {" + labels + "}");
		return new LaneInput(Kind.ALERT, name,
				List.of(new Entry(text, alert.startsAt(), endsAt, endsAt == null, state)));
	}

	private static String alertName(AlertSnapshot alert) {
		return (alert.name() != null) ? alert.name() : "alert";
	}

	private static LaneInput runbookLane(ExecutionView execution, DateTimeFormatter full) {
		String runbook = (execution.runbookTitle() != null) ? execution.runbookTitle() : execution.runbookId();
		List<Entry> steps = new ArrayList<>();
		for (ExecutionStepView step : execution.steps()) {
			if (step.startedAt() == null) {
				continue;
			}
			Instant to = (step.finishedAt() != null) ? step.finishedAt() : execution.finishedAt();
			String state = step.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
			String text = "Runbook %s, step %d %s (%s): %s, %s to %s%s".formatted(runbook, step.position() + 1,
					step.name(), step.action(), state, full.format(step.startedAt()),
					(to != null) ? full.format(to) : "still running",
					(to != null) ? " (" + Durations.words(Duration.between(step.startedAt(), to)) + ")" : "");
			steps.add(new Entry(text, step.startedAt(), to, to == null, state.replace(' ', '-')));
		}
		return new LaneInput(Kind.STEP, runbook, steps);
	}

	private static String notificationText(Notification notification, Instant at, DateTimeFormatter full) {
		return "%s %s to %s: %s at %s%s".formatted(notification.channel().value(), notification.kind(),
				notification.target(), notification.status(), full.format(at),
				(notification.lastError() != null && notification.failed()) ? " (" + notification.lastError() + ")"
						: "");
	}

	/**
	 * What a person did, in words: the event's summary, what they wrote with it (a note's
	 * text, a correction's reason), who and when.
	 */
	private static String actionText(RecordedEvent event, DateTimeFormatter full) {
		String summary = event.summary();
		StringBuilder text = new StringBuilder(event.type().name()).append(": ").append(summary);
		for (String key : List.of("text", "reason", "note")) {
			Object value = event.details().get(key);
			if (value != null && !value.toString().isBlank() && !summary.contains(value.toString())) {
				text.append(": ").append(value);
			}
		}
		if (!summary.contains(event.actor().name())) {
			text.append(" (").append(event.actor()).append(')');
		}
		return text.append(" at ").append(full.format(event.occurredAt())).toString();
	}

	/** The CSS class of a person's action: what kind of thing they did. */
	private static String action(RecordedEvent event) {
		String name = event.type().name();
		return name.substring(name.lastIndexOf('.') + 1).replace('_', '-');
	}

	private static void addMilestone(List<Milestone> points, String name, Instant at, Actor by) {
		if (at != null) {
			points.add(new Milestone(name, at, (by != null) ? by.toString() : null));
		}
	}

	private static long count(List<LaneInput> lanes, Kind kind) {
		return lanes.stream().filter((lane) -> lane.kind() == kind).count();
	}

	private static long entries(List<LaneInput> lanes, Kind kind) {
		return lanes.stream().filter((lane) -> lane.kind() == kind).mapToLong((lane) -> lane.entries().size()).sum();
	}

	private static Instant clamp(Instant at, Instant least, Instant most) {
		return at.isBefore(least) ? least : at.isAfter(most) ? most : at;
	}

	private static String shorten(String text) {
		return (text.length() <= LONGEST_LANE_NAME) ? text : text.substring(0, LONGEST_LANE_NAME - 1) + "…";
	}

	private static String readout(String text) {
		return (text.length() <= LONGEST_READOUT) ? text : text.substring(0, LONGEST_READOUT - 1) + "…";
	}

	private static String limit(String text) {
		return (text.length() <= LONGEST_TEXT) ? text : text.substring(0, LONGEST_TEXT - 1) + "…";
	}

	/** To a hundredth of a unit: exact enough for a test of proportionality. */
	static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

	/** What an entry is. */
	public enum Kind {

		/** An alert, as a bar. */
		ALERT,
		/** A runbook step, as a bar in its run's lane. */
		STEP,
		/** A notification, as a mark when it was sent (or failed). */
		NOTIFICATION,
		/** Something a person did, as a mark. */
		ACTION;

		/** For CSS classes. */
		public String css() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/**
	 * A milestone, as the axis gets it.
	 *
	 * @param name such as {@code Detected}
	 * @param at when
	 * @param by who, or null
	 */
	record Milestone(String name, Instant at, String by) {
	}

	/**
	 * A lane, as the axis gets it.
	 *
	 * @param kind what its entries are
	 * @param name the alert's or the runbook's name, or the lane's
	 * @param entries its entries
	 */
	record LaneInput(Kind kind, String name, List<Entry> entries) {
	}

	/**
	 * An entry, as the axis gets it.
	 *
	 * @param text the entry in words: what, when, who
	 * @param from when it started or happened
	 * @param to when it ended; null for a mark, or for a bar still going
	 * @param open whether it is a bar still going (it reaches the axis's end)
	 * @param state its state, for a CSS class: {@code firing}, {@code failed}, ...
	 */
	record Entry(String text, Instant from, Instant to, boolean open, String state) {

		Entry {
			text = limit(text);
		}

	}

	/**
	 * A lane of the drawing.
	 *
	 * @param kind what its entries are
	 * @param name its name, shortened to fit left of the plot
	 * @param fullName its name as it is
	 * @param middle the y of its middle
	 * @param items its entries, laid out
	 */
	public record Lane(Kind kind, String name, String fullName, double middle, List<Item> items) {

		/** The CSS class of the lane's kind. */
		public String css() {
			return this.kind.css();
		}

		/** Where the printed (PDF) drawing places the lane's name, as CSS. */
		public String box() {
			return "top: %spt".formatted(round((this.middle - 7) * BOX_SCALE));
		}

	}

	/**
	 * An entry laid out: a bar when it has a {@code to}, else a mark.
	 *
	 * @param kind what it is
	 * @param state its state, such as {@code firing} or {@code failed}
	 * @param text the entry in words, for the tooltip and the screen reader
	 * @param readout the same, cut to fit the readout line
	 * @param from when it started or happened
	 * @param to when it ended (or the axis's end, for a bar still going); null for a mark
	 * @param open whether it is a bar still going
	 * @param x its left edge (a mark's middle)
	 * @param width its length; 0 for a mark
	 * @param y a bar's top edge, a mark's middle
	 * @param height a bar's thickness; 0 for a mark
	 */
	public record Item(Kind kind, String state, String text, String readout, Instant from, Instant to, boolean open,
			double x, double width, double y, double height) {

		public boolean bar() {
			return this.to != null;
		}

		/** The width drawn: a bar of no length is still seen. */
		public double drawnWidth() {
			return Math.max(this.width, 2);
		}

		/** A mark as a diamond path around its middle. */
		public String diamond() {
			return "M%s %sl6 6l-6 6l-6 -6z".formatted(this.x, this.y - 6);
		}

		/** The CSS classes: kind, state, and whether it is still going. */
		public String css() {
			return "entry " + this.kind.css() + " " + this.state + (this.open ? " open" : "");
		}

		/**
		 * Where the printed (PDF) drawing places it, as CSS: the same layout in
		 * percentages of the width and in points.
		 */
		public String box() {
			if (bar()) {
				return "left: %s%%; width: %s%%; top: %spt; height: %spt".formatted(percent(this.x),
						percent(drawnWidth()), round(this.y * BOX_SCALE), round(this.height * BOX_SCALE));
			}
			return "left: %s%%; top: %spt".formatted(percent(this.x - 5), round((this.y - 5) * BOX_SCALE));
		}

	}

	/**
	 * A milestone as a line across the lanes.
	 *
	 * @param name such as {@code Acknowledged}
	 * @param at when
	 * @param text the milestone in words, with its time and who
	 * @param x where
	 * @param labelX where its label is centred
	 * @param labelY its label's baseline
	 * @param bottom where its line ends
	 */
	public record Line(String name, Instant at, String text, double x, int labelX, int labelY, double bottom) {

		/** Where the printed (PDF) drawing places the line, as CSS. */
		public String box() {
			return "left: %s%%; top: %spt; height: %spt".formatted(percent(this.x), round((TOP - 4) * BOX_SCALE),
					round((this.bottom - TOP + 4) * BOX_SCALE));
		}

		/** Where the printed (PDF) drawing places the label, as CSS. */
		public String labelBox() {
			return "left: %s%%; top: %spt".formatted(percent(this.labelX - 60), round((this.labelY - 11) * BOX_SCALE));
		}

	}

	/**
	 * A time label under the axis.
	 *
	 * @param text like {@code 22:15}
	 * @param at the time
	 * @param x where
	 */
	public record Tick(String text, Instant at, double x) {

		/** Where the printed (PDF) drawing places it, as CSS. */
		public String box(double axisY) {
			return "left: %s%%; top: %spt".formatted(percent(this.x - 30), round((axisY + 4) * BOX_SCALE));
		}

	}

	/**
	 * A span drawn to scale.
	 *
	 * @param from its start
	 * @param to its end
	 * @param left where its start is drawn
	 * @param right where its end is drawn
	 */
	public record Segment(Instant from, Instant to, double left, double right) {
	}

	/**
	 * A quiet span drawn shortened: nothing started, ended or happened in it.
	 *
	 * @param from its start
	 * @param to its end
	 * @param left where it is drawn from
	 * @param right where it is drawn to ({@link #BREAK_WIDTH} further)
	 * @param text how long it was, like {@code 8 h 10 min}
	 * @param description the same in a sentence, with its times
	 */
	public record Break(Instant from, Instant to, double left, double right, String text, String description) {

		public double middle() {
			return round((this.left + this.right) / 2);
		}

		public double width() {
			return round(this.right - this.left);
		}

		/** A zig-zag across the axis line at this y. */
		public String zigzag(double y) {
			double step = (this.right - this.left) / 6;
			StringBuilder path = new StringBuilder("M" + round(this.left) + " " + y);
			for (int i = 1; i <= 6; i++) {
				path.append(" L").append(round(this.left + i * step)).append(' ').append((i % 2 == 1) ? y - 5 : y + 5);
			}
			return path.toString();
		}

		/** Where the printed (PDF) drawing places its length, as CSS. */
		public String labelBox(double axisY) {
			return "left: %s%%; top: %spt".formatted(percent(middle() - 30), round((axisY + 4) * BOX_SCALE));
		}

		/** Where the printed (PDF) drawing places it, as CSS. */
		public String box(double bottom) {
			return "left: %s%%; width: %s%%; top: %spt; height: %spt".formatted(percent(this.left),
					percent(this.right - this.left), round((TOP - 4) * BOX_SCALE),
					round((bottom - TOP + 4) * BOX_SCALE));
		}

	}

	private static double percent(double units) {
		return round(units * 100 / WIDTH);
	}

	/**
	 * Time to x: the spans drawn to scale and the quiet spans drawn shortened, together
	 * from {@link #LEFT} to {@link #RIGHT}.
	 */
	record Scale(List<Segment> segments, List<Break> breaks, double unitsPerMilli) {

		/**
		 * Shortens the longest quiet span while it is longer than {@link #QUIET_SHARE} of
		 * the time still drawn to scale and at least {@link #QUIET_LEAST}, up to
		 * {@link #MOST_BREAKS} times; lays out the rest to one scale.
		 * @param moments every instant something starts, ends or happens, start and end
		 * included
		 */
		static Scale of(NavigableSet<Instant> moments, Instant start, Instant end, DateTimeFormatter full) {
			List<Instant> sorted = new ArrayList<>(moments);
			List<long[]> gaps = new ArrayList<>();
			for (int i = 1; i < sorted.size(); i++) {
				gaps.add(new long[] { sorted.get(i - 1).toEpochMilli(), sorted.get(i).toEpochMilli() });
			}
			gaps.sort(Comparator.comparingLong((long[] gap) -> gap[1] - gap[0]).reversed());
			long total = Duration.between(start, end).toMillis();
			long drawn = total;
			List<long[]> quiet = new ArrayList<>();
			for (long[] gap : gaps) {
				long length = gap[1] - gap[0];
				if (quiet.size() == MOST_BREAKS || length < QUIET_LEAST.toMillis() || length <= QUIET_SHARE * drawn
						|| drawn - length < BUSY_LEAST.toMillis()) {
					break;
				}
				quiet.add(gap);
				drawn -= length;
			}
			// Each shortened span keeps a margin of quiet on both sides, so that what
			// comes before and after it does not sit on the break.
			long margin = Math.max(QUIET_MARGIN_LEAST.toMillis(), (long) (QUIET_MARGIN * drawn));
			List<long[]> spans = new ArrayList<>();
			for (long[] gap : quiet) {
				long side = Math.min(margin, (gap[1] - gap[0]) / 4);
				spans.add(new long[] { gap[0] + side, gap[1] - side });
			}
			spans.sort(Comparator.comparingLong((long[] span) -> span[0]));
			long scaled = total - spans.stream().mapToLong((span) -> span[1] - span[0]).sum();
			double perMilli = (RIGHT - LEFT - (double) spans.size() * BREAK_WIDTH) / scaled;
			List<Segment> segments = new ArrayList<>();
			List<Break> breaks = new ArrayList<>();
			long from = start.toEpochMilli();
			double x = LEFT;
			for (long[] span : spans) {
				double right = x + (span[0] - from) * perMilli;
				segments.add(new Segment(Instant.ofEpochMilli(from), Instant.ofEpochMilli(span[0]), x, right));
				String length = Durations.words(Duration.ofMillis(span[1] - span[0]));
				breaks.add(new Break(Instant.ofEpochMilli(span[0]), Instant.ofEpochMilli(span[1]), right,
						right + BREAK_WIDTH, length,
						"Quiet for %s, from %s to %s: nothing started, ended or happened; drawn shortened".formatted(
								length, full.format(Instant.ofEpochMilli(span[0])),
								full.format(Instant.ofEpochMilli(span[1])))));
				x = right + BREAK_WIDTH;
				from = span[1];
			}
			segments.add(new Segment(Instant.ofEpochMilli(from), end, x, RIGHT));
			return new Scale(List.copyOf(segments), List.copyOf(breaks), perMilli);
		}

		double x(Instant at) {
			return x(at, this.segments.getFirst().from(), this.segments.getLast().to(), this.segments, this.breaks);
		}

		static double x(Instant at, Instant start, Instant end, List<Segment> segments, List<Break> breaks) {
			if (!at.isAfter(start)) {
				return segments.getFirst().left();
			}
			if (!at.isBefore(end)) {
				return segments.getLast().right();
			}
			for (Segment segment : segments) {
				if (!at.isAfter(segment.to())) {
					if (!at.isBefore(segment.from())) {
						return between(at, segment.from(), segment.to(), segment.left(), segment.right());
					}
					break;
				}
			}
			for (Break quiet : breaks) {
				if (!at.isBefore(quiet.from()) && !at.isAfter(quiet.to())) {
					return between(at, quiet.from(), quiet.to(), quiet.left(), quiet.right());
				}
			}
			return segments.getLast().right();
		}

		private static double between(Instant at, Instant from, Instant to, double left, double right) {
			long length = Duration.between(from, to).toMillis();
			if (length == 0) {
				return left;
			}
			return left + (right - left) * Duration.between(from, at).toMillis() / length;
		}

	}

}
