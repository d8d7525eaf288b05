package dev.warden.runbooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One step of an execution: what it was asked to do, and what happened. */
@Entity
@Table(name = "runbook_step")
class ExecutionStep {

	/** Output kept per step; the rest is summarised in one line. */
	private static final int MAX_OUTPUT_LINES = 500;

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "execution_id")
	private RunbookExecution execution;

	private int position;

	private String name;

	private String action;

	private boolean declarative;

	@Enumerated(EnumType.STRING)
	private StepStatus status;

	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, Object> parameters;

	private long timeoutSeconds;

	private int attempts;

	private Instant startedAt;

	private Instant resumeAt;

	private Instant finishedAt;

	@JdbcTypeCode(SqlTypes.JSON)
	private List<String> output = new ArrayList<>();

	private String error;

	private boolean fenced;

	private String actedBy;

	private Instant actedAt;

	protected ExecutionStep() {
	}

	ExecutionStep(RunbookExecution execution, int position, String name, String action, boolean declarative,
			Map<String, Object> parameters, Duration timeout) {
		this.execution = execution;
		this.position = position;
		this.name = name;
		this.action = action;
		this.declarative = declarative;
		this.parameters = new LinkedHashMap<>(parameters);
		this.timeoutSeconds = Math.max(1, timeout.toSeconds());
		this.status = StepStatus.PENDING;
	}

	/**
	 * Starts an attempt whose action checks its claim before acting (a fenced attempt):
	 * until it records that it passed a check, the attempt provably has not acted.
	 */
	void start(Instant now) {
		this.status = StepStatus.RUNNING;
		this.attempts++;
		this.fenced = true;
		this.actedBy = null;
		this.actedAt = null;
		if (this.startedAt == null) {
			this.startedAt = now;
		}
		this.resumeAt = null;
	}

	/**
	 * Records that {@code instance} passed its claim check for this attempt: from now on
	 * the attempt may have acted.
	 */
	void acting(String instance, Instant now) {
		if (this.actedAt == null) {
			this.actedBy = instance;
			this.actedAt = now;
		}
	}

	/**
	 * Whether the current attempt may have changed something: it got past a claim check,
	 * or it was started by a Warden that does not record those (before fencing).
	 */
	boolean mayHaveActed() {
		return !this.fenced || this.actedAt != null;
	}

	void waitUntil(Instant resumeAt, List<String> lines) {
		this.status = StepStatus.WAITING;
		this.resumeAt = resumeAt;
		append(lines);
	}

	void skip(Instant now) {
		if (this.status == StepStatus.PENDING) {
			this.status = StepStatus.SKIPPED;
			this.finishedAt = now;
		}
	}

	void finish(StepStatus outcome, Instant now, List<String> lines, String error) {
		this.status = outcome;
		this.finishedAt = now;
		this.resumeAt = null;
		this.error = error;
		append(lines);
	}

	private void append(List<String> lines) {
		for (String line : lines) {
			if (this.output.size() < MAX_OUTPUT_LINES) {
				this.output.add(line);
			}
		}
	}

	/** The step's deadline: started plus its timeout. */
	Instant deadline() {
		return (this.startedAt != null) ? this.startedAt.plusSeconds(this.timeoutSeconds) : null;
	}

	public Long id() {
		return this.id;
	}

	public int position() {
		return this.position;
	}

	public String name() {
		return this.name;
	}

	public String action() {
		return this.action;
	}

	/** Whether repeating the step after a crash is harmless. */
	public boolean declarative() {
		return this.declarative;
	}

	public StepStatus status() {
		return this.status;
	}

	/** The parameters with label and annotation references resolved. */
	public Map<String, Object> parameters() {
		return Collections.unmodifiableMap(this.parameters);
	}

	public Duration timeout() {
		return Duration.ofSeconds(this.timeoutSeconds);
	}

	public int attempts() {
		return this.attempts;
	}

	public Instant startedAt() {
		return this.startedAt;
	}

	public Instant resumeAt() {
		return this.resumeAt;
	}

	public Instant finishedAt() {
		return this.finishedAt;
	}

	public List<String> output() {
		return Collections.unmodifiableList(this.output);
	}

	public String error() {
		return this.error;
	}

	/** The instance whose claim check let the current attempt act, if any did. */
	public String actedBy() {
		return this.actedBy;
	}

	/** When the current attempt first got past its claim check. */
	public Instant actedAt() {
		return this.actedAt;
	}

}
